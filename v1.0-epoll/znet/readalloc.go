package znet

// The loop allocates requests in blocks. A request needs a Request and a
// copy of its payload, since the payload it is cut from aliases the loop's
// read buffer. Allocated one at a
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
// the loop's goroutine uses it. It counts what it has handed out of each
// block rather than reslicing the block: a readAlloc lives on the heap, and
// storing a slice there costs a write barrier whenever the garbage collector
// is marking, which at this allocation rate is much of the time.
type readAlloc struct {
	reqs      []Request
	reqsUsed  int
	chunk     []byte
	chunkUsed int
}

// request returns a new Request on c for a message with id and a copy of
// payload.
func (a *readAlloc) request(c *Connection, id uint32, payload []byte) *Request {
	if a.reqsUsed == len(a.reqs) {
		a.reqs, a.reqsUsed = make([]Request, reqBlockLen), 0
	}
	r := &a.reqs[a.reqsUsed]
	a.reqsUsed++
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
	if len(a.chunk)-a.chunkUsed < n {
		a.chunk, a.chunkUsed = make([]byte, payloadChunkLen), 0
	}
	d := a.chunk[a.chunkUsed : a.chunkUsed+n : a.chunkUsed+n]
	a.chunkUsed += n
	copy(d, p)
	return d
}
