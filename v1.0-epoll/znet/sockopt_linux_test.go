package znet

import (
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// smallRcvBuf is a net.Dialer Control that sets a 4 KiB receive buffer
// before connecting, so the server's writes hit EAGAIN early.
func smallRcvBuf(network, address string, rc syscall.RawConn) error {
	var serr error
	err := rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, 4096)
	})
	if err != nil {
		return err
	}
	return serr
}

func deadline() time.Time { return time.Now().Add(testDeadline) }
