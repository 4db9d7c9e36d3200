package main

import (
	"fmt"
	"net"
	"syscall"
)

// rawConn is a client socket as a bare descriptor: a net.Conn would put
// several hundred bytes per connection on this process's heap, and the
// point is to measure the server's.
type rawConn int

func dialRaw(addr *net.TCPAddr) (rawConn, error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	sa := &syscall.SockaddrInet4{Port: addr.Port}
	copy(sa.Addr[:], addr.IP.To4())
	if err := syscall.Connect(fd, sa); err != nil {
		syscall.Close(fd)
		return -1, err
	}
	return rawConn(fd), nil
}

// roundTrip writes req and reads len(reply) bytes back (blocking).
func (c rawConn) roundTrip(req, reply []byte) error {
	if _, err := syscall.Write(int(c), req); err != nil {
		return err
	}
	for got := 0; got < len(reply); {
		n, err := syscall.Read(int(c), reply[got:])
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("server closed the connection")
		}
		got += n
	}
	return nil
}

func (c rawConn) Close() error { return syscall.Close(int(c)) }
