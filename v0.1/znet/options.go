package znet

import (
	"log/slog"
)

// Option configures a Server built by NewServer. Options are how a test runs
// a server on 127.0.0.1:0 without changing the course's call NewServer(name).
type Option func(*options)

// options collects what the Options ask for; NewServer applies it.
type options struct {
	addr   string
	logger *slog.Logger
}

// WithAddr sets the address to listen on, as "host:port". Port 0 asks the
// system for a free port; Addr reports which one it chose.
func WithAddr(addr string) Option {
	return func(o *options) { o.addr = addr }
}

// WithLogger sets the logger the server writes to, instead of utils.Logger().
// A nil logger leaves the default in place.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.logger = l
		}
	}
}
