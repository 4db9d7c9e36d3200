package znet

import "zinx/v0.8/ziface"

// Request implements ziface.IRequest: a message and the connection it came on.
type Request struct {
	conn ziface.IConnection
	msg  ziface.IMessage
	m    Message // where the reader decodes msg: one allocation for both
}

// GetConnection returns the connection the message arrived on.
func (r *Request) GetConnection() ziface.IConnection { return r.conn }

// GetData returns the message's payload.
func (r *Request) GetData() []byte { return r.msg.GetData() }

// GetMsgID returns the message's id.
func (r *Request) GetMsgID() uint32 { return r.msg.GetMsgId() }
