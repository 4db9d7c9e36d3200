package znet_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"zinx/v0.8/ziface"
	"zinx/v0.8/znet"
)

// slowEchoRouter echoes every request; the request "slow" first tells
// started and waits for the test to close release, so the requests read
// after it are still queued when the test wants them to be.
type slowEchoRouter struct {
	znet.BaseRouter
	started chan struct{}
	release chan struct{}
}

func (r slowEchoRouter) Handle(req ziface.IRequest) {
	if string(req.GetData()) == "slow" {
		r.started <- struct{}{}
		<-r.release
	}
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

// TestHalfClosedClientGetsEveryReply: a client that sends its requests,
// half-closes (CloseWrite, as `nc -N` does, or a program that closes its
// writing side after its last request) and reads until EOF gets every
// reply, in order, and only then the server's close. With a pool, the
// first request holds the worker until the reader has seen the end of the
// stream, so the others are still queued then; without one, the replies
// are still in the send queue when the reader sees it.
func TestHalfClosedClientGetsEveryReply(t *testing.T) {
	const n = 3*znet.MaxBurst + 2 // several queue entries
	for _, pool := range []uint32{0, 1} {
		t.Run(fmt.Sprintf("pool %d", pool), func(t *testing.T) {
			router := slowEchoRouter{started: make(chan struct{}, 1), release: make(chan struct{})}
			s := startServer(t, router, withPool(pool, 16))
			t.Cleanup(func() { close(router.release) }) // before Stop: cleanups run last first
			conn := dial(t, s)

			var want []string
			if pool > 0 {
				_, err := conn.Write(frame(0, "slow"))
				require.NoError(t, err)
				<-router.started // the worker is held: what follows stays queued
				want = append(want, "slow")
			}
			var burst []byte
			for i := len(want); i < n; i++ {
				want = append(want, fmt.Sprint(i))
				burst = append(burst, frame(uint32(i), want[i])...)
			}
			_, err := conn.Write(burst)
			require.NoError(t, err)
			require.NoError(t, conn.CloseWrite())
			if pool > 0 {
				// The reader has seen the end of the stream and waits for
				// the queued requests before anything else.
				znet.WaitParkedIn(t, "sync.WaitGroup.Wait", "(*Connection).startReader")
				router.release <- struct{}{}
			}

			for i, data := range want {
				id, got := readFrame(t, conn)
				require.Equal(t, data, got, "reply %d of %d", i+1, n)
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
			cfg.WorkerPoolSize, cfg.MaxPacketSize = 1, size
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
				znet.WaitBlockedIn(t, "(*Connection).SendMsg")
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

// sendQueueLen is a connection's send queue length (msgChanLen).
const sendQueueLen = 64
