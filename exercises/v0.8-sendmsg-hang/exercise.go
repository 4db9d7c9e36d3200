//go:build !solution

// Package sendmsghang is the bug hunt "The SendMsg that never returns"
// (course chapters 7–8, V0.7–V0.8): the writer half of a connection, written
// the way the course wrote it.
package sendmsghang

import (
	"errors"
	"net"
)

// ErrConnClosed is returned by SendMsg once the connection has stopped.
var ErrConnClosed = errors.New("connection closed when send msg")

// goFunc starts fn in a new goroutine. The tests replace it to watch the
// writer goroutine: keep starting the writer through it.
var goFunc = func(fn func()) { go fn() }

// Connection is the writer half of a client connection: SendMsg hands each
// frame to a writer goroutine, which writes it to the socket.
//
// TODO(learner): the tests report a SendMsg that never returns once the
// writer has gone, the worker that called it stuck with it, and a data race.
// Find out why and fix it.
type Connection struct {
	conn net.Conn

	isClosed     bool        // the course's flag: has Stop run?
	ExitBuffChan chan bool   // the course's exit channel, one slot
	msgChan      chan []byte // the course's channel from SendMsg to the writer
}

// NewConnection returns a Connection that writes to conn.
func NewConnection(conn net.Conn) *Connection {
	return &Connection{
		conn:         conn,
		ExitBuffChan: make(chan bool, 1),
		msgChan:      make(chan []byte),
	}
}

// Start launches the writer goroutine and returns.
func (c *Connection) Start() {
	goFunc(c.startWriter)
}

// startWriter writes what SendMsg hands it until the connection stops or a
// write fails; either way the connection is stopped when it leaves.
func (c *Connection) startWriter() {
	defer c.Stop()
	for {
		select {
		case data := <-c.msgChan:
			if _, err := c.conn.Write(data); err != nil {
				return // the course printed "Send Data error:, ... Conn Writer exit"
			}
		case <-c.ExitBuffChan:
			return
		}
	}
}

// Stop closes the connection, which ends the writer. It may be called any
// number of times, from any goroutine, several at once, the writer included.
func (c *Connection) Stop() {
	if c.isClosed {
		return
	}
	c.isClosed = true
	c.conn.Close()
	c.ExitBuffChan <- true
	close(c.ExitBuffChan)
}

// SendMsg hands data to the writer. It returns ErrConnClosed once the
// connection has stopped; it must never block forever.
func (c *Connection) SendMsg(data []byte) error {
	if c.isClosed {
		return ErrConnClosed
	}
	c.msgChan <- data
	return nil
}
