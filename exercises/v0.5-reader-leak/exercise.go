//go:build !solution

// Package readerleak is the bug hunt "The reader that never leaves" (course
// chapters 2–8, V0.2–V0.8): the server side of one client connection, written
// the way the course wrote it.
package readerleak

import "net"

// goFunc starts fn in a new goroutine. The tests replace it so that a panic in
// the reader goroutine fails a test instead of crashing the whole test binary:
// keep starting the reader through it.
var goFunc = func(fn func()) { go fn() }

// Connection is the server side of one client connection: a reader goroutine
// hands whatever the client sends to a handler.
//
// TODO(learner): the tests report a goroutine and a socket leaked per
// client, a Stop that hangs, and a data race when Stop is called from several
// goroutines at once. Find out why and fix it.
type Connection struct {
	conn   net.Conn
	handle func([]byte)
	done   chan struct{}

	isClosed     bool      // the course's flag: has Stop run?
	exitBuffChan chan bool // the course's exit channel, one slot
}

// NewConnection returns a Connection for conn. The reader calls handle with
// each chunk it reads; handle runs on the reader goroutine and must not keep
// the slice.
func NewConnection(conn net.Conn, handle func([]byte)) *Connection {
	return &Connection{
		conn:         conn,
		handle:       handle,
		done:         make(chan struct{}),
		exitBuffChan: make(chan bool, 1),
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
	for {
		buf := make([]byte, 512)
		cnt, err := c.conn.Read(buf)
		if err != nil {
			// The course printed "recv buf err" here.
			c.exitBuffChan <- true
			continue
		}
		c.handle(buf[:cnt])
	}
}

// Stop closes the connection, which makes the reader leave. It may be called
// any number of times, from any goroutine, several at once, the reader
// included. It does not wait for the reader: use Done for that.
func (c *Connection) Stop() {
	if c.isClosed {
		return
	}
	c.isClosed = true
	c.conn.Close()
	c.exitBuffChan <- true
	close(c.exitBuffChan)
}
