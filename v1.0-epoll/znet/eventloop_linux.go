package znet

import (
	"errors"
	"io"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// eventLoop is one sub-reactor: a goroutine that owns an epoll instance, the
// connections registered with it (table, indexed by descriptor) and a timing
// wheel. Only this goroutine registers, reads, closes and times its
// connections; other goroutines reach it through its queues and a wake.
type eventLoop struct {
	e      *engine
	p      *poller
	table  []*conn // by fd; nil where the loop owns no connection
	wheel  *timingWheel[conn]
	buf    []byte // every read goes here first
	frame  []byte // a frame that wrapped around a ring, made contiguous
	ready  []*conn
	events []unix.EpollEvent
	batch  burst     // the requests the handler is linking from the read in progress; see conn.batch
	alloc  readAlloc // the blocks the handler cuts requests from; see conn.allocator

	spare []*conn // the ready list's other half, reused

	mu       sync.Mutex // guards the queues below, stopping and exited
	incoming []*conn    // accepted, to register
	flushes  []*conn    // asked to write their out ring
	resumes  []*conn    // paused, and asked to go on reading
	retimes  []*conn    // whose idle time was changed by setMaxIdle
	stopping bool
	exited   bool // the poller is closed: nothing may wake it
}

func newEventLoop(e *engine) (*eventLoop, error) {
	p, err := newPoller()
	if err != nil {
		return nil, err
	}
	return &eventLoop{
		e:      e,
		p:      p,
		wheel:  newTimingWheel[conn](e.cfg.tick, wheelSlots(e.cfg), e.cfg.now()),
		buf:    make([]byte, loopBufferSize),
		events: make([]unix.EpollEvent, 256),
	}, nil
}

// wheelSlots sizes the wheel so that MaxIdle is about one turn.
func wheelSlots(cfg engineConfig) int {
	n := int(cfg.maxIdle/cfg.tick) + 1
	return min(max(n, 8), 4096)
}

// enqueue appends c to one of the loop's queues and wakes the loop. Once the
// loop has exited it does nothing: the eventfd is closed, and its number
// may already belong to someone else. Safe from any goroutine.
func (l *eventLoop) enqueue(q *[]*conn, c *conn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.exited {
		return
	}
	*q = append(*q, c)
	l.p.wake()
}

// handOver queues an accepted connection for the loop to register, or drops
// it if the loop has exited (its epoll_wait failed). Called by the acceptor.
func (l *eventLoop) handOver(c *conn) {
	l.mu.Lock()
	exited := l.exited
	if !exited {
		l.incoming = append(l.incoming, c)
		l.p.wake()
	}
	l.mu.Unlock()
	if exited {
		l.e.drop(c)
	}
}

// queueFlush asks the loop to write c's out ring and, if the peer has
// half-closed, to close c once nothing is left to send (closeIfDone).
// Called by sendQueued, which sets c.flushQueued first, and by release.
func (l *eventLoop) queueFlush(c *conn) { l.enqueue(&l.flushes, c) }

// queueResume asks the loop to go on reading a paused c.
func (l *eventLoop) queueResume(c *conn) { l.enqueue(&l.resumes, c) }

// queueRetime asks the loop to put c back on its wheel with its new idle
// time.
func (l *eventLoop) queueRetime(c *conn) { l.enqueue(&l.retimes, c) }

// stop asks the loop to close its connections and return.
func (l *eventLoop) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopping = true
	if !l.exited {
		l.p.wake()
	}
}

// exit closes the poller, after which no one may wake it, and drops what
// was handed over but never registered. Taking incoming under the same lock
// that sets exited leaves no moment in which handOver could queue a
// connection that no one would ever open or drop.
func (l *eventLoop) exit() {
	l.mu.Lock()
	l.exited = true
	incoming := l.incoming
	l.incoming = nil
	l.mu.Unlock()
	l.p.close()
	for _, c := range incoming {
		l.e.drop(c)
	}
}

// testHookLoopWait, if set before the engine starts, sees each of l's
// epoll_wait errors and returns the one l acts on: a test makes the wait
// fail, which it cannot otherwise cause.
var testHookLoopWait func(l *eventLoop, err error) error

// run is the loop: wait, handle events, serve the connections whose read
// budget ran out, fire the wheel, and do what other goroutines queued.
func (l *eventLoop) run() {
	defer l.exit()
	hadEvents := false
	for {
		timeout := -1
		if len(l.ready) > 0 {
			timeout = 0
		} else if d := l.wheel.Timeout(l.e.cfg.now()); d >= 0 {
			timeout = int((d + time.Millisecond - 1) / time.Millisecond)
		}
		if hadEvents {
			// The last turn had work, so the workers likely have requests
			// to run. Let them have the processor before the loop blocks in
			// epoll_wait, which holds on to it until the runtime notices
			// (some 20 µs or more later); and look again without blocking.
			runtime.Gosched()
			timeout = 0
		}
		n, err := l.p.wait(l.events, timeout)
		if testHookLoopWait != nil {
			err = testHookLoopWait(l, err)
		}
		hadEvents = n > 0
		if err != nil {
			l.e.cfg.log.Error("epoll_wait failed; event loop stopping", "err", err)
			l.closeAll()
			return
		}
		woken := false
		for i := range l.events[:n] {
			ev := &l.events[i]
			fd, gen := eventData(ev)
			if fd == wakeData {
				woken = true
				continue
			}
			l.handleEvent(fd, gen, ev.Events)
		}
		l.serveReady()
		if l.wheel.Len() > 0 {
			l.wheel.Advance(l.e.cfg.now(), l.expire)
		}
		if woken {
			l.p.drainWake()
			if l.drainQueues() {
				l.closeAll()
				return
			}
		}
	}
}

// lookup returns the connection an event is for, or nil for a stale event:
// one for a descriptor the loop no longer owns, or for an earlier
// connection that had the same descriptor number (its generation differs).
func (l *eventLoop) lookup(fd int, gen uint32) *conn {
	if fd < 0 || fd >= len(l.table) || l.table[fd] == nil {
		return nil
	}
	if c := l.table[fd]; c.gen == gen {
		return c
	}
	return nil
}

// handleEvent acts on one connection's events, in the order that keeps
// replies: output first, then input to the end, and only then a hang-up.
func (l *eventLoop) handleEvent(fd int, gen uint32, events uint32) {
	c := l.lookup(fd, gen)
	if c == nil {
		return
	}
	if events&unix.EPOLLOUT != 0 && c.pendingOut.Load() {
		if !l.flush(c) {
			return
		}
		if c.eof.Load() {
			l.closeIfDone(c)
			return
		}
	}
	if c.paused {
		return // resume reads on to EAGAIN, so no edge missed meanwhile is lost
	}
	if events&(unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) != 0 {
		l.read(c, true)
	} else if events&unix.EPOLLIN != 0 {
		l.read(c, false)
	}
}

// serveReady gives each connection whose budget ran out last turn another
// turn.
func (l *eventLoop) serveReady() {
	ready := l.ready
	l.ready = l.spare[:0]
	for _, c := range ready {
		c.ready = false
		if l.lookup(c.fd, c.gen) == c && !c.paused {
			// To EAGAIN: the event that put c here may have brought the
			// peer's FIN behind the budget's worth, and no edge follows it.
			l.read(c, true)
		}
	}
	clear(ready)
	l.spare = ready[:0]
}

// read reads c until the socket is drained or until the turn's budget is
// spent, and dispatches every whole frame. It holds c busy meanwhile (the
// burst's hold), so a reply sent during the burst, from the loop or from a
// worker, waits in out (conn.send) and leaves in one write with the others
// (endBurst).
//
// Drained means EAGAIN, or a read shorter than the buffer: with
// edge-triggered epoll the next byte to arrive raises a new edge, so the
// extra read that would return EAGAIN can be saved. Not with toEAGAIN: the
// peer's FIN or RST came in the same event, and no edge follows those; or
// edges came while c was paused, and were not acted on; or c is served from
// the ready list, and the event that put it there may have brought a FIN
// behind the budget's worth. Then the loop reads on to EAGAIN, the end of
// the stream or the error.
func (l *eventLoop) read(c *conn, toEAGAIN bool) {
	budget := l.e.cfg.readBudget
	c.busy.Add(1) // the burst's hold: while it lasts, replies wait in out
	for {
		n, err := unix.Read(c.fd, l.buf)
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			if errors.Is(err, unix.EAGAIN) {
				break
			}
			l.closeConn(c, err)
			return // closed: busy no longer matters
		}
		if n == 0 {
			c.eof.Store(true)
			break
		}
		l.touch(c)
		if err := l.consume(c, l.buf[:n]); err != nil {
			l.closeConn(c, err)
			return
		}
		if l.table[c.fd] != c {
			return // defensive: only closeConn empties the slot, and no dispatch reaches it
		}
		if c.paused {
			break
		}
		if n < len(l.buf) && !toEAGAIN {
			break
		}
		if budget -= n; budget <= 0 {
			if !c.ready {
				c.ready = true
				l.ready = append(l.ready, c)
			}
			break
		}
	}
	l.endBurst(c)
}

// endBurst drops a read burst's hold on c, then writes what waits in out if
// the loop queued a reply itself, or if no entry is still held. Otherwise a
// worker may be in the middle of one, and the replies it has sent so far
// must wait for the rest of them: its release writes them all, with
// whatever else queued meanwhile (conn.release). A half-closed c is closed
// once nothing is left to send it.
func (l *eventLoop) endBurst(c *conn) {
	busy := c.busy.Add(-1)
	if testHookReadEnd != nil {
		testHookReadEnd()
	}
	if (busy == 0 || c.loopReplied) && !l.flush(c) {
		return
	}
	c.loopReplied = false
	if c.eof.Load() {
		l.closeIfDone(c)
	}
}

// testHookReadEnd, if set before the engine starts, is called at the end of
// each read burst, once its hold is dropped and before out is written: a
// test holds the loop there while a worker is in the middle of an entry.
var testHookReadEnd func()

// closeIfDone closes a connection the peer half-closed once nothing is left
// to send it, with io.EOF as the reason, or io.ErrUnexpectedEOF if the peer
// left in the middle of a frame. If this side shut the socket down (close),
// the end of stream is its own doing, and the reason is nil, or the one
// shutdownLocked recorded.
func (l *eventLoop) closeIfDone(c *conn) {
	c.mu.Lock()
	done := c.out.Len() == 0 && c.busy.Load() == 0 // eof was stored first: see release
	c.mu.Unlock()
	if done {
		var reason error
		switch {
		case c.stopped.Load():
		case c.in.Len() > 0:
			reason = io.ErrUnexpectedEOF // the client left in the middle of a frame
		default:
			reason = io.EOF
		}
		l.closeConn(c, reason)
	}
}

// flush writes c's out ring as far as the socket takes it, and reports
// whether c is still open.
func (l *eventLoop) flush(c *conn) bool {
	c.mu.Lock()
	var err error
	if !c.closed {
		err = c.flushLocked()
	}
	c.mu.Unlock()
	if err != nil {
		l.closeConn(c, err)
		return false
	}
	return true
}

// touch records activity: the idle timer starts again. Refresh does nothing
// for a connection that is not on the wheel (no idle time).
func (l *eventLoop) touch(c *conn) {
	if d := c.maxIdle(); d > 0 {
		l.wheel.Refresh(&c.node, l.e.cfg.now().Add(d))
	}
}

// retime puts c on the wheel with its idle time from now, or takes it off:
// if it has no idle time, or while it is paused.
func (l *eventLoop) retime(c *conn) {
	if d := c.maxIdle(); d > 0 && !c.paused {
		l.wheel.Add(&c.node, c, l.e.cfg.now().Add(d))
	} else {
		l.wheel.Cancel(&c.node)
	}
}

// expire is the wheel's callback: c has been silent for MaxIdle. It closes
// c, unless a request of c is still in hand.
func (l *eventLoop) expire(c *conn) {
	if c.busy.Load() > 0 {
		// A request is in hand: the client waits for its reply, silent by
		// the server's doing. Its idle time starts again now.
		l.retime(c)
		return
	}
	l.closeConn(c, errIdle) // onClose logs it
}

// drainQueues does what other goroutines queued, in this order: new idle
// times, resumes, registrations, flushes. It reports whether the loop was
// asked to stop.
func (l *eventLoop) drainQueues() bool {
	l.mu.Lock()
	incoming, flushes, resumes, retimes, stopping := l.incoming, l.flushes, l.resumes, l.retimes, l.stopping
	l.incoming, l.flushes, l.resumes, l.retimes = nil, nil, nil, nil
	l.mu.Unlock()
	for _, c := range retimes {
		if l.lookup(c.fd, c.gen) == c {
			l.retime(c)
		}
	}
	for _, c := range resumes {
		if l.lookup(c.fd, c.gen) == c && c.paused {
			l.resume(c)
		}
	}
	for _, c := range incoming {
		l.register(c)
	}
	for _, c := range flushes {
		c.flushQueued.Store(false)
		if l.lookup(c.fd, c.gen) == c {
			if l.flush(c) && c.eof.Load() {
				l.closeIfDone(c)
			}
		}
	}
	return stopping
}

// resume dispatches the frames a paused c kept in c.in, then, unless that
// paused it again, reads on to EAGAIN: edges that came while it was paused
// were not acted on. Paused again, it writes a heartbeat's reply that the
// dispatch queued, which no read's end will.
func (l *eventLoop) resume(c *conn) {
	c.paused = false
	l.retime(c) // its idle time starts again now
	err := l.dispatchKept(c)
	l.e.cfg.handler.onFramesEnd(c)
	switch {
	case err != nil:
		l.closeConn(c, err)
	case l.table[c.fd] != c:
	case !c.paused:
		l.read(c, true)
	case c.loopReplied:
		// Paused again, so no read and no endBurst: write the reply the
		// loop queued itself (a heartbeat's) now, as endBurst would.
		c.loopReplied = false
		l.flush(c)
	}
}

// register adds an accepted connection to the loop, or closes it if epoll
// refuses it.
func (l *eventLoop) register(c *conn) {
	if c.fd >= len(l.table) {
		l.table = append(l.table, make([]*conn, c.fd+1-len(l.table))...)
	}
	if err := l.add(c); err != nil {
		l.e.cfg.log.Error("cannot register connection; closing it", "remote", c.remote, "err", err)
		l.e.drop(c)
		return
	}
	l.table[c.fd] = c
	l.retime(c)
	l.e.cfg.handler.onOpen(c)
	l.flush(c) // what the start hook sent, if it ran here (WorkerPoolSize 0)
}

// testHookRegister, if set before the engine starts, runs before each
// EPOLL_CTL_ADD of a connection; an error it returns stands for epoll's
// refusal (ENOSPC past max_user_watches), which a test cannot cause.
var testHookRegister func() error

// add registers c's descriptor with the loop's epoll instance.
func (l *eventLoop) add(c *conn) error {
	if testHookRegister != nil {
		if err := testHookRegister(); err != nil {
			return err
		}
	}
	return l.p.add(c.fd, c.gen)
}

// closeConn closes c, on the loop, in the order that keeps a dead
// connection's descriptor number from reaching anyone: mark it closed (sends
// fail from now on), run onClose, write what is left if the socket takes it,
// forget it, and close the descriptor last.
func (l *eventLoop) closeConn(c *conn, reason error) {
	if l.lookup(c.fd, c.gen) != c {
		return
	}
	c.mu.Lock()
	c.closed = true
	c.stopped.Store(true)
	if c.why != nil {
		reason = c.why // the first reason: the one a sender shut the socket down for
	}
	c.mu.Unlock()
	l.e.cfg.handler.onClose(c, reason)
	c.mu.Lock()
	_ = c.flushLocked()
	c.out.Reset()
	c.mu.Unlock()
	c.in.Reset()
	l.wheel.Cancel(&c.node)
	l.table[c.fd] = nil
	_ = l.p.del(c.fd)
	unix.Close(c.fd)
	l.e.conns.Add(-1)
}

// closeAll closes every connection the loop owns, for Stop. What was handed
// over but never registered, exit drops.
func (l *eventLoop) closeAll() {
	for _, c := range l.table {
		if c != nil {
			l.closeConn(c, nil)
		}
	}
}
