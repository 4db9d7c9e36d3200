package echo

import (
	"bytes"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// bound is how long a test waits for something that should happen at once.
const bound = 2 * time.Second

// loopback connects a client to a real loopback TCP socket whose server side
// runs Echo. The channel receives Echo's result.
func loopback(t *testing.T) (*net.TCPConn, <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	client, err := net.DialTimeout("tcp", ln.Addr().String(), bound)
	require.NoError(t, err)
	server, err := ln.Accept()
	require.NoError(t, err)
	require.NoError(t, client.SetDeadline(time.Now().Add(bound)))

	result := make(chan error, 1)
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		result <- Echo(server)
	}()
	t.Cleanup(func() {
		client.Close()
		server.Close() // ends an Echo that is still reading
		select {
		case <-returned:
		case <-time.After(bound):
			t.Errorf("Echo did not return after both sides were closed")
		}
	})
	return client.(*net.TCPConn), result
}

func TestEchoesEveryWriteInOrder(t *testing.T) {
	client, _ := loopback(t)
	for i, msg := range []string{"hello", ", ", "zinx", "!", "the fifth write"} {
		_, err := client.Write([]byte(msg))
		require.NoError(t, err)
		got := make([]byte, len(msg))
		_, err = io.ReadFull(client, got)
		require.NoError(t, err, "write #%d (%q) was not echoed back: Echo must keep reading and writing until the peer closes, not stop after the first Read", i+1, msg)
		require.Equal(t, msg, string(got), "write #%d must be echoed byte for byte", i+1)
	}
}

func TestEchoesLargePayload(t *testing.T) {
	client, result := loopback(t)
	payload := make([]byte, 256<<10) // far more than one Read returns
	for i := range payload {
		payload[i] = byte(i*7 + i>>9)
	}

	written := make(chan error, 1)
	go func() {
		_, err := client.Write(payload)
		if err == nil {
			err = client.CloseWrite()
		}
		written <- err
	}()

	got := make([]byte, len(payload))
	n, err := io.ReadFull(client, got)
	require.NoError(t, err, "only %d of %d bytes were echoed back: Echo must loop until the peer closes", n, len(payload))
	if !bytes.Equal(payload, got) {
		i := 0
		for payload[i] == got[i] {
			i++
		}
		t.Fatalf("the echo differs from what was sent, first at byte %d: the bytes must come back in order", i)
	}
	require.NoError(t, <-written, "writing the payload failed")

	_, err = client.Read(make([]byte, 1))
	require.ErrorIs(t, err, io.EOF, "after the client's CloseWrite and the last byte echoed, Echo must close the connection")
	select {
	case err := <-result:
		require.NoError(t, err, "Echo must return nil when the peer closes its side (io.EOF is not an error here)")
	case <-time.After(bound):
		t.Fatal("Echo did not return after the client closed its side")
	}
}

func TestClosesAndReturnsNilAfterPeerCloses(t *testing.T) {
	client, result := loopback(t)
	_, err := client.Write([]byte("bye"))
	require.NoError(t, err)
	got := make([]byte, 3)
	_, err = io.ReadFull(client, got)
	require.NoError(t, err)
	require.Equal(t, "bye", string(got))

	require.NoError(t, client.CloseWrite())
	n, err := client.Read(make([]byte, 1))
	require.Zero(t, n, "nothing more was sent, so nothing more may be echoed")
	require.ErrorIs(t, err, io.EOF, "after the client's CloseWrite, Echo must close the connection so that the client reads EOF; the course's loop did `continue` on EOF and never closed the socket")
	select {
	case err := <-result:
		require.NoError(t, err, "Echo must return nil when the peer closes its side (io.EOF is not an error here)")
	case <-time.After(bound):
		t.Fatal("Echo did not return after the client closed its side")
	}
}

// step is one scripted Read result.
type step struct {
	data string
	err  error
}

// scriptConn is a net.Conn whose Reads follow a script and whose Writes are
// recorded. A Read past the end of the script blocks forever: Echo must stop
// reading once a Read has returned an error.
type scriptConn struct {
	mu       sync.Mutex
	steps    []step
	written  bytes.Buffer
	writeErr error
	closed   bool
	never    chan struct{}
}

func newScriptConn(steps ...step) *scriptConn {
	return &scriptConn{steps: steps, never: make(chan struct{})}
}

func (c *scriptConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	if len(c.steps) == 0 {
		c.mu.Unlock()
		<-c.never
		return 0, io.EOF
	}
	s := c.steps[0]
	c.steps = c.steps[1:]
	c.mu.Unlock()
	return copy(p, s.data), s.err
}

func (c *scriptConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writeErr != nil {
		return 0, c.writeErr
	}
	return c.written.Write(p)
}

func (c *scriptConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return nil
}

func (c *scriptConn) state() (written string, closed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.written.String(), c.closed
}

func (c *scriptConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c *scriptConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (c *scriptConn) SetDeadline(time.Time) error      { return nil }
func (c *scriptConn) SetReadDeadline(time.Time) error  { return nil }
func (c *scriptConn) SetWriteDeadline(time.Time) error { return nil }

// echoWithin runs Echo on c and fails the test if it does not return in time.
func echoWithin(t *testing.T, c *scriptConn) error {
	t.Helper()
	result := make(chan error, 1)
	go func() { result <- Echo(c) }()
	select {
	case err := <-result:
		return err
	case <-time.After(bound):
		t.Fatal("Echo did not return: after a Read returns an error, Echo must stop reading (the course did `continue`)")
		return nil
	}
}

func TestDataReturnedWithEOFIsEchoed(t *testing.T) {
	c := newScriptConn(step{"abc", nil}, step{"def", io.EOF})
	err := echoWithin(t, c)
	written, closed := c.state()
	assert.Equal(t, "abcdef", written, "a Read may return n > 0 together with io.EOF: write those n bytes before looking at the error")
	assert.NoError(t, err, "Echo must return nil on io.EOF")
	assert.True(t, closed, "Echo must close the connection when the peer has closed")
}

func TestReadErrorIsReturned(t *testing.T) {
	boom := errors.New("connection reset by test")
	c := newScriptConn(step{"abc", nil}, step{"de", boom})
	err := echoWithin(t, c)
	written, closed := c.state()
	assert.Equal(t, "abcde", written, "a Read may return n > 0 together with an error: write those n bytes first")
	assert.ErrorIs(t, err, boom, "a read error other than io.EOF must be returned to the caller")
	assert.True(t, closed, "Echo must close the connection when it returns because of an error")
}

func TestWriteErrorIsReturned(t *testing.T) {
	boom := errors.New("broken pipe by test")
	c := newScriptConn(step{"abc", nil}, step{"def", nil})
	c.writeErr = boom
	err := echoWithin(t, c)
	_, closed := c.state()
	assert.ErrorIs(t, err, boom, "a write error must be returned to the caller (the course did `continue`)")
	assert.True(t, closed, "Echo must close the connection when it returns because of an error")
}
