// Package ziface declares what a Zinx server is, apart from how it works.
package ziface

import (
	"context"
	"net"
)

// IServer is a TCP server.
//
// The course's interface is Start, Stop and Serve with no results. Start and
// Serve return an error here because a server that cannot bind must say so to
// its caller, and Addr exists so that a server bound to port 0 (as every test
// is) can tell its clients where to connect. Shutdown is Stop with a
// deadline, for a program that must exit even if a handler never returns.
// Calls written the course's way, such as s.Serve() as a statement, still
// compile.
type IServer interface {
	// Start binds the listener and begins accepting connections in the
	// background. It returns once the address is bound, or with the reason it
	// could not be, which it also logs at ERROR.
	Start() error
	// Stop closes the listener and every live connection, and returns only
	// after every goroutine the server started, workers included, has exited. It is safe to call
	// more than once and from several goroutines at once.
	Stop()
	// Shutdown stops the server as Stop does but waits only until ctx ends.
	// Then it returns an error wrapping ctx.Err() that says how many
	// connections and workers were still busy; a later Stop still waits for
	// them.
	Shutdown(ctx context.Context) error
	// Serve starts the server unless Start already has, then blocks until it
	// stops. The first SIGINT or SIGTERM starts a Shutdown bounded by a grace
	// period, and a second one ends the process at once. Serve returns nil
	// after a clean stop, or why the server could not start or stop in time.
	Serve() error
	// Addr returns the address the server is bound to, or nil before Start.
	Addr() net.Addr
	// AddRouter registers router for the requests whose message id is msgId.
	// Every route is added before Start; a second router for the same id, or
	// a route added after Start, panics (see IMsgHandle.AddRouter). A server
	// needs at least one route before it starts.
	AddRouter(msgId uint32, router IRouter)
	// GetConnMgr returns the manager of the server's live connections.
	GetConnMgr() IConnManager
	// SetOnConnStart sets the hook run once for each accepted connection,
	// on that connection's reader goroutine, before its first request is
	// handled. It may send on the connection. nil removes the hook.
	SetOnConnStart(func(IConnection))
	// SetOnConnStop sets the hook run once for each connection whose
	// OnConnStart ran, after it and after the connection's last handler has
	// returned, whoever ended the connection; Stop returns only after it.
	// The connection has stopped: sends return ErrConnClosed. nil removes it.
	SetOnConnStop(func(IConnection))
	// CallOnConnStart runs the start hook, if any, for conn. A panic in the
	// hook is recovered and logged, and stops conn.
	CallOnConnStart(conn IConnection)
	// CallOnConnStop runs the stop hook, if any, for conn. A panic in the
	// hook is recovered and logged.
	CallOnConnStop(conn IConnection)
}
