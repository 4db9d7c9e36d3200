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
				s.log.Warn("write back failed, closing connection", "remote", remote, "err", werr)
				return
			}
		}
		switch {
		case err == nil:
			continue
		case errors.Is(err, io.EOF):
			s.log.Debug("client closed the connection", "remote", remote)
		case errors.Is(err, net.ErrClosed):
			s.log.Debug("connection closed by Stop", "remote", remote)
		default:
			s.log.Warn("read failed, closing connection", "remote", remote, "err", err)
		}
		return
	}
}
