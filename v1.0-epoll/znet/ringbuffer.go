package znet

import (
	"errors"
	"sync"
)

// ringMinSize is the size of the buffer a ring takes from ringPool when it
// first needs one. Most frames are far smaller, so most rings never grow.
const ringMinSize = 4 << 10

// errRingFull is returned by ringBuffer.Write when the bytes would take the
// ring past its cap. The caller closes the connection: a peer that sends a
// frame larger than the cap, or never reads what it is sent, must not grow
// the server without bound.
var errRingFull = errors.New("ring buffer full")

// ringPool holds idle ringMinSize buffers. A ring takes one only when it has
// bytes to keep and gives it back as soon as it is empty, so an idle
// connection holds no buffer at all. Pointers to slices are pooled so that Put
// does not allocate.
var ringPool = sync.Pool{New: func() any {
	b := make([]byte, ringMinSize)
	return &b
}}

// ringBuffer is a byte FIFO over a circular buffer: bytes are written at the
// tail and read from the head, wrapping around the end of the slice. It grows
// by doubling up to max bytes. A ringBuffer is not safe for concurrent use:
// its owner (an event loop, or a writer holding the connection's lock)
// serialises access.
//
// The zero value is an empty ring without a cap; set max before use to bound
// it.
type ringBuffer struct {
	bufp *[]byte // nil while empty: the buffer goes back to ringPool
	head int32   // index of the first unread byte
	n    int32   // number of unread bytes
	max  int32   // cap on unread bytes; 0 means no cap
}

// Len returns the number of unread bytes.
func (r *ringBuffer) Len() int { return int(r.n) }

// Cap returns the size of the buffer the ring holds now, 0 when it holds none.
func (r *ringBuffer) Cap() int {
	if r.bufp == nil {
		return 0
	}
	return len(*r.bufp)
}

// Write appends p. It grows the buffer as needed; if that would pass the cap
// it writes nothing and returns errRingFull.
func (r *ringBuffer) Write(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	if err := r.reserve(int(r.n) + len(p)); err != nil {
		return err
	}
	buf := *r.bufp
	tail := int(r.head+r.n) & (len(buf) - 1)
	c := copy(buf[tail:], p)
	copy(buf, p[c:]) // the part that wraps to the front, if any
	r.n += int32(len(p))
	return nil
}

// reserve makes room for need bytes in total, taking a buffer from the pool
// or doubling the one held. Sizes stay powers of two so that indexes wrap
// with a mask.
func (r *ringBuffer) reserve(need int) error {
	if r.max > 0 && need > int(r.max) {
		return errRingFull
	}
	if r.bufp != nil && need <= len(*r.bufp) {
		return nil
	}
	if r.bufp == nil && need <= ringMinSize {
		r.bufp = ringPool.Get().(*[]byte)
		r.head = 0
		return nil
	}
	size := ringMinSize
	for size < need {
		size *= 2
	}
	grown := make([]byte, size)
	if r.bufp != nil {
		a, b := r.Peek(int(r.n))
		copy(grown[copy(grown, a):], b)
		r.release()
	}
	r.bufp = &grown
	r.head = 0
	return nil
}

// Peek returns the first n unread bytes (fewer if the ring holds fewer)
// without consuming them, as two slices because they may wrap around the end
// of the buffer: a is the first part, b the rest, often empty. The slices
// alias the ring and are valid only until the next Write or Discard.
func (r *ringBuffer) Peek(n int) (a, b []byte) {
	n = min(n, int(r.n))
	if n <= 0 {
		return nil, nil
	}
	buf := *r.bufp
	head := int(r.head)
	end := head + n
	if end <= len(buf) {
		return buf[head:end], nil
	}
	return buf[head:], buf[:end-len(buf)]
}

// ReadAt copies len(p) bytes starting off bytes after the head into p,
// without consuming them, and reports whether the ring held that many. It is
// how a frame header that wrapped around the end is read in one piece.
func (r *ringBuffer) ReadAt(p []byte, off int) bool {
	if off < 0 || off+len(p) > int(r.n) {
		return false
	}
	a, b := r.Peek(off + len(p))
	if off < len(a) {
		c := copy(p, a[off:])
		copy(p[c:], b)
	} else {
		copy(p, b[off-len(a):])
	}
	return true
}

// Discard drops the first n unread bytes (all of them if n >= Len). When the
// ring becomes empty its buffer goes back to the pool.
func (r *ringBuffer) Discard(n int) {
	if n >= int(r.n) {
		r.Reset()
		return
	}
	if n <= 0 {
		return
	}
	r.head = int32((int(r.head) + n) & (len(*r.bufp) - 1))
	r.n -= int32(n)
}

// Reset empties the ring and gives its buffer back.
func (r *ringBuffer) Reset() {
	r.n = 0
	r.head = 0
	r.release()
}

// release returns a pool-sized buffer to the pool. A grown one is left to
// the garbage collector: keeping it would make every later user of the pool
// pay for one connection's burst.
func (r *ringBuffer) release() {
	if r.bufp == nil {
		return
	}
	if len(*r.bufp) == ringMinSize {
		ringPool.Put(r.bufp)
	}
	r.bufp = nil
}
