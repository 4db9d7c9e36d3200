// Package znet is the Zinx V0.9 server on an epoll engine: the same API,
// served by one acceptor and a few event loops instead of two goroutines per
// connection. It accepts TCP connections up to MaxConn, keeps them in a
// connection manager, runs a hook when each starts and stops, cuts framed
// messages out of each connection's bytes and hands them, in order, to the
// router registered for their message id, on a pool of workers. On systems
// other than Linux, Start returns an error: the engine needs epoll.
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
	"sync/atomic"
	"syscall"
	"time"

	"zinx/v1.0-epoll/utils"
	"zinx/v1.0-epoll/ziface"
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

	msgHandler *MsgHandle   // the routes, by message id
	connMgr    *ConnManager // the live connections, by id; the course's ConnMgr field

	onConnStart atomic.Pointer[connHook] // the course's OnConnStart field, safe to set while connections run
	onConnStop  atomic.Pointer[connHook]

	mu      sync.Mutex // orders accepts against Stop; taken before connMgr's lock, never after
	state   state
	engine  *engine
	nextID  uint32           // the next connection id to try; ids still live are skipped
	refused refusals         // used by onAccept on the acceptor goroutine, then by beginStop once it has exited
	now     func() time.Time // the engine's clock; tests set a fake one before Start
	loops   int              // event loops; 0 means GOMAXPROCS. Tests set 1 to order events

	wg       sync.WaitGroup // every live connection until its stop hook has run, and backlog goroutines
	done     chan struct{}  // closed once the engine, wg and the workers are done: releases Stop, Shutdown, Serve
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
		connMgr:     NewConnManager(),
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

// Start binds the listener and starts the engine: the acceptor and the event
// loops. Binding happens before
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
		// The engine only knows TCP.
		return fmt.Errorf("zinx: server %q: IPVersion %q: want tcp, tcp4 or tcp6", s.Name, s.IPVersion)
	case s.msgHandler.routes() == 0:
		return errors.New("zinx: no router: call AddRouter before Start")
	}
	addr := net.JoinHostPort(s.IP, strconv.Itoa(s.Port))
	s.msgHandler.StartWorkerPool() // before the first connection can queue a request
	e, err := startEngine(engineConfig{
		network:   s.IPVersion,
		addr:      addr,
		maxPacket: s.config.MaxPacketSize,
		maxOut:    int(s.config.MaxMsgChanLen) * (headLen + int(s.config.MaxPacketSize)),
		maxIdle:   time.Duration(s.config.MaxIdle) * time.Second,
		now:       s.now,
		loops:     s.loops,
		handler:   s,
		log:       s.log,
	})
	if err != nil {
		s.msgHandler.StopWorkerPool()
		return fmt.Errorf("zinx: server %q cannot listen on %s: %w", s.Name, addr, err)
	}
	s.engine = e
	s.state = running
	bound := e.addr().(*net.TCPAddr)
	s.log.Info("[START] Server is starting", "name", s.Name, "ip", bound.IP.String(), "port", bound.Port)
	s.log.Info("[Zinx] config", "version", s.config.Version,
		"max_conn", s.config.MaxConn, "max_packet_size", s.config.MaxPacketSize,
		"worker_pool_size", s.config.WorkerPoolSize, "max_worker_task_len", s.config.MaxWorkerTaskLen,
		"max_msg_chan_len", s.config.MaxMsgChanLen, "max_idle_s", s.config.MaxIdle,
		"heartbeat_msg_id", s.config.HeartbeatMsgID)
	return nil
}

// Stop closes the listener and every live connection, waits for the
// acceptor and the event loops to exit, for every connection's stop hook and
// every backlog goroutine (backlog.go), then stops the worker pool and waits
// for it, however long that takes: a worker finishes the handler it is
// running first. Later and
// concurrent calls wait too. It also waits for goroutines that an earlier
// Shutdown gave up on.
//
// Because it waits for every handler and hook, Stop called from one of this
// server's handlers or hooks never returns: that handler is one it waits
// for. Call `go s.Stop()` there instead.
func (s *Server) Stop() {
	s.beginStop()
	<-s.done
}

// Shutdown begins the same stop as Stop but waits only until ctx ends, as
// net/http's Server.Shutdown does. It returns nil once every goroutine has
// exited. If ctx ends first, it returns an error that wraps ctx.Err() and
// says how many connections and workers were still busy (with a pool, a
// stuck handler holds a worker, and its connection too when a stop hook is
// queued behind it on that worker); their goroutines are not
// abandoned: a later Stop, or Shutdown, still waits for them. No goroutine
// of the server blocks on a socket, so what outlasts ctx is a handler
// blocked on something else, with what is queued behind it on its worker (a
// backlog goroutine waiting for room, a stop hook).
func (s *Server) Shutdown(ctx context.Context) error {
	s.beginStop()
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
	}
	busy := s.connMgr.Len()
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

// beginStop, once, marks the server stopped (no connection joins the
// manager from then on) and starts the goroutine that stops the engine and
// closes done once the last of the server's goroutines and workers has
// exited. It does not wait, so Stop and Shutdown can each wait their own
// way.
//
// The engine stops first: its acceptor, then each loop, which closes its
// connections and queues each one's stop hook behind its requests. The
// workers stop last, once every stop hook has run.
func (s *Server) beginStop() {
	s.stopOnce.Do(func() {
		s.mu.Lock()
		s.state = stopped
		e := s.engine
		s.mu.Unlock()
		go func() {
			if e != nil {
				e.stop()
				s.logRefusals(&s.refused, true) // what the last burst left unsaid; the acceptor has exited
			}
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
// how many connections and workers were still busy, so that main can exit.
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
	if s.state == idle || (s.state == stopped && s.engine == nil) {
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

// GetConnMgr returns the manager of the server's live connections.
func (s *Server) GetConnMgr() ziface.IConnManager { return s.connMgr }

// Addr returns the bound address, or nil before Start.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.engine == nil {
		return nil
	}
	return s.engine.addr()
}
