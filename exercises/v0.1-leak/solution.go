//go:build solution

// Package leak is the bug hunt "The goroutines that never die" (course
// chapter 1, V0.1): a small echo server written the way the course wrote it.
package leak

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// onConn is called first thing on each connection's goroutine. It does
// nothing; the tests replace it to hold that goroutine and check that Stop
// waits for it. Keep calling it.
var onConn = func(net.Conn) {}

// Server is a TCP echo server with one goroutine per connection.
type Server struct {
	ln net.Listener
	wg sync.WaitGroup // the accept goroutine and one per connection

	mu      sync.Mutex
	conns   map[net.Conn]struct{} // the live connections, for Stop to close
	stopped bool
}

// Start binds addr and serves clients in the background: every byte a client
// sends is written back to it. It returns the bind error, if any.
func (s *Server) Start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("leak: start server on %s: %w", addr, err)
	}
	s.ln = ln
	s.conns = make(map[net.Conn]struct{})

	s.wg.Add(1)
	go s.acceptLoop()
	return nil
}

// acceptLoop accepts until Stop closes the listener.
func (s *Server) acceptLoop() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return // Stop closed the listener: every later Accept fails the same way
		}
		if err != nil {
			// A temporary failure such as EMFILE: back off instead of spinning.
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if !s.track(conn) {
			conn.Close() // accepted while Stop was running
			return
		}
		go s.serve(conn)
	}
}

// track records conn and counts its goroutine, unless Stop has begun.
func (s *Server) track(conn net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return false
	}
	s.conns[conn] = struct{}{}
	s.wg.Add(1)
	return true
}

// serve echoes conn until the client closes it or an error occurs, then
// closes conn.
func (s *Server) serve(conn net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conns, conn)
		s.mu.Unlock()
		conn.Close()
	}()
	onConn(conn)
	buf := make([]byte, 512)
	for {
		cnt, err := conn.Read(buf)
		if cnt > 0 {
			if _, werr := conn.Write(buf[:cnt]); werr != nil {
				return
			}
		}
		if err != nil {
			return // io.EOF: the client has gone; anything else: the conn is broken
		}
	}
}

// Addr returns the address the server is bound to.
func (s *Server) Addr() net.Addr {
	return s.ln.Addr()
}

// Stop shuts the server down: it stops accepting, closes every client
// connection, and returns once all of the server's goroutines have exited.
// Call it once, after a successful Start.
func (s *Server) Stop() {
	s.mu.Lock()
	s.stopped = true
	for conn := range s.conns {
		conn.Close() // unblocks that connection's Read
	}
	s.mu.Unlock()
	s.ln.Close() // unblocks Accept with net.ErrClosed
	s.wg.Wait()
}
