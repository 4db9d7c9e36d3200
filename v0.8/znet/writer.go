package znet

import (
	"bufio"
	"fmt"
	"io"
)

// msgChanLen is how many frames a connection's writer queue holds. It bounds
// what a client that stops reading can make the server hold for it: once
// the socket's send buffer and this queue are full, SendMsg waits.
const msgChanLen = 64

// writeBufSize is the writer's buffer: frames queued while it was writing go
// out together, up to this many bytes per write(2). A frame larger than the
// buffer goes straight to the socket.
const writeBufSize = 8 << 10

// SendMsg packs data as a message with id msgId and hands the frame to the
// connection's writer goroutine. It waits while the writer's queue is full,
// and returns ErrConnClosed as soon as the connection stops: the course's
// SendMsg sent on an unbuffered channel with no way out, so once the writer
// had exited it hung forever, and the worker calling it with it. nil means
// the frame is queued; frames still queued when the connection stops are
// dropped. SendMsg is safe to call from any goroutine.
func (c *Connection) SendMsg(msgId uint32, data []byte) error {
	frame, err := c.server.dataPack.appendFrame(newFrame(len(data)), msgId, data)
	if err != nil {
		return fmt.Errorf("zinx: send msg %d on conn %d: %w", msgId, c.ConnID, err)
	}
	if c.isClosed() {
		return ErrConnClosed // checked first: a stopped connection refuses even with room in the queue
	}
	select {
	case c.msgChan <- frame: // the common case, without the cost of a two-way select
		return nil
	default:
	}
	select {
	case c.msgChan <- frame:
		return nil
	case <-c.closed:
		return ErrConnClosed
	}
}

// startWriter writes the frames SendMsg queues until the connection stops. It
// coalesces: it copies each frame into its buffer and writes the buffer out
// only when the queue is empty (or the buffer full), so frames that queued
// while the last write(2) was under way leave in one write, not one each.
// Only an empty queue makes it wait, in a select that also watches the exit
// channel; while frames are queued it takes them without one. A write error
// stops the connection: a half-written frame leaves the stream unusable.
func (c *Connection) startWriter() {
	defer c.server.wg.Done()
	defer c.Stop()
	c.writeLoop(c.Conn)
}

// writeLoop is the writer's loop, writing to out; tests pass a writer that
// counts the writes.
func (c *Connection) writeLoop(out io.Writer) {
	var w *bufio.Writer // made on the first frame: an idle connection costs no buffer
	for {
		var frame []byte
		select {
		case frame = <-c.msgChan:
		case <-c.closed:
			return // frames still queued are dropped with the connection
		}
		if w == nil {
			w = bufio.NewWriterSize(out, writeBufSize)
		}
		// Take whatever else is queued, then write it all at once.
		for frame != nil {
			if _, err := w.Write(frame); err != nil {
				c.logWriteError(err)
				return
			}
			recycleFrame(frame) // w has copied it, or written it out
			select {
			case frame = <-c.msgChan:
			default:
				frame = nil
			}
		}
		if err := w.Flush(); err != nil {
			c.logWriteError(err)
			return
		}
	}
}
