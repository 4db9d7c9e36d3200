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

// held is what a queue entry holds until its requests are done: the
// engine's connection, kept open for their replies (conn.hold), and, with
// RequestPoolMode, the arena they live in. Either is nil for requests built
// elsewhere.
type held struct {
	ec    *conn
	arena *requestArena
}

// entryHeld returns what the queue entry that request begins holds. The
// requests of one entry all hold the same connection and arena.
func entryHeld(request ziface.IRequest) held {
	if r, ok := request.(*Request); ok && r.conn != nil {
		return held{ec: r.conn.ec, arena: r.arena}
	}
	return held{}
}

// done gives back what the entry held, once its n requests have been run
// or dropped: the arena first (every reply is copied into the outbound ring
// by then), then the connection, whose release writes the replies.
func (h held) done(n int) {
	if h.arena != nil {
		h.arena.recycle()
	}
	if h.ec != nil {
		h.ec.release(n)
	}
}

// GetConnection returns the connection the message arrived on.
func (r *Request) GetConnection() ziface.IConnection { return r.conn }

// GetData returns the message's payload.
func (r *Request) GetData() []byte { return r.msg.Data }

// GetMsgID returns the message's id.
func (r *Request) GetMsgID() uint32 { return r.msg.Id }
