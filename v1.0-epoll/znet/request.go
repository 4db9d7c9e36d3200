package znet

import "zinx/v1.0-epoll/ziface"

// Request implements ziface.IRequest: a message and the connection it came
// on. The loop decodes the message into the Request itself, which it cuts,
// and a small payload's copy too, from blocks it allocates now and then
// (readalloc.go).
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
