package znet

import "zinx/v1.0-epoll/ziface"

// maxBurst is how many requests a loop links into one queue entry.
//
// Queuing each request on its own cost a channel send on the loop and a
// receive in the worker, each taking the channel's lock: with 16 requests
// in flight per connection that was about an eighth of the server's CPU (a
// tenth in v0.9). A read usually brings in several whole frames, so the loop
// links the requests of one read's frames into one entry, and the worker
// runs them one after the other. An entry's payloads together stay within
// the packet size limit, as one request's payload does, so a queue of
// MaxWorkerTaskLen entries holds no more payload than a queue of
// MaxWorkerTaskLen single requests could.
const maxBurst = 16

// burst is the requests a loop has cut from one connection's read but not
// yet queued, linked through Request.next. Each event loop keeps one
// (conn.batch): onFrame fills it and onFramesEnd queues it, both on the
// loop, so only the loop's goroutine uses it, and between two reads it is
// empty.
type burst struct {
	first, last *Request
	n           int
	bytes       uint64        // the payloads' total
	arena       *requestArena // the requests' arena, with RequestPoolMode (requestpool.go)
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

// takes reports whether a request with a payload of n bytes may join the
// burst: the burst is empty, or it holds fewer than maxBurst requests and
// stays within limit bytes with it. A burst never needs to ask whose the
// request is: the loop queues it at the end of every read, so it only ever
// holds one connection's.
func (b *burst) takes(n int, limit uint32) bool {
	return b.first == nil || b.n < maxBurst && b.bytes+uint64(n) <= uint64(limit)
}

// runEntry runs a queue entry through the router on the calling goroutine:
// request, then the requests linked behind it, skipping any whose
// connection has stopped meanwhile (a handler would only meet a closed
// connection). The entry's requests are released together when the last
// is done: until then each reply waits in the outbound ring for the replies
// still to come (conn.send), and the release writes them all, in one write.
func (mh *MsgHandle) runEntry(request ziface.IRequest) {
	h := entryHeld(request)
	n := 0
	for ; request != nil; n++ {
		next := nextInEntry(request)
		if !isClosedConn(request) {
			mh.DoMsgHandler(request)
		}
		request = next
	}
	h.done(n)
}

// finishEntry releases the requests of an entry the pool drops unrun.
func finishEntry(request ziface.IRequest) {
	h := entryHeld(request)
	n := 0
	for ; request != nil; n++ {
		request = nextInEntry(request)
	}
	h.done(n)
}

// nextInEntry unlinks and returns the request linked behind request in its
// queue entry, or nil. Requests built elsewhere are entries of their own.
// Unlinked before its handler runs, a request that the handler keeps, or
// queues again, holds that request alone, not the rest of the entry, which
// would run a second time.
func nextInEntry(request ziface.IRequest) ziface.IRequest {
	if r, ok := request.(*Request); ok && r.next != nil {
		next := r.next
		r.next = nil
		return next
	}
	return nil
}
