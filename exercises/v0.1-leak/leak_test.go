package leak

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// bound is how long a test waits for something that should happen at once.
const bound = 2 * time.Second

// holdTime is how long a test holds a server goroutine before releasing it.
// A Stop that does not wait returns within microseconds, far inside it; the
// wait is for something that must not happen, so no event can replace it.
const holdTime = 100 * time.Millisecond

// hold returns a hook that blocks the first goroutine calling it until
// release is called, and reports when it has entered and finished.
type hold struct {
	entered, released chan struct{}
	enterOnce, once   sync.Once
	finished          atomic.Bool
}

func newHold(t *testing.T) *hold {
	h := &hold{entered: make(chan struct{}), released: make(chan struct{})}
	t.Cleanup(h.release) // never leave a goroutine held
	return h
}

func (h *hold) hook(net.Conn) {
	first := false
	h.enterOnce.Do(func() { first = true })
	if !first {
		return
	}
	close(h.entered)
	<-h.released
	h.finished.Store(true)
}

func (h *hold) release() { h.once.Do(func() { close(h.released) }) }

// requireStopWaits calls stop while what is held in the hook and requires
// that stop returns only after what was released and has finished.
func requireStopWaits(t *testing.T, h *hold, stop func(), what string) {
	t.Helper()
	select {
	case <-h.entered:
	case <-time.After(bound):
		t.Fatalf("%s never called the hook within %v: keep calling it", what, bound)
	}
	returned := make(chan bool, 1)
	go func() {
		stop()
		returned <- h.finished.Load()
	}()
	select {
	case <-returned:
		t.Fatalf("Stop returned while %s was still running (the test was holding it): Stop must wait for every goroutine the server started", what)
	case <-time.After(holdTime):
	}
	h.release()
	select {
	case finished := <-returned:
		require.True(t, finished, "Stop returned before %s had finished", what)
	case <-time.After(bound):
		t.Fatalf("Stop did not return within %v after %s was released", bound, what)
	}
}

// harness is a started server; stop stops it at most once.
type harness struct {
	s       *Server
	addr    string
	stopped bool
}

func start(t *testing.T) *harness {
	t.Helper()
	h := &harness{s: &Server{}}
	require.NoError(t, h.s.Start("127.0.0.1:0"))
	h.addr = h.s.Addr().String()
	t.Cleanup(func() {
		if !h.stopped {
			h.stop(t)
		}
	})
	return h
}

// stop calls Stop and fails the test if it does not return in time.
func (h *harness) stop(t *testing.T) {
	t.Helper()
	h.stopped = true
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.s.Stop()
	}()
	select {
	case <-done:
	case <-time.After(bound):
		t.Fatalf("Stop did not return within %v: some goroutine it waits for never exits", bound)
	}
}

// dial connects a client whose reads and writes fail after bound.
func (h *harness) dial(t *testing.T) *net.TCPConn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", h.addr, bound)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	require.NoError(t, conn.SetDeadline(time.Now().Add(bound)))
	return conn.(*net.TCPConn)
}

// roundTrip sends msg and expects it back.
func roundTrip(t *testing.T, conn net.Conn, msg string) {
	t.Helper()
	_, err := conn.Write([]byte(msg))
	require.NoError(t, err)
	got := make([]byte, len(msg))
	_, err = io.ReadFull(conn, got)
	require.NoError(t, err, "the server must echo %q back", msg)
	require.Equal(t, msg, string(got), "the server must echo byte for byte")
}

// expectEOF expects the server to have closed its side of conn.
func expectEOF(t *testing.T, conn net.Conn, msg string) {
	t.Helper()
	n, err := conn.Read(make([]byte, 1))
	require.Zero(t, n, "nothing more was sent, so nothing more may be echoed")
	require.ErrorIs(t, err, io.EOF, msg)
}

func TestEchoes(t *testing.T) {
	h := start(t)
	a, b := h.dial(t), h.dial(t)
	roundTrip(t, a, "hello")
	roundTrip(t, b, "zinx")
	roundTrip(t, a, "again")
}

func TestServerClosesConnectionWhenClientLeaves(t *testing.T) {
	h := start(t)
	c := h.dial(t)
	roundTrip(t, c, "bye")
	require.NoError(t, c.CloseWrite())
	expectEOF(t, c, "once the client has closed its side, the server must close the connection and end its goroutine; "+
		"instead the server kept the socket open")
}

func TestStopLeavesNoGoroutines(t *testing.T) {
	h := start(t)
	gone := h.dial(t)
	roundTrip(t, gone, "one")
	require.NoError(t, gone.CloseWrite())
	stays := h.dial(t)
	roundTrip(t, stays, "two")

	h.stop(t)
	goleak.VerifyNone(t)
}

func TestStopWithLiveClient(t *testing.T) {
	h := start(t)
	c := h.dial(t)
	roundTrip(t, c, "still here")

	h.stop(t)
	expectEOF(t, c, "Stop must close the connections of clients that are still connected, or their goroutines stay blocked in Read")
	_, err := net.DialTimeout("tcp", h.addr, bound)
	require.Error(t, err, "after Stop the listener must be closed: a new client must be refused")
	goleak.VerifyNone(t)
}

// TestStopWaitsForConnections holds a connection's goroutine inside onConn
// and checks that Stop returns only once that goroutine has finished. goleak
// alone cannot tell: it retries until a goroutine that Stop did not wait
// for has ended by itself.
func TestStopWaitsForConnections(t *testing.T) {
	hd := newHold(t)
	onConn = hd.hook
	t.Cleanup(func() { onConn = func(net.Conn) {} })

	h := start(t)
	h.dial(t)
	h.stopped = true // requireStopWaits calls Stop
	requireStopWaits(t, hd, h.s.Stop, "a connection's goroutine")
}
