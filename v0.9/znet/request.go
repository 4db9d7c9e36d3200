package znet

import "zinx/v0.9/ziface"

// Request implements ziface.IRequest: a message and the connection it came
// on. The reader decodes the message into the Request itself, so a request
// is one small allocation, cut from a block (readalloc.go).
type Request struct {
	conn    *Connection
	msg     Message
	next    *Request // the next request of the same queue entry (burst.go)
	counted bool     // the first request of an entry its reader counts in conn.inflight
}

// finished tells the reader that queued the entry request begins that the
// pool is done with it, whether it ran or was dropped. Requests built
// elsewhere are not counted.
func finished(request ziface.IRequest) {
	if r, ok := request.(*Request); ok && r.counted {
		r.counted = false // once: a handler may queue its request again
		r.conn.inflight.Done()
	}
}

// GetConnection returns the connection the message arrived on.
func (r *Request) GetConnection() ziface.IConnection { return r.conn }

// GetData returns the message's payload.
func (r *Request) GetData() []byte { return r.msg.Data }

// GetMsgID returns the message's id.
func (r *Request) GetMsgID() uint32 { return r.msg.Id }
