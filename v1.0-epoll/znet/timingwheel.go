package znet

import "time"

// wheelNode is the link a timingWheel threads through what it times: it is
// embedded in the value (a connection), so adding and cancelling allocate
// nothing. The zero value is a node in no wheel.
type wheelNode[T any] struct {
	prev, next *wheelNode[T]
	expire     int64 // the tick at which the node is due
	value      *T    // what fire is called with
}

// linked reports whether n is in a wheel (or in its pending list).
func (n *wheelNode[T]) linked() bool { return n.prev != nil }

// timingWheel is a one-level hashed timing wheel: len(slots) lists of nodes,
// a node sitting in the slot of its due tick modulo the number of slots. It
// is what an event loop uses to close idle connections.
//
// A timingWheel is not safe for concurrent use: one event loop owns it, and
// the connections in it, so a connection cannot be closed by a timer while
// the loop uses it. All times are passed in by the caller, which is how tests
// drive it with a fake clock.
//
// Refreshing a node only moves its due tick later; the node stays where it is
// until its slot comes round, and is then put back further on. So the hot
// path, one refresh per read, is a single store, and a node due more than one
// turn of the wheel away is simply visited once per turn.
type timingWheel[T any] struct {
	tick    time.Duration
	start   time.Time // tick 0
	now     int64     // the last tick advanced to; its slot has been fired
	slots   []wheelNode[T]
	pending wheelNode[T] // the slot being fired, moved aside
	size    int          // nodes in the wheel
}

// newTimingWheel returns a wheel of the given number of slots, each tick
// long, whose tick 0 starts at start.
func newTimingWheel[T any](tick time.Duration, slots int, start time.Time) *timingWheel[T] {
	w := &timingWheel[T]{tick: tick, start: start, slots: make([]wheelNode[T], slots)}
	for i := range w.slots {
		w.slots[i].prev, w.slots[i].next = &w.slots[i], &w.slots[i]
	}
	w.pending.prev, w.pending.next = &w.pending, &w.pending
	return w
}

// Len returns the number of nodes in the wheel.
func (w *timingWheel[T]) Len() int { return w.size }

// tickOf returns the tick t falls in.
func (w *timingWheel[T]) tickOf(t time.Time) int64 {
	return int64(t.Sub(w.start) / w.tick)
}

// dueTick returns the first tick that starts at or after at, so that a node
// is never fired early, and less than a tick late.
func (w *timingWheel[T]) dueTick(at time.Time) int64 {
	d := at.Sub(w.start)
	return int64((d + w.tick - 1) / w.tick)
}

// Add puts n in the wheel, due at at, and sets the value fire will be called
// with. A node already in the wheel is moved.
func (w *timingWheel[T]) Add(n *wheelNode[T], v *T, at time.Time) {
	if n.linked() {
		w.Cancel(n)
	}
	n.value = v
	n.expire = w.dueTick(at)
	w.insert(n)
	w.size++
}

// Refresh makes n due at at, if that is later than it is due now. It is O(1)
// and does not touch the lists: this is the one call made per read. It does
// nothing to a node not in the wheel.
func (w *timingWheel[T]) Refresh(n *wheelNode[T], at time.Time) {
	if e := w.dueTick(at); n.linked() && e > n.expire {
		n.expire = e
	}
}

// Cancel takes n out of the wheel. It does nothing to a node not in it.
func (w *timingWheel[T]) Cancel(n *wheelNode[T]) {
	if !n.linked() {
		return
	}
	w.unlink(n)
	w.size--
}

// insert links n into the slot of its due tick; a node already due goes into
// the next tick's slot. A node due more than one turn away shares its slot
// with nearer ones: firePending sees it is not yet due and puts it back.
func (w *timingWheel[T]) insert(n *wheelNode[T]) {
	at := max(n.expire, w.now+1)
	head := &w.slots[at%int64(len(w.slots))]
	n.prev, n.next = head.prev, head
	head.prev.next = n
	head.prev = n
}

func (w *timingWheel[T]) unlink(n *wheelNode[T]) {
	n.prev.next = n.next
	n.next.prev = n.prev
	n.prev, n.next = nil, nil
}

// Advance fires the slots of every tick up to the one now falls in, calling
// fire for each node due by then, after taking it out of the wheel. fire may
// add, refresh or cancel any node, the one it was given included. After a
// jump of a whole turn or more every slot is fired once, as at the tick now
// falls in.
func (w *timingWheel[T]) Advance(now time.Time, fire func(*T)) {
	target := w.tickOf(now)
	if target <= w.now {
		return
	}
	if target-w.now >= int64(len(w.slots)) {
		w.now = target
		for i := range w.slots {
			w.moveToPending(&w.slots[i])
		}
		w.firePending(fire)
		return
	}
	for w.now < target {
		w.now++
		w.moveToPending(&w.slots[w.now%int64(len(w.slots))])
		w.firePending(fire)
	}
}

// moveToPending appends the whole list at head to w.pending.
func (w *timingWheel[T]) moveToPending(head *wheelNode[T]) {
	if head.next == head {
		return
	}
	first, last := head.next, head.prev
	head.prev, head.next = head, head
	first.prev = w.pending.prev
	w.pending.prev.next = first
	last.next = &w.pending
	w.pending.prev = last
}

// firePending empties w.pending: each node due by now is fired, the rest go
// back into their slots. A node fire cancels is unlinked from pending by
// Cancel, so it is never visited after that.
func (w *timingWheel[T]) firePending(fire func(*T)) {
	for w.pending.next != &w.pending {
		n := w.pending.next
		w.unlink(n)
		if n.expire > w.now {
			w.insert(n)
			continue
		}
		w.size--
		fire(n.value)
	}
}

// Timeout returns how long after now the next tick starts, which is how long
// an event loop may wait in epoll_wait without missing a due node; -1 (wait
// forever) if the wheel is empty.
func (w *timingWheel[T]) Timeout(now time.Time) time.Duration {
	if w.size == 0 {
		return -1
	}
	next := w.start.Add(time.Duration(w.tickOf(now)+1) * w.tick)
	return next.Sub(now)
}
