package znet_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"zinx/v0.9/ziface"
	"zinx/v0.9/znet"
)

// halfCloseRouter echoes every request. The request "slow" first tells
// started and waits for the test to close release, so the requests read
// after it are still queued when the test wants them to be. The request
// "big" is answered with big bytes through the smallest send buffer the
// system allows, so the writer stays in that write until the client reads,
// and the replies that follow it are still in the send queue.
type halfCloseRouter struct {
	znet.BaseRouter
	started chan struct{}
	release chan struct{}
	big     int
}

func (r halfCloseRouter) Handle(req ziface.IRequest) {
	data := req.GetData()
	switch string(data) {
	case "slow":
		r.started <- struct{}{}
		<-r.release
	case "big":
		_ = req.GetConnection().GetTCPConnection().SetWriteBuffer(1)
		data = []byte(strings.Repeat("b", r.big))
	}
	_ = req.GetConnection().SendMsg(req.GetMsgID(), data)
}

// TestHalfClosedClientGetsEveryReply: a client that sends its requests,
// half-closes (CloseWrite, as `nc -N` does, or a program that closes its
// writing side after its last request) and reads until EOF gets every
// reply, in order, and only then the server's close. Each case holds the
// replies back until the reader has seen the end of the stream and is
// draining, so a reader that stopped the connection there instead fails
// every run. With a pool, the first request holds the worker, and the
// others are still queued for it. Without one, the reader runs the
// handlers itself; the first reply is 1 MiB, which the writer is still
// writing to a client that does not read yet, and the others wait in the
// send queue behind it. The client keeps its receive buffer as it is: the
// server's send buffer is enough to hold the writer.
func TestHalfClosedClientGetsEveryReply(t *testing.T) {
	const n = 3*znet.MaxBurst + 2 // several queue entries, fewer than the send queue holds
	const big = 1 << 20           // far more than the client's window and the server's send buffer
	for _, tc := range []struct {
		pool  uint32
		first string
	}{{0, "big"}, {1, "slow"}} {
		t.Run(fmt.Sprintf("pool %d", tc.pool), func(t *testing.T) {
			router := halfCloseRouter{started: make(chan struct{}, 1), release: make(chan struct{}), big: big}
			cfg := testConfig()
			cfg.WorkerPoolSize, cfg.MaxWorkerTaskLen, cfg.MaxPacketSize = tc.pool, 16, big
			s := startServer(t, router, znet.WithConfig(cfg))
			t.Cleanup(func() { close(router.release) }) // before Stop: cleanups run last first
			conn := dial(t, s)

			_, err := conn.Write(frame(0, tc.first))
			require.NoError(t, err)
			if tc.pool > 0 {
				<-router.started // the worker is held: what follows stays queued
			}
			var burst []byte
			for i := 1; i < n; i++ {
				burst = append(burst, frame(uint32(i), fmt.Sprint(i))...)
			}
			_, err = conn.Write(burst)
			require.NoError(t, err)
			require.NoError(t, conn.CloseWrite())
			if tc.pool > 0 {
				// The reader has seen the end of the stream and waits for
				// the queued requests before anything else.
				znet.WaitParkedIn(t, "sync.WaitGroup.Wait", "(*Connection).drain")
				router.release <- struct{}{}
			} else {
				// Every handler has run and queued its reply; the writer
				// is in the first, and the reader waits for it.
				znet.WaitParkedIn(t, "IO wait", "(*Connection).writeLoop")
				znet.WaitParkedIn(t, "chan receive", "(*Connection).drain")
			}

			id, got := readFrame(t, conn)
			require.Equal(t, uint32(0), id)
			if tc.first == "big" {
				require.Equal(t, big, len(got), "the big reply, whole")
			} else {
				require.Equal(t, tc.first, got)
			}
			for i := 1; i < n; i++ {
				id, got := readFrame(t, conn)
				require.Equal(t, fmt.Sprint(i), got, "reply %d of %d", i+1, n)
				require.Equal(t, uint32(i), id)
			}
			requireClosedByServer(t, conn, "a half-closed client, once its replies are out")
		})
	}
}

// floodRouter answers "flood" with up to frames replies of size bytes each,
// stopping at the first SendMsg error, which it reports on done.
type floodRouter struct {
	znet.BaseRouter
	frames, size int
	done         chan error
}

func (r floodRouter) Handle(req ziface.IRequest) {
	// The smallest send buffer the system allows: the replies back up in
	// the server, not in the kernel.
	_ = req.GetConnection().GetTCPConnection().SetWriteBuffer(1)
	reply := []byte(strings.Repeat("z", r.size))
	var err error
	for range r.frames {
		if err = req.GetConnection().SendMsg(1, reply); err != nil {
			break
		}
	}
	r.done <- err
}

// TestHalfClosedClientThatNeverReadsStillStops: a client half-closes and
// never reads its replies. The server waits for it to read them, but Stop
// must still end the connection, and leave no goroutine behind, whether
// the handler has queued every reply (the writer is stuck in a write, the
// reader waits for the writer) or is still waiting for room in the send
// queue (the reader waits for the handler).
func TestHalfClosedClientThatNeverReadsStillStops(t *testing.T) {
	for _, tc := range []struct {
		name   string
		frames int
	}{
		{"every reply queued", sendQueueLen},
		{"a handler waiting for room", 100 * sendQueueLen},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const size = 16 << 10
			router := floodRouter{frames: tc.frames, size: size, done: make(chan error, 1)}
			cfg := testConfig()
			cfg.WorkerPoolSize, cfg.MaxPacketSize, cfg.MaxMsgChanLen = 1, size, sendQueueLen
			s := newServer(znet.WithConfig(cfg))
			addRoutes(s, router)
			require.NoError(t, s.Start())
			conn := dial(t, s)
			require.NoError(t, conn.SetReadBuffer(1)) // and the smallest window: the client never reads

			_, err := conn.Write(frame(0, "flood"))
			require.NoError(t, err)
			require.NoError(t, conn.CloseWrite())
			var handlerErr error
			if tc.frames <= sendQueueLen {
				// Never more queued than the queue holds: the handler returns.
				select {
				case handlerErr = <-router.done:
				case <-time.After(waitLimit):
					t.Fatal("the handler did not return")
				}
				require.NoError(t, handlerErr, "every reply is queued")
				znet.WaitParkedIn(t, "IO wait", "(*Connection).writeLoop") // the client's window is full
				znet.WaitParkedIn(t, "chan receive", "(*Connection).drain")
			} else {
				znet.WaitBlockedIn(t, "(*Connection).send")
				znet.WaitParkedIn(t, "sync.WaitGroup.Wait", "(*Connection).drain")
			}

			within(t, "Stop", s.Stop)
			if tc.frames > sendQueueLen {
				select {
				case handlerErr = <-router.done:
				default:
					t.Fatal("Stop returned before the handler did")
				}
				assert.ErrorIs(t, handlerErr, znet.ErrConnClosed, "Stop releases a handler waiting for room")
			}
			goleak.VerifyNone(t)
		})
	}
}

// sendQueueLen is the send queue's length in these tests: v0.8's fixed
// length, set through MaxMsgChanLen here.
const sendQueueLen = 64
