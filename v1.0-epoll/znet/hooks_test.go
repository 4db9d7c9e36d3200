package znet_test

import (
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v1.0-epoll/ziface"
	"zinx/v1.0-epoll/znet"
)

// TestHooksExactlyOnceUnderChurn: 200 clients that leave at once, some
// without a word, some right after sending, some with a reset. Each
// connection sees exactly one start, then its handlers, then exactly one
// stop; and as many stops as starts.
func TestHooksExactlyOnceUnderChurn(t *testing.T) {
	const clients = 200
	hooks := newHookLog(clients)
	s := newServer(withPool(2, 4))
	hooks.install(s)
	addRoutes(s, hookRouter{log: hooks})
	require.NoError(t, s.Start())
	t.Cleanup(func() { within(t, "Stop", s.Stop) })

	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.Dial("tcp", s.Addr().String())
			if !assert.NoError(t, err) {
				return
			}
			switch i % 3 {
			case 0: // connects and leaves
			case 1: // sends three requests and leaves without reading
				_, _ = conn.Write(append(append(frame(1, "a"), frame(1, "b")...), frame(1, "c")...))
			case 2: // sends and resets
				_, _ = conn.Write(frame(1, "a"))
				_ = conn.(*net.TCPConn).SetLinger(0)
			}
			conn.Close()
		}()
	}
	wg.Wait()
	starts := wait(t, "start hooks", hooks.starts, clients)
	stops := wait(t, "stop hooks", hooks.stops, clients)
	stopped := make(map[ziface.IConnection]int)
	for _, c := range stops {
		stopped[c]++
	}
	for _, c := range starts {
		assert.Equal(t, 1, stopped[c], "conn %d: each connection that started stops once", c.GetConnID())
	}

	for conn, events := range hooks.snapshot() {
		require.GreaterOrEqual(t, len(events), 2, "conn %d: %v", conn.GetConnID(), events)
		assert.Equal(t, "start", events[0], "conn %d: %v", conn.GetConnID(), events)
		assert.Equal(t, "stop", events[len(events)-1], "conn %d: %v", conn.GetConnID(), events)
		for _, e := range events[1 : len(events)-1] {
			assert.Equal(t, "handle", e, "conn %d: only handlers between the hooks: %v", conn.GetConnID(), events)
		}
	}
	eventually(t, "the manager empty", func() bool { return s.GetConnMgr().Len() == 0 })
}

// TestStartHookRunsBeforeTheFirstRequest holds the start hook until the
// client has sent its requests: the handlers must still come after the
// start hook, and the stop hook after them.
func TestStartHookRunsBeforeTheFirstRequest(t *testing.T) {
	hooks := newHookLog(4)
	release := make(chan struct{})
	s := newServer()
	s.SetOnConnStart(func(conn ziface.IConnection) {
		<-release
		hooks.add(conn, "start")
		hooks.starts <- conn
	})
	s.SetOnConnStop(func(conn ziface.IConnection) {
		hooks.add(conn, "stop")
		hooks.stops <- conn
	})
	addRoutes(s, hookRouter{log: hooks})
	require.NoError(t, s.Start())
	t.Cleanup(func() { within(t, "Stop", s.Stop) })

	conn := dial(t, s)
	_, err := conn.Write(append(frame(1, "a"), frame(1, "b")...))
	require.NoError(t, err)
	close(release)
	readFrame(t, conn)
	readFrame(t, conn)
	require.NoError(t, conn.Close())
	started := wait(t, "start hook", hooks.starts, 1)[0]
	wait(t, "stop hook", hooks.stops, 1)
	assert.Equal(t, []string{"start", "handle", "handle", "stop"}, hooks.snapshot()[started])
}

// TestPanickingHooksAreRecovered: a start hook that panics closes its
// connection, and the stop hook still runs; a stop hook that panics still
// lets the connection leave the manager. The server serves on.
func TestPanickingHooksAreRecovered(t *testing.T) {
	logger, rec := newLogRecorder()
	stops := make(chan uint32, 4)
	s := newServer(znet.WithLogger(logger))
	s.SetOnConnStart(func(conn ziface.IConnection) {
		if conn.GetConnID() == 0 {
			panic("start hook fails")
		}
	})
	s.SetOnConnStop(func(conn ziface.IConnection) {
		stops <- conn.GetConnID()
		if conn.GetConnID() == 1 {
			panic("stop hook fails")
		}
	})
	addRoutes(s, echoRouter{})
	require.NoError(t, s.Start())
	t.Cleanup(func() { within(t, "Stop", s.Stop) })

	first := dial(t, s)
	requireClosedByServer(t, first, "a panicking start hook")
	assert.Equal(t, uint32(0), <-stops, "the stop hook runs for a connection whose start hook panicked")

	second := dial(t, s)
	id, data := roundTrip(t, second, 1, "still served")
	assert.Equal(t, uint32(1), id)
	assert.Equal(t, "still served", data)
	require.NoError(t, second.Close())
	assert.Equal(t, uint32(1), <-stops)
	eventually(t, "the manager empty after a panicking stop hook", func() bool { return s.GetConnMgr().Len() == 0 })
	rec.waitFor(t, "OnConnStart hook panicked")
	rec.waitFor(t, "OnConnStop hook panicked")
}

// TestStopHookWaitsForTheRunningHandler: the client leaves while its
// request's handler runs on a worker. The stop hook must wait for it.
func TestStopHookWaitsForTheRunningHandler(t *testing.T) {
	hooks := newHookLog(4)
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	s := newServer()
	hooks.install(s)
	addRoutes(s, routerFunc(func(req ziface.IRequest) {
		entered <- struct{}{}
		<-release
		hooks.add(req.GetConnection(), "handle")
	}))
	require.NoError(t, s.Start())
	t.Cleanup(func() { within(t, "Stop", s.Stop) })

	conn := dial(t, s)
	_, err := conn.Write(frame(1, "slow"))
	require.NoError(t, err)
	select {
	case <-entered:
	case <-time.After(waitLimit):
		t.Fatal("the handler did not start")
	}
	require.NoError(t, conn.Close())
	// v1.0-epoll: no reader waits here; the loop queues the stop hook on
	// the connection's worker, behind the running handler. v0.9 waited for
	// its reader to park in the WaitGroup.
	eventually(t, "the stop hook queued behind the handler", func() bool { return s.QueueLen(0) == 1 })
	assert.Empty(t, hooks.stops, "the stop hook ran while a handler of its connection was running")

	close(release)
	started := wait(t, "start hook", hooks.starts, 1)[0]
	wait(t, "stop hook", hooks.stops, 1)
	assert.Equal(t, []string{"start", "handle", "stop"}, hooks.snapshot()[started])
}
