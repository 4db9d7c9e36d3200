package znet

import (
	"errors"
	"fmt"
)

// SendMsg packs data as a message with id msgId and sends it without
// waiting: at once, if nothing waits in the connection's outbound buffer and
// no other request of this connection is in hand; otherwise the frame waits
// there and leaves, in one write with the replies around it, when the
// handler's queue entry is done. What the socket does not take (the client
// reads slower than the server writes) waits there too, and the event loop
// writes it when the socket has room. It returns ErrConnClosed
// once the connection has stopped, and, if the outbound buffer would pass
// its cap (MaxMsgChanLen frames of MaxPacketSize), stops the connection and
// returns an error wrapping ErrConnClosed: a client that never reads must
// not grow the server without bound. nil means written or buffered, not
// delivered. Safe from any goroutine.
func (c *Connection) SendMsg(msgId uint32, data []byte) error {
	if err := c.server.dataPack.checkSize(uint64(len(data))); err != nil {
		return fmt.Errorf("zinx: send msg %d on conn %d: %w", msgId, c.ConnID, err)
	}
	return sendErr(c.ec.sendMsg(msgId, data))
}

// SendBuffMsg packs data as SendMsg does but only appends the frame to the
// outbound buffer and asks the event loop to write it: frames sent close
// together, by any goroutines, leave in one write. SendMsg and SendBuffMsg
// share the one buffer, so the frames one goroutine sends arrive in the order
// it sent them, whichever call it used. Errors as SendMsg's.
func (c *Connection) SendBuffMsg(msgId uint32, data []byte) error {
	if err := c.server.dataPack.checkSize(uint64(len(data))); err != nil {
		return fmt.Errorf("zinx: send msg %d on conn %d: %w", msgId, c.ConnID, err)
	}
	hdr := frameHeader(msgId, data)
	return sendErr(c.ec.sendQueued(hdr[:], data))
}

// sendErr turns the engine's refusals into the errors a caller can test.
func sendErr(err error) error {
	if err == nil || errors.Is(err, ErrConnClosed) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrConnClosed, err) // the outbound cap, or a failed write: either stops the connection
}
