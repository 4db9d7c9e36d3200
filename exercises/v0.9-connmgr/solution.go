//go:build solution

// Package connmgr is the exercise "A connection manager" (course chapter 9,
// V0.9): the server's live connections, kept by id.
package connmgr

import (
	"errors"
	"sync"
)

// ErrNotFound is returned by Get for an id no recorded connection has.
var ErrNotFound = errors.New("connection not found")

// Conn is what the manager needs of a connection.
type Conn interface {
	GetConnID() uint32
	Stop()
}

// ConnManager keeps connections by id. Every method may be called from any
// goroutine, many at once.
type ConnManager struct {
	mu    sync.RWMutex // guards conns; Len and Get only read, so they share it
	conns map[uint32]Conn
}

// NewConnManager returns an empty manager.
func NewConnManager() *ConnManager {
	return &ConnManager{conns: make(map[uint32]Conn)}
}

// Add records conn under its id.
func (m *ConnManager) Add(conn Conn) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.conns[conn.GetConnID()] = conn
}

// Remove forgets conn, but only if conn is the connection recorded under
// its id: a late Remove of an old connection must not drop a newer one that
// reuses the id.
func (m *ConnManager) Remove(conn Conn) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id := conn.GetConnID(); m.conns[id] == conn {
		delete(m.conns, id)
	}
}

// Get returns the connection recorded under id, or ErrNotFound.
func (m *ConnManager) Get(id uint32) (Conn, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if conn, ok := m.conns[id]; ok {
		return conn, nil
	}
	return nil, ErrNotFound
}

// Len returns how many connections are recorded. It takes the lock too: a
// map read while another goroutine writes it is a data race.
func (m *ConnManager) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.conns)
}
