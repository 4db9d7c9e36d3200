package znet

import (
	"errors"
	"io"
	"net"
)

// echoBufSize is the course's read buffer: 512 bytes at a time.
const echoBufSize = 512

// serveConn echoes everything conn sends until the client closes it, a read
// or write fails, or Stop closes it. The course's loop did `continue` on a
// read error: after EOF, Read returns at once forever, so the goroutine spun
// at full speed and the socket was never closed. Here any error ends it.
func (s *Server) serveConn(conn net.Conn) {
	defer s.wg.Done()
	defer s.untrack(conn)

	remote := conn.RemoteAddr().String()
	s.log.Debug("connection accepted", "remote", remote)
	buf := make([]byte, echoBufSize)
	for {
		n, err := conn.Read(buf)
		// A read may return data and an error together; echo the data first.
		if n > 0 {
			s.log.Debug("recv client buf", "remote", remote, "data", string(buf[:n]), "cnt", n)
			if _, werr := conn.Write(buf[:n]); werr != nil {
				s.logConnError(remote, werr)
				return
			}
		}
		if err != nil {
			s.logConnError(remote, err)
			return
		}
	}
}

// logConnError says why a connection ended, at a level that matches whose
// doing it was. The policy: WARN is for what an operator should look into,
// and nothing a client does to its own connection is that. A clean close, a
// reset or a vanished client (isPeerGone) is the client's business, and Stop
// closing the socket is the server's own plan: all DEBUG, as this echo
// server logs every connection's life. Any other error is unexpected and
// stays WARN.
func (s *Server) logConnError(remote string, err error) {
	switch {
	case errors.Is(err, io.EOF):
		s.log.Debug("client closed the connection", "remote", remote)
	case errors.Is(err, net.ErrClosed):
		s.log.Debug("connection closed by Stop", "remote", remote)
	case isPeerGone(err):
		s.log.Debug("client reset the connection", "remote", remote, "err", err)
	default:
		s.log.Warn("closing connection: read or write failed", "remote", remote, "err", err)
	}
}
