package znet_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"zinx/v0.8/ziface"
	"zinx/v0.8/znet"
)

// withPool returns the option for a test server with size workers, each
// with a queue of queueLen requests.
func withPool(size, queueLen uint32) znet.Option {
	cfg := testConfig()
	cfg.WorkerPoolSize, cfg.MaxWorkerTaskLen = size, queueLen
	return znet.WithConfig(cfg)
}

// gateRouter reports when each handler starts and ends, holds the request
// "block" until the test closes release, and echoes every request.
type gateRouter struct {
	znet.BaseRouter
	events  chan string
	release chan struct{}
	sendErr chan error // what SendMsg returned to the "block" handler
}

func newGateRouter() gateRouter {
	return gateRouter{events: make(chan string, 1024), release: make(chan struct{}), sendErr: make(chan error, 1)}
}

func (r gateRouter) Handle(req ziface.IRequest) {
	data := string(req.GetData())
	r.events <- "start " + data
	if data == "block" {
		<-r.release
	}
	r.events <- "end " + data
	err := req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
	if data == "block" {
		r.sendErr <- err
	}
}

// next returns the router's next event, or fails the test.
func (r gateRouter) next(t *testing.T) string {
	t.Helper()
	select {
	case e := <-r.events:
		return e
	case <-time.After(waitLimit):
		t.Fatal("no handler event")
		return ""
	}
}

// eventually waits, yielding, until cond holds, or fails the test. For
// states with no event to wait on, such as a request sitting in a queue.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, waitLimit)
		}
		runtime.Gosched()
	}
}

func TestPoolKeepsEachConnectionsOrder(t *testing.T) {
	const conns, requests = 8, 200
	s := startServer(t, echoRouter{}, withPool(3, 16))

	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for c := range conns {
		conn := dial(t, s)
		var burst []byte
		for i := range requests {
			burst = append(burst, frame(uint32(i), fmt.Sprintf("c%d r%d", c, i))...)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := conn.Write(burst); err != nil {
				errs <- err
				return
			}
			for i := range requests {
				id, data, err := readFrameErr(conn)
				if err == nil && (id != uint32(i) || data != fmt.Sprintf("c%d r%d", c, i)) {
					err = fmt.Errorf("conn %d: reply %d is (%d, %q): out of order", c, i, id, data)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Connections 0 and 1 hash to different workers of two: while 0's handler
// is blocked, 1 is served.
func TestConnectionsOnDifferentWorkersRunInParallel(t *testing.T) {
	router := newGateRouter()
	s := startServer(t, router, withPool(2, 16))
	a, b := dial(t, s), dial(t, s) // ids 0 and 1, in accept order

	_, err := a.Write(frame(1, "block"))
	require.NoError(t, err)
	require.Equal(t, "start block", router.next(t))

	_, data := roundTrip(t, b, 1, "other worker")
	assert.Equal(t, "other worker", data, "a connection on another worker is served while worker 0 is blocked")

	close(router.release)
	_, data = readFrame(t, a)
	assert.Equal(t, "block", data)
}

// requeueRouter echoes every request and, the first time it sees "again",
// also queues that request to the pool a second time, as a handler that
// wants to run it later might.
type requeueRouter struct {
	znet.BaseRouter
	done *atomic.Bool
}

func (r requeueRouter) Handle(req ziface.IRequest) {
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
	if string(req.GetData()) == "again" && r.done.CompareAndSwap(false, true) {
		req.GetConnection().(*znet.Connection).MsgHandler.SendMsgToTaskQueue(req)
	}
}

// TestHandlerQueuingItsRequestAgainRunsThatRequestAlone: a handler queues
// its request a second time; the request runs again, and only it: not the
// requests that shared its queue entry (read in the same burst), which
// would answer twice.
func TestHandlerQueuingItsRequestAgainRunsThatRequestAlone(t *testing.T) {
	s := startServer(t, requeueRouter{done: new(atomic.Bool)}, withPool(1, 16))
	conn := dial(t, s)
	_, err := conn.Write(append(append(frame(1, "again"), frame(1, "b")...), frame(1, "c")...))
	require.NoError(t, err)
	for _, want := range []string{"again", "b", "c", "again"} {
		_, data := readFrame(t, conn)
		require.Equal(t, want, data)
	}
	_, data := roundTrip(t, conn, 1, "after")
	assert.Equal(t, "after", data, "nothing of the entry runs a third time")
}

// TestHeadOfLineBlockingOnASharedWorker shows the pool's honest cost:
// connections 0 and 2 share worker 0 of two, so while 0's handler blocks,
// 2's request waits in the queue, and runs only after it.
func TestHeadOfLineBlockingOnASharedWorker(t *testing.T) {
	router := newGateRouter()
	s := startServer(t, router, withPool(2, 16))
	a, _, c := dial(t, s), dial(t, s), dial(t, s) // ids 0, 1, 2

	_, err := a.Write(frame(1, "block"))
	require.NoError(t, err)
	require.Equal(t, "start block", router.next(t))
	_, err = c.Write(frame(1, "behind"))
	require.NoError(t, err)
	eventually(t, "connection 2's request queued behind the blocked one", func() bool { return s.QueueLen(0) == 1 })

	close(router.release)
	assert.Equal(t, []string{"end block", "start behind", "end behind"},
		[]string{router.next(t), router.next(t), router.next(t)},
		"connection 2's handler starts only after connection 0's returns")
	_, data := readFrame(t, c)
	assert.Equal(t, "behind", data)
}

// TestFullQueueMakesTheReaderWait floods one connection while its worker is
// blocked: the queue fills to its bound of entries and no further, the
// reader waits, and once released every request is answered, in order. The
// flood is more than the worker's entry and a full queue can hold, even
// with every entry a whole burst.
func TestFullQueueMakesTheReaderWait(t *testing.T) {
	const queueLen, flood = 4, (4 + 2) * znet.MaxBurst
	router := newGateRouter()
	s := startServer(t, router, withPool(1, queueLen))
	conn := dial(t, s)

	burst := frame(1, "block")
	for i := range flood {
		burst = append(burst, frame(2, fmt.Sprint(i))...)
	}
	_, err := conn.Write(burst)
	require.NoError(t, err)
	require.Equal(t, "start block", router.next(t))
	znet.WaitBlockedIn(t, "(*MsgHandle).SendMsgToTaskQueue")
	assert.Equal(t, queueLen, s.QueueLen(0), "the queue holds its bound, and no more")

	close(router.release)
	_, data := readFrame(t, conn)
	require.Equal(t, "block", data)
	for i := range flood {
		_, data := readFrame(t, conn)
		require.Equal(t, fmt.Sprint(i), data, "nothing dropped, nothing reordered")
	}
}

// TestPanicInAWorkerEndsOnlyItsConnection puts both connections on the one
// worker: after the panic the worker must still serve the other.
func TestPanicInAWorkerEndsOnlyItsConnection(t *testing.T) {
	logOpt, logs := withLogBuffer()
	s := startServer(t, panicRouter{}, withPool(1, 16), logOpt)
	good, victim := dial(t, s), dial(t, s)
	roundTrip(t, good, 1, "before")

	_, err := victim.Write(append(frame(1, "boom"), frame(1, "never run")...))
	require.NoError(t, err)
	requireClosedByServer(t, victim, "a handler panicking on a worker")
	assert.Contains(t, logs.String(), "handler exploded")

	_, data := roundTrip(t, good, 2, "after")
	assert.Equal(t, "after", data, "the worker lives on")
}

// stackRouter reports the stack each handler runs on, and echoes.
type stackRouter struct {
	znet.BaseRouter
	stacks chan string
}

func (r stackRouter) Handle(req ziface.IRequest) {
	buf := make([]byte, 4096)
	r.stacks <- string(buf[:runtime.Stack(buf, false)])
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

func TestWhereHandlersRun(t *testing.T) {
	for _, tc := range []struct {
		pool      uint32
		want, not string
	}{
		{0, "(*Connection).startReader", "startOneWorker"}, // never a goroutine per message
		{2, "(*MsgHandle).startOneWorker", "startReader"},
	} {
		t.Run(fmt.Sprintf("pool %d", tc.pool), func(t *testing.T) {
			router := stackRouter{stacks: make(chan string, 8)}
			s := startServer(t, router, withPool(tc.pool, 16))
			conn := dial(t, s)
			for i := range 5 {
				roundTrip(t, conn, 1, fmt.Sprint(i))
				stack := <-router.stacks
				assert.Contains(t, stack, tc.want)
				assert.NotContains(t, stack, tc.not)
			}
		})
	}
}

// TestStopWithFullQueuesAndABlockedHandler: Stop waits for the handler it
// cannot interrupt, then returns with every goroutine gone; the requests
// still queued are never run, and the released handler's SendMsg is
// refused instead of hanging.
func TestStopWithFullQueuesAndABlockedHandler(t *testing.T) {
	router := newGateRouter()
	s := newServer(withPool(1, 2))
	addRoutes(s, router)
	require.NoError(t, s.Start())
	a, b := dial(t, s), dial(t, s)

	burst := frame(1, "block")
	for i := range 4 * znet.MaxBurst { // more than the worker and a queue of 2 entries hold
		burst = append(burst, frame(1, fmt.Sprint("queued ", i))...)
	}
	_, err := a.Write(burst)
	require.NoError(t, err)
	require.Equal(t, "start block", router.next(t))
	_, err = b.Write(frame(1, "b waits too"))
	require.NoError(t, err)
	znet.WaitBlockedIn(t, "(*MsgHandle).SendMsgToTaskQueue")

	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		s.Stop()
	}()
	// a's burst is still partly unread in the server's socket when Stop
	// closes it, so the kernel may answer with a reset rather than EOF.
	requireClosedOrReset(t, a, "Stop")
	requireClosedOrReset(t, b, "Stop") // so both connections have stopped
	select {
	case <-stopped:
		t.Fatal("Stop returned while a handler was still running")
	default:
	}

	close(router.release)
	within(t, "Stop after the handler returned", func() { <-stopped })
	assert.ErrorIs(t, <-router.sendErr, znet.ErrConnClosed)
	assert.Equal(t, "end block", router.next(t))
	select {
	case e := <-router.events:
		t.Fatalf("a request queued for a stopped connection ran: %q", e)
	default:
	}
	goleak.VerifyNone(t)
}

// TestQueuedRequestOfAStoppedConnectionIsSkipped: a request waiting in a
// queue when its connection stops is not run against the closed connection.
func TestQueuedRequestOfAStoppedConnectionIsSkipped(t *testing.T) {
	router := newGateRouter()
	s := startServer(t, router, withPool(1, 16))
	a, c := dial(t, s), dial(t, s)

	_, err := a.Write(frame(1, "block"))
	require.NoError(t, err)
	require.Equal(t, "start block", router.next(t))
	_, err = c.Write(frame(1, "queued"))
	require.NoError(t, err)
	eventually(t, "the request queued", func() bool { return s.QueueLen(0) == 1 })
	// The server stops the connection. (A client that half-closes is
	// not leaving: it still gets its replies, so its queued request runs.)
	s.StopConn(1)
	requireClosedByServer(t, c, "StopConn")

	close(router.release)
	readFrame(t, a)
	roundTrip(t, a, 1, "after") // the worker has passed the queued request by now
	assert.Equal(t, []string{"end block", "start after", "end after"},
		[]string{router.next(t), router.next(t), router.next(t)}, "the stopped connection's request must not run")
}

// TestReaderWaitingOnAFullQueueLeavesWhenItsConnectionStops: the worker is
// held by another connection, so the queue will not drain; stopping the
// waiting connection must still release its reader from the queue. The
// reader then waits for the worker to drop the request it did queue before
// it leaves, so the connection counts as live until the worker is free.
func TestReaderWaitingOnAFullQueueLeavesWhenItsConnectionStops(t *testing.T) {
	router := newGateRouter()
	s := startServer(t, router, withPool(1, 1))
	a, c := dial(t, s), dial(t, s) // ids 0 and 1

	_, err := a.Write(frame(1, "block"))
	require.NoError(t, err)
	require.Equal(t, "start block", router.next(t))
	var fill []byte // one entry fills the queue; the frame after it waits
	for range znet.MaxBurst {
		fill = append(fill, frame(1, "fills the queue")...)
	}
	_, err = c.Write(append(fill, frame(1, "waits")...))
	require.NoError(t, err)
	znet.WaitBlockedIn(t, "(*MsgHandle).SendMsgToTaskQueue")

	s.StopConn(1)
	znet.WaitParkedIn(t, "sync.WaitGroup.Wait", "(*Connection).startReader")
	assert.Equal(t, 2, s.ConnCount(), "the request it queued is not finished yet")
	close(router.release)
	readFrame(t, a)
	eventually(t, "connection 1's reader leaving", func() bool { return s.ConnCount() == 1 })
}

// TestShutdownWithFullQueuesAndABlockedHandler: Shutdown gives up at its
// deadline, naming the busy worker; the handler, once released, meets a
// closed connection; a later Stop waits for it; nothing queued runs.
func TestShutdownWithFullQueuesAndABlockedHandler(t *testing.T) {
	router := newGateRouter()
	s := newServer(withPool(1, 2))
	addRoutes(s, router)
	require.NoError(t, s.Start())
	conn := dial(t, s)
	burst := frame(1, "block")
	for i := range 4 * znet.MaxBurst { // more than the worker and a queue of 2 entries hold
		burst = append(burst, frame(1, fmt.Sprint("queued ", i))...)
	}
	_, err := conn.Write(burst)
	require.NoError(t, err)
	require.Equal(t, "start block", router.next(t))
	znet.WaitBlockedIn(t, "(*MsgHandle).SendMsgToTaskQueue")

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	within(t, "Shutdown past its deadline", func() { err = s.Shutdown(ctx) })
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "1 worker(s) still busy")
	requireClosedByServer(t, conn, "Shutdown closes connections even when it gives up")

	close(router.release)
	within(t, "Stop after the handler's release", s.Stop)
	assert.ErrorIs(t, <-router.sendErr, znet.ErrConnClosed)
	assert.Equal(t, "end block", router.next(t))
	select {
	case e := <-router.events:
		t.Fatalf("a request queued for a stopped connection ran: %q", e)
	default:
	}
	goleak.VerifyNone(t)
}

// TestManyConnectionsThroughASmallPool is the demo's traffic at scale: 40
// connections over 3 workers with short queues, every reply exact.
func TestManyConnectionsThroughASmallPool(t *testing.T) {
	s := startServer(t, echoRouter{}, withPool(3, 2))
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for c := range 40 {
		conn := dial(t, s)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range 10 {
				if ctx.Err() != nil {
					errs <- ctx.Err()
					return
				}
				want := fmt.Sprintf("c%d r%d", c, r)
				if _, err := conn.Write(frame(uint32(r), want)); err != nil {
					errs <- err
					return
				}
				if _, got, err := readFrameErr(conn); err != nil || got != want {
					errs <- fmt.Errorf("conn %d round %d: got %q, %v", c, r, got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
