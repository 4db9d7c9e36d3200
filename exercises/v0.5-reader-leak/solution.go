//go:build solution

// Package readerleak is the bug hunt "The reader that never leaves" (course
// chapters 2–8, V0.2–V0.8): the server side of one client connection, written
// the way the course wrote it.
package readerleak

import (
	"net"
	"sync"
)

// goFunc starts fn in a new goroutine. The tests replace it so that a panic in
// the reader goroutine fails a test instead of crashing the whole test binary:
// keep starting the reader through it.
var goFunc = func(fn func()) { go fn() }

// Connection is the server side of one client connection: a reader goroutine
// hands whatever the client sends to a handler.
//
// The course's exitBuffChan is gone. Nobody received from it, so the reader's
// second send blocked forever; and Stop's send-then-close made a reader that
// was still sending panic. Done is closed, never sent on: it tells every
// waiter, and closing it cannot block.
type Connection struct {
	conn   net.Conn
	handle func([]byte)
	done   chan struct{}

	mu       sync.Mutex
	isClosed bool // guarded by mu: has Stop run?
}

// NewConnection returns a Connection for conn. The reader calls handle with
// each chunk it reads; handle runs on the reader goroutine and must not keep
// the slice.
func NewConnection(conn net.Conn, handle func([]byte)) *Connection {
	return &Connection{
		conn:   conn,
		handle: handle,
		done:   make(chan struct{}),
	}
}

// Start launches the reader goroutine and returns.
func (c *Connection) Start() {
	goFunc(c.startReader)
}

// Done returns a channel that is closed once the reader goroutine has exited.
func (c *Connection) Done() <-chan struct{} {
	return c.done
}

// startReader reads from the connection until reading fails; when it leaves,
// it stops the connection.
func (c *Connection) startReader() {
	defer close(c.done)
	defer c.Stop()
	buf := make([]byte, 512)
	for {
		cnt, err := c.conn.Read(buf)
		if cnt > 0 {
			c.handle(buf[:cnt])
		}
		if err != nil {
			// io.EOF (the client left), or the socket closed by Stop: either
			// way nothing more will come, so leave.
			return
		}
	}
}

// Stop closes the connection, which makes the reader leave. It may be called
// any number of times, from any goroutine, several at once, the reader
// included. It does not wait for the reader: use Done for that.
func (c *Connection) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.isClosed {
		return
	}
	c.isClosed = true
	c.conn.Close()
}
