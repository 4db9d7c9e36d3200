package znet

import (
	"errors"
	"math"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// conn is one connection as the engine sees it: a descriptor owned by one
// event loop. Idle, it holds no buffer and no goroutine: both rings are empty
// and have given their buffers back.
//
// Who touches what: the loop alone reads and closes the descriptor and uses
// in, node, ready, paused and loopReplied. mu guards closed, why, out and every use of fd
// by other goroutines, so that no writer can reach the descriptor once the
// loop has closed it (and the kernel may have given its number to a new
// connection). The atomics are read without mu by whoever needs them; each
// says who sets it.
type conn struct {
	fd     int
	loop   *eventLoop
	ctx    *Connection // the server's side of this connection; nil in the engine's own tests
	remote netip.AddrPort
	why    error      // why another goroutine shut the socket down; guarded by mu
	out    ringBuffer // bytes accepted by send but not yet written; guarded by mu
	in     ringBuffer // a partial frame, kept between reads; or, paused, the rest of a read
	node   wheelNode[conn]
	mu     sync.Mutex

	// The small fields last, together, so that the struct has no holes:
	// 192 bytes, a size class of its own.

	gen uint32 // which use of the number fd this is; see poller.add

	// pendingOut is set while out may hold bytes, before the write that
	// could leave them there: the loop, told the socket is writable, takes
	// mu only when it is set.
	pendingOut atomic.Bool
	// flushQueued is set while the conn is on its loop's flush queue.
	flushQueued atomic.Bool
	// stopped is set once the connection is closing, by close or by the
	// loop: the layer above reads it without taking mu.
	stopped atomic.Bool
	// eof is set by the loop once the peer has half-closed: the connection
	// closes when nothing is left to send and busy is 0.
	eof atomic.Bool
	// busy counts the frames the layer above is still handling (hold and
	// release), whose replies are still to come, plus one while the loop
	// is in a read burst of c (read). send queues rather than writes while
	// it is above 1; a half-closed c closes only once it is 0.
	busy atomic.Int32
	// idleMs overrides the engine's maxIdle for this connection, in
	// milliseconds: 0 means the engine's, -1 never. See setMaxIdle.
	idleMs atomic.Int32

	closed bool // guarded by mu
	ready  bool // on the loop's ready list: read budget spent, more to read
	paused bool // not read until resume: the layer above cannot take more yet
	// loopReplied is set while out holds a reply the loop queued itself
	// during the read (queue): the read's end writes it even while entries
	// are held, or a heartbeat would wait for a blocked handler.
	loopReplied bool
}

// send writes p to the connection from any goroutine. If frames read from
// this connection are held besides one (busy > 1: the rest of the caller's
// queue entry, other entries, the read in progress), p waits in out and
// leaves with their replies, in one write, when the entry is released (see
// release): that is how a pipelining client gets one write per burst
// instead of one per reply. Otherwise send writes what out holds and p at
// once; what the socket does not take stays in out, and the loop writes it
// when the socket is writable. It returns ErrConnClosed once the connection
// is stopping (shut down by close or by an error) or closed, and
// errOutboundFull (and closes the connection) if out would pass its cap.
// nil means the bytes are written or queued, not that the peer has them.
func (c *conn) send(p []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped.Load() { // closed, or shut down: nothing queued now would leave
		return ErrConnClosed
	}
	if c.busy.Load() > 1 || c.out.Len() > 0 {
		if err := c.queueLocked(p, nil); err != nil {
			return err
		}
		if c.busy.Load() > 1 {
			return nil
		}
		return c.flushOrShutLocked()
	}
	c.pendingOut.Store(true) // before the write: see pendingOut
	n, err := writeSome(c.fd, p, nil)
	if err != nil {
		c.shutdownLocked(err)
		return err
	}
	if n == len(p) {
		c.pendingOut.Store(false)
		return nil
	}
	return c.queueLocked(p[n:], nil)
}

// sendMsg is send for one frame given as its id and payload: it writes the
// header and the payload straight into out, or, for a small frame, packs
// them on the stack for a direct write, so that a reply costs no
// allocation. Same rules and errors as send.
func (c *conn) sendMsg(id uint32, data []byte) error {
	hdr := frameHeader(id, data)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped.Load() { // closed, or shut down: nothing queued now would leave
		return ErrConnClosed
	}
	if c.busy.Load() > 1 || c.out.Len() > 0 || len(data) > smallFrame-frameHeaderLen {
		if err := c.queueLocked(hdr[:], data); err != nil {
			return err
		}
		if c.busy.Load() > 1 {
			return nil
		}
		return c.flushOrShutLocked()
	}
	var buf [smallFrame]byte
	frame := append(append(buf[:0], hdr[:]...), data...)
	c.pendingOut.Store(true) // before the write: see pendingOut
	n, err := writeSome(c.fd, frame, nil)
	if err != nil {
		c.shutdownLocked(err)
		return err
	}
	if n == len(frame) {
		c.pendingOut.Store(false)
		return nil
	}
	return c.queueLocked(frame[n:], nil)
}

// smallFrame is the largest frame sendMsg packs on the stack.
const smallFrame = 512

// flushOrShutLocked writes out as far as the socket takes it; a write error
// shuts the connection down.
func (c *conn) flushOrShutLocked() error {
	if err := c.flushLocked(); err != nil {
		c.shutdownLocked(err)
		return err
	}
	return nil
}

// sendQueued appends a then b to out, both or neither, and asks the loop
// to write them, so that frames sent close together leave in one write.
// SendBuffMsg gives a frame's header and payload as a and b, so packing it
// allocates nothing. Safe from any goroutine.
func (c *conn) sendQueued(a, b []byte) error {
	c.mu.Lock()
	if c.stopped.Load() {
		c.mu.Unlock()
		return ErrConnClosed
	}
	err := c.queueLocked(a, b) // sets pendingOut
	c.mu.Unlock()
	if err == nil && c.flushQueued.CompareAndSwap(false, true) {
		c.loop.queueFlush(c)
	}
	return err
}

// queue appends p, a reply the loop gives itself (to a heartbeat), to out
// without writing it: it leaves with the other replies to the read burst,
// in one write, at the burst's end. Only the connection's loop may call it.
func (c *conn) queue(p []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped.Load() { // closed, or shut down: nothing queued now would leave
		return ErrConnClosed
	}
	c.loopReplied = true
	return c.queueLocked(p, nil)
}

// queueLocked appends a then b to out, both or neither, or, past the cap,
// shuts the connection down.
func (c *conn) queueLocked(a, b []byte) error {
	if !c.pendingOut.Load() {
		c.pendingOut.Store(true) // a store is an exchange: skipped when already set, as in a burst's replies
	}
	if err := c.out.WriteTwo(a, b); err != nil {
		c.loop.e.cfg.log.Warn("closing connection", "remote", c.remote, "reason", errOutboundFull, "queued", c.out.Len())
		c.shutdownLocked(errOutboundFull)
		return errOutboundFull
	}
	return nil
}

// flushLocked writes out until it is empty or the socket is full. It returns
// a write error other than EAGAIN.
func (c *conn) flushLocked() error {
	for c.out.Len() > 0 {
		a, b := c.out.Peek(c.out.Len())
		n, err := writeSome(c.fd, a, b)
		c.out.Discard(n)
		if err != nil {
			return err
		}
		if n < len(a)+len(b) {
			return nil // the socket is full; EPOLLOUT will say when to go on
		}
	}
	c.pendingOut.Store(false)
	return nil
}

// close ends the connection from any goroutine: it shuts the socket down,
// and the loop, woken by the hang-up, closes it. The descriptor is not
// closed here, so its number cannot be reused while the loop may still use
// it.
func (c *conn) close() {
	c.mu.Lock()
	if !c.closed {
		c.shutdownLocked(nil)
	}
	c.mu.Unlock()
}

// shutdownLocked shuts the socket down for reason (nil: a plain close), so
// that the loop sees a hang-up and closes the connection.
func (c *conn) shutdownLocked(reason error) {
	c.stopped.Store(true)
	if c.why == nil {
		c.why = reason
	}
	_ = unix.Shutdown(c.fd, unix.SHUT_RDWR)
}

// isStopped reports whether the connection is closing or closed. Safe from
// any goroutine.
func (c *conn) isStopped() bool { return c.stopped.Load() }

// remoteAddr returns the peer's address.
func (c *conn) remoteAddr() net.Addr { return net.TCPAddrFromAddrPort(c.remote) }

// setMaxIdle sets how long c may stay silent before its loop closes it,
// over the engine's maxIdle: d > 0 that long (truncated to whole
// milliseconds, at least 1, at most 24 days), d == 0 back to the engine's, d < 0 never. The new time
// counts from now. Safe from any goroutine.
func (c *conn) setMaxIdle(d time.Duration) {
	switch {
	case d < 0:
		c.idleMs.Store(-1)
	case d == 0:
		c.idleMs.Store(0)
	default:
		c.idleMs.Store(int32(min(max(d.Milliseconds(), 1), math.MaxInt32)))
	}
	c.loop.queueRetime(c)
}

// maxIdle returns how long c may stay silent; 0 means for ever.
func (c *conn) maxIdle() time.Duration {
	switch ms := c.idleMs.Load(); {
	case ms < 0:
		return 0
	case ms > 0:
		return time.Duration(ms) * time.Millisecond
	}
	return c.loop.e.cfg.maxIdle
}

// pause stops the loop reading c: the frames left in the read that was
// being dispatched wait in c.in. Its idle time stops too (retime): while
// paused, c is silent by the server's doing, not the client's. Only c's
// loop may call it (queueBurst does).
func (c *conn) pause() {
	c.paused = true
	c.loop.retime(c)
}

// resume asks c's loop to go on reading c. Safe from any goroutine.
func (c *conn) resume() { c.loop.queueResume(c) }

// batch returns the burst of requests c's loop is building from the read in
// progress (burst.go): scratch space for the layer above, kept on the loop
// rather than on each connection so that an idle connection pays nothing
// for it. Only c's loop may call it.
func (c *conn) batch() *burst { return &c.loop.batch }

// allocator returns the blocks c's loop cuts requests from (readalloc.go),
// kept on the loop for the same reason as batch. Only c's loop may call it.
func (c *conn) allocator() *readAlloc { return &c.loop.alloc }

// hold records that n frames are being handled, by the worker pool or, with
// no pool, on the loop: a half-closed connection stays open for their
// replies. A queue entry's frames are released together (runEntry).
func (c *conn) hold(n int) { c.busy.Add(int32(n)) }

// release undoes hold for the n frames of a queue entry once the pool has
// run or dropped them, and writes the replies waiting in out: a finished
// entry's replies must not wait for the connection's next entries, which
// may sit in the queue behind other connections' handlers. When the peer
// has half-closed and nothing else is in flight, it also asks the loop to
// close the connection once its replies are out. Safe from any goroutine.
func (c *conn) release(n int) {
	last := c.busy.Add(-int32(n)) == 0
	c.flushPending()
	if last && c.eof.Load() {
		c.loop.queueFlush(c)
	}
}

// flushPending writes out whatever replies are waiting there. Safe from any
// goroutine.
func (c *conn) flushPending() {
	if !c.pendingOut.Load() {
		return // nothing waits: every reply went out directly, or there was none
	}
	c.mu.Lock()
	if !c.closed {
		_ = c.flushOrShutLocked()
	}
	c.mu.Unlock()
}

// testHookWrite, if set before the engine starts, is called before each
// write to a connection's socket, from whichever goroutine writes: the tests
// count writes with it.
var testHookWrite func()

// writeSome writes a then b with one writev, retrying on EINTR. It returns
// how many bytes went out; EAGAIN is not an error, just a short count.
func writeSome(fd int, a, b []byte) (int, error) {
	if testHookWrite != nil {
		testHookWrite()
	}
	for {
		var n int
		var err error
		if len(b) == 0 {
			n, err = unix.Write(fd, a) // the common case, and writev's iovec costs an allocation
		} else {
			n, err = unix.Writev(fd, [][]byte{a, b})
		}
		switch {
		case err == nil:
			return n, nil
		case errors.Is(err, unix.EINTR):
			continue
		case errors.Is(err, unix.EAGAIN):
			return 0, nil
		default:
			return 0, err
		}
	}
}
