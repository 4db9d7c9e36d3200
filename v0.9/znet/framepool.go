package znet

import "sync"

// SendMsg must copy data before it returns, since the caller may reuse it,
// so every reply needs somewhere to live until the writer has copied it
// into its buffer. Allocating a frame per reply made the replies a third of
// the garbage a busy server produced. Small frames are packed instead into
// arrays of frameSlot bytes that the writer hands back through framePool
// once it has copied them: under steady load, the same few arrays go round.
// A frame larger than frameSlot gets an allocation of its own, so the pool
// never holds big arrays.
const frameSlot = 256

// framePool holds free frame arrays. sync.Pool keeps one list per P, so
// neither SendMsg nor the writer takes a lock for it in the common case.
var framePool = sync.Pool{New: func() any { return new([frameSlot]byte) }}

// newFrame returns an empty slice to pack a frame with an n-byte payload
// into: a pooled array if the frame fits one, else nil, for appendFrame to
// allocate exactly.
func newFrame(n int) []byte {
	if n > frameSlot-headLen {
		return nil
	}
	return framePool.Get().(*[frameSlot]byte)[:0]
}

// recycleFrame gives frame's array back to the pool once nothing will read
// it again: the writer calls it after copying frame into its buffer. Only a
// frame whose capacity is exactly frameSlot goes back; whether it came from
// the pool or not, its array is no longer anyone else's.
func recycleFrame(frame []byte) {
	if cap(frame) == frameSlot {
		framePool.Put((*[frameSlot]byte)(frame[:frameSlot]))
	}
}
