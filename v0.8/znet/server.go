// Package znet is the Zinx V0.8 server: it accepts TCP connections, reads
// framed messages from each and hands them, one at a time and in order, to
// the router registered for their message id.
package znet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"zinx/v0.8/utils"
	"zinx/v0.8/ziface"
)

// ErrServerStarted is returned by Start on a server that is already running.
var ErrServerStarted = errors.New("zinx: server already started")

// ErrServerClosed is returned by Start and Serve on a server that was stopped.
// A stopped server does not start again; build a new one.
var ErrServerClosed = errors.New("zinx: server closed")

// state is where a Server is in its one-way life: idle → running → stopped,
// or idle → stopped when Stop comes first.
type state int

const (
	idle state = iota
	running
	stopped
)

// Server implements ziface.IServer. Its exported fields are the course's.
type Server struct {
	// Name is the server's name, used in logs.
	Name string
	// IPVersion is the network to listen on: "tcp4", "tcp6" or "tcp".
	IPVersion string
	// IP is the address to bind; "0.0.0.0" binds every IPv4 interface.
	IP string
	// Port is the port to bind; 0 lets the system choose.
	Port int

	log         *slog.Logger
	optErr      error           // an invalid option or configuration, reported by Start
	gracePeriod time.Duration   // how long Serve's Shutdown waits after a signal
	config      utils.GlobalObj // this server's snapshot, taken by NewServer
	dataPack    *DataPack       // frames with this server's MaxPacketSize

	msgHandler *MsgHandle // the routes, by message id

	mu       sync.Mutex
	state    state
	listener net.Listener
	conns    map[*Connection]struct{} // live connections, stopped by Stop
	nextID   uint32

	wg       sync.WaitGroup // the accept loop and every connection goroutine
	quit     chan struct{}  // closed when the stop begins: wakes a backing-off accept loop
	done     chan struct{}  // closed once every goroutine in wg has exited: releases Stop, Shutdown, Serve
	stopOnce sync.Once
}

// NewServer returns a server configured by conf/zinx.json (or the file
// $ZINX_CONFIG names, or the defaults if there is none), unless options say
// otherwise. It reads the file itself, never utils.GlobalObject: setting
// GlobalObject's fields, before or after, does not change the server; pass
// WithConfig for that. A configuration error is reported by Start.
func NewServer(opts ...Option) ziface.IServer {
	o := options{logger: utils.Logger(), gracePeriod: DefaultShutdownTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	s := &Server{
		IPVersion:   "tcp4",
		log:         o.logger,
		gracePeriod: o.gracePeriod,
		conns:       make(map[*Connection]struct{}),
		quit:        make(chan struct{}),
		done:        make(chan struct{}),
	}
	s.config, s.optErr = o.resolveConfig()
	if s.optErr != nil {
		// Start refuses this server; the defaults only give it a name,
		// address and limit to report with.
		s.config = utils.Defaults()
	}
	s.Name, s.IP, s.Port = s.config.Name, s.config.Host, s.config.TcpPort
	if o.addr != "" && s.optErr == nil {
		s.IP, s.Port, s.optErr = splitAddr(o.addr)
	}
	s.dataPack = NewDataPackWithLimit(s.config.MaxPacketSize)
	s.msgHandler = newMsgHandle(s.log, s.config.WorkerPoolSize, s.config.MaxWorkerTaskLen)
	return s
}

// resolveConfig returns the configuration the options ask for.
func (o *options) resolveConfig() (utils.GlobalObj, error) {
	switch {
	case o.config != nil:
		if err := o.config.Validate(); err != nil {
			return *o.config, fmt.Errorf("config: %w", err)
		}
		return *o.config, nil
	case o.configFile != "":
		return utils.Load(o.configFile)
	default:
		return utils.LoadDefault()
	}
}

// AddRouter registers router for the requests whose message id is msgId. It
// panics for an id that already has a router, and once the server has
// started: see MsgHandle.AddRouter.
func (s *Server) AddRouter(msgId uint32, router ziface.IRouter) {
	s.msgHandler.AddRouter(msgId, router)
}

// splitAddr splits "host:port" into the course's IP and Port fields. An
// option cannot return an error, so a bad address is kept for Start to report.
func splitAddr(addr string) (ip string, port int, err error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err == nil {
		port, err = strconv.Atoi(portStr)
	}
	if err != nil {
		return "", 0, fmt.Errorf("zinx: invalid address %q: %w", addr, err)
	}
	return host, port, nil
}

// Start binds the listener and starts the accept loop. Binding happens before
// Start returns, so a port in use is the caller's error, not a line printed
// by a goroutine nobody waits for. The reason is also logged at ERROR, for
// callers that drop the error.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.startLocked()
}

// startLocked starts the server and logs why if it cannot. The course's
// programs call s.Serve() as a statement and drop its error: without the log
// line, a server whose port is taken would exit 0 without a word.
func (s *Server) startLocked() error {
	err := s.listenLocked()
	if err != nil {
		s.log.Error("[START] server cannot start", "name", s.Name, "err", err)
	}
	return err
}

func (s *Server) listenLocked() error {
	switch {
	case s.optErr != nil:
		return s.optErr
	case s.state == running:
		return ErrServerStarted
	case s.state == stopped:
		return ErrServerClosed
	case s.IPVersion != "tcp" && s.IPVersion != "tcp4" && s.IPVersion != "tcp6":
		// net.Listen would take "unix" too, and the server only knows TCP.
		return fmt.Errorf("zinx: server %q: IPVersion %q: want tcp, tcp4 or tcp6", s.Name, s.IPVersion)
	case s.msgHandler.routes() == 0:
		return errors.New("zinx: no router: call AddRouter before Start")
	}
	addr := net.JoinHostPort(s.IP, strconv.Itoa(s.Port))
	ln, err := net.Listen(s.IPVersion, addr)
	if err != nil {
		return fmt.Errorf("zinx: server %q cannot listen on %s: %w", s.Name, addr, err)
	}
	s.listener = ln
	s.state = running
	s.msgHandler.StartWorkerPool() // before the first connection can queue a request
	bound := ln.Addr().(*net.TCPAddr)
	s.log.Info("[START] Server is starting", "name", s.Name, "ip", bound.IP.String(), "port", bound.Port)
	s.log.Info("[Zinx] config", "version", s.config.Version,
		"max_conn", s.config.MaxConn, "max_packet_size", s.config.MaxPacketSize,
		"worker_pool_size", s.config.WorkerPoolSize, "max_worker_task_len", s.config.MaxWorkerTaskLen)

	s.wg.Add(1)
	go s.acceptLoop(ln)
	return nil
}

// Stop closes the listener and every live connection, then waits, however
// long it takes, for the accept loop and every connection goroutine: each
// reader first waits for the handlers of the requests it queued. Only then
// does it stop the idle worker pool and wait for its workers to exit. Later
// and concurrent calls wait too. It also waits for goroutines that an
// earlier Shutdown gave up on.
//
// Because it waits for every handler, Stop called from one of this server's
// handlers never returns: that handler is one it waits for. Call
// `go s.Stop()` there instead.
func (s *Server) Stop() {
	s.beginStop()
	<-s.done
}

// Shutdown begins the same stop as Stop but waits only until ctx ends, as
// net/http's Server.Shutdown does. It returns nil once every goroutine has
// exited. If ctx ends first, it returns an error that wraps ctx.Err() and
// says how many connections and workers were still busy (with a pool, a
// stuck handler holds a worker and its connection too, whose reader waits
// for it before it leaves); their goroutines are not
// abandoned: a later Stop, or Shutdown, still waits for them. Closing a
// connection ends a goroutine blocked on that connection's socket or queue,
// so what outlasts ctx is a handler blocked on something else.
func (s *Server) Shutdown(ctx context.Context) error {
	s.beginStop()
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
	}
	s.mu.Lock()
	busy := len(s.conns)
	s.mu.Unlock()
	workers := s.msgHandler.busyWorkers()
	if busy == 0 && workers == 0 {
		// Nothing is left that could hold the stop up: it is moments from
		// done, so a ctx that had already ended (a signal's) is no failure.
		<-s.done
		return nil
	}
	select {
	case <-s.done: // finished at the same moment: that is success
		return nil
	default:
	}
	return fmt.Errorf("zinx: server %q stopped waiting with %d connection(s) and %d worker(s) still busy: %w",
		s.Name, busy, workers, ctx.Err())
}

// beginStop, once, marks the server stopped, closes the listener and every
// live connection, wakes the accept loop, and starts the goroutine that
// closes done after the last of the server's goroutines and workers has
// exited. It does not wait, so Stop and Shutdown can each wait their own
// way.
//
// The workers stop last: a connection's reader waits until the pool has run
// or dropped every request it queued, and only then leaves, so the pool
// must keep draining until every connection has finished.
func (s *Server) beginStop() {
	s.stopOnce.Do(func() {
		s.mu.Lock()
		s.state = stopped
		if s.listener != nil {
			s.listener.Close()
		}
		for conn := range s.conns {
			conn.Stop() // takes no server lock, so this cannot deadlock
		}
		s.mu.Unlock()

		close(s.quit)
		go func() {
			s.wg.Wait()
			s.msgHandler.stopWorkers()
			s.msgHandler.waitWorkers()
			s.log.Info("[STOP] Zinx server stopped", "name", s.Name)
			close(s.done) // this goroutine's last act
		}()
	})
}

// Serve starts the server unless Start already has, and blocks until the
// server stops. It returns nil once the server has stopped cleanly, whether
// Stop, Shutdown or a signal stopped it, or the reason the server could not
// start, also logged at ERROR.
//
// On the first SIGINT or SIGTERM, Serve stops catching signals, so that a
// second one ends the process at once as Go's default handling does, then
// calls Shutdown with the grace period (DefaultShutdownTimeout, or
// WithShutdownTimeout's). Past it, Serve returns Shutdown's error, which says
// how many connections and workers were still busy, so that main can exit. A
// process that started with SIGINT ignored, as a background job of a
// non-interactive shell does, goes on ignoring it once Serve stops catching
// it: Go keeps an inherited SIG_IGN for SIGINT. A second SIGTERM still ends
// it.
func (s *Server) Serve() error {
	ctx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stopSignals()
	return s.serve(ctx, stopSignals)
}

// serve is Serve with the signal handling factored out, so tests can end it
// with a context instead of a signal sent to the test process, and see when
// it stops catching signals: serve calls stopSignals once ctx is done, before
// it waits for anything.
func (s *Server) serve(ctx context.Context, stopSignals func()) error {
	s.mu.Lock()
	var err error
	if s.state == idle || (s.state == stopped && s.listener == nil) {
		err = s.startLocked() // ErrServerClosed if stopped before it ever ran
	}
	s.mu.Unlock()
	if err != nil {
		return err
	}

	select {
	case <-ctx.Done():
	case <-s.done:
		return nil
	}
	stopSignals()
	s.log.Info("[STOP] signal received, stopping; a second signal ends the process at once",
		"name", s.Name, "grace_period", s.gracePeriod)
	graceCtx, cancel := context.WithTimeout(context.Background(), s.gracePeriod)
	defer cancel()
	if err := s.Shutdown(graceCtx); err != nil {
		s.log.Error("[STOP] grace period over, giving up on the stop", "name", s.Name, "err", err)
		return err
	}
	return nil
}

// Addr returns the bound address, or nil before Start.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener == nil {
		return nil
	}
	return s.listener.Addr()
}
