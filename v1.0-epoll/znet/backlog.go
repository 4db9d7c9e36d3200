package znet

import "zinx/v1.0-epoll/ziface"

// backlog is what a connection keeps while its worker's queue is full: the
// tasks waiting, in order, and whether a goroutine is feeding them.
type backlog struct {
	tasks    []ziface.IRequest
	draining bool
}

// submit hands task (a queue entry or a hook) to c's worker without blocking: it
// runs on an event loop. It reports false when the worker's queue was full:
// the task then waits in c's backlog, which a goroutine started here feeds
// to the worker in order, and the caller stops reading c until that is done.
// With a pool of size 0 the task runs at once, on the loop.
//
// v0.9's reader simply waited on a full queue; that stalled one connection.
// A loop that waited would stall every connection it owns.
func (s *Server) submit(c *Connection, task ziface.IRequest) bool {
	mh := s.msgHandler
	if mh.poolSize == 0 {
		mh.runTask(task)
		return true
	}
	// The common case without c.mu: only this goroutine (c's loop) makes a
	// backlog, so none seen here means none can appear before trySubmit, and
	// nothing queued earlier can be overtaken. A backlog drained meanwhile
	// already handed its last task to the queue before it was cleared.
	if c.backlog.Load() == nil && mh.trySubmit(task) {
		return true
	}
	c.mu.Lock()
	b := c.backlog.Load()
	if b == nil {
		b = &backlog{}
		c.backlog.Store(b)
	}
	b.tasks = append(b.tasks, task)
	start := !b.draining
	b.draining = true
	c.mu.Unlock()
	if start {
		s.wg.Add(1) // c's own count is still held: its stop hook has not run
		go s.drainBacklog(c)
	}
	return false
}

// drainBacklog feeds c's backlog to its worker, waiting for room, then asks
// c's loop to read c again. A task leaves the backlog only once the queue has
// taken it, so submit, seeing a backlog, queues behind it and never
// overtakes.
func (s *Server) drainBacklog(c *Connection) {
	defer s.wg.Done()
	for {
		c.mu.Lock()
		b := c.backlog.Load()
		if len(b.tasks) == 0 {
			c.backlog.Store(nil) // back to costing nothing
			c.mu.Unlock()
			break
		}
		task := b.tasks[0]
		c.mu.Unlock()
		s.msgHandler.enqueue(task)
		c.mu.Lock()
		b.tasks[0] = nil
		b.tasks = b.tasks[1:]
		c.mu.Unlock()
	}
	c.ec.resume()
}
