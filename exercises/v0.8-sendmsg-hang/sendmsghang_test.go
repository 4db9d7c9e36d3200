package sendmsghang

import (
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// bound is how long a test waits for something that should happen at once.
// A SendMsg still waiting after it has hung: the bug.
const bound = 2 * time.Second

// holdTime is how long a test watches for something that must not happen
// (a sender returning while the writer is stuck); no event can stand in.
const holdTime = 100 * time.Millisecond

// stuckConn is a socket whose Write blocks until the test says how it ends:
// with an error (fail) or because the connection was closed (Close). A Read
// waits for Close; the other methods return harmless values, so a writer
// that logs its peer's address on an error is not a crash.
type stuckConn struct {
	entered chan struct{}
	fail    chan struct{}
	closed  chan struct{}
	once    sync.Once
}

var _ net.Conn = (*stuckConn)(nil)

func newStuckConn() *stuckConn {
	return &stuckConn{entered: make(chan struct{}, 1), fail: make(chan struct{}), closed: make(chan struct{})}
}

func (s *stuckConn) Write(p []byte) (int, error) {
	select {
	case s.entered <- struct{}{}:
	default:
	}
	select {
	case <-s.fail:
		return 0, errors.New("write: connection reset by peer")
	case <-s.closed:
		return 0, net.ErrClosed
	}
}

func (s *stuckConn) Read([]byte) (int, error) {
	<-s.closed
	return 0, net.ErrClosed
}

func (s *stuckConn) Close() error {
	s.once.Do(func() { close(s.closed) })
	return nil
}

func (s *stuckConn) LocalAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8999}
}

func (s *stuckConn) RemoteAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 54321}
}

func (s *stuckConn) SetDeadline(time.Time) error      { return nil }
func (s *stuckConn) SetReadDeadline(time.Time) error  { return nil }
func (s *stuckConn) SetWriteDeadline(time.Time) error { return nil }

// watchWriter watches the goroutine started through goFunc: exited is
// closed when it returns. A panic in it fails the test instead of ending the
// test binary.
func watchWriter(t *testing.T) <-chan struct{} {
	exited := make(chan struct{})
	goFunc = func(fn func()) {
		go func() {
			defer close(exited)
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("the writer goroutine panicked: %v", p)
				}
			}()
			fn()
		}()
	}
	t.Cleanup(func() { goFunc = func(fn func()) { go fn() } })
	return exited
}

// requireExits waits for the writer goroutine to return.
func requireExits(t *testing.T, exited <-chan struct{}, why string) {
	t.Helper()
	select {
	case <-exited:
	case <-time.After(bound):
		t.Fatalf("%s: the writer goroutine still running %v later; it must leave when the connection stops", why, bound)
	}
}

// flood calls SendMsg until it fails, up to 1000 times, and reports the
// error it got (nil if all 1000 were accepted).
func flood(c *Connection) <-chan error {
	result := make(chan error, 1)
	go func() {
		for range 1000 {
			if err := c.SendMsg([]byte("frame")); err != nil {
				result <- err
				return
			}
		}
		result <- nil
	}()
	return result
}

// stuckSender starts a connection on a stuck socket and a sender flooding
// it, and returns once the writer is stuck in Write and the sender is
// waiting behind it.
func stuckSender(t *testing.T) (*Connection, *stuckConn, <-chan error, <-chan struct{}) {
	t.Helper()
	exited := watchWriter(t)
	sc := newStuckConn()
	c := NewConnection(sc)
	c.Start()
	result := flood(c)
	select {
	case <-sc.entered:
	case <-time.After(bound):
		t.Fatal("the writer never wrote the first frame")
	}
	select {
	case err := <-result:
		t.Fatalf("with the writer stuck, 1000 SendMsg calls must not all go through (the queue must be bounded); got %v", err)
	case <-time.After(holdTime):
	}
	return c, sc, result, exited
}

// requireReturns waits for the flooding sender's error.
func requireReturns(t *testing.T, result <-chan error, why string) {
	t.Helper()
	select {
	case err := <-result:
		require.ErrorIs(t, err, ErrConnClosed, "%s: SendMsg must report the closed connection", why)
	case <-time.After(bound):
		t.Fatalf("%s: SendMsg still blocked %v later; it will never return (the course's hang)", why, bound)
	}
}

func TestSendMsgReturnsWhenTheWriterFails(t *testing.T) {
	_, sc, result, exited := stuckSender(t)
	close(sc.fail) // the client reset the connection: the writer leaves
	requireReturns(t, result, "after the writer's write failed")
	requireExits(t, exited, "after its write failed")
}

func TestSendMsgReturnsWhenTheConnectionStops(t *testing.T) {
	c, _, result, exited := stuckSender(t)
	c.Stop() // a server shutting down, say
	requireReturns(t, result, "after Stop")
	requireExits(t, exited, "after Stop")
}

func TestSendMsgAfterStop(t *testing.T) {
	exited := watchWriter(t)
	c := NewConnection(newStuckConn())
	c.Start()
	c.Stop()
	requireExits(t, exited, "after Stop")
	done := make(chan error, 1)
	go func() { done <- c.SendMsg([]byte("late")) }()
	select {
	case err := <-done:
		require.ErrorIs(t, err, ErrConnClosed)
	case <-time.After(bound):
		t.Fatal("SendMsg after Stop blocked")
	}
}

func TestStopFromManyGoroutinesAtOnce(t *testing.T) {
	exited := watchWriter(t)
	c := NewConnection(newStuckConn())
	c.Start()
	var wg sync.WaitGroup
	panics := make(chan any, 16)
	for range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					panics <- p
				}
			}()
			c.Stop()
		}()
		go func() {
			defer wg.Done()
			_ = c.SendMsg([]byte("racing")) // either queued or refused; never stuck
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(bound):
		t.Fatal("Stop or SendMsg hung when called from several goroutines at once")
	}
	close(panics)
	for p := range panics {
		t.Errorf("Stop panicked: %v", p)
	}
	requireExits(t, exited, "after Stop")
}
