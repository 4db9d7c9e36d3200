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
		if !s.track(conn) {
			conn.Close() // Stop began while this connection was being accepted
			return
		}
		go s.serveConn(conn)
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

// track records a new connection so that Stop can close it, and counts its
// goroutine in the wait group. It refuses once Stop has begun: Stop has already
// closed the connections it knows about, and a later one would be left open.
func (s *Server) track(conn net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == stopped {
		return false
	}
	s.conns[conn] = struct{}{}
	s.wg.Add(1)
	return true
}

// untrack forgets a connection and closes it.
func (s *Server) untrack(conn net.Conn) {
	s.mu.Lock()
	delete(s.conns, conn)
	s.mu.Unlock()
	conn.Close()
}
