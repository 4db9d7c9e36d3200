package znet

import "zinx/v0.8/ziface"

// Request implements ziface.IRequest: a message and the connection it came
// on. The reader decodes the message into the Request itself, so a request
// is one small allocation, cut from a block (readalloc.go).
type Request struct {
	conn *Connection
	msg  Message
	next *Request // the next request of the same queue entry (burst.go)
	// counted is set on an entry's first request while its reader counts
	// the entry in conn.inflight; runEntry, or the pool dropping the
	// entry, clears it.
	counted bool
}

// finished tells the reader that queued the entry beginning with request
// that the pool has dropped it unrun (runEntry finishes an entry it runs).
// Requests built elsewhere, and a request queued again by its handler, are
// not counted.
func finished(request ziface.IRequest) {
	if r, ok := request.(*Request); ok && r.counted {
		r.counted = false
		r.conn.inflight.Done()
	}
}

// GetConnection returns the connection the message arrived on.
func (r *Request) GetConnection() ziface.IConnection { return r.conn }

// GetData returns the message's payload.
func (r *Request) GetData() []byte { return r.msg.Data }

// GetMsgID returns the message's id.
func (r *Request) GetMsgID() uint32 { return r.msg.Id }
