package znet

import "bufio"

// The reader allocates in batches. A request needs a Request and its
// payload; allocating each on its own was two of the three allocations per
// echoed request, and with them much of the garbage collector's work. Both
// are cut instead from blocks the reader makes now and then, each sized by
// what the read has already brought in: Requests from a slice of up to
// reqBlockLen, small payloads from a chunk of up to payloadChunkLen bytes.
// Nothing is ever reused: the reader drops a block once it is used up, or
// before a read that may wait, and the garbage collector frees it once no
// request points into it. So a handler may keep a request or its data as
// long as it likes, at the price of keeping its block alive too, and an
// idle connection holds no block at all.
const (
	reqBlockLen     = 32
	payloadChunkLen = 4 << 10
	// A payload larger than this gets an allocation of its own, so that a
	// big payload is never held by a small neighbour.
	smallPayload = 512
)

// readAlloc hands out the reader's Requests and payloads. Only the reader
// goroutine uses it.
type readAlloc struct {
	r     *bufio.Reader // the reader's buffer: how much of a burst is in
	reqs  []Request
	chunk []byte
	frame int // the last frame's size, to guess how many a burst holds
}

// request returns a new Request on conn. Called before each frame is read.
func (a *readAlloc) request(conn *Connection) *Request {
	buffered := a.r.Buffered()
	if buffered == 0 {
		// The next read waits for the client, maybe for hours: hold no
		// block through it. A block is sized to a burst, so little is lost.
		a.reqs, a.chunk = nil, nil
	}
	if len(a.reqs) == 0 {
		a.reqs = make([]Request, min(reqBlockLen, 1+buffered/max(a.frame, headLen)))
	}
	req := &a.reqs[0]
	a.reqs = a.reqs[1:]
	req.conn = conn
	return req
}

// payload returns n bytes for a payload whose header has just been read.
// Its capacity is n, so a handler that appends to its data gets a new
// array rather than writing over the next request's payload.
func (a *readAlloc) payload(n uint32) []byte {
	a.frame = headLen + int(n)
	if n > smallPayload {
		return make([]byte, n)
	}
	if uint32(len(a.chunk)) < n {
		// What is buffered is this payload and the frames behind it.
		a.chunk = make([]byte, min(payloadChunkLen, max(int(n), a.r.Buffered())))
	}
	p := a.chunk[:n:n]
	a.chunk = a.chunk[n:]
	return p
}
