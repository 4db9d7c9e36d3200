package znet

import (
	"fmt"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// engine is the reactor: one acceptor goroutine hands each new connection to
// one of N event loops, which owns it from then on.
type engine struct {
	cfg   engineConfig
	ln    *listener
	loops []*eventLoop
	next  int            // the loop the acceptor hands the next connection to
	gen   atomic.Uint32  // generations for new connections
	conns atomic.Int64   // accepted and not yet closed
	wg    sync.WaitGroup // the acceptor and the loops
	once  sync.Once

	acceptorDone chan struct{} // closed when the acceptor has returned
}

// startEngine binds cfg.addr and starts the acceptor and the loops. It
// returns once the address is bound, or with why it could not be.
func startEngine(cfg engineConfig) (*engine, error) {
	cfg = withDefaults(cfg)
	e := &engine{cfg: cfg, acceptorDone: make(chan struct{})}
	ln, err := listen(cfg.network, cfg.addr)
	if err != nil {
		return nil, err
	}
	e.ln = ln
	for i := 0; i < cfg.loops; i++ {
		l, err := newEventLoop(e)
		if err != nil {
			for _, l := range e.loops {
				l.p.close()
			}
			ln.close()
			return nil, fmt.Errorf("event loop: %w", err)
		}
		e.loops = append(e.loops, l)
	}
	e.wg.Add(1 + len(e.loops))
	for _, l := range e.loops {
		go func() {
			defer e.wg.Done()
			l.run()
		}()
	}
	go func() {
		defer e.wg.Done()
		defer close(e.acceptorDone)
		e.accept()
	}()
	return e, nil
}

func withDefaults(cfg engineConfig) engineConfig {
	if cfg.network == "" {
		cfg.network = "tcp"
	}
	if cfg.loops <= 0 {
		cfg.loops = runtime.GOMAXPROCS(0)
	}
	if cfg.maxPacket == 0 {
		cfg.maxPacket = defaultMaxPacket
	}
	if cfg.maxOut <= 0 {
		cfg.maxOut = defaultMaxOut
	}
	cfg.maxOut = min(cfg.maxOut, maxRingSize) // a ring's sizes are int32
	if cfg.readBudget <= 0 {
		cfg.readBudget = defaultReadBudget
	}
	if cfg.tick <= 0 {
		cfg.tick = time.Second
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	return cfg
}

// addr returns the bound address.
func (e *engine) addr() net.Addr { return e.ln.addr }

// stop closes the listener, then every connection (each loop runs onClose
// for its own), and returns once the acceptor and every loop have exited.
// Safe to call more than once, from any goroutine but a loop's.
//
// The loops stop only after the acceptor has returned: a connection it
// accepted, onAccept included, and had yet to hand over would otherwise
// reach a loop that had exited and be dropped (onDrop) instead of served.
func (e *engine) stop() {
	e.once.Do(func() {
		e.ln.stop()
		<-e.acceptorDone
		for _, l := range e.loops {
			l.stop()
		}
	})
	e.wg.Wait()
}

// drop lets go of a connection onAccept admitted but no loop opened. It
// keeps closeConn's order, so that the accounting the handler did in
// onAccept is undone exactly once (else the server's Stop waits for it for
// ever) and no sender reaches a descriptor number the kernel may reuse:
// mark it closed, tell the handler, close the descriptor last.
func (e *engine) drop(c *conn) {
	c.mu.Lock()
	c.closed = true
	c.stopped.Store(true)
	c.out.Reset()
	c.mu.Unlock()
	e.cfg.handler.onDrop(c)
	unix.Close(c.fd)
	e.conns.Add(-1)
}
