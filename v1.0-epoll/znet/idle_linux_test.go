package znet

import (
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v1.0-epoll/utils"
	"zinx/v1.0-epoll/ziface"
)

// TestServerMaxIdleOnAFakeClock: with MaxIdle 10 s, a client that says
// nothing is closed once the server's clock passes 10 s, and its stop hook
// runs; one that sent a heartbeat at 6 s is still open at 11 s.
func TestServerMaxIdleOnAFakeClock(t *testing.T) {
	clock := &fakeClock{}
	clock.ns.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	cfg := utils.Defaults()
	cfg.MaxIdle = 10
	cfg.HeartbeatMsgID = 7
	s := NewServer(WithConfig(cfg), WithAddr("127.0.0.1:0")).(*Server)
	s.now = clock.now
	s.AddRouter(1, &BaseRouter{})
	started, stopped := make(chan uint32, 2), make(chan uint32, 2)
	s.SetOnConnStart(func(c ziface.IConnection) { started <- c.GetConnID() })
	s.SetOnConnStop(func(c ziface.IConnection) { stopped <- c.GetConnID() })
	require.NoError(t, s.Start())
	defer s.Stop()

	silent, talker := dialServer(t, s), dialServer(t, s)
	ping := func() {
		_, err := talker.Write(appendFrame(nil, 7, nil))
		require.NoError(t, err)
		_, _, err = readFrame(talker)
		require.NoError(t, err)
	}
	for range 2 { // a start hook runs once its connection is registered, and timed
		select {
		case <-started:
		case <-time.After(testWait):
			t.Fatal("no start hook")
		}
	}
	clock.add(6 * time.Second)
	ping()
	clock.add(5 * time.Second) // 11 s
	wakeLoops(s.engine)

	_ = silent.SetReadDeadline(time.Now().Add(testWait))
	_, err := silent.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF, "the silent connection is closed")
	select {
	case id := <-stopped:
		assert.Equal(t, uint32(0), id, "the stop hook ran for the silent one")
	case <-time.After(testWait):
		t.Fatal("no stop hook for the idle connection")
	}
	ping() // still open
}

// TestConnectionSetMaxIdle: MaxIdle is off, and the start hook gives one
// connection 5 s. Once the server's clock has moved 6 s, that connection is
// closed and the other is not. One loop, so that two heartbeat round trips
// on the other connection prove the loop has finished a turn that began
// after the clock moved.
func TestConnectionSetMaxIdle(t *testing.T) {
	ts := startTimedServer(t, utils.Defaults(), &BaseRouter{})
	ts.noneStopped(t) // before any time passed
	ts.pass(t, 6*time.Second)
	select {
	case id := <-ts.stopped:
		assert.Equal(t, uint32(0), id, "the connection given 5 s is the one closed")
	case <-time.After(testWait):
		t.Fatal("SetMaxIdle(5s) did not close the connection after 6 s")
	}
	_ = ts.timed.SetReadDeadline(time.Now().Add(testWait))
	_, err := ts.timed.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF)
	ts.turn(t) // the other one, with no idle time, is still served
}

// timedServer is a server on a fake clock, with one loop and heartbeats on
// id 7, whose start hook gives connection 0 an idle time of 5 s, and two
// connections: timed (connection 0) and another with no idle time, whose
// heartbeats tell the test when the loop has finished a turn.
type timedServer struct {
	s       *Server
	clock   *fakeClock
	stopped chan uint32 // connection ids, as their stop hooks run
	timed   net.Conn
	other   net.Conn
}

// startTimedServer starts a timedServer with cfg (MaxIdle off) and router
// on id 1; it stops when the test ends.
func startTimedServer(t *testing.T, cfg utils.GlobalObj, router ziface.IRouter) *timedServer {
	t.Helper()
	ts := &timedServer{clock: &fakeClock{}, stopped: make(chan uint32, 2)}
	ts.clock.ns.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	cfg.HeartbeatMsgID = 7
	ts.s = NewServer(WithConfig(cfg), WithAddr("127.0.0.1:0")).(*Server)
	ts.s.now, ts.s.loops = ts.clock.now, 1
	ts.s.AddRouter(1, router)
	started := make(chan uint32, 2)
	ts.s.SetOnConnStart(func(c ziface.IConnection) {
		if c.GetConnID() == 0 {
			c.(*Connection).SetMaxIdle(5 * time.Second)
		}
		started <- c.GetConnID()
	})
	ts.s.SetOnConnStop(func(c ziface.IConnection) { ts.stopped <- c.GetConnID() })
	require.NoError(t, ts.s.Start())
	t.Cleanup(ts.s.Stop)
	waitStart := func() {
		t.Helper()
		select {
		case <-started:
		case <-time.After(testWait):
			t.Fatal("no start hook")
		}
	}
	ts.timed = dialServer(t, ts.s)
	waitStart() // SetMaxIdle has been called
	ts.other = dialServer(t, ts.s)
	waitStart()
	ts.turn(t) // SetMaxIdle's request has reached the loop
	return ts
}

// turn makes two heartbeat round trips on the other connection: the loop
// has finished the turn it was in when turn began.
func (ts *timedServer) turn(t *testing.T) {
	t.Helper()
	for range 2 {
		_, err := ts.other.Write(appendFrame(nil, 7, nil))
		require.NoError(t, err)
		_, _, err = readFrame(ts.other)
		require.NoError(t, err)
	}
}

// pass moves the clock by d and waits for a loop turn that saw it.
func (ts *timedServer) pass(t *testing.T, d time.Duration) {
	t.Helper()
	ts.clock.add(d)
	wakeLoops(ts.s.engine)
	ts.turn(t)
}

// noneStopped fails the test if a stop hook has run.
func (ts *timedServer) noneStopped(t *testing.T) {
	t.Helper()
	select {
	case id := <-ts.stopped:
		t.Fatalf("connection %d was closed", id)
	default:
	}
}

func dialServer(t *testing.T, s *Server) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", s.Addr().String(), testWait)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(testWait))
	return c
}

// gateEcho echoes every request; the one whose payload is "block" first
// says so on started and waits for gate to close.
type gateEcho struct {
	BaseRouter
	started chan struct{}
	gate    chan struct{}
}

func (r gateEcho) Handle(req ziface.IRequest) {
	if string(req.GetData()) == "block" {
		r.started <- struct{}{}
		<-r.gate
	}
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

// TestPausedConnectionIsNotTimedIdle: a connection the server has stopped
// reading, because its worker's queue is full, is silent by the server's
// doing, not the client's: its idle time stops while it is paused, and it
// must not be closed as idle. The connection has 5 s; its handler blocks,
// its next entry fills the queue and the one after pauses it; the clock
// moves 6 s; once the handler is let go, every reply arrives and no stop
// hook has run.
func TestPausedConnectionIsNotTimedIdle(t *testing.T) {
	cfg := utils.Defaults()
	cfg.WorkerPoolSize, cfg.MaxWorkerTaskLen = 1, 1
	router := gateEcho{started: make(chan struct{}, 1), gate: make(chan struct{})}
	ts := startTimedServer(t, cfg, router)
	t.Cleanup(func() { close(router.gate) }) // runs first: lets the handler go if the test fails
	paused, s := ts.timed, ts.s

	conn, err := s.GetConnMgr().Get(0)
	require.NoError(t, err)
	waitFor := func(what string, done func() bool) {
		t.Helper()
		for deadline := time.Now().Add(testWait); !done(); runtime.Gosched() {
			require.True(t, time.Now().Before(deadline), what)
		}
	}
	send := func(data string) {
		_, err := paused.Write(appendFrame(nil, 1, []byte(data)))
		require.NoError(t, err)
	}
	send("block")
	select {
	case <-router.started:
	case <-time.After(testWait):
		t.Fatal("the first handler did not start")
	}
	send("queued")
	waitFor("the second entry never reached the queue", func() bool { return len(s.msgHandler.TaskQueue[0]) == 1 })
	send("paused")
	waitFor("the connection was never paused", func() bool { return conn.(*Connection).backlog.Load() != nil })

	ts.pass(t, 6*time.Second)
	router.gate <- struct{}{}
	for _, want := range []string{"block", "queued", "paused"} {
		_, data, err := readFrame(paused)
		require.NoError(t, err, "the paused connection was closed")
		assert.Equal(t, want, string(data))
	}
	ts.noneStopped(t)
}

// TestConnectionWaitingForItsReplyIsNotTimedIdle: a client that sent a
// request and waits for the reply is silent by the server's doing while
// the handler runs: it must not be closed as idle, and its reply must
// arrive. The connection has 5 s, its handler takes 6 on the fake clock.
func TestConnectionWaitingForItsReplyIsNotTimedIdle(t *testing.T) {
	cfg := utils.Defaults()
	cfg.WorkerPoolSize = 1
	router := gateEcho{started: make(chan struct{}, 1), gate: make(chan struct{})}
	ts := startTimedServer(t, cfg, router)
	t.Cleanup(func() { close(router.gate) }) // runs first: lets the handler go if the test fails

	_, err := ts.timed.Write(appendFrame(nil, 1, []byte("block")))
	require.NoError(t, err)
	select {
	case <-router.started:
	case <-time.After(testWait):
		t.Fatal("the handler did not start")
	}
	ts.pass(t, 6*time.Second)
	router.gate <- struct{}{}
	_, data, err := readFrame(ts.timed)
	require.NoError(t, err, "the connection was closed while its handler ran")
	assert.Equal(t, "block", string(data))
	ts.noneStopped(t)
}
