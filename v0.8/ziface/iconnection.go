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
	// GetConnID returns the connection's id, counted from 0 in accept order.
	GetConnID() uint32
	// RemoteAddr returns the client's address.
	RemoteAddr() net.Addr
	// SendMsg packs data as a message with id msgId and writes it to the
	// client. It returns an error if the message is too large to send or the
	// connection is closed.
	SendMsg(msgId uint32, data []byte) error
}
