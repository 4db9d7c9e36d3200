package znet

import (
	"runtime/debug"

	"zinx/v1.0-epoll/ziface"
)

// connHook is the type of OnConnStart and OnConnStop.
type connHook = func(ziface.IConnection)

// SetOnConnStart sets the hook run once for each accepted connection, as
// the first task on the connection's worker, before its first request is
// handled; with WorkerPoolSize 0 it runs on the event loop and must not
// block. It
// may be called at any time; a connection accepted afterwards sees the new
// hook. nil removes it.
func (s *Server) SetOnConnStart(hook func(ziface.IConnection)) {
	s.onConnStart.Store(&hook)
}

// SetOnConnStop sets the hook run once for each connection whose start hook
// ran (or would have, had one been set), after the connection has stopped
// and its last handler has returned, and before the connection leaves the
// manager. nil removes it.
func (s *Server) SetOnConnStop(hook func(ziface.IConnection)) {
	s.onConnStop.Store(&hook)
}

// CallOnConnStart runs the start hook for conn, if one is set. A panicking
// hook is recovered and logged, and stops conn: a connection its start hook
// could not set up should not be served. The stop hook still runs for it.
func (s *Server) CallOnConnStart(conn ziface.IConnection) {
	if s.callHook("OnConnStart", s.onConnStart.Load(), conn) {
		conn.Stop()
	}
}

// CallOnConnStop runs the stop hook for conn, if one is set. A panicking
// hook is recovered and logged; the connection is cleaned up all the same.
func (s *Server) CallOnConnStop(conn ziface.IConnection) {
	s.callHook("OnConnStop", s.onConnStop.Load(), conn)
}

// callHook runs hook with conn and reports whether it panicked. No lock is
// held while a hook runs, so a hook may use the connection manager, send,
// or stop connections.
func (s *Server) callHook(name string, hook *connHook, conn ziface.IConnection) (panicked bool) {
	if hook == nil || *hook == nil {
		return false
	}
	defer func() {
		if p := recover(); p != nil {
			s.log.Error(name+" hook panicked", "conn_id", conn.GetConnID(),
				"panic", p, "stack", string(debug.Stack()))
			panicked = true
		}
	}()
	s.log.Debug("---> Call"+name+"....", "conn_id", conn.GetConnID())
	(*hook)(conn)
	return false
}
