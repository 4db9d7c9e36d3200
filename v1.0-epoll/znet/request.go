package znet

import "zinx/v1.0-epoll/ziface"

// Request implements ziface.IRequest: a message and the connection it came on.
type Request struct {
	conn  ziface.IConnection
	msg   ziface.IMessage
	owner *Connection // set by the loop that read it: a half-closed connection waits for its reply
	m     Message     // what msg points to for a request the loop read: one allocation, not two
}

// finished tells the engine that the pool is done with request, whether it
// ran or was dropped: a connection the client half-closed closes once
// nothing it asked for is pending. Requests built elsewhere have no owner.
func finished(request ziface.IRequest) {
	if r, ok := request.(*Request); ok && r.owner != nil {
		r.owner.ec.release()
	}
}

// GetConnection returns the connection the message arrived on.
func (r *Request) GetConnection() ziface.IConnection { return r.conn }

// GetData returns the message's payload.
func (r *Request) GetData() []byte { return r.msg.GetData() }

// GetMsgID returns the message's id.
func (r *Request) GetMsgID() uint32 { return r.msg.GetMsgId() }
