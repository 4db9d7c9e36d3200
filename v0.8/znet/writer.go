package znet

import (
	"fmt"
	"io"
)

// msgChanLen is how many frames a connection's send queue holds. It bounds
// what a client that stops reading can make the server hold for it: once
// the socket's send buffer and this queue are full, SendMsg waits.
const msgChanLen = 64

// keepBufSize is the largest buffer the writer keeps for the next batch. A
// burst of big frames makes a big buffer; keeping it would hold that memory
// for the life of the connection.
const keepBufSize = 16 << 10

// SendMsg packs data as a message with id msgId onto the connection's send
// queue, which the writer goroutine empties. It waits while the queue holds
// msgChanLen frames, and returns ErrConnClosed as soon as the connection
// stops: the course's SendMsg sent on an unbuffered channel with no way
// out, so once the writer had exited it hung forever, and the worker
// calling it with it. nil means the frame is queued; frames still queued
// when the connection stops are dropped, but a connection whose client
// half-closed writes every frame it queued before it stops. SendMsg is
// safe to call from any goroutine, and the frames one goroutine sends
// leave in the order it sent them. It copies data before it returns.
func (c *Connection) SendMsg(msgId uint32, data []byte) error {
	if err := c.server.dataPack.checkSize(uint64(len(data))); err != nil {
		return fmt.Errorf("zinx: send msg %d on conn %d: %w", msgId, c.ConnID, err)
	}
	for {
		if c.isClosed() {
			return ErrConnClosed // checked first: a stopped connection refuses even with room in the queue
		}
		room, queued := c.queue.push(c.server.dataPack, msgId, data)
		if queued {
			return nil
		}
		if room == nil {
			return ErrConnClosed // the client half-closed and the connection is draining (drain, connection.go)
		}
		select {
		case <-room:
		case <-c.closed:
			return ErrConnClosed
		}
	}
}

// startWriter writes what SendMsg queues until the connection stops, or
// until it has written the last frames of a connection whose client
// half-closed (drain, in connection.go). Either way it stops the
// connection as it leaves. A write error stops the connection too: a
// half-written frame leaves the stream unusable.
func (c *Connection) startWriter() {
	defer c.server.wg.Done()
	defer c.Stop()
	c.writeLoop(c.Conn)
}

// writeLoop is the writer's loop, writing to out; tests pass a writer that
// records the writes. It coalesces: each turn takes every frame queued so
// far and writes them with one write(2), so frames that queued while the
// last write was under way leave together, not one write each. It waits
// only while the queue is empty. A connection that never sends holds no
// buffer. It returns after a write error, once Stop has run, or after
// writing the queue's last batch (sendQueue.drain).
func (c *Connection) writeLoop(out io.Writer) {
	var spare []byte // the last batch's buffer, for the queue to pack into next
	for {
		// A plain receive, not a select that also watches closed: a select
		// locks both channels to wait and again to wake. Stop and drain
		// wake the writer through the queue instead.
		<-c.queue.ready
		if c.isClosed() {
			return // frames still queued are dropped with the connection
		}
		frames, last := c.queue.take(spare)
		if len(frames) > 0 {
			if _, err := out.Write(frames); err != nil {
				c.logWriteError(err)
				return
			}
		}
		if last {
			return // the queue takes no more frames: every reply is out
		}
		// The queue now packs into spare, so frames is the free array (an
		// empty one too: keeping the old spare would have the queue and the
		// writer share an array). A big one is let go.
		spare = nil
		if cap(frames) <= keepBufSize {
			spare = frames
		}
	}
}
