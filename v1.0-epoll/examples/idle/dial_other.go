//go:build !linux

package main

import (
	"io"
	"net"
)

// rawConn is a net.Conn elsewhere; the server does not start there anyway
// (the engine needs Linux), so this only keeps the program compiling.
type rawConn struct{ net.Conn }

func dialRaw(addr *net.TCPAddr) (rawConn, error) {
	c, err := net.DialTCP("tcp", nil, addr)
	return rawConn{c}, err
}

func (c rawConn) roundTrip(req, reply []byte) error {
	if _, err := c.Write(req); err != nil {
		return err
	}
	_, err := io.ReadFull(c, reply)
	return err
}
