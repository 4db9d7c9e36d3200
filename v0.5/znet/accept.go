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

// acceptLoop accepts connections until the listener is closed, and starts a
// goroutine for each one.
func (s *Server) acceptLoop(ln net.Listener) {
	defer s.wg.Done()
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
		c, ok := s.track(conn)
		if !ok {
			conn.Close() // Stop began while this connection was being accepted
			return
		}
		c.Start()
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

// track wraps a new connection, records it so that Stop can stop it, and
// counts its reader goroutine in the wait group. It refuses once Stop has
// begun: Stop has already stopped the connections it knows about, and a
// later one would be left open.
func (s *Server) track(conn net.Conn) (*Connection, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == stopped {
		return nil, false
	}
	// listenLocked listens on tcp, tcp4 or tcp6 only, so Accept yields a
	// *net.TCPConn.
	c := newConnection(s, conn.(*net.TCPConn), s.nextID, s.router)
	s.nextID++
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	return c, true
}

// connExited is the reader's last act: it forgets c and uncounts the
// reader that track counted. It runs exactly once per tracked connection.
func (s *Server) connExited(c *Connection) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.wg.Done()
}
