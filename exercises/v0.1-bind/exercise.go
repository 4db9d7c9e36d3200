//go:build !solution

// Package bind is the exercise "Bind before you return" (course chapter 1, V0.1).
//
// The course's Start launched a goroutine that did the listen and only printed
// the error, so the caller could not learn that the port was in use, nor which
// port "127.0.0.1:0" was bound to.
package bind

import (
	"fmt"
	"net"
)

// onAccept is called on the accept goroutine with each accepted connection,
// just before the server closes it. It does nothing; the tests replace it to
// hold the accept goroutine and check that Stop waits for it. Keep calling it.
var onAccept = func(net.Conn) {}

// Server is a tiny TCP server: it accepts connections and closes each one at
// once. Only its start and stop matter here.
type Server struct {
	ln net.Listener
}

// Start binds addr and accepts connections in the background. It returns the
// bind error, if any, to the caller; once it has returned nil, Addr reports
// the bound address and clients can connect.
func (s *Server) Start(addr string) error {
	// TODO(learner): this is the course's Start: the listen happens inside the
	// goroutine, so its error is only printed and Start returns nil at once.
	// Listen here, return the error (wrapped with context), keep the listener
	// in s.ln, and only run the accept loop in the background.
	go func() {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			fmt.Println("listen", addr, "err", err)
			return
		}
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			onAccept(conn)
			conn.Close()
		}
	}()
	return nil
}

// Addr returns the address the server is bound to, or nil before a
// successful Start.
func (s *Server) Addr() net.Addr {
	if s.ln == nil {
		return nil // TODO(learner): Start never sets s.ln, so this is always nil.
	}
	return s.ln.Addr()
}

// Stop closes the listener and returns once the accept goroutine has exited.
// Call it once, after a successful Start.
func (s *Server) Stop() {
	// TODO(learner): the course's Stop did nothing. Close the listener, which
	// ends the accept loop, and wait for that goroutine (a sync.WaitGroup).
}
