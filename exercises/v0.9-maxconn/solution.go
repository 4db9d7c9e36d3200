//go:build solution

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

	mu   sync.Mutex // guards open and next; never held while a hook runs
	open map[uint32]*conn
	next uint32
}

// conn is where one open connection is in its life.
type conn struct {
	starting bool // onStart has not returned yet
	closeAsk bool // Close came while starting: onStop runs once onStart returns
	closing  bool // onStop has begun: later Closes do nothing
}

// New returns a Conns that admits at most maxConn (>= 1) connections.
func New(maxConn int, onStart, onStop func(id uint32)) *Conns {
	return &Conns{maxConn: maxConn, onStart: onStart, onStop: onStop, open: make(map[uint32]*conn)}
}

// Open admits a new connection, unless maxConn are open: then it returns
// ok == false and runs nothing. An admitted connection gets an id no open
// connection has, and onStart(id) runs before Open returns.
//
// The check and the insert happen under one lock, so two Opens cannot both
// take the last slot. onStart runs with the lock released, so it may call
// Len, Open or Close.
func (c *Conns) Open() (id uint32, ok bool) {
	c.mu.Lock()
	if len(c.open) >= c.maxConn {
		c.mu.Unlock()
		return 0, false
	}
	for { // after 2³² Opens the counter wraps: skip ids still open
		id = c.next
		c.next++
		if c.open[id] == nil {
			break
		}
	}
	e := &conn{starting: true}
	c.open[id] = e
	c.mu.Unlock()

	c.onStart(id)

	c.mu.Lock()
	e.starting = false
	stopNow := e.closeAsk
	if stopNow {
		e.closing = true
	}
	c.mu.Unlock()
	if stopNow {
		c.finish(id)
	}
	return id, true
}

// Close ends connection id. Only the first Close of an open connection does
// anything: it runs onStop(id), after onStart(id) has returned (even if
// onStart itself called Close), and only after onStop has returned does the
// slot free for another Open. Closing an unknown or already closed id does
// nothing. A Close that comes while onStart runs only leaves a note
// (closeAsk): Open runs onStop when onStart returns. No lock is held while
// onStop runs.
func (c *Conns) Close(id uint32) {
	c.mu.Lock()
	e := c.open[id]
	if e == nil || e.closing || e.closeAsk {
		c.mu.Unlock()
		return
	}
	if e.starting {
		e.closeAsk = true
		c.mu.Unlock()
		return
	}
	e.closing = true
	c.mu.Unlock()
	c.finish(id)
}

// finish runs onStop, then frees the slot.
func (c *Conns) finish(id uint32) {
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
