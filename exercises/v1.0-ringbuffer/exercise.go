//go:build !solution

// Package ring is the exercise "A byte ring buffer" (beyond the course,
// v1.0-epoll): the buffer an event loop keeps a partial frame in, and the
// replies a slow client has not taken yet.
package ring

import "errors"

// ErrFull is returned by Write when the bytes would take the ring past its
// cap.
var ErrFull = errors.New("ring: full")

// Ring is a byte FIFO over a circular buffer: Write appends at the tail,
// Discard consumes from the head, and both wrap around the end of the slice
// instead of moving bytes. The buffer's size is a power of two; it doubles
// when a Write needs more room, but never holds more than max unread bytes.
type Ring struct {
	buf []byte // len(buf) is 0 or a power of two
	n   int    // unread bytes
	max int    // cap on n

	// TODO(learner): the index of the first unread byte.
}

// New returns an empty ring that holds at most max unread bytes. It
// allocates nothing until the first Write.
func New(max int) *Ring { return &Ring{max: max} }

// Len returns the number of unread bytes.
func (r *Ring) Len() int { return r.n }

// Size returns the size of the buffer the ring holds now.
func (r *Ring) Size() int { return len(r.buf) }

// Write appends p, growing the buffer if it must. If the ring would then
// hold more than max unread bytes it writes nothing and returns ErrFull.
func (r *Ring) Write(p []byte) error {
	if r.n+len(p) > r.max {
		return ErrFull
	}
	// TODO(learner): grow if the buffer is too small (8 bytes at first,
	// then doubling; the unread bytes go to the front of the new buffer,
	// in order), then copy p to the tail, wrapping to the front of the
	// buffer when it reaches the end.
	return nil
}

// Peek returns the first n unread bytes (all of them if n > Len) without
// consuming them, as two slices because they may wrap: a, then b (often
// empty). The slices alias the buffer: valid until the next Write or
// Discard.
func (r *Ring) Peek(n int) (a, b []byte) {
	// TODO(learner)
	return nil, nil
}

// Discard consumes the first n unread bytes (all of them if n > Len).
func (r *Ring) Discard(n int) {
	// TODO(learner)
}
