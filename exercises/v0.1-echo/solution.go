//go:build solution

// Package echo is the exercise "An echo loop that ends" (course chapter 1, V0.1).
//
// The course's V0.1 echo loop did `continue` after a read error, EOF included:
// once the client had gone, the goroutine spun forever and the socket was
// never closed.
package echo

import (
	"errors"
	"io"
	"net"
)

// Echo writes back every byte read from conn, in order, until the peer closes
// its side. Then it closes conn and returns nil. A read or write error other
// than io.EOF is returned, after closing conn. Echo always closes conn.
func Echo(conn net.Conn) (err error) {
	defer func() {
		if cerr := conn.Close(); err == nil {
			err = cerr
		}
	}()
	buf := make([]byte, 4096)
	for {
		n, rerr := conn.Read(buf)
		// A Read may return data and an error together: the data comes first.
		if n > 0 {
			if _, werr := conn.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		if errors.Is(rerr, io.EOF) {
			return nil // the peer closed its side: the echo is complete
		}
		if rerr != nil {
			return rerr
		}
	}
}
