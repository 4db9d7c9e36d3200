package znet

import "zinx/v1.0-epoll/ziface"

// Request implements ziface.IRequest: a message and the connection it came
// on. The loop decodes the message into the Request itself, which it cuts,
// and a small payload's copy too, from blocks it allocates now and then
// (readalloc.go), or, with RequestPoolMode, from its entry's recycled arena
// (requestpool.go).
type Request struct {
	conn  *Connection
	msg   Message
	next  *Request      // the next request of the same queue entry (burst.go)
	arena *requestArena // where it lives in RequestPoolMode (requestpool.go); nil otherwise
}

// entryArena returns the arena the queue entry that request begins lives
// in, or nil if it lives in none.
func entryArena(request ziface.IRequest) *requestArena {
	if r, ok := request.(*Request); ok {
		return r.arena
	}
	return nil
}

// heldConn returns the engine's connection that request holds open (see
// conn.hold), or nil for a request built elsewhere, which holds nothing.
// The requests of one queue entry all hold the same connection.
func heldConn(request ziface.IRequest) *conn {
	if r, ok := request.(*Request); ok && r.conn != nil {
		return r.conn.ec
	}
	return nil
}

// GetConnection returns the connection the message arrived on.
func (r *Request) GetConnection() ziface.IConnection { return r.conn }

// GetData returns the message's payload.
func (r *Request) GetData() []byte { return r.msg.Data }

// GetMsgID returns the message's id.
func (r *Request) GetMsgID() uint32 { return r.msg.Id }
