package znet

import (
	"bufio"
	"encoding/binary"

	"zinx/v0.8/ziface"
)

// maxBurst is how many requests the reader links into one queue entry.
//
// Queuing each request on its own cost a channel send in the reader and a
// receive in the worker, each taking the channel's lock: with 16 requests
// in flight per connection that was a tenth of the server's CPU. A read
// usually brings in several whole frames, so the reader links the requests
// of the frames already in its buffer into one entry, and the worker runs
// them one after the other. An entry's payloads together stay within the
// packet size limit, as one request's payload does, so a queue of
// MaxWorkerTaskLen entries holds no more payload than a queue of
// MaxWorkerTaskLen single requests could.
const maxBurst = 16

// burst is the requests the reader has read but not yet queued, linked
// through Request.next. Only the reader goroutine uses it.
type burst struct {
	first, last *Request
	n           int
	bytes       uint64 // the payloads' total
}

// add appends r to the burst.
func (b *burst) add(r *Request) {
	if b.first == nil {
		b.first = r
	} else {
		b.last.next = r
	}
	b.last = r
	b.n++
	b.bytes += uint64(len(r.msg.Data))
}

// take returns the burst's first request, with the rest linked behind it,
// and leaves the burst empty. It returns nil if the burst is empty.
func (b *burst) take() *Request {
	first := b.first
	*b = burst{}
	return first
}

// full reports whether the reader should queue the burst now rather than
// read another frame into it: it holds maxBurst requests; or the next frame
// is not all in r's buffer yet, so reading it might wait for the client, or
// fail; or its payload would take the burst's payloads past limit bytes
// (a frame over the size limit always does). So the reader never holds
// requests when a read fails: what came before a bad frame is queued, and
// runs if its worker reaches it before the reader's Stop, which closes the
// connection and makes the worker skip the rest (with no pool, the reader
// has run it already).
func (b *burst) full(r *bufio.Reader, limit uint32) bool {
	if b.n >= maxBurst {
		return true
	}
	n := r.Buffered()
	if n < headLen {
		return true
	}
	head, _ := r.Peek(headLen) // cannot fail: headLen bytes are buffered
	next := uint64(binary.LittleEndian.Uint32(head))
	return uint64(n) < headLen+next || b.bytes+next > uint64(limit)
}

// runEntry runs a queue entry through the router on the calling goroutine:
// request, then the requests linked behind it, skipping any whose
// connection has stopped meanwhile (a handler would only meet a closed
// connection). Then the entry is finished, which its connection's reader
// waits for before it runs the stop hook. The request's counted flag is
// cleared before any handler runs, and the entry's count given back after
// the last returns: a handler may queue its request again, and if the pool
// drops that one, the drop finds no count to give back, so it cannot finish
// this entry while its handler still runs.
func (mh *MsgHandle) runEntry(request ziface.IRequest) {
	if r, ok := request.(*Request); ok && r.counted {
		r.counted = false
		defer r.conn.inflight.Done()
	}
	for request != nil {
		var next ziface.IRequest
		if r, ok := request.(*Request); ok && r.next != nil {
			// Unlinked before its handler runs: a handler that keeps its
			// request, or queues it again, holds that request alone, not
			// the rest of the entry, which would run a second time.
			next, r.next = r.next, nil
		}
		if !isClosedConn(request) {
			mh.DoMsgHandler(request)
		}
		request = next
	}
}
