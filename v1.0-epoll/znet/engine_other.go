//go:build !linux

package znet

import (
	"net"
	"time"
)

// On a system without epoll the engine does not start: startEngine says
// why, and Server.Start returns that error. The types below let the rest of
// the package compile; nothing ever calls their methods.

type engine struct{}

func startEngine(engineConfig) (*engine, error) { return nil, ErrNeedsLinux }

func (e *engine) addr() net.Addr { return nil }
func (e *engine) stop()          {}

type conn struct{ ctx *Connection }

func (c *conn) send([]byte) error            { return ErrNeedsLinux }
func (c *conn) sendQueued(_, _ []byte) error { return ErrNeedsLinux }
func (c *conn) sendMsg(uint32, []byte) error { return ErrNeedsLinux }
func (c *conn) queue([]byte) error           { return ErrNeedsLinux }
func (c *conn) close()                       {}
func (c *conn) isStopped() bool              { return true }
func (c *conn) remoteAddr() net.Addr         { return nil }
func (c *conn) pause()                       {}
func (c *conn) resume()                      {}
func (c *conn) hold(int)                     {}
func (c *conn) release(int)                  {}
func (c *conn) batch() *burst                { return nil }
func (c *conn) allocator() *readAlloc        { return nil }
func (c *conn) setMaxIdle(time.Duration)     {}
