package znet

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// listener is the listening socket and the poller the acceptor waits on.
type listener struct {
	fd       int
	addr     *net.TCPAddr
	p        *poller
	stopping atomic.Bool
}

// listen binds addr (host:port) with SO_REUSEADDR, as net.Listen does.
func listen(network, addr string) (*listener, error) {
	ta, err := net.ResolveTCPAddr(network, addr)
	if err != nil {
		return nil, err
	}
	var sa unix.Sockaddr
	family := unix.AF_INET
	if ip4 := ta.IP.To4(); ta.IP == nil || ip4 != nil {
		s := &unix.SockaddrInet4{Port: ta.Port}
		copy(s.Addr[:], ip4)
		sa = s
	} else {
		family = unix.AF_INET6
		s := &unix.SockaddrInet6{Port: ta.Port}
		copy(s.Addr[:], ta.IP.To16())
		sa = s
	}
	fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("socket: %w", err)
	}
	ln := &listener{fd: fd}
	if err := ln.bind(sa); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("listen tcp %s: %w", addr, err)
	}
	if ln.p, err = newPoller(); err != nil {
		unix.Close(fd)
		return nil, err
	}
	if err := ln.p.addListener(fd); err != nil {
		ln.close()
		return nil, fmt.Errorf("epoll_ctl add listener: %w", err)
	}
	return ln, nil
}

func (ln *listener) bind(sa unix.Sockaddr) error {
	if err := unix.SetsockoptInt(ln.fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		return err
	}
	if err := unix.Bind(ln.fd, sa); err != nil {
		return err
	}
	if err := unix.Listen(ln.fd, unix.SOMAXCONN); err != nil {
		return err
	}
	bound, err := unix.Getsockname(ln.fd)
	if err != nil {
		return err
	}
	ap := addrPort(bound)
	ln.addr = net.TCPAddrFromAddrPort(ap)
	return nil
}

// stop makes the acceptor return; it closes the socket on its way out.
func (ln *listener) stop() {
	ln.stopping.Store(true)
	ln.p.wake()
}

func (ln *listener) close() {
	unix.Close(ln.fd)
	if ln.p != nil {
		ln.p.close()
	}
}

// The acceptor's back-off when the process is out of descriptors: as v0.5's
// accept loop, it doubles from the first to the last.
const (
	firstBackoff = 5 * time.Millisecond
	lastBackoff  = time.Second
)

// testHookAcceptTurn, if set before the engine starts, runs in each of the
// acceptor's turns between clearing its wake and looking at stopping: a
// test stops the listener there.
var testHookAcceptTurn func()

// accept is the acceptor goroutine. The listener is edge-triggered, so each
// wake accepts until EAGAIN; after a failure for want of descriptors (EMFILE,
// ENFILE) it waits a back-off and tries again, because the connections still
// queued in the kernel would raise no new edge. gnet's engine shuts down
// there instead (gnet#367); a server should outlive a burst of clients.
func (e *engine) accept() {
	ln := e.ln
	defer ln.close()
	events := make([]unix.EpollEvent, 4)
	var backoff time.Duration
	for {
		timeout := -1
		if backoff > 0 {
			timeout = int(backoff / time.Millisecond)
		}
		if _, err := ln.p.wait(events, timeout); err != nil {
			e.cfg.log.Error("epoll_wait failed; no longer accepting", "err", err)
			return
		}
		// Clear the wake before looking at stopping, not after: a stop that
		// came between the look and the clear would have its wake drained
		// here, and with the queue empty the next wait would never return.
		ln.p.drainWake()
		if testHookAcceptTurn != nil {
			testHookAcceptTurn()
		}
		if ln.stopping.Load() {
			return
		}
		backoff = e.acceptAll(backoff)
	}
}

// acceptAll accepts until the queue is empty, or until a stop, and returns
// the back-off to wait before trying again: 0 when the queue was drained.
// It looks at stopping after each accept: clients that connect as fast as
// it accepts would otherwise keep the queue from ever emptying, and Stop
// waiting. The stop's wake is pending, so the next wait returns at once.
func (e *engine) acceptAll(backoff time.Duration) time.Duration {
	for {
		fd, sa, err := unix.Accept4(e.ln.fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		switch {
		case err == nil:
			e.admit(fd, sa)
			if e.ln.stopping.Load() {
				return 0
			}
			backoff = 0
		case errors.Is(err, unix.EAGAIN):
			return 0
		case errors.Is(err, unix.EINTR), errors.Is(err, unix.ECONNABORTED):
			// the client gave up before we accepted it: go on
		case errors.Is(err, unix.EMFILE), errors.Is(err, unix.ENFILE),
			errors.Is(err, unix.ENOBUFS), errors.Is(err, unix.ENOMEM):
			backoff = min(max(2*backoff, firstBackoff), lastBackoff)
			e.cfg.log.Warn("accept failed; retrying", "err", err, "in", backoff)
			return backoff
		default:
			backoff = min(max(2*backoff, firstBackoff), lastBackoff)
			e.cfg.log.Error("accept failed; retrying", "err", err, "in", backoff)
			return backoff
		}
	}
}

// admit refuses a connection past cfg.maxConn, if set, or one onAccept
// refuses (the Server's MaxConn), before it is registered anywhere,
// and hands any other to the next loop in turn.
func (e *engine) admit(fd int, sa unix.Sockaddr) {
	remote := addrPort(sa)
	if limit := e.cfg.maxConn; limit > 0 && e.conns.Load() >= int64(limit) {
		e.cfg.log.Info("refusing connection: MaxConn reached", "remote", remote, "max", limit)
		unix.Close(fd)
		return
	}
	_ = unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1) // as Go's net package does
	e.conns.Add(1)
	l := e.loops[e.next]
	e.next = (e.next + 1) % len(e.loops)
	c := &conn{fd: fd, gen: e.gen.Add(1), loop: l, remote: remote}
	// Room for one whole frame, and for the rest of a read if the layer
	// above pauses the connection in the middle of it.
	c.in.max = int32(frameHeaderLen + int(e.cfg.maxPacket) + loopBufferSize)
	c.out.max = int32(e.cfg.maxOut)
	if !e.cfg.handler.onAccept(c) {
		unix.Close(fd)
		e.conns.Add(-1)
		return
	}
	l.handOver(c)
}

// addrPort converts a socket address to the compact form a conn keeps.
func addrPort(sa unix.Sockaddr) netip.AddrPort {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port))
	case *unix.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(a.Addr).Unmap(), uint16(a.Port))
	}
	return netip.AddrPort{}
}
