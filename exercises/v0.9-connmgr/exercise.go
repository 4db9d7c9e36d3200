//go:build !solution

// Package connmgr is the exercise "A connection manager" (course chapter 9,
// V0.9): the server's live connections, kept by id.
package connmgr

import "errors"

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
	// TODO(learner): a map from id to connection, and what guards it.
}

// NewConnManager returns an empty manager.
func NewConnManager() *ConnManager {
	return &ConnManager{}
}

// Add records conn under its id.
func (m *ConnManager) Add(conn Conn) {
	// TODO(learner)
}

// Remove forgets conn, but only if conn is the connection recorded under
// its id: a late Remove of an old connection must not drop a newer one that
// reuses the id.
func (m *ConnManager) Remove(conn Conn) {
	// TODO(learner)
}

// Get returns the connection recorded under id, or ErrNotFound.
func (m *ConnManager) Get(id uint32) (Conn, error) {
	// TODO(learner)
	return nil, ErrNotFound
}

// Len returns how many connections are recorded.
func (m *ConnManager) Len() int {
	// TODO(learner)
	return 0
}
