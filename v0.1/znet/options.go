package znet

import (
	"fmt"
	"log/slog"
	"net"
	"strconv"
)

// Option configures a Server built by NewServer. Options are how a test runs
// a server on 127.0.0.1:0 without touching the course's call NewServer(name).
type Option func(*Server)

// WithAddr sets the address to listen on, as "host:port". Port 0 asks the
// system for a free port; Addr reports which one it chose.
func WithAddr(addr string) Option {
	return func(s *Server) {
		host, port, err := net.SplitHostPort(addr)
		if err == nil {
			s.Port, err = strconv.Atoi(port)
		}
		if err != nil {
			// An option cannot return an error; Start reports it instead.
			s.optErr = fmt.Errorf("zinx: invalid address %q: %w", addr, err)
			return
		}
		s.IP = host
	}
}

// WithLogger sets the logger the server writes to, instead of utils.Logger().
func WithLogger(l *slog.Logger) Option {
	return func(s *Server) { s.log = l }
}
