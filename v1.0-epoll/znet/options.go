package znet

import (
	"log/slog"
	"time"

	"zinx/v1.0-epoll/utils"
)

// DefaultShutdownTimeout is how long Serve waits, after the first SIGINT or
// SIGTERM, for connections to finish before it gives up and returns.
const DefaultShutdownTimeout = 5 * time.Second

// Option configures a Server built by NewServer. Options are how a test runs
// a server on 127.0.0.1:0 without changing the course's call NewServer().
type Option func(*options)

// options collects what the Options ask for; NewServer applies it.
type options struct {
	addr        string
	logger      *slog.Logger
	gracePeriod time.Duration
	config      *utils.GlobalObj
	configFile  string
}

// WithAddr sets the address to listen on, as "host:port", over the
// configuration's Host and TcpPort. Port 0 asks the system for a free port;
// Addr reports which one it chose.
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

// WithShutdownTimeout sets how long Serve waits, after the first SIGINT or
// SIGTERM, for the server's goroutines to exit before it returns an error.
// Zero or less means DefaultShutdownTimeout. It does not bound Stop, which
// always waits; a caller of Shutdown bounds it with its own context.
func WithShutdownTimeout(d time.Duration) Option {
	return func(o *options) {
		if d <= 0 {
			d = DefaultShutdownTimeout
		}
		o.gracePeriod = d
	}
}

// WithConfig uses cfg as the server's configuration instead of reading a
// file. Start reports an invalid one.
func WithConfig(cfg utils.GlobalObj) Option {
	return func(o *options) { o.config, o.configFile = &cfg, "" }
}

// WithConfigFile reads the configuration from path instead of
// $ZINX_CONFIG or conf/zinx.json. The file must exist.
func WithConfigFile(path string) Option {
	return func(o *options) { o.config, o.configFile = nil, path }
}
