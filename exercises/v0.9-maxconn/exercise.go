//go:build !solution

// Package maxconn is the exercise "Exact MaxConn, hooks exactly once"
// (course chapter 9, V0.9): the admission of connections, their ids and
// their two hooks, without the sockets.
package maxconn

import "sync"

// Conns admits at most maxConn connections at once and runs onStart and
// onStop for each. Every method may be called from any goroutine, many at
// once, and from inside the hooks.
type Conns struct {
	maxConn int
	onStart func(id uint32)
	onStop  func(id uint32)

	mu   sync.Mutex
	open map[uint32]bool
	next uint32

	// TODO(learner): whatever else the rules below need.
}

// New returns a Conns that admits at most maxConn (>= 1) connections.
func New(maxConn int, onStart, onStop func(id uint32)) *Conns {
	return &Conns{maxConn: maxConn, onStart: onStart, onStop: onStop, open: make(map[uint32]bool)}
}

// Open admits a new connection, unless maxConn are open: then it returns
// ok == false and runs nothing. An admitted connection gets an id no open
// connection has, and onStart(id) runs before Open returns.
//
// This is how the course did it, and it is wrong in several ways.
func (c *Conns) Open() (id uint32, ok bool) {
	if c.Len() >= c.maxConn {
		return 0, false
	}
	c.mu.Lock()
	id = c.next
	c.next++
	c.open[id] = true
	c.mu.Unlock()
	c.onStart(id)
	return id, true
}

// Close ends connection id. Only the first Close of an open connection does
// anything: it runs onStop(id), after onStart(id) has returned (even if
// onStart itself called Close), and only after onStop has returned does the
// slot free for another Open. Closing an unknown or already closed id does
// nothing.
//
// This is how the course did it, and it is wrong in several ways.
func (c *Conns) Close(id uint32) {
	c.onStop(id)
	c.mu.Lock()
	delete(c.open, id)
	c.mu.Unlock()
}

// Len returns how many connections are open: admitted, and not yet past
// their onStop.
func (c *Conns) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.open)
}
