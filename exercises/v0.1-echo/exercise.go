//go:build !solution

// Package echo is the exercise "An echo loop that ends" (course chapter 1, V0.1).
//
// The course's V0.1 echo loop did `continue` after a read error, EOF included:
// once the client had gone, the goroutine spun forever and the socket was
// never closed.
package echo

import "net"

// Echo writes back every byte read from conn, in order, until the peer closes
// its side. Then it closes conn and returns nil. A read or write error other
// than io.EOF is returned, after closing conn. Echo always closes conn.
func Echo(conn net.Conn) error {
	buf := make([]byte, 512)
	// TODO(learner): this echoes the first Read only and leaves conn open.
	// Loop until the peer closes (io.EOF), write back the n bytes a Read
	// returned before looking at its error, and close conn when done.
	n, err := conn.Read(buf)
	if err != nil {
		return err
	}
	_, err = conn.Write(buf[:n])
	return err
}
