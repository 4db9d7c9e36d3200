package znet

import (
	"net"
	"sync"
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
