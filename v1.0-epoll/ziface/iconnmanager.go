package ziface

// IConnManager keeps a server's live connections by id. Every method is safe
// to call from any goroutine, hooks and handlers included: no method holds
// the manager's lock while it calls into a connection or into user code.
type IConnManager interface {
	// Add records conn under its id.
	Add(conn IConnection)
	// Remove forgets conn. It does nothing if conn is not the connection
	// recorded under its id. A server's connection removes itself once it has
	// stopped and its OnConnStop hook has returned; that frees its MaxConn
	// slot. It does not stop conn.
	Remove(conn IConnection)
	// Get returns the live connection with id connID, or an error if there is
	// none.
	Get(connID uint32) (IConnection, error)
	// Len returns how many connections are recorded.
	Len() int
	// ClearConn stops every recorded connection and returns without waiting
	// for them: each leaves the manager when its own goroutines have finished
	// with it. Server.Stop is what waits. It is safe to call from a hook or a
	// handler.
	ClearConn()
}
