package ziface

import "net"

// IConnection is one client's connection to the server.
type IConnection interface {
	// Start begins reading requests from the client in the background.
	Start()
	// Stop closes the connection. It is safe to call more than once and from
	// any goroutine, including a handler running on this connection.
	Stop()
	// GetTCPConnection returns the underlying socket.
	GetTCPConnection() *net.TCPConn
	// GetConnID returns the connection's id, counted from 0 in accept order
	// and unique among the server's live connections.
	GetConnID() uint32
	// RemoteAddr returns the client's address.
	RemoteAddr() net.Addr
	// SendMsg packs data as a message with id msgId and hands the frame to
	// the connection's writer goroutine. It waits while the writer's queue is
	// full, and returns ErrConnClosed as soon as the connection stops, so it
	// never blocks forever. nil means the frame is queued, not delivered:
	// frames still queued when the connection stops are dropped. It returns
	// an error, and sends nothing, if the message is too large to send.
	SendMsg(msgId uint32, data []byte) error
	// SendBuffMsg is SendMsg by the course's other name: both put frames on
	// the same queue of MaxMsgChanLen frames, so frames sent by one goroutine
	// arrive in the order sent whichever of the two sent them. Like SendMsg
	// it waits while the queue is full, returns ErrConnClosed once the
	// connection stops (a sender waiting on a full queue included), and
	// never panics.
	SendBuffMsg(msgId uint32, data []byte) error
}
