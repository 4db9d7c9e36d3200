package znet

import (
	"bytes"

	"zinx/v1.0-epoll/ziface"
)

// Request implements ziface.IRequest: a message and the connection it came
// on. The loop decodes the message into the Request itself, so a request is
// one allocation, with a small payload in it too (newLoopRequest).
type Request struct {
	conn *Connection
	msg  Message
	next *Request // the next request of the same queue entry (burst.go)
}

// finished tells the engine that the pool is done with request, whether it
// ran or was dropped: a connection the client half-closed closes once
// nothing it asked for is pending. Requests built elsewhere are not held.
func finished(request ziface.IRequest) {
	if r, ok := request.(*Request); ok && r.conn != nil {
		r.conn.ec.release()
	}
}

// GetConnection returns the connection the message arrived on.
func (r *Request) GetConnection() ziface.IConnection { return r.conn }

// GetData returns the message's payload.
func (r *Request) GetData() []byte { return r.msg.Data }

// GetMsgID returns the message's id.
func (r *Request) GetMsgID() uint32 { return r.msg.Id }

// newLoopRequest makes the request for a frame c's loop read, with its own
// copy of payload (which aliases the loop's buffer). A small payload is
// copied into the same allocation as the request, so that a request costs
// one allocation, not two: the handler may keep the request or its data as
// long as it likes, as with any Go value.
func newLoopRequest(c *Connection, msgID uint32, payload []byte) *Request {
	var r *Request
	var data []byte
	if len(payload) <= inlinePayload {
		s := &struct {
			Request
			buf [inlinePayload]byte
		}{}
		r, data = &s.Request, s.buf[:len(payload):len(payload)] // cap: an append copies, as with a clone
		copy(data, payload)
	} else {
		r, data = &Request{}, bytes.Clone(payload)
	}
	r.conn = c
	r.msg = Message{Id: msgID, DataLen: uint32(len(payload)), Data: data}
	return r
}

// inlinePayload is the largest payload kept inside its request's own
// allocation: 48 bytes of request and 64 of payload fill a 112-byte size
// class exactly.
const inlinePayload = 64
