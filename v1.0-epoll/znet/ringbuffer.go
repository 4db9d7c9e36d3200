package znet

import (
	"errors"
	"math/bits"
	"sync"
)

// ringMinSize is the size of the smallest buffer a ring takes from its pools
// (ringPools). Most frames are far smaller, so most rings never grow.
const ringMinSize = 4 << 10

// errRingFull is returned by ringBuffer.Write when the bytes would take the
// ring past its cap. The caller closes the connection: a peer that sends a
// frame larger than the cap, or never reads what it is sent, must not grow
// the server without bound.
var errRingFull = errors.New("ring buffer full")

// ringPools hold idle buffers, one pool per size: ringMinSize and its
// doublings up to ringPooledMax. A ring takes a buffer only when it has
// bytes to keep and gives it back as soon as it is empty, so an idle
// connection holds no buffer at all. A buffer goes back to the pool of its
// own size, so one connection's burst never makes the next user of a small
// buffer take a big one; and a frame a little over ringMinSize, such as a
// full 4 KiB payload with its header, reuses a doubled buffer instead of
// allocating one for every reply. Buffers over ringPooledMax are left to the
// garbage collector. Pointers to slices are pooled so that Put does not
// allocate.
var ringPools [ringPoolSizes]sync.Pool

const (
	ringPoolSizes = 5
	ringPooledMax = ringMinSize << (ringPoolSizes - 1) // 64 KiB
)

// getRingBuffer returns a buffer of size bytes, a power of two of at least
// ringMinSize: from its pool if there is one for that size and it has a
// buffer, else a new one. Its contents are whatever was left in it.
func getRingBuffer(size int) *[]byte {
	if size <= ringPooledMax {
		if b, ok := ringPools[ringPoolIndex(size)].Get().(*[]byte); ok {
			return b
		}
	}
	b := make([]byte, size)
	return &b
}

// putRingBuffer gives b back to the pool for its size, if there is one.
func putRingBuffer(b *[]byte) {
	if len(*b) <= ringPooledMax {
		ringPools[ringPoolIndex(len(*b))].Put(b)
	}
}

// ringPoolIndex returns which pool holds buffers of size bytes, a power of
// two from ringMinSize to ringPooledMax.
func ringPoolIndex(size int) int {
	return bits.Len(uint(size)) - bits.Len(uint(ringMinSize))
}

// ringBuffer is a byte FIFO over a circular buffer: bytes are written at the
// tail and read from the head, wrapping around the end of the slice. It grows
// by doubling; max caps the bytes it holds, not the buffer, which is the
// power of two above them. A ringBuffer is not safe for concurrent use:
// its owner (an event loop, or a writer holding the connection's lock)
// serialises access.
//
// The zero value is an empty ring without a cap; set max before use to bound
// it.
type ringBuffer struct {
	bufp *[]byte // nil while empty: the buffer goes back to its pool
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
func (r *ringBuffer) Write(p []byte) error { return r.WriteTwo(p, nil) }

// WriteTwo appends a then b, both or neither, as Write does: a frame's
// header and its payload go in with one look for room.
func (r *ringBuffer) WriteTwo(a, b []byte) error {
	if len(a)+len(b) == 0 {
		return nil
	}
	if err := r.reserve(int(r.n) + len(a) + len(b)); err != nil {
		return err
	}
	r.put(a)
	r.put(b)
	return nil
}

// put appends p, for which reserve has made room.
func (r *ringBuffer) put(p []byte) {
	buf := *r.bufp
	tail := int(r.head+r.n) & (len(buf) - 1)
	c := copy(buf[tail:], p)
	copy(buf, p[c:]) // the part that wraps to the front, if any
	r.n += int32(len(p))
}

// reserve makes room for need bytes in total, taking a buffer from the
// pools or doubling the one held. Sizes stay powers of two so that indexes
// wrap with a mask.
func (r *ringBuffer) reserve(need int) error {
	if r.max > 0 && need > int(r.max) {
		return errRingFull
	}
	if r.bufp != nil && need <= len(*r.bufp) {
		return nil
	}
	size := ringMinSize
	for size < need {
		size *= 2
	}
	grown := getRingBuffer(size)
	if r.bufp != nil {
		a, b := r.Peek(int(r.n))
		copy((*grown)[copy(*grown, a):], b)
		r.release()
	}
	r.bufp = grown
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

// release gives the ring's buffer back to its pool.
func (r *ringBuffer) release() {
	if r.bufp == nil {
		return
	}
	putRingBuffer(r.bufp)
	r.bufp = nil
}
