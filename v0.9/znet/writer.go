package znet

import (
	"bufio"
	"fmt"
	"io"
)

// writeBufSize is the writer's buffer: frames queued while it was writing go
// out together, up to this many bytes per write(2). A frame larger than the
// buffer goes straight to the socket.
const writeBufSize = 8 << 10

// SendMsg packs data as a message with id msgId and puts the frame on the
// connection's send queue, which the writer goroutine empties. It waits
// while the queue is full, and returns ErrConnClosed as soon as the
// connection stops: the course's SendMsg sent on an unbuffered channel with
// no way out, so once the writer had exited it hung forever, and the worker
// calling it with it. nil means the frame is queued; frames still queued
// when the connection stops are dropped. SendMsg is safe to call from any
// goroutine.
func (c *Connection) SendMsg(msgId uint32, data []byte) error {
	return c.send(msgId, data)
}

// SendBuffMsg is the course's buffered send. Here it is the same send as
// SendMsg, onto the same queue of MaxMsgChanLen frames. The course gave
// each its own channel, an unbuffered msgChan and a buffered msgBuffChan,
// and its writer took from whichever was ready, so a reply sent with
// SendMsg could overtake one sent before it with SendBuffMsg. One queue
// keeps the order in which one goroutine sent, whichever call it used.
//
// The course checked an unsynchronised isClosed flag, then sent on
// msgBuffChan, which Stop closed: a send racing Stop, or already waiting on a
// full buffer, panicked with "send on closed channel". Nothing closes the
// queue here; a stopped connection is seen on the closed channel instead.
func (c *Connection) SendBuffMsg(msgId uint32, data []byte) error {
	return c.send(msgId, data)
}

// send packs and queues one frame for the writer.
func (c *Connection) send(msgId uint32, data []byte) error {
	frame, err := c.server.dataPack.appendFrame(newFrame(len(data)), msgId, data)
	if err != nil {
		return fmt.Errorf("zinx: send msg %d on conn %d: %w", msgId, c.ConnID, err)
	}
	if c.isClosed() {
		return ErrConnClosed // checked first: a stopped connection refuses even with room in the queue
	}
	select {
	case c.msgBuffChan <- frame: // the common case, without the cost of a two-way select
		return nil
	default:
	}
	select {
	case c.msgBuffChan <- frame:
		return nil
	case <-c.closed:
		return ErrConnClosed
	}
}

// startWriter writes the frames SendMsg and SendBuffMsg queue until the
// connection stops. It coalesces: it copies each frame into its buffer and
// writes the buffer out only when the queue is empty (or the buffer full), so
// frames that queued while the last write(2) was under way leave in one
// write, not one each. Only an empty queue makes it wait, in a select that
// also watches the exit channel; while frames are queued it takes them
// without one. A write error stops the connection: a half-written frame
// leaves the stream unusable. (The course's V0.9 writer had lost V0.8's
// `defer c.Stop()`, so a failed write ended the writer and left the
// connection open.)
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
		case frame = <-c.msgBuffChan:
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
			case frame = <-c.msgBuffChan:
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
