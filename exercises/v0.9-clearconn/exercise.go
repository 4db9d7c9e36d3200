//go:build !solution

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
// connection from the manager. It is correct as it is; the bug is not here.
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

// ConnManager is the course's connection manager, as the course wrote it.
//
// TODO(learner): the tests report a ClearConn (and so a Server.Stop) that
// never returns, and a data race. Find out why and fix it.
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

// Remove forgets conn.
func (m *ConnManager) Remove(conn *Conn) {
	m.connLock.Lock()
	defer m.connLock.Unlock()
	delete(m.connections, conn.ID)
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

// Len returns how many connections are recorded.
func (m *ConnManager) Len() int {
	return len(m.connections)
}

// ClearConn stops every recorded connection and forgets it. Server.Stop
// calls it.
func (m *ConnManager) ClearConn() {
	m.connLock.Lock()
	defer m.connLock.Unlock()
	for connID, conn := range m.connections {
		conn.Stop()
		delete(m.connections, connID)
	}
}
