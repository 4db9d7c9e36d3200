package bind

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// bound is how long a test waits for something that should happen at once.
const bound = 2 * time.Second

// stopWithin calls s.Stop and fails the test if it does not return in time.
func stopWithin(t *testing.T, s *Server) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Stop()
	}()
	select {
	case <-done:
	case <-time.After(bound):
		t.Fatalf("Stop did not return within %v: it must close the listener, which ends the accept loop, and then wait for that goroutine", bound)
	}
}

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

func TestStartReturnsBindError(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()

	var s Server
	err = s.Start(busy.Addr().String())
	if err == nil {
		s.Stop()
	}
	require.Error(t, err, "Start on an address that is already in use must return the bind error to the caller; the course printed it inside a goroutine and returned nil")
	require.True(t, errors.Is(err, syscall.EADDRINUSE),
		"the error must wrap the listen error (use %%w) so that errors.Is(err, syscall.EADDRINUSE) holds; got %v", err)
}

func TestStartPortZeroReportsAddr(t *testing.T) {
	var s Server
	require.NoError(t, s.Start("127.0.0.1:0"), "Start on 127.0.0.1:0 must succeed")
	defer stopWithin(t, &s)

	addr := s.Addr()
	require.NotNil(t, addr, "after Start returns, Addr must report the bound address (keep the listener)")
	tcp, ok := addr.(*net.TCPAddr)
	require.True(t, ok, "Addr must be the listener's *net.TCPAddr, got %T", addr)
	require.NotZero(t, tcp.Port, "Addr must report the port the kernel chose for port 0, not 0")

	// Right after Start the port must already be bound: no retry, no sleep.
	conn, err := net.DialTimeout("tcp", addr.String(), bound)
	require.NoError(t, err, "a client must be able to connect as soon as Start has returned: bind before you return")
	defer conn.Close()

	// The server accepts and closes each connection, so the client reads EOF.
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(bound)))
	_, err = conn.Read(make([]byte, 1))
	require.ErrorIs(t, err, io.EOF, "the accept loop must be running after Start: the server accepts the connection and closes it")
}

func TestStopLeavesNoGoroutines(t *testing.T) {
	var s Server
	require.NoError(t, s.Start("127.0.0.1:0"), "Start on 127.0.0.1:0 must succeed")
	addr := s.Addr()
	require.NotNil(t, addr, "after Start returns, Addr must report the bound address (keep the listener)")

	// One connection makes sure the accept loop is running.
	conn, err := net.DialTimeout("tcp", addr.String(), bound)
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(bound)))
	_, err = conn.Read(make([]byte, 1))
	require.ErrorIs(t, err, io.EOF, "the server accepts the connection and closes it")
	conn.Close()

	stopWithin(t, &s)

	_, err = net.DialTimeout("tcp", addr.String(), bound)
	require.Error(t, err, "after Stop the listener must be closed: a new client must be refused")
	goleak.VerifyNone(t)
}

// TestStopWaitsForAcceptLoop holds the accept goroutine inside onAccept and
// checks that Stop returns only once that goroutine has finished. goleak
// alone cannot tell: it retries until a goroutine that Stop did not wait
// for has ended by itself.
func TestStopWaitsForAcceptLoop(t *testing.T) {
	h := newHold(t)
	onAccept = h.hook
	t.Cleanup(func() { onAccept = func(net.Conn) {} })

	var s Server
	require.NoError(t, s.Start("127.0.0.1:0"), "Start on 127.0.0.1:0 must succeed")
	addr := s.Addr()
	require.NotNil(t, addr, "after Start returns, Addr must report the bound address (keep the listener)")
	conn, err := net.DialTimeout("tcp", addr.String(), bound)
	require.NoError(t, err)
	defer conn.Close()

	requireStopWaits(t, h, s.Stop, "the accept goroutine")
}
