package znet

import (
	"errors"
	"io"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"zinx/v1.0-epoll/utils"
	"zinx/v1.0-epoll/ziface"
)

// These tests admit a connection (the server adds it to its manager and
// counts it for Stop) that no loop then opens, and check that the server
// lets it go: Stop returns, the manager is empty, and neither hook runs.

// hookCounts counts the start and stop hooks a server runs.
type hookCounts struct{ starts, stops atomic.Int32 }

// startDropServer starts a server with one loop on 127.0.0.1:0 that counts
// its hooks. The test's hooks (testHookAcceptTurn, testHookRegister) must
// be set before it is called.
func startDropServer(t *testing.T) (*Server, *hookCounts) {
	t.Helper()
	s := NewServer(WithConfig(utils.Defaults()), WithAddr("127.0.0.1:0")).(*Server)
	s.loops = 1
	s.AddRouter(1, &BaseRouter{})
	h := &hookCounts{}
	s.SetOnConnStart(func(ziface.IConnection) { h.starts.Add(1) })
	s.SetOnConnStop(func(ziface.IConnection) { h.stops.Add(1) })
	require.NoError(t, s.Start())
	return s, h
}

// expectDropped dials s and checks that the connection is closed on it, that
// the server has forgotten it, and that Stop returns.
func expectDropped(t *testing.T, s *Server, h *hookCounts) {
	t.Helper()
	c, err := net.Dial("tcp", s.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(waitLimit)))
	if n, err := c.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Errorf("read on the dropped connection: %d bytes, %v; want io.EOF", n, err)
	}
	// The engine runs onDrop before it closes the descriptor, so the
	// manager is empty by the time the client sees the end of stream.
	if n := s.ConnCount(); n != 0 {
		t.Errorf("%d connection(s) left in the manager; want 0", n)
	}
	stopped := make(chan struct{})
	go func() {
		s.Stop()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-time.After(waitLimit):
		t.Error("Stop did not return: it waits for a connection no loop opened")
		for _, c := range s.connMgr.snapshot() { // let it go, so that the test leaks nothing
			s.connExited(c.(*Connection))
		}
		<-stopped
	}
	if h.starts.Load() != 0 || h.stops.Load() != 0 {
		t.Errorf("hooks ran for a connection never opened: %d start, %d stop", h.starts.Load(), h.stops.Load())
	}
}

// A loop that has exited (its epoll_wait failed) cannot take the connection
// the acceptor hands it. Closing the descriptor there left the server
// counting the connection, and its Stop waited for ever.
func TestStopReturnsWhenAnAdmittedConnectionFindsItsLoopGone(t *testing.T) {
	engines := make(chan *engine, 1)
	var once sync.Once
	t.Cleanup(func() { testHookAcceptTurn = nil }) // after Stop: cleanups run last first
	testHookAcceptTurn = func() {
		once.Do(func() {
			e := <-engines
			l := e.loops[0]
			l.stop() // as if its epoll_wait had failed: the loop exits
			deadline := time.Now().Add(waitLimit)
			for !loopExited(l) {
				if time.Now().After(deadline) {
					t.Error("the loop did not exit")
					return
				}
				runtime.Gosched()
			}
		})
	}
	s, h := startDropServer(t)
	engines <- s.engine
	expectDropped(t, s, h)
}

// epoll may refuse a connection (ENOSPC once max_user_watches is reached).
// Closing the descriptor there left the server counting the connection, and
// its Stop waited for ever.
func TestStopReturnsWhenEpollRefusesAConnection(t *testing.T) {
	t.Cleanup(func() { testHookRegister = nil })
	testHookRegister = func() error { return unix.ENOSPC }
	s, h := startDropServer(t)
	expectDropped(t, s, h)
}

// A loop whose epoll_wait fails exits; a connection handed to it that it
// had not yet registered must be dropped then, not just closed: the server
// counts it, and its Stop would wait for it for ever.
func TestStopReturnsWhenALoopFailsWithAConnectionHandedOver(t *testing.T) {
	t.Cleanup(func() { testHookLoopWait = nil })
	// The wait fails once a connection is handed over, before the loop
	// has registered it.
	testHookLoopWait = func(l *eventLoop, err error) error {
		l.mu.Lock()
		defer l.mu.Unlock()
		if len(l.incoming) > 0 {
			return unix.EBADF
		}
		return err
	}
	s, h := startDropServer(t)
	expectDropped(t, s, h)
}
