package znet

import (
	"net"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// A stop whose wake lands in the acceptor's turn, after it was woken and
// before it goes back to wait, must still end the acceptor. Looking at
// stopping before clearing the wake loses such a stop: the clear drains its
// wake, and the listener raises no new edge, so the acceptor waits for ever
// and so does stop.
func TestAcceptorSeesAStopThatRacesItsTurn(t *testing.T) {
	var once sync.Once
	started := make(chan *engine, 1)
	stopped := make(chan struct{})
	// Set before the engine starts and cleared after it stops (cleanups run
	// last first), so the acceptor reads it without a race.
	t.Cleanup(func() { testHookAcceptTurn = nil })
	testHookAcceptTurn = func() {
		once.Do(func() {
			e := <-started
			go func() {
				e.stop()
				close(stopped)
			}()
			// Return only once the stop's wake is in the eventfd.
			fds := []unix.PollFd{{Fd: int32(e.ln.p.wakefd), Events: unix.POLLIN}}
			_, _ = unix.Poll(fds, int(testDeadline/time.Millisecond))
		})
	}
	e := startTestEngine(t, engineConfig{handler: newEchoHandler(), loops: 1})
	started <- e
	knock(e) // wakes the acceptor: its turn runs the hook

	select {
	case <-stopped:
	case <-time.After(testDeadline):
		t.Error("stop did not return: the acceptor lost the stop's wake")
		knock(e) // a new edge wakes the acceptor, so that it exits and the test leaks nothing
		<-stopped
	}
}

// knock connects to e and hangs up. The listener may be closing meanwhile,
// so a refused or reset connection is no error here.
func knock(e *engine) {
	if c, err := net.DialTimeout("tcp", e.addr().String(), testDeadline); err == nil {
		c.Close()
	}
}

// stopRacingHandler starts the engine's stop from inside the first onAccept,
// as a Stop that lands while the acceptor is handing a connection over.
type stopRacingHandler struct {
	*echoHandler
	t       *testing.T
	e       chan *engine
	stopped chan struct{}
	once    sync.Once
	closes  atomic.Int32
}

func (h *stopRacingHandler) onAccept(c *conn) bool {
	h.once.Do(func() {
		e := <-h.e
		go func() {
			e.stop()
			close(h.stopped)
		}()
		// Hand the connection over only once the stop has gone as far as
		// it can without the acceptor: either the loop has exited, or stop
		// waits for the acceptor first.
		deadline := time.Now().Add(testDeadline)
		for !loopExited(e.loops[0]) && !stopWaitsForAcceptor() {
			if time.Now().After(deadline) {
				h.t.Error("the stop went nowhere")
				break
			}
			runtime.Gosched()
		}
	})
	return true
}

func (h *stopRacingHandler) onClose(c *conn, reason error) {
	h.closes.Add(1)
	h.echoHandler.onClose(c, reason)
}

func loopExited(l *eventLoop) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.exited
}

// stopWaitsForAcceptor reports whether a goroutine is parked in engine.stop
// on a channel: the acceptor's.
func stopWaitsForAcceptor() bool {
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	for _, g := range strings.Split(string(buf[:n]), "\n\n") {
		header, _, _ := strings.Cut(g, "\n")
		if strings.Contains(header, "[chan receive") && strings.Contains(g, "(*engine).stop") {
			return true
		}
	}
	return false
}

// A connection the acceptor admitted just as Stop began must still be
// opened and closed by a loop: onAccept's caller counts on onClose to let
// the connection go (the server's Stop waits for it). Stopping the loops
// while the acceptor still hands connections over let one reach a loop
// that had exited, which closed the descriptor and called nothing.
func TestStopWaitsForTheAcceptorBeforeTheLoops(t *testing.T) {
	h := &stopRacingHandler{echoHandler: newEchoHandler(), t: t, e: make(chan *engine, 1), stopped: make(chan struct{})}
	e := startTestEngine(t, engineConfig{handler: h, loops: 1})
	h.e <- e
	knock(e)
	select {
	case <-h.stopped:
	case <-time.After(testDeadline):
		t.Fatal("stop did not return")
	}
	h.mu.Lock()
	opened := len(h.opened)
	h.mu.Unlock()
	if opened != 1 || h.closes.Load() != 1 || e.conns.Load() != 0 {
		t.Fatalf("admitted 1 connection: opened %d, closed %d, %d still counted", opened, h.closes.Load(), e.conns.Load())
	}
}

// floodHandler, on the first accept, queues more clients in the listen
// backlog, as a connect flood would, and then starts the engine's stop.
type floodHandler struct {
	*echoHandler
	t       *testing.T
	e       chan *engine
	stopped chan struct{}
	clients []net.Conn // the flood; touched by the acceptor, then by the test once stop has returned
	accepts atomic.Int32
}

// flood is how many clients wait in the backlog when the stop begins.
const flood = 8

func (h *floodHandler) onAccept(c *conn) bool {
	if h.accepts.Add(1) > 1 {
		return true
	}
	e := <-h.e
	for range flood {
		// The kernel completes the handshake: the client waits in the
		// backlog for the acceptor, which is here.
		c, err := net.DialTimeout("tcp", e.addr().String(), testDeadline)
		if err != nil {
			h.t.Error(err)
			break
		}
		h.clients = append(h.clients, c)
	}
	go func() {
		e.stop()
		close(h.stopped)
	}()
	deadline := time.Now().Add(testDeadline)
	for !e.ln.stopping.Load() {
		if time.Now().After(deadline) {
			h.t.Error("the stop went nowhere")
			break
		}
		runtime.Gosched()
	}
	return true
}

// Once stop has begun, the acceptor takes no more connections: clients that
// connect as fast as it accepts would otherwise keep it in acceptAll, and
// stop waiting for it, for as long as they keep coming.
func TestAcceptorStopsAcceptingOnceStopBegins(t *testing.T) {
	h := &floodHandler{echoHandler: newEchoHandler(), t: t, e: make(chan *engine, 1), stopped: make(chan struct{})}
	e := startTestEngine(t, engineConfig{handler: h, loops: 1})
	h.e <- e
	knock(e)
	select {
	case <-h.stopped:
	case <-time.After(testDeadline):
		t.Fatal("stop did not return")
	}
	for _, c := range h.clients {
		c.Close()
	}
	if n := h.accepts.Load(); n != 1 {
		t.Fatalf("accepted %d connections; want only the one accepted before the stop began (%d more were waiting)", n, flood)
	}
}
