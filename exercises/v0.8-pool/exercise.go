//go:build !solution

// Package pool is the exercise "A worker pool that keeps each connection's
// order" (course chapter 8, V0.8): requests of many connections shared out
// among a fixed number of workers.
package pool

// Request is one message a client sent on connection ConnID.
type Request struct {
	ConnID uint32
	Data   []byte
}

// Pool runs requests on size workers. Each worker owns one queue of
// queueLen requests; a connection's requests all go to worker
// ConnID % size, so they run one at a time, in the order they were
// submitted.
type Pool struct {
	size     uint32
	queueLen int
	handle   func(*Request)

	// TODO(learner): the workers' queues, and whatever Stop needs.
}

// NewPool starts size workers (size >= 1), each with a queue of queueLen
// requests (queueLen >= 1), that call handle for every request.
func NewPool(size, queueLen int, handle func(*Request)) *Pool {
	return &Pool{size: uint32(size), queueLen: queueLen, handle: handle}
}

// Submit hands req to worker req.ConnID % size. While that worker's queue is
// full, Submit waits: the connection's reader stops reading, and the client
// is slowed down instead of the server's memory growing. Nothing is
// dropped. Submit must not be called after Stop.
func (p *Pool) Submit(req *Request) {
	// TODO(learner): this is the course's pool switched off: a goroutine per
	// request. Unbounded, and nothing keeps a connection's order.
	go p.handle(req)
}

// Stop stops the workers and returns once every worker has exited. A
// worker finishes the request it is running first; requests still queued
// may be dropped: a server stops its pool after its connections, so no
// client waits for their replies.
func (p *Pool) Stop() {
	// TODO(learner): the course's workers looped forever; nothing stopped them.
}
