package znet

// The reader allocates in batches. A request needs a Request and its
// payload; allocating each on its own was two of the three allocations per
// echoed request, and with them much of the garbage collector's work. Both
// are cut instead from blocks the reader makes now and then: Requests from
// a slice of reqBlockLen, small payloads from a chunk of payloadChunkLen
// bytes. Nothing is ever reused: a block is only dropped by the reader when
// used up, and the garbage collector frees it once no request points into
// it. So a handler may keep a request or its data as long as it likes, at
// the price of keeping its block alive too.
const (
	reqBlockLen     = 32
	payloadChunkLen = 4 << 10
	// A payload larger than this gets an allocation of its own, so that a
	// chunk is never mostly wasted and a big payload is never held by a
	// small neighbour.
	smallPayload = 512
)

// readAlloc hands out the reader's Requests and payloads. Only the reader
// goroutine uses it.
type readAlloc struct {
	reqs  []Request
	chunk []byte
}

// request returns a new Request on conn.
func (a *readAlloc) request(conn *Connection) *Request {
	if len(a.reqs) == 0 {
		a.reqs = make([]Request, reqBlockLen)
	}
	req := &a.reqs[0]
	a.reqs = a.reqs[1:]
	req.conn = conn
	req.msg = &req.m
	return req
}

// payload returns n bytes for a payload. Its capacity is n, so a handler
// that appends to its data gets a new array rather than writing over the
// next request's payload.
func (a *readAlloc) payload(n uint32) []byte {
	if n > smallPayload {
		return make([]byte, n)
	}
	if uint32(len(a.chunk)) < n {
		a.chunk = make([]byte, payloadChunkLen)
	}
	p := a.chunk[:n:n]
	a.chunk = a.chunk[n:]
	return p
}
