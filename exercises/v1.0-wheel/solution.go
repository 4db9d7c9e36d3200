//go:build solution

// Package wheel is the exercise "A timing wheel on a fake clock" (beyond the
// course, v1.0-epoll): how an event loop times out its idle connections
// without a timer, or an allocation, per connection.
package wheel

import "time"

// Timer is what the wheel times: in the server, a connection. The links are
// part of the Timer itself, so adding and cancelling allocate nothing.
type Timer struct {
	ID int

	prev, next *Timer // the list of the slot it is in; nil when in no wheel
	due        int64  // the tick it is due at
}

// Wheel is a one-level hashed timing wheel: a circle of slots, each a
// doubly linked list of timers, a timer sitting in the slot of its due tick
// modulo the number of slots. It is driven by the caller's clock, which is
// how the tests run it on a fake one. Not safe for concurrent use: one
// event loop owns it.
type Wheel struct {
	tick  time.Duration
	start time.Time // tick 0 starts here
	now   int64     // the last tick Advance has fired
	slots []Timer   // each slot's list head: a sentinel, not a real timer

	// pending is the head of the list being fired, moved out of its slot
	// first, so that fire can add and cancel timers (even ones in that
	// list) while Advance walks it.
	pending Timer
}

// New returns a wheel of n slots, each tick long, whose tick 0 starts at
// start.
func New(tick time.Duration, n int, start time.Time) *Wheel {
	w := &Wheel{tick: tick, start: start, slots: make([]Timer, n)}
	for i := range w.slots {
		w.slots[i].prev, w.slots[i].next = &w.slots[i], &w.slots[i]
	}
	w.pending.prev, w.pending.next = &w.pending, &w.pending
	return w
}

// tickOf returns the tick t falls in.
func (w *Wheel) tickOf(t time.Time) int64 { return int64(t.Sub(w.start) / w.tick) }

// dueTick returns the first tick that starts at or after at: a timer never
// fires early.
func (w *Wheel) dueTick(at time.Time) int64 {
	return int64((at.Sub(w.start) + w.tick - 1) / w.tick)
}

// Add puts t in the wheel, due at at (a timer already due fires at the next
// tick). A timer already in the wheel is moved. No allocation.
func (w *Wheel) Add(t *Timer, at time.Time) {
	w.Cancel(t)
	t.due = max(w.dueTick(at), w.now+1)
	w.link(t)
}

// link puts t at the tail of its due tick's slot.
func (w *Wheel) link(t *Timer) {
	head := &w.slots[t.due%int64(len(w.slots))]
	t.prev, t.next = head.prev, head
	head.prev.next = t
	head.prev = t
}

// Cancel takes t out of the wheel; a timer in no wheel is left alone.
func (w *Wheel) Cancel(t *Timer) {
	if t.prev == nil {
		return
	}
	t.prev.next = t.next
	t.next.prev = t.prev
	t.prev, t.next = nil, nil
}

// Advance fires, in turn, the slot of every tick after the last one fired
// up to the tick now falls in: each timer due by that tick is taken out and
// passed to fire; a timer due later (more than one turn away) stays. fire
// may Add or Cancel timers. After a clock jump of a whole turn or more,
// every slot is fired once, as at the tick now falls in: walking a day of
// empty ticks one by one would stall the loop for nothing.
func (w *Wheel) Advance(now time.Time, fire func(*Timer)) {
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
func (w *Wheel) moveToPending(head *Timer) {
	if head.next == head {
		return
	}
	p := &w.pending
	first, last := head.next, head.prev
	head.prev, head.next = head, head
	first.prev, p.prev.next = p.prev, first
	last.next, p.prev = p, last
}

// firePending empties w.pending: each timer due by w.now is fired; the
// others (more than a turn away) go back to their slot, for a later turn.
func (w *Wheel) firePending(fire func(*Timer)) {
	p := &w.pending
	for p.next != p {
		t := p.next
		w.Cancel(t)
		if t.due <= w.now {
			fire(t)
		} else {
			w.link(t)
		}
	}
}
