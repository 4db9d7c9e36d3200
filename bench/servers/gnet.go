package servers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"syscall"
	"time"

	"github.com/panjf2000/gnet/v2"

	"zinx/bench/frame"
)

func init() {
	Register(Entry{
		Name:  "gnet",
		Kind:  Peer,
		Doc:   "gnet v2, one event loop: one Write per read of all whole frames",
		DocZH: "gnet v2，单个事件循环：每次读到数据，把其中所有完整帧一次 Write 回去",
		Start: startGnet,
	})
}

// gnetServer is the bar for an event-loop engine: gnet v2 on a single event
// loop. OnTraffic echoes every whole frame in its inbound buffer with one
// Write and leaves a partial frame there for the next read.
type gnetServer struct {
	gnet.BuiltinEventEngine
	log    *slog.Logger
	eng    gnet.Engine
	addr   net.Addr
	booted chan struct{} // closed by OnBoot
	done   chan error    // receives gnet.Run's result
}

func startGnet(addr string, log *slog.Logger) (Server, error) {
	s := newGnetServer(log)
	return s.run(s, addr)
}

func newGnetServer(log *slog.Logger) *gnetServer {
	return &gnetServer{log: log, booted: make(chan struct{}), done: make(chan error, 1)}
}

// run starts gnet with h as its event handler (s, or a server embedding s
// that answers traffic its own way) and waits until it has booted.
func (s *gnetServer) run(h gnet.EventHandler, addr string) (Server, error) {
	go func() {
		s.done <- gnet.Run(h, "tcp4://"+addr,
			gnet.WithMulticore(false),
			gnet.WithLogger(gnetLog{s.log}))
	}()
	select {
	case <-s.booted:
	case err := <-s.done:
		return nil, fmt.Errorf("gnet: %w", err)
	case <-time.After(10 * time.Second):
		return nil, errors.New("gnet: did not boot within 10s")
	}
	if s.addr == nil {
		s.Stop()
		return nil, errors.New("gnet: cannot tell which address it bound")
	}
	return s, nil
}

// OnBoot learns the bound address. gnet has no accessor for it, so it asks
// the kernel about a duplicate of the listening socket.
func (s *gnetServer) OnBoot(eng gnet.Engine) gnet.Action {
	s.eng = eng
	defer close(s.booted)
	fd, err := eng.Dup()
	if err != nil {
		s.log.Error("gnet: dup listener", "err", err)
		return gnet.None
	}
	defer syscall.Close(fd)
	sa, err := syscall.Getsockname(fd)
	if sa4, ok := sa.(*syscall.SockaddrInet4); ok && err == nil {
		s.addr = &net.TCPAddr{IP: net.IP(sa4.Addr[:]), Port: sa4.Port}
	}
	return gnet.None
}

func (s *gnetServer) OnTraffic(c gnet.Conn) gnet.Action {
	buf, _ := c.Peek(-1)
	n := 0
	for {
		m, err := frame.Len(buf[n:], MaxPayload)
		if err != nil {
			s.log.Warn("closing connection: frame too large", "err", err)
			return gnet.Close
		}
		if m == 0 {
			break
		}
		n += m
	}
	if n == 0 {
		return gnet.None
	}
	// Write copies what the socket does not take at once, so the inbound
	// bytes can be discarded as soon as it returns.
	if _, err := c.Write(buf[:n]); err != nil {
		return gnet.Close
	}
	c.Discard(n)
	return gnet.None
}

func (s *gnetServer) Addr() net.Addr { return s.addr }

func (s *gnetServer) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.eng.Stop(ctx); err != nil {
		return fmt.Errorf("gnet: stop: %w", err)
	}
	select {
	case err := <-s.done:
		return err
	case <-ctx.Done():
		return errors.New("gnet: Run did not return within 10s of Stop")
	}
}

// gnetLog passes gnet's warnings and errors to the server's logger and drops
// the rest, such as its start-up banner.
type gnetLog struct{ log *slog.Logger }

func (gnetLog) Debugf(string, ...any)          {}
func (gnetLog) Infof(string, ...any)           {}
func (l gnetLog) Warnf(f string, args ...any)  { l.log.Warn("gnet: " + fmt.Sprintf(f, args...)) }
func (l gnetLog) Errorf(f string, args ...any) { l.log.Error("gnet: " + fmt.Sprintf(f, args...)) }
func (l gnetLog) Fatalf(f string, args ...any) { l.log.Error("gnet: " + fmt.Sprintf(f, args...)) }
