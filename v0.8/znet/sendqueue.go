package znet

import "sync"

// sendQueue is a connection's send queue: the frames SendMsg has packed and
// the writer has not yet taken, back to back in one buffer.
//
// The course handed each frame to the writer over a channel. That costs a
// channel send and a receive per reply, each taking the channel's lock, and
// a slice for the frame to live in until the writer copies it out: with 16
// requests in flight per connection, the hand-offs were a fifth of the
// server's CPU. Here SendMsg packs its frame straight into the queue under
// a mutex, one short lock per reply, and the writer takes every queued frame
// in one go. A channel is still what the writer waits on, but it is touched
// once per batch, not once per frame.
//
// All methods are safe for concurrent use; take is for the writer alone.
type sendQueue struct {
	limit int           // frames the queue holds at most
	ready chan struct{} // holds a token once a frame arrives in an empty queue

	mu       sync.Mutex
	frames   []byte        // the packed frames, oldest first
	count    int           // how many frames are in frames
	room     chan struct{} // closed by take to wake senders waiting for room; nil if none wait
	draining bool          // set by drain: the queue takes no more frames
}

func newSendQueue(limit int) sendQueue {
	return sendQueue{limit: limit, ready: make(chan struct{}, 1)}
}

// push packs a frame with id and data onto the queue and reports true. If
// the queue is full it packs nothing and reports false, with a channel that
// is closed once the writer has emptied the queue. Once drain has run it
// packs nothing and reports false with a nil channel: the connection is
// ending. The caller has checked data's size against the DataPack's limit.
func (q *sendQueue) push(dp *DataPack, id uint32, data []byte) (room <-chan struct{}, queued bool) {
	q.mu.Lock()
	if q.draining {
		q.mu.Unlock()
		return nil, false
	}
	if q.count >= q.limit {
		if q.room == nil {
			q.room = make(chan struct{})
		}
		room = q.room
		q.mu.Unlock()
		return room, false
	}
	q.frames, _ = dp.appendFrame(q.frames, id, data) // cannot fail: the caller checked the size
	q.count++
	wasEmpty := q.count == 1
	q.mu.Unlock()
	if wasEmpty {
		q.wake()
	}
	return nil, true
}

// wake makes sure the writer looks at the queue again. A token left from
// before is as good: the writer takes the queue after every token, and
// whatever is queued now is in it.
func (q *sendQueue) wake() {
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// drain ends the queue's life after a half-close: from now on push takes
// no frame, and the writer's next take is its last. It wakes the writer,
// which may be waiting with nothing queued. Safe to call more than once.
func (q *sendQueue) drain() {
	q.mu.Lock()
	q.draining = true
	q.mu.Unlock()
	q.wake()
}

// take returns every queued frame and empties the queue, which packs into
// spare's array from then on: the writer hands back the buffer it has
// finished writing, so two buffers take turns: spare must be the array the
// last take returned, never the queue's own. It wakes the senders waiting
// for room. last reports that drain has run: no frame will follow these.
func (q *sendQueue) take(spare []byte) (frames []byte, last bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	frames = q.frames
	q.frames, q.count = spare[:0], 0
	if q.room != nil {
		close(q.room)
		q.room = nil
	}
	return frames, q.draining
}
