package znet

import (
	"errors"
	"fmt"
	"sync"

	"zinx/v1.0-epoll/ziface"
)

// ErrConnNotFound is returned by ConnManager.Get for an id no live
// connection has.
var ErrConnNotFound = errors.New("zinx: connection not found")

// ConnManager implements ziface.IConnManager: a map from connection id to
// connection behind a read-write lock.
//
// The lock guards the map and nothing else. No method calls a connection's
// Stop, a hook or any other code while holding it, which is what keeps
// ClearConn from deadlocking: the course's ClearConn held the write lock
// while it called conn.Stop(), and Stop called Remove(), which asked for the
// same lock, so Server.Stop hung on the first live connection.
type ConnManager struct {
	connLock    sync.RWMutex
	connections map[uint32]ziface.IConnection
}

// NewConnManager returns an empty manager.
func NewConnManager() *ConnManager {
	return &ConnManager{connections: make(map[uint32]ziface.IConnection)}
}

// Add records conn under its id, replacing whatever was recorded there. A
// server never reuses a live connection's id, so for its own connections
// nothing is ever replaced.
func (m *ConnManager) Add(conn ziface.IConnection) {
	m.connLock.Lock()
	defer m.connLock.Unlock()
	m.connections[conn.GetConnID()] = conn
}

// Remove forgets conn, if it is the connection recorded under its id: a
// stale Remove must not drop a newer connection that reuses the id.
func (m *ConnManager) Remove(conn ziface.IConnection) {
	m.connLock.Lock()
	defer m.connLock.Unlock()
	id := conn.GetConnID()
	if m.connections[id] == conn {
		delete(m.connections, id)
	}
}

// Get returns the connection recorded under connID.
func (m *ConnManager) Get(connID uint32) (ziface.IConnection, error) {
	m.connLock.RLock()
	defer m.connLock.RUnlock()
	if conn, ok := m.connections[connID]; ok {
		return conn, nil
	}
	return nil, fmt.Errorf("%w: id %d", ErrConnNotFound, connID)
}

// Len returns how many connections are recorded. It takes the read lock: the
// course read the map bare while other goroutines removed from it, a data
// race.
func (m *ConnManager) Len() int {
	m.connLock.RLock()
	defer m.connLock.RUnlock()
	return len(m.connections)
}

// ClearConn stops every recorded connection. It copies the connections out
// under the read lock and stops them after letting it go, so a Stop that
// calls Remove, or a hook that calls Get, finds the lock free. It does not
// wait and does not remove: each of a server's connections removes itself
// once its stop hook has run, and its MaxConn slot frees only then.
func (m *ConnManager) ClearConn() {
	for _, conn := range m.snapshot() {
		conn.Stop()
	}
}

// snapshot returns the recorded connections.
func (m *ConnManager) snapshot() []ziface.IConnection {
	m.connLock.RLock()
	defer m.connLock.RUnlock()
	conns := make([]ziface.IConnection, 0, len(m.connections))
	for _, conn := range m.connections {
		conns = append(conns, conn)
	}
	return conns
}

// has reports whether some live connection has id.
func (m *ConnManager) has(id uint32) bool {
	m.connLock.RLock()
	defer m.connLock.RUnlock()
	_, ok := m.connections[id]
	return ok
}
