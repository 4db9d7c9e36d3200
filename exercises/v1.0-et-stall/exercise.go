//go:build !solution

// Package etstall is the exercise "Bug hunt: the edge-triggered read that
// stops too soon" (beyond the course, v1.0-epoll): the read side of a
// connection on an edge-triggered event loop.
package etstall

import (
	"encoding/binary"
	"errors"
	"io"
)

// ErrAgain is what a non-blocking socket's Read returns when nothing is
// there now (EAGAIN).
var ErrAgain = errors.New("EAGAIN: nothing to read now")

// Socket is the non-blocking socket an event loop reads. Read returns at
// most len(p) bytes, ErrAgain when nothing is waiting, and io.EOF once the
// peer has closed its side and every byte before its FIN has been read.
type Socket interface {
	Read(p []byte) (int, error)
}

// Conn is one connection on an edge-triggered event loop. The loop calls
// OnReadable once per edge: once each time bytes or the peer's FIN arrive,
// however many bytes are waiting by then. No edge comes for bytes that were
// already waiting at the last one.
type Conn struct {
	sock    Socket
	buf     []byte // the loop's read buffer
	in      []byte // bytes read and not yet cut into frames
	onFrame func(payload []byte)
	onClose func()
	closed  bool
}

// NewConn returns a connection that reads sock through a buffer of bufSize
// bytes, calls onFrame with each frame's payload (a frame is a 4-byte
// little-endian length, then that many bytes) and onClose once, when the
// connection ends.
func NewConn(sock Socket, bufSize int, onFrame func([]byte), onClose func()) *Conn {
	return &Conn{sock: sock, buf: make([]byte, bufSize), onFrame: onFrame, onClose: onClose}
}

// cut hands every whole frame in c.in to onFrame and keeps the rest.
func (c *Conn) cut() {
	for len(c.in) >= 4 {
		size := 4 + int(binary.LittleEndian.Uint32(c.in))
		if len(c.in) < size {
			break
		}
		c.onFrame(append([]byte(nil), c.in[4:size]...))
		c.in = c.in[size:]
	}
}

// close ends the connection, once.
func (c *Conn) close() {
	if !c.closed {
		c.closed = true
		c.onClose()
	}
}

// OnReadable is called by the loop on each edge. It reads what the socket
// holds, hands on every whole frame, and closes the connection when the
// peer has closed its side.
func (c *Conn) OnReadable() error {
	if c.closed {
		return nil
	}
	for {
		n, err := c.sock.Read(c.buf)
		switch {
		case errors.Is(err, ErrAgain):
			return nil
		case errors.Is(err, io.EOF):
			c.close()
			return nil
		case err != nil:
			c.close()
			return err
		}
		c.in = append(c.in, c.buf[:n]...)
		c.cut()
		// A read that filled the buffer may have left more behind, so
		// read again; a shorter one has emptied the socket, and saves
		// the read that would only say EAGAIN.
		if n < len(c.buf) {
			return nil
		}
	}
}
