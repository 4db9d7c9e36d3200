package znet

import (
	"errors"
	"net"
	"time"
)

// Accept errors other than a closed listener are usually passing: the process
// or the system is out of file descriptors (EMFILE, ENFILE) until some
// connection closes. Retrying at once would spin at full speed, so the loop
// waits, doubling the wait on each failure in a row, up to a ceiling.
const (
	minAcceptBackoff = 5 * time.Millisecond
	maxAcceptBackoff = time.Second
)

// acceptLoop accepts connections until the listener is closed, and starts
// each one it admits.
func (s *Server) acceptLoop(ln net.Listener) {
	defer s.wg.Done()
	var refused refusals
	defer s.logRefusals(&refused, true) // what the last burst left unsaid
	var backoff time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return // Stop closed the listener
			}
			backoff = nextBackoff(backoff)
			s.log.Warn("accept failed, retrying", "name", s.Name, "err", err, "retry_in", backoff)
			if !s.sleep(backoff) {
				return
			}
			continue
		}
		backoff = 0
		c, why := s.track(conn)
		switch why {
		case admitted:
			s.logRefusals(&refused, false) // a quiet spell may end with this: say how many were turned away
			c.Start()
		case full:
			conn.Close() // at once: a refused client must not hold a socket open
			s.refuse(&refused)
		case stopping:
			conn.Close() // Stop began while this connection was being accepted
			return
		}
	}
}

func nextBackoff(d time.Duration) time.Duration {
	if d == 0 {
		return minAcceptBackoff
	}
	return min(2*d, maxAcceptBackoff)
}

// sleep waits for d, or until Stop begins; it reports whether to go on.
func (s *Server) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.quit:
		return false
	}
}

// admission is track's verdict on a new connection.
type admission int

const (
	admitted admission = iota
	full               // MaxConn connections are live
	stopping           // Stop has begun
)

// track wraps a new connection, adds it to the manager so that Stop can stop
// it, and counts its reader and writer goroutines in the wait group. It
// refuses once MaxConn connections are in the manager, and once Stop has
// begun: Stop has already stopped the connections it knows about, and a
// later one would be left open.
//
// The MaxConn check and the Add happen under s.mu, and only track adds, so
// no two accepts can both take the last slot; a slot frees only when a
// connection leaves the manager, after its stop hook. So the number of
// connections between their start and stop hooks never exceeds MaxConn.
func (s *Server) track(conn net.Conn) (*Connection, admission) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == stopped {
		return nil, stopping
	}
	if s.connMgr.Len() >= s.config.MaxConn {
		return nil, full
	}
	// listenLocked listens on tcp, tcp4 or tcp6 only, so Accept yields a
	// *net.TCPConn.
	c := newConnection(s, conn.(*net.TCPConn), s.nextConnID(), s.msgHandler)
	s.connMgr.Add(c)
	s.wg.Add(2)
	return c, admitted
}

// nextConnID returns the next id no live connection has. The counter is a
// uint32, as the course's ConnID is, so after 2³² accepts it wraps to ids a
// long-lived connection may still hold; the course would then overwrite
// that connection's entry in the manager. Skipping live ids ends quickly,
// since at most MaxConn are live. The caller holds s.mu.
func (s *Server) nextConnID() uint32 {
	for {
		id := s.nextID
		s.nextID++
		if !s.connMgr.has(id) {
			return id
		}
	}
}

// connExited removes a connection whose reader has finished, stop hook
// included, from the manager: this frees its MaxConn slot.
func (s *Server) connExited(c *Connection) {
	s.connMgr.Remove(c)
	s.wg.Done()
}
