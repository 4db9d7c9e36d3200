//go:build solution

// Package sendmsghang is the bug hunt "The SendMsg that never returns"
// (course chapters 7–8, V0.7–V0.8): the writer half of a connection, written
// the way the course wrote it.
package sendmsghang

import (
	"errors"
	"net"
	"sync"
)

// ErrConnClosed is returned by SendMsg once the connection has stopped.
var ErrConnClosed = errors.New("connection closed when send msg")

// goFunc starts fn in a new goroutine. The tests replace it to watch the
// writer goroutine: keep starting the writer through it.
var goFunc = func(fn func()) { go fn() }

// msgChanLen bounds the frames queued for the writer: enough that a burst
// of replies does not wait, few enough that a client that stops reading
// cannot make the server hold much for it.
const msgChanLen = 64

// Connection is the writer half of a client connection: SendMsg hands each
// frame to a writer goroutine, which writes it to the socket.
//
// The course's SendMsg sent on an unbuffered channel with no other way out:
// once the writer had returned (a write error, or Stop), nobody would ever
// receive, and the sender, typically a worker shared by many connections,
// hung forever. Checking isClosed first did not help: the writer can leave
// between the check and the send, and the unsynchronised flag was a data
// race. Here the exit channel is closed, never sent on, and every send
// selects on it too.
type Connection struct {
	conn net.Conn

	stopOnce     sync.Once
	ExitBuffChan chan bool   // closed by Stop: every receive then succeeds at once
	msgChan      chan []byte // bounded: SendMsg waits only while it is full
}

// NewConnection returns a Connection that writes to conn.
func NewConnection(conn net.Conn) *Connection {
	return &Connection{
		conn:         conn,
		ExitBuffChan: make(chan bool),
		msgChan:      make(chan []byte, msgChanLen),
	}
}

// Start launches the writer goroutine and returns.
func (c *Connection) Start() {
	goFunc(c.startWriter)
}

// startWriter writes what SendMsg hands it until the connection stops or a
// write fails; either way the connection is stopped when it leaves, which
// releases every SendMsg waiting on it.
func (c *Connection) startWriter() {
	defer c.Stop()
	for {
		select {
		case data := <-c.msgChan:
			if _, err := c.conn.Write(data); err != nil {
				return
			}
		case <-c.ExitBuffChan:
			return
		}
	}
}

// Stop closes the connection, which ends the writer. It may be called any
// number of times, from any goroutine, several at once, the writer included.
func (c *Connection) Stop() {
	c.stopOnce.Do(func() {
		close(c.ExitBuffChan)
		c.conn.Close()
	})
}

// SendMsg hands data to the writer. It returns ErrConnClosed once the
// connection has stopped; it never blocks forever.
func (c *Connection) SendMsg(data []byte) error {
	select {
	case <-c.ExitBuffChan:
		return ErrConnClosed // stopped: refuse even if the queue has room
	default:
	}
	select {
	case c.msgChan <- data:
		return nil
	case <-c.ExitBuffChan:
		return ErrConnClosed
	}
}
