//go:build solution

// Package pool is the exercise "A worker pool that keeps each connection's
// order" (course chapter 8, V0.8): requests of many connections shared out
// among a fixed number of workers.
package pool

import "sync"

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

	queues []chan *Request // one per worker, each queueLen long
	quit   chan struct{}   // closed by Stop
	wg     sync.WaitGroup  // the workers
}

// NewPool starts size workers (size >= 1), each with a queue of queueLen
// requests (queueLen >= 1), that call handle for every request.
func NewPool(size, queueLen int, handle func(*Request)) *Pool {
	p := &Pool{
		size:     uint32(size),
		queueLen: queueLen,
		handle:   handle,
		queues:   make([]chan *Request, size),
		quit:     make(chan struct{}),
	}
	for i := range p.queues {
		p.queues[i] = make(chan *Request, queueLen)
		p.wg.Add(1)
		go p.worker(p.queues[i])
	}
	return p
}

// Submit hands req to worker req.ConnID % size. While that worker's queue is
// full, Submit waits: the connection's reader stops reading, and the client
// is slowed down instead of the server's memory growing. Nothing is
// dropped. Submit must not be called after Stop.
func (p *Pool) Submit(req *Request) {
	// One connection, one queue, one worker: its requests cannot overtake
	// each other. A send on a full buffered channel waits: that is the
	// backpressure. The select lets a Stop release a waiting Submit.
	select {
	case p.queues[req.ConnID%p.size] <- req:
	case <-p.quit:
	}
}

// worker runs its queue's requests one at a time until Stop.
func (p *Pool) worker(queue <-chan *Request) {
	defer p.wg.Done()
	for {
		select {
		case req := <-queue:
			p.handle(req)
		case <-p.quit:
			return
		}
	}
}

// Stop stops the workers and returns once every worker has exited. A
// worker finishes the request it is running first; requests still queued
// may be dropped: a server stops its pool after its connections, so no
// client waits for their replies.
func (p *Pool) Stop() {
	close(p.quit)
	p.wg.Wait()
}
