package znet

import (
	"bufio"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"

	"zinx/v0.9/ziface"
)

// ErrConnClosed is returned by SendMsg and SendBuffMsg on a connection that
// has stopped.
var ErrConnClosed = errors.New("zinx: connection closed")

// Connection implements ziface.IConnection: one client, served by two
// goroutines. The reader runs the start hook, then reads requests and hands
// them to the worker pool in arrival order; when the connection ends it
// waits for the requests it handed over, runs the stop hook and removes the
// connection from the manager. The writer writes what SendMsg and
// SendBuffMsg queue (sendqueue.go).
type Connection struct {
	// TcpServer is the server that accepted the connection: through it a
	// handler reaches the connection manager and the hooks.
	TcpServer ziface.IServer
	// Conn is the client's socket.
	Conn *net.TCPConn
	// ConnID identifies the connection among the server's live ones.
	ConnID uint32
	// MsgHandler routes the connection's requests by message id.
	MsgHandler ziface.IMsgHandle

	server *Server
	log    *slog.Logger

	queue     sendQueue      // frames from SendMsg and SendBuffMsg to the writer; MaxMsgChanLen long
	startOnce sync.Once      // Start's goroutines start once, whoever calls it
	stopOnce  sync.Once      // Stop's work happens once, whoever calls it
	closed    chan struct{}  // the course's ExitBuffChan: closed by Stop, never sent on
	stopped   atomic.Bool    // set by Stop before it closes closed: isClosed, on every request's path, is one load
	inflight  sync.WaitGroup // entries the reader handed to the pool and the pool has not finished
}

// newConnection wraps an accepted socket. It counts nothing: track adds the
// reader and writer to the server's count, under its lock, before Start
// runs them.
func newConnection(s *Server, conn *net.TCPConn, id uint32, msgHandler ziface.IMsgHandle) *Connection {
	return &Connection{
		TcpServer:  s,
		Conn:       conn,
		ConnID:     id,
		MsgHandler: msgHandler,
		server:     s,
		log:        s.log.With("conn_id", id, "remote", conn.RemoteAddr().String()),
		queue:      newSendQueue(int(s.config.MaxMsgChanLen)),
		closed:     make(chan struct{}),
	}
}

// Start runs the connection's reader and writer, each in a new goroutine,
// and returns at once. The start hook runs on the reader, before it reads:
// the course called it here after starting both goroutines, so a client
// that left at once could have its stop hook run first, and its first
// request handled before the start hook. Both goroutines are running before
// the start hook does, so a start hook may send more than the queue holds:
// the writer drains it meanwhile. The server calls it once, right after
// accepting; later calls do nothing: a second reader would split the stream
// and count its exit twice.
func (c *Connection) Start() {
	c.startOnce.Do(func() {
		go c.startWriter()
		go c.startReader()
	})
}

// Stop sets stopped and closes the exit channel, which releases every
// SendMsg and SendBuffMsg waiting on a full queue; wakes the writer through
// its queue, and the writer, seeing stopped, exits; and closes the socket,
// which ends the reader if it is blocked in a read. It neither runs the stop hook nor
// removes the connection from the manager: the reader does both once it has
// exited its loop, so they happen once, after the start hook and the last
// handler, whoever called Stop. The course's Stop ran the hook and Remove
// itself, so ClearConn, which called it under the manager's lock, deadlocked.
// The course checked and set an unsynchronised isClosed flag, then sent on
// and closed a channel, so two concurrent Stops could panic; sync.Once makes
// every Stop after the first a no-op, from any goroutine. Stop does not wait
// for the reader or the writer: a handler may call Stop on its own
// connection.
func (c *Connection) Stop() {
	c.stopOnce.Do(func() {
		c.stopped.Store(true)
		close(c.closed)
		c.queue.wake() // the writer waits on the queue alone
		c.Conn.Close()
		c.log.Debug("Conn Stop()")
	})
}

// GetTCPConnection returns the client's socket.
func (c *Connection) GetTCPConnection() *net.TCPConn { return c.Conn }

// GetConnID returns the connection's id.
func (c *Connection) GetConnID() uint32 { return c.ConnID }

// RemoteAddr returns the client's address.
func (c *Connection) RemoteAddr() net.Addr { return c.Conn.RemoteAddr() }

// startReader runs the start hook, then reads and handles requests until the
// client leaves, sends a bad frame, a handler panics, or Stop closes the
// socket. Whatever ends it, the connection stops; the reader waits for the
// requests it queued to be handled or dropped, runs the stop hook and only
// then leaves the manager, which frees the connection's MaxConn slot. The
// course's reader `continue`d after an error, spinning on a dead socket
// forever.
//
// The reader hands each request to the worker pool, waiting while its
// worker's queue is full; with a pool of size 0 it runs the request itself.
// Either way a connection's requests stay in order and bounded. The course
// ran each request in a goroutine of its own when the pool was off (`go
// c.MsgHandler.DoMsgHandler(&req)`): unbounded, and out of order.
func (c *Connection) startReader() {
	defer c.server.connExited(c) // last: the slot frees after the stop hook
	c.server.CallOnConnStart(c)
	defer c.server.CallOnConnStop(c)
	defer c.inflight.Wait() // no handler of this connection runs after the stop hook starts
	defer c.Stop()

	// Buffering lets one read syscall bring in many small frames.
	r := bufio.NewReader(c.Conn)
	alloc := readAlloc{r: r} // Requests and payloads, a block at a time (readalloc.go)
	var queued burst         // requests read but not yet queued, one entry's worth (burst.go)
	for {
		req := alloc.request(c)
		if err := c.server.dataPack.readMsgInto(r, &req.msg, &alloc); err != nil {
			c.readEnded(err) // nothing is held: full queued it all before a read that could fail
			return
		}
		if c.isClosed() {
			return // a handler or hook stopped the connection; frames already buffered are not run
		}
		queued.add(req)
		if queued.full(r, c.server.dataPack.limit()) {
			c.handToPool(queued.take())
		}
	}
}

// handToPool queues the entry that begins with first, counting it among
// the entries the reader waits for before it runs the stop hook.
func (c *Connection) handToPool(first *Request) {
	c.inflight.Add(1) // the pool calls finished once it has run or dropped the entry
	first.counted = true
	c.MsgHandler.SendMsgToTaskQueue(first)
}

// readEnded says why the reader stopped and, if the client closed its side
// between two frames, drains the connection. It is a call of its own to
// keep startReader's frame small: an idle connection's reader waits at the
// bottom of that frame, and a few bytes more can take its stack past 2 KiB,
// to 4 (16 more did).
func (c *Connection) readEnded(err error) {
	c.logReadError(err)
	if err == io.EOF {
		c.drain() // the client half-closed, or left, between two frames
	}
}

// drain ends a connection whose client closed its side cleanly, between
// two frames, as `nc -N` does, or a client that closes right after its last
// request: it may still be reading, so it gets every reply. drain waits for
// the pool to run what the reader handed it, then has the writer write
// every queued frame and stop the connection. Stop (the server's, or a
// handler's) or a write error ends the wait as well: a client that never
// reads holds the connection only until the server stops. A frame sent
// from then on is refused with ErrConnClosed, never queued and lost.
//
// drain waits only for the entries the reader counted. A request a handler
// queues again with SendMsgToTaskQueue (with a pool) is not among them, so
// the drain may end the connection before it runs, and its reply is lost.
// Counting it would take an inflight.Add off the reader, and one from a
// goroutine other than the handler could come while this Wait sees zero,
// which sync.WaitGroup forbids.
//
// A client that closes outright between frames looks the same as a
// half-close here (TCP tells them apart only when a write meets the reset):
// it is drained too, and the last write may fail with a reset, logged at
// INFO.
func (c *Connection) drain() {
	c.inflight.Wait() // every request read has been handled: its replies are queued
	c.queue.drain()   // no frame joins the queue now; the writer writes it and leaves
	<-c.closed        // the writer's Stop, or anyone else's
}

// isClosed reports whether Stop has run.
func (c *Connection) isClosed() bool {
	return c.stopped.Load()
}

// logReadError says why the reader stopped, at a level that matches whose
// doing it was. The policy, from v0.5 on (v0.1's echo logs a connection's
// whole life at DEBUG): WARN is for what an operator should look into. A frame
// over the limit is that: either the limit is too small for a real client, or
// someone is sending this port something that is not Zinx frames. Nothing else
// a client does to its own connection is: a clean close, leaving mid-frame, a
// reset or a vanished client (isPeerGone) happen all day on a public port and
// are logged at INFO, as the end of that connection. Stop closing the socket
// is the server's own plan: DEBUG. An error nobody expected stays WARN.
func (c *Connection) logReadError(err error) {
	switch {
	case errors.Is(err, io.EOF):
		c.log.Info("client closed the connection")
	case errors.Is(err, net.ErrClosed):
		c.log.Debug("connection closed by Stop")
	case errors.Is(err, ErrPacketTooLarge):
		c.log.Warn("closing connection: frame too large", "err", err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		c.log.Info("client left in the middle of a frame")
	case isPeerGone(err):
		c.log.Info("client reset the connection", "err", err)
	default:
		c.log.Warn("closing connection: read failed", "err", err)
	}
}

// logWriteError says why the writer stopped, with logReadError's policy: a
// client that went away is INFO, Stop closing the socket DEBUG, anything
// else WARN.
func (c *Connection) logWriteError(err error) {
	switch {
	case errors.Is(err, net.ErrClosed):
		c.log.Debug("connection closed by Stop")
	case isPeerGone(err):
		c.log.Info("client reset the connection", "err", err)
	default:
		c.log.Warn("closing connection: write failed", "err", err)
	}
}
