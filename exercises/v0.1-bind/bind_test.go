package bind

import (
	"errors"
	"io"
	"net"
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
