package znet

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"zinx/v1.0-epoll/ziface"
)

// ErrConnClosed is returned by SendMsg and SendBuffMsg on a connection that
// has stopped.
var ErrConnClosed = errors.New("zinx: connection closed")

// Connection implements ziface.IConnection: one client, served by the event
// loop that owns its socket and by the worker its id maps to. No goroutine
// belongs to it. The loop reads, cuts frames and hands each request to the
// worker pool in arrival order; the start hook, the requests and the stop
// hook run as tasks on the same worker, so they run in that order and never
// at once. Replies go out through the engine: SendMsg writes to the socket,
// at once or with the rest of its queue entry's replies; SendBuffMsg queues
// for the loop to write.
type Connection struct {
	// TcpServer is the server that accepted the connection: through it a
	// handler reaches the connection manager and the hooks.
	TcpServer ziface.IServer
	// Conn is always nil here: the socket is a bare descriptor owned by an
	// event loop, and no *net.TCPConn exists for it. See GetTCPConnection.
	Conn *net.TCPConn
	// ConnID identifies the connection among the server's live ones.
	ConnID uint32
	// MsgHandler routes the connection's requests by message id.
	MsgHandler ziface.IMsgHandle

	server *Server
	ec     *conn // the engine's side: the socket, its rings and its loop

	// backlog holds tasks the worker's full queue could not take; a
	// goroutine started for the occasion feeds them in order while the loop
	// stops reading the connection. It is nil, as it almost always is, but
	// for a connection whose worker is overwhelmed: 8 bytes instead of 40.
	// It changes only under mu; the loop, the only goroutine that makes
	// one, may load it without mu to see that there is none (see submit).
	mu      sync.Mutex
	backlog atomic.Pointer[backlog]
}

// newConnection wraps an accepted socket. It keeps no logger of its own: a
// slog.Logger made With the connection's id and address would hold about
// 230 bytes per idle connection, as much as everything else together.
func newConnection(s *Server, ec *conn, id uint32, msgHandler ziface.IMsgHandle) *Connection {
	return &Connection{TcpServer: s, ConnID: id, MsgHandler: msgHandler, server: s, ec: ec}
}

// Start does nothing: the event loop serves the connection from the moment
// it registers it, and the start hook is already queued. It is kept because
// the course's IConnection has it.
func (c *Connection) Start() {}

// Stop closes the connection. It shuts the socket down, which ends reading
// and writing at once; the event loop that owns the socket then closes it
// and queues the stop hook behind the connection's requests. It is safe to
// call more than once and from any goroutine, a handler included, and does
// not wait.
func (c *Connection) Stop() {
	c.ec.close()
}

// GetTCPConnection returns nil: the engine owns the socket as a bare
// descriptor, and there is no *net.TCPConn to return. Building one (with
// os.NewFile and net.FileConn) would dup the descriptor and hand the caller a
// second owner, able to read bytes the loop expects or to keep the socket
// open after the loop closed it. The method stays because the course's
// IConnection has it; use RemoteAddr, SendMsg and Stop instead.
func (c *Connection) GetTCPConnection() *net.TCPConn { return nil }

// GetConnID returns the connection's id.
func (c *Connection) GetConnID() uint32 { return c.ConnID }

// RemoteAddr returns the client's address.
func (c *Connection) RemoteAddr() net.Addr { return c.ec.remoteAddr() }

// SetMaxIdle sets how long this connection may stay silent before the server
// closes it, in place of the configuration's MaxIdle: d > 0 that long,
// counted from now (to the millisecond, at most 24 days); 0 back to
// MaxIdle; d < 0 never. Any frame from the client, a heartbeat included,
// starts the time again. Safe from any goroutine; a start hook is the
// natural place, once the client has said who it is.
func (c *Connection) SetMaxIdle(d time.Duration) {
	c.ec.setMaxIdle(d)
}

// isClosed reports whether the connection has stopped.
func (c *Connection) isClosed() bool { return c.ec.isStopped() }
