package readerleak

import (
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// bound is how long a test waits for something that should happen at once.
const bound = 2 * time.Second

// readers watches the goroutines started through goFunc: it records their
// panics instead of letting one crash the test binary.
type readers struct {
	wg     sync.WaitGroup
	mu     sync.Mutex
	panics []any
}

func watchReaders() *readers {
	r := &readers{}
	goFunc = func(fn func()) {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			defer func() {
				if p := recover(); p != nil {
					r.mu.Lock()
					r.panics = append(r.panics, p)
					r.mu.Unlock()
				}
			}()
			fn()
		}()
	}
	return r
}

// requireExited requires that the watched goroutines have all ended, and
// without a panic.
func (r *readers) requireExited(t *testing.T) {
	t.Helper()
	ended := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(ended)
	}()
	select {
	case <-ended:
	case <-time.After(bound):
		t.Fatalf("Done is closed but the reader goroutine has not exited within %v", bound)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	require.Empty(t, r.panics, "the reader goroutine panicked")
}

// setup starts a Connection on the server side of a loopback TCP connection.
// Whatever the handler receives arrives on the returned channel.
func setup(t *testing.T) (*Connection, *net.TCPConn, <-chan []byte, *readers) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	client, err := net.DialTimeout("tcp", ln.Addr().String(), bound)
	require.NoError(t, err)
	server, err := ln.Accept()
	require.NoError(t, err)
	t.Cleanup(func() {
		client.Close()
		server.Close()
	})
	require.NoError(t, client.SetDeadline(time.Now().Add(bound)))

	received := make(chan []byte, 64)
	r := watchReaders()
	c := NewConnection(server, func(b []byte) {
		received <- append([]byte(nil), b...)
	})
	c.Start()
	return c, client.(*net.TCPConn), received, r
}

// send writes msg and waits until the handler has received all of it.
func send(t *testing.T, client net.Conn, received <-chan []byte, msg string) {
	t.Helper()
	_, err := client.Write([]byte(msg))
	require.NoError(t, err)
	var got []byte
	for len(got) < len(msg) {
		select {
		case b := <-received:
			got = append(got, b...)
		case <-time.After(bound):
			t.Fatalf("the handler received %q of %q within %v", got, msg, bound)
		}
	}
	require.Equal(t, msg, string(got), "the handler must receive what the client sent")
}

// requireDone requires that the reader leaves within bound.
func requireDone(t *testing.T, c *Connection, why string) {
	t.Helper()
	select {
	case <-c.Done():
	case <-time.After(bound):
		t.Fatalf("the reader goroutine did not leave within %v (Done was not closed): %s", bound, why)
	}
}

// requireEOF requires that the server has closed its side of the connection.
func requireEOF(t *testing.T, client net.Conn, why string) {
	t.Helper()
	n, err := client.Read(make([]byte, 1))
	require.Zero(t, n, "nothing was sent to the client")
	require.ErrorIs(t, err, io.EOF, "the server's socket must be closed: %s", why)
}

// stop calls Stop on n goroutines at once and requires that every call
// returns within bound without panicking.
func stop(t *testing.T, c *Connection, n int) {
	t.Helper()
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		panics []any
	)
	ready := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					mu.Lock()
					panics = append(panics, p)
					mu.Unlock()
				}
			}()
			<-ready
			c.Stop()
		}()
	}
	returned := make(chan struct{})
	go func() {
		wg.Wait()
		close(returned)
	}()
	close(ready)
	how := "Stop"
	if n > 1 {
		how = fmt.Sprintf("Stop, called from %d goroutines at once,", n)
	}
	select {
	case <-returned:
	case <-time.After(bound):
		t.Fatalf("%s did not return within %v", how, bound)
	}
	mu.Lock()
	defer mu.Unlock()
	require.Empty(t, panics, "%s panicked", how)
}

func TestReaderLeavesWhenClientCloses(t *testing.T) {
	c, client, received, r := setup(t)
	send(t, client, received, "hello")

	require.NoError(t, client.CloseWrite())
	requireDone(t, c, "the client has closed the connection, so every Read now fails; the reader must leave")
	requireEOF(t, client, "when the reader leaves, the connection must be stopped")
	r.requireExited(t)
}

func TestStopClosesLiveConnection(t *testing.T) {
	c, client, received, r := setup(t)
	send(t, client, received, "ping")

	stop(t, c, 1)
	requireEOF(t, client, "Stop must close the socket")
	requireDone(t, c, "Stop closed the socket, so Read fails; the reader must leave")
	r.requireExited(t)
	goleak.VerifyNone(t)
}

func TestConcurrentStops(t *testing.T) {
	c, client, received, r := setup(t)
	send(t, client, received, "ping")

	stop(t, c, 16)
	requireEOF(t, client, "Stop must close the socket")
	requireDone(t, c, "Stop closed the socket, so Read fails; the reader must leave")
	r.requireExited(t)
	goleak.VerifyNone(t)
}

func TestStopAfterReaderLeft(t *testing.T) {
	c, client, received, r := setup(t)
	send(t, client, received, "bye")
	require.NoError(t, client.CloseWrite())
	requireDone(t, c, "the client has closed the connection, so every Read now fails; the reader must leave")
	r.requireExited(t)

	stop(t, c, 4) // the reader stopped the connection already: these do nothing
	requireEOF(t, client, "the connection was stopped when the reader left")
	goleak.VerifyNone(t)
}
