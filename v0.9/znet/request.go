package znet

import "zinx/v0.9/ziface"

// Request implements ziface.IRequest: a message and the connection it came on.
type Request struct {
	conn  ziface.IConnection
	msg   ziface.IMessage
	m     Message     // where the reader decodes msg: one allocation for both
	owner *Connection // set by a reader, which waits for the pool to finish the request
}

// finished tells the reader that queued request that the pool is done with
// it, whether it ran or was dropped. Requests built elsewhere have no owner.
func finished(request ziface.IRequest) {
	if r, ok := request.(*Request); ok && r.owner != nil {
		r.owner.inflight.Done()
	}
}

// GetConnection returns the connection the message arrived on.
func (r *Request) GetConnection() ziface.IConnection { return r.conn }

// GetData returns the message's payload.
func (r *Request) GetData() []byte { return r.msg.GetData() }

// GetMsgID returns the message's id.
func (r *Request) GetMsgID() uint32 { return r.msg.GetMsgId() }
