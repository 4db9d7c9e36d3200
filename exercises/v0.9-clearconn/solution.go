//go:build solution

// Package clearconn is the bug hunt "The ClearConn that never returns"
// (course chapter 9, V0.9): the course's connection manager, and a
// connection whose Stop runs the stop hook and removes itself, as the
// course's does.
package clearconn

import (
	"errors"
	"sync"
)

// ErrNotFound is returned by Get for an id no recorded connection has.
var ErrNotFound = errors.New("connection not found")

// Conn is the part of the course's Connection this exercise needs. Its Stop
// is the course's: it runs the server's stop hook, then removes the
// connection from the manager.
type Conn struct {
	ID     uint32
	mgr    *ConnManager
	onStop func(*Conn)

	once    sync.Once
	stopped chan struct{}
}

// NewConn returns a connection with id, managed by mgr, whose Stop calls
// onStop (if not nil) before it removes the connection from mgr.
func NewConn(id uint32, mgr *ConnManager, onStop func(*Conn)) *Conn {
	return &Conn{ID: id, mgr: mgr, onStop: onStop, stopped: make(chan struct{})}
}

// Stop stops the connection once, however often it is called.
func (c *Conn) Stop() {
	c.once.Do(func() {
		close(c.stopped)
		if c.onStop != nil {
			c.onStop(c) // CallOnConnStop
		}
		c.mgr.Remove(c) // c.TcpServer.GetConnMgr().Remove(c)
	})
}

// Stopped is closed once Stop has run.
func (c *Conn) Stopped() <-chan struct{} { return c.stopped }

// ConnManager keeps connections by id. Its lock guards the map and nothing
// else: no method holds it while it calls a connection or a hook.
type ConnManager struct {
	connections map[uint32]*Conn
	connLock    sync.RWMutex
}

// NewConnManager returns an empty manager.
func NewConnManager() *ConnManager {
	return &ConnManager{connections: make(map[uint32]*Conn)}
}

// Add records conn under its id.
func (m *ConnManager) Add(conn *Conn) {
	m.connLock.Lock()
	defer m.connLock.Unlock()
	m.connections[conn.ID] = conn
}

// Remove forgets conn, and only conn: a late Remove must not delete a newer
// connection recorded under the same id (the bug v0.9-connmgr hunts).
func (m *ConnManager) Remove(conn *Conn) {
	m.connLock.Lock()
	defer m.connLock.Unlock()
	if m.connections[conn.ID] == conn {
		delete(m.connections, conn.ID)
	}
}

// Get returns the connection recorded under id.
func (m *ConnManager) Get(id uint32) (*Conn, error) {
	m.connLock.RLock()
	defer m.connLock.RUnlock()
	if conn, ok := m.connections[id]; ok {
		return conn, nil
	}
	return nil, ErrNotFound
}

// Len returns how many connections are recorded. It reads the map, so it
// takes the lock: the course's read it bare while connections left.
func (m *ConnManager) Len() int {
	m.connLock.RLock()
	defer m.connLock.RUnlock()
	return len(m.connections)
}

// ClearConn stops every recorded connection; each Stop removes its own.
// The course held the write lock around conn.Stop(), and Stop calls
// Remove, which asks for that same lock: a deadlock with one connection.
// So copy the connections out under the lock, release it, then stop them.
func (m *ConnManager) ClearConn() {
	m.connLock.RLock()
	conns := make([]*Conn, 0, len(m.connections))
	for _, conn := range m.connections {
		conns = append(conns, conn)
	}
	m.connLock.RUnlock()
	for _, conn := range conns {
		conn.Stop()
	}
}
