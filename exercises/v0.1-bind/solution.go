//go:build solution

// Package bind is the exercise "Bind before you return" (course chapter 1, V0.1).
//
// The course's Start launched a goroutine that did the listen and only printed
// the error, so the caller could not learn that the port was in use, nor which
// port "127.0.0.1:0" was bound to.
package bind

import (
	"fmt"
	"net"
	"sync"
)

// onAccept is called on the accept goroutine with each accepted connection,
// just before the server closes it. It does nothing; the tests replace it to
// hold the accept goroutine and check that Stop waits for it. Keep calling it.
var onAccept = func(net.Conn) {}

// Server is a tiny TCP server: it accepts connections and closes each one at
// once. Only its start and stop matter here.
type Server struct {
	ln net.Listener
	wg sync.WaitGroup
}

// Start binds addr and accepts connections in the background. It returns the
// bind error, if any, to the caller; once it has returned nil, Addr reports
// the bound address and clients can connect.
func (s *Server) Start(addr string) error {
	// Listen here, in the caller's goroutine: the error reaches the caller,
	// and once Start returns the port is bound and Addr is known.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("bind: start server on %s: %w", addr, err)
	}
	s.ln = ln
	s.wg.Add(1)
	go s.acceptLoop()
	return nil
}

// acceptLoop accepts until the listener is closed. Any Accept error ends it:
// after Stop it is net.ErrClosed.
func (s *Server) acceptLoop() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		onAccept(conn)
		conn.Close()
	}
}

// Addr returns the address the server is bound to, or nil before a
// successful Start.
func (s *Server) Addr() net.Addr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Stop closes the listener and returns once the accept goroutine has exited.
// Call it once, after a successful Start.
func (s *Server) Stop() {
	if s.ln == nil {
		return
	}
	s.ln.Close()
	s.wg.Wait()
}
