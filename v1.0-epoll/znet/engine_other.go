//go:build !linux

package znet

import "net"

// engine on a system without epoll: startEngine says so.
type engine struct{}

func startEngine(cfg engineConfig) (*engine, error) { return nil, errNeedsLinux }

func (e *engine) addr() net.Addr { return nil }
func (e *engine) stop()          {}

// conn exists so that the code above the engine compiles everywhere.
type conn struct{}
