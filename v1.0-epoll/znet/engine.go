package znet

import (
	"errors"
	"log/slog"
	"time"
)

// engineHandler is what the engine calls as connections come and go and
// frames arrive. onAccept runs on the acceptor, onDrop on the acceptor or a
// loop, every other call on the connection's event loop. None may block:
// the acceptor and the loops serve every other connection.
type engineHandler interface {
	// onAccept runs on the acceptor for each new connection, before it is
	// handed to a loop; false refuses it (the descriptor is closed at once,
	// and nothing else is called for it). After true, exactly one of onOpen
	// (and later onClose) or onDrop follows.
	onAccept(c *conn) bool
	// onDrop runs, instead of onOpen and onClose, for a connection onAccept
	// admitted that no loop could open: its loop had exited, or epoll
	// refused it. The connection is already marked closed (sends fail); its
	// descriptor is closed after the call. It runs on the acceptor or on a
	// loop.
	onDrop(c *conn)
	// onOpen runs once a connection is registered with its loop, before its
	// first frame.
	onOpen(c *conn)
	// onFrame runs for each whole frame. payload aliases the loop's buffers
	// and is valid only during the call: keep a copy to use it later. It may
	// call c.pause to stop the loop reading c until c.resume.
	onFrame(c *conn, msgID uint32, payload []byte)
	// onFramesEnd runs after the frames of one read (or of a resume) have
	// all been through onFrame, even when the last of them was followed by
	// a bad one: it is the moment to act on them together. It too may call
	// c.pause; the loop reads c no further until c.resume.
	onFramesEnd(c *conn)
	// onClose runs once for each connection onOpen ran for, after it has
	// been marked closed (sends fail) and before its descriptor is closed.
	// reason is io.EOF when the peer closed (io.ErrUnexpectedEOF in the
	// middle of a frame), nil when the connection was closed by close or by
	// the engine stopping; otherwise the first error that ended it: errIdle,
	// ErrPacketTooLarge, errOutboundFull, or a failed read's or write's.
	onClose(c *conn, reason error)
}

// engineConfig is what startEngine needs. Zero fields take the defaults
// below.
type engineConfig struct {
	network    string        // "tcp", "tcp4" or "tcp6"; default "tcp"
	addr       string        // host:port to listen on
	loops      int           // event loops; default GOMAXPROCS
	maxPacket  uint32        // largest payload accepted; a larger header closes the connection
	maxOut     int           // cap on a connection's unsent bytes; past it the connection closes
	readBudget int           // bytes read from one connection per loop turn before others get a go
	maxIdle    time.Duration // close connections silent this long; 0: never
	tick       time.Duration // timing wheel tick; default 1 s
	// maxConn refuses connections past this many; 0: no limit. It is for
	// the engine on its own (its tests): the Server leaves it 0 and counts
	// MaxConn in onAccept, where it can also log the refusal.
	maxConn int
	now     func() time.Time
	handler engineHandler
	log     *slog.Logger
}

const (
	frameHeaderLen    = headLen // the wire header datapack.go describes
	defaultMaxPacket  = 4096
	defaultMaxOut     = 4 << 20
	defaultReadBudget = 256 << 10
	loopBufferSize    = 64 << 10
	maxRingSize       = 1 << 30
)

// ErrNeedsLinux is returned by Start on any system but Linux: the engine is
// built on epoll, which only Linux has. v0.9 serves the same API anywhere.
var ErrNeedsLinux = errors.New("zinx v1.0-epoll: the epoll engine needs Linux; use v0.9 on this system")

// Reasons a connection is closed, as logged and passed to onClose, besides
// ErrPacketTooLarge (datapack.go).
var (
	errOutboundFull = errors.New("outbound buffer over its cap: the peer is not reading")
	errIdle         = errors.New("idle for longer than MaxIdle")
)
