// Package ziface declares what a Zinx server is, apart from how it works.
package ziface

import "net"

// IServer is a TCP server.
//
// The course's interface is Start, Stop and Serve with no results. Start and
// Serve return an error here because a server that cannot bind must say so to
// its caller, and Addr exists so that a server bound to port 0 (as every test
// is) can tell its clients where to connect. Calls written the course's way,
// such as s.Serve() as a statement, still compile.
type IServer interface {
	// Start binds the listener and begins accepting connections in the
	// background. It returns once the address is bound, or with the reason it
	// could not be.
	Start() error
	// Stop closes the listener and every live connection, and returns only
	// after every goroutine the server started has exited. It is safe to call
	// more than once and from several goroutines at once.
	Stop()
	// Serve starts the server unless Start already has, then blocks until Stop
	// is called or the process receives SIGINT or SIGTERM, and stops cleanly.
	Serve() error
	// Addr returns the address the server is bound to, or nil before Start.
	Addr() net.Addr
	// AddRouter registers router for the requests whose message id is msgId.
	// Every route is added before Start; a second router for the same id, or
	// a route added after Start, panics (see IMsgHandle.AddRouter). A server
	// needs at least one route before it starts.
	AddRouter(msgId uint32, router IRouter)
}
