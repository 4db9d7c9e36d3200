package znet

// The loop allocates requests in blocks. A request needs a Request and a
// copy of its payload, which aliases the loop's buffer. Allocated one at a
// time they cost about a tenth of the server's CPU in a profile of the
// pipelined echo; cut from blocks, under half that. Each loop makes a block
// now and then: Requests from a slice of reqBlockLen, small payloads from a
// chunk of payloadChunkLen bytes. Nothing is ever reused: the loop drops a
// block once it is used up, and the garbage collector frees it once no
// request points into it. So a handler may keep a request or its data as
// long as it likes, at the price of keeping its block alive too. The blocks
// belong to the loop and serve all its connections, so an idle connection
// holds none, and a loop at most one of each kind, partly used.
const (
	reqBlockLen     = 32
	payloadChunkLen = 4 << 10
	// A payload larger than this gets an allocation of its own, so that a
	// big payload is never held by a small neighbour.
	smallPayload = 512
)

// readAlloc hands out a loop's Requests and payloads (conn.allocator). Only
// the loop's goroutine uses it.
type readAlloc struct {
	reqs  []Request
	chunk []byte
}

// request returns a new Request on c for a message with id and a copy of
// payload.
func (a *readAlloc) request(c *Connection, id uint32, payload []byte) *Request {
	if len(a.reqs) == 0 {
		a.reqs = make([]Request, reqBlockLen)
	}
	r := &a.reqs[0]
	a.reqs = a.reqs[1:]
	r.conn = c
	r.msg = Message{Id: id, DataLen: uint32(len(payload)), Data: a.copy(payload)}
	return r
}

// copy returns a copy of p. Its capacity is its length, so a handler that
// appends to its data gets a new array rather than writing over the next
// request's payload.
func (a *readAlloc) copy(p []byte) []byte {
	n := len(p)
	if n > smallPayload {
		return append(make([]byte, 0, n), p...)
	}
	if len(a.chunk) < n {
		a.chunk = make([]byte, payloadChunkLen)
	}
	d := a.chunk[:n:n]
	a.chunk = a.chunk[n:]
	copy(d, p)
	return d
}
