package znet

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"

	"zinx/v0.5/ziface"
)

// ErrConnClosed is returned by SendMsg on a connection that has stopped,
// including one that Stop closed while the frame was being written.
var ErrConnClosed = errors.New("zinx: connection closed")

// Connection implements ziface.IConnection: one client, served by one reader
// goroutine that reads a request, runs it through the router and only then
// reads the next, so a connection's requests are handled in arrival order.
type Connection struct {
	// Conn is the client's socket.
	Conn *net.TCPConn
	// ConnID numbers the connection in accept order, from 0. It wraps after
	// 2³² accepts (v0.9's connection manager skips ids still live).
	ConnID uint32
	// Router handles the connection's requests.
	Router ziface.IRouter

	server *Server
	log    *slog.Logger

	writeMu   sync.Mutex    // one frame at a time: frames must not interleave
	startOnce sync.Once     // Start's goroutines start once, whoever calls it
	stopOnce  sync.Once     // Stop's work happens once, whoever calls it
	closed    chan struct{} // closed by Stop; SendMsg refuses after it
}

// newConnection wraps an accepted socket. It counts nothing: track, which
// calls it, counts the reader that Start will run, and the reader's
// connExited uncounts it.
func newConnection(s *Server, conn *net.TCPConn, id uint32, router ziface.IRouter) *Connection {
	return &Connection{
		Conn:   conn,
		ConnID: id,
		Router: router,
		server: s,
		log:    s.log.With("conn_id", id, "remote", conn.RemoteAddr().String()),
		closed: make(chan struct{}),
	}
}

// Start runs the connection's reader in a new goroutine. The server calls it once, right after
// accepting; later calls do nothing: a second reader would split the stream
// and count its exit twice.
func (c *Connection) Start() {
	c.startOnce.Do(func() { go c.startReader() })
}

// Stop closes the socket, which ends the reader if it is blocked in a read.
// The course checked and set an unsynchronised isClosed flag, then sent on
// and closed a channel, so two concurrent Stops could panic; sync.Once makes
// every Stop after the first a no-op, from any goroutine. Stop does not wait
// for the reader: a handler may call Stop on its own connection.
func (c *Connection) Stop() {
	c.stopOnce.Do(func() {
		close(c.closed)
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

// SendMsg packs data as a message with id msgId and writes the frame to the
// client. A write error stops the connection: a half-written frame leaves
// the stream unusable. Safe from any goroutine: frames never interleave. It
// blocks until the whole frame is in the socket's send buffer, so a client
// that stops reading blocks it (and the connection's reader, if a handler
// is the caller) until Stop closes the socket. data is copied; the caller
// may reuse it on return.
func (c *Connection) SendMsg(msgId uint32, data []byte) error {
	frame, err := c.server.dataPack.Pack(NewMsgPackage(msgId, data))
	if err != nil {
		return fmt.Errorf("zinx: send msg %d on conn %d: %w", msgId, c.ConnID, err)
	}

	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	select {
	case <-c.closed:
		return ErrConnClosed
	default:
	}
	if _, err := c.Conn.Write(frame); err != nil {
		select {
		case <-c.closed:
			return ErrConnClosed // Stop closed the socket under the write
		default:
		}
		c.logWriteError(err)
		c.Stop()
		return fmt.Errorf("zinx: send msg %d on conn %d: %w", msgId, c.ConnID, err)
	}
	return nil
}

// startReader reads and handles requests until the client leaves, sends a
// bad frame, a handler panics, or Stop closes the socket. Whatever ends it,
// the connection stops and the server forgets it. The course's reader
// `continue`d after an error, spinning on a dead socket forever.
func (c *Connection) startReader() {
	defer c.server.connExited(c)
	defer c.Stop()

	// Buffering lets one read syscall bring in many small frames.
	r := bufio.NewReader(c.Conn)
	for {
		msg, err := c.server.dataPack.ReadMsg(r)
		if err != nil {
			c.logReadError(err)
			return
		}
		if !c.handle(&Request{conn: c, msg: msg}) {
			return
		}
	}
}

// handle runs one request through the router. A panic in a handler is
// recovered here and ends only this connection, not the process; handle
// reports whether the connection may go on.
func (c *Connection) handle(req *Request) (ok bool) {
	defer func() {
		if p := recover(); p != nil {
			c.log.Error("handler panicked, closing connection",
				"msg_id", req.GetMsgID(), "panic", p, "stack", string(debug.Stack()))
			ok = false
		}
	}()
	c.Router.PreHandle(req)
	c.Router.Handle(req)
	c.Router.PostHandle(req)
	return true
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

// logWriteError logs why a reply could not be written, by the policy above.
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
