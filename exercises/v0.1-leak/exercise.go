//go:build !solution

// Package leak is the bug hunt "The goroutines that never die" (course
// chapter 1, V0.1): a small echo server written the way the course wrote it.
package leak

import (
	"fmt"
	"net"
)

// onConn is called first thing on each connection's goroutine. It does
// nothing; the tests replace it to hold that goroutine and check that Stop
// waits for it. Keep calling it.
var onConn = func(net.Conn) {}

// Server is a TCP echo server with one goroutine per connection.
type Server struct {
	ln net.Listener
}

// Start binds addr and serves clients in the background: every byte a client
// sends is written back to it. It returns the bind error, if any.
func (s *Server) Start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("leak: start server on %s: %w", addr, err)
	}
	s.ln = ln

	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				// The course printed "Accept err" here.
				continue
			}
			go func() {
				onConn(conn)
				buf := make([]byte, 512)
				for {
					cnt, err := conn.Read(buf)
					if err != nil {
						// The course printed "recv buf err" here.
						continue
					}
					if _, err := conn.Write(buf[:cnt]); err != nil {
						// The course printed "write back buf err" here.
						continue
					}
				}
			}()
		}
	}()
	return nil
}

// Addr returns the address the server is bound to.
func (s *Server) Addr() net.Addr {
	return s.ln.Addr()
}

// Stop shuts the server down: it stops accepting, closes every client
// connection, and returns once all of the server's goroutines have exited.
// Call it once, after a successful Start.
func (s *Server) Stop() {
	// TODO(learner): goleak says goroutines are left after Stop. Find out
	// which ones, and why they never exit, and fix it.
	s.ln.Close()
}
