package znet

import "sync"

// With RequestPoolMode (utils.GlobalObj) requests are recycled. By default
// every request is new memory, since a handler may keep its request as long
// as it likes; at thousands of requests a second that keeps the garbage
// collector busy, and in BenchmarkReadPath's profile allocation and
// collection are the largest part of a request's cost. RequestPoolMode
// trades that promise away: the loop builds each queue entry in an arena,
// taken from a pool when the entry begins and given back once every handler
// of the entry has returned (runEntry, finishEntry). A handler that keeps a
// request, or its data, past its return finds them overwritten by a later
// entry's.
type requestArena struct {
	reqs [maxBurst]Request
	n    int
	data []byte // the payloads, back to back
}

// arenaDataMax caps the payload space an idle arena keeps in the pool: an
// entry of big payloads should not pin their memory for ever.
const arenaDataMax = 64 << 10

var requestArenas = sync.Pool{New: func() any { return new(requestArena) }}

// newRequestArena returns an empty arena from the pool.
func newRequestArena() *requestArena { return requestArenas.Get().(*requestArena) }

// request returns the arena's next Request, on c, for a message with id and
// a copy of payload. The burst never puts more than maxBurst requests in
// one entry, so there is always room.
func (a *requestArena) request(c *Connection, id uint32, payload []byte) *Request {
	r := &a.reqs[a.n]
	a.n++
	start := len(a.data)
	a.data = append(a.data, payload...) // if this moves data, earlier payloads stay valid where they are
	end := len(a.data)
	r.conn = c
	r.msg = Message{Id: id, DataLen: uint32(len(payload)), Data: a.data[start:end:end]}
	r.arena = a
	return r
}

// recycle empties the arena and gives it back to the pool. Only the entry's
// runner calls it, once every handler of the entry has returned.
func (a *requestArena) recycle() {
	clear(a.reqs[:a.n]) // no pointers to connections or payloads kept in the pool
	a.n = 0
	a.data = a.data[:0]
	if cap(a.data) > arenaDataMax {
		a.data = nil
	}
	requestArenas.Put(a)
}

// detached returns a copy of r that belongs to no arena: what a handler
// queues again (SendMsgToTaskQueue) must outlive the entry it came in.
func (r *Request) detached() *Request {
	data := append([]byte(nil), r.msg.Data...)
	return &Request{conn: r.conn, msg: Message{Id: r.msg.Id, DataLen: r.msg.DataLen, Data: data}}
}
