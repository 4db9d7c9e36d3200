package znet

import (
	"fmt"
	"io"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v1.0-epoll/utils"
	"zinx/v1.0-epoll/ziface"
)

// echoData answers each request with its own id and payload.
type echoData struct{ BaseRouter }

func (echoData) Handle(req ziface.IRequest) {
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

// TestOneReadsRepliesLeaveInOneWrite: the replies to the frames of one read
// leave in one write(2), with handlers on the worker pool and on the loop
// alike. A server that wrote each reply as its handler sent it would cost a
// pipelining client a system call per request; handlers on the loop did so
// until the loop queued their requests as entries too.
func TestOneReadsRepliesLeaveInOneWrite(t *testing.T) {
	for _, pool := range []uint32{0, 2} {
		t.Run(fmt.Sprint("WorkerPoolSize=", pool), func(t *testing.T) {
			var writes atomic.Int64
			testHookWrite = func() { writes.Add(1) } // before Start: the loops and workers read it
			defer func() { testHookWrite = nil }()

			cfg := utils.Defaults()
			cfg.WorkerPoolSize = pool
			s := NewServer(WithConfig(cfg), WithAddr("127.0.0.1:0")).(*Server)
			s.AddRouter(1, echoData{})
			require.NoError(t, s.Start())
			defer s.Stop()
			conn, err := net.DialTimeout("tcp", s.Addr().String(), testDeadline)
			require.NoError(t, err)
			defer conn.Close()
			require.NoError(t, conn.SetDeadline(time.Now().Add(testDeadline)))

			const rounds = 3
			for round := range rounds {
				var burst, want []byte
				for i := range maxBurst {
					burst = appendFrame(burst, 1, fmt.Appendf(nil, "%d/%d", round, i))
				}
				want = burst // an echo answers byte for byte
				_, err := conn.Write(burst)
				require.NoError(t, err)
				got := make([]byte, len(want))
				_, err = io.ReadFull(conn, got)
				require.NoError(t, err)
				require.Equal(t, want, got)
				assert.EqualValues(t, round+1, writes.Load(),
					"the %d replies to one read must leave in one write", maxBurst)
			}
		})
	}
}

// midEntryRouter echoes each request; on the one with id waitID it first
// tells the loop, held at the end of the read, to go on (midEntry), then
// wakes it and waits until the loop has seen the wake-up: by then it has
// finished that read, and written what it would.
type midEntryRouter struct {
	BaseRouter
	t          *testing.T
	midEntry   chan struct{} // closed once a worker is in the middle of the entry
	loopWaited chan struct{} // closed when the loop's wait returns after that
}

const waitID = 2

func (r midEntryRouter) Handle(req ziface.IRequest) {
	if req.GetMsgID() == waitID {
		close(r.midEntry)
		req.GetConnection().(*Connection).ec.loop.p.wake()
		waitOrFail(r.t, r.loopWaited, "the loop did not wake up")
	}
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

// waitOrFail waits for ch to close, and marks t failed if it does not
// within testDeadline. Safe from any goroutine.
func waitOrFail(t *testing.T, ch <-chan struct{}, why string) {
	select {
	case <-ch:
	case <-time.After(testDeadline):
		t.Error(why)
	}
}

// TestLoopLeavesAHeldEntrysRepliesToItsRelease: the loop, done with a read
// while a worker is in the middle of the read's entry, must not write the
// replies sent so far: they wait for the rest, and the entry's release
// writes all 16 in one write. The loop's flush at the end of the read used
// to catch such an entry half done, now and then (in one of fifteen
// -race runs of the package), and the replies to one read left in two
// writes.
func TestLoopLeavesAHeldEntrysRepliesToItsRelease(t *testing.T) {
	var writes atomic.Int64
	midEntry, loopWaited := make(chan struct{}), make(chan struct{})
	var closeOnce sync.Once
	t.Cleanup(func() { testHookWrite, testHookReadEnd, testHookLoopWait = nil, nil, nil }) // after Stop: cleanups run last first
	testHookWrite = func() { writes.Add(1) }
	testHookReadEnd = func() { waitOrFail(t, midEntry, "no worker reached the middle of the entry") }
	testHookLoopWait = func(_ *eventLoop, err error) error {
		select {
		case <-midEntry:
			closeOnce.Do(func() { close(loopWaited) })
		default:
		}
		return err
	}

	cfg := utils.Defaults()
	cfg.WorkerPoolSize = 1
	s := NewServer(WithConfig(cfg), WithAddr("127.0.0.1:0")).(*Server)
	router := midEntryRouter{t: t, midEntry: midEntry, loopWaited: loopWaited}
	s.AddRouter(1, router)
	s.AddRouter(waitID, router)
	require.NoError(t, s.Start())
	t.Cleanup(s.Stop)
	conn, err := net.DialTimeout("tcp", s.Addr().String(), testDeadline)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	require.NoError(t, conn.SetDeadline(time.Now().Add(testDeadline)))

	var burst []byte
	for i := range maxBurst {
		id := uint32(1)
		if i == maxBurst/2 {
			id = waitID
		}
		burst = appendFrame(burst, id, fmt.Appendf(nil, "%d", i))
	}
	_, err = conn.Write(burst)
	require.NoError(t, err)
	got := make([]byte, len(burst))
	_, err = io.ReadFull(conn, got)
	require.NoError(t, err)
	require.Equal(t, burst, got)
	assert.EqualValues(t, 1, writes.Load(), "the %d replies to one read must leave in one write", maxBurst)
}

// tokenEcho echoes every request; one whose payload is "block" or "queued"
// first takes a token from gate.
type tokenEcho struct {
	BaseRouter
	gate chan struct{}
}

func (r tokenEcho) Handle(req ziface.IRequest) {
	if d := string(req.GetData()); d == "block" || d == "queued" {
		<-r.gate
	}
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

// TestHeartbeatIsAnsweredWhenAResumePausesAgain: a read paused mid-buffer
// keeps a heartbeat in c.in; the resume dispatches it, and the request
// behind it finds the worker's queue full again, so the connection pauses
// again and the resume reads nothing more. The heartbeat's reply must
// still leave then, not wait for a blocked handler: only the end of a read
// used to write it.
func TestHeartbeatIsAnsweredWhenAResumePausesAgain(t *testing.T) {
	cfg := utils.Defaults()
	cfg.WorkerPoolSize, cfg.MaxWorkerTaskLen, cfg.HeartbeatMsgID = 1, 1, 7
	s := NewServer(WithConfig(cfg), WithAddr("127.0.0.1:0")).(*Server)
	s.loops = 1
	router := tokenEcho{gate: make(chan struct{})}
	s.AddRouter(1, router)
	require.NoError(t, s.Start())
	t.Cleanup(s.Stop)
	t.Cleanup(func() { close(router.gate) }) // runs first: lets every handler go
	conn, err := net.DialTimeout("tcp", s.Addr().String(), testDeadline)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	require.NoError(t, conn.SetDeadline(time.Now().Add(testDeadline)))
	send := func(p []byte) {
		_, err := conn.Write(p)
		require.NoError(t, err)
	}
	waitFor := func(what string, done func() bool) {
		t.Helper()
		for deadline := time.Now().Add(testDeadline); !done(); runtime.Gosched() {
			require.True(t, time.Now().Before(deadline), what)
		}
	}
	next := func() (uint32, string) {
		t.Helper()
		id, data, err := readFrame(conn)
		require.NoError(t, err)
		return id, string(data)
	}

	send(appendFrame(nil, 1, []byte("block"))) // the worker waits on it
	waitFor("the worker never took the first request", func() bool { return s.msgHandler.busyWorkers() == 1 })
	send(appendFrame(nil, 1, []byte("queued")))
	waitFor("the second request never reached the queue", func() bool { return len(s.msgHandler.TaskQueue[0]) == 1 })
	// One read: an entry of maxBurst led by a third token-taker, then a
	// frame that starts the next entry and pauses the connection, then a
	// heartbeat and a request kept in c.in.
	burst := appendFrame(nil, 1, []byte("block"))
	for range maxBurst - 1 {
		burst = appendFrame(burst, 1, []byte("x"))
	}
	burst = appendFrame(burst, 1, []byte("z"))
	burst = appendFrame(burst, 7, []byte("are you there"))
	burst = appendFrame(burst, 1, []byte("y"))
	send(burst)
	c, err := s.GetConnMgr().Get(0)
	require.NoError(t, err)
	waitFor("the connection was never paused", func() bool { return c.(*Connection).backlog.Load() != nil })

	router.gate <- struct{}{} // "block" returns; "queued" waits
	_, data := next()
	require.Equal(t, "block", data)
	router.gate <- struct{}{} // "queued" returns; the entry's "block" waits, its backlog drains, the connection resumes
	_, data = next()
	require.Equal(t, "queued", data)
	id, data := next()
	assert.Equal(t, uint32(7), id, "the heartbeat's reply, while the entry's handler is blocked")
	assert.Equal(t, "are you there", data)
}
