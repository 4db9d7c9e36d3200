package znet

import "zinx/v1.0-epoll/ziface"

// BaseRouter implements ziface.IRouter with methods that do nothing. Embed it
// in a router and write only the methods that router needs.
type BaseRouter struct{}

// PreHandle does nothing.
func (BaseRouter) PreHandle(ziface.IRequest) {}

// Handle does nothing.
func (BaseRouter) Handle(ziface.IRequest) {}

// PostHandle does nothing.
func (BaseRouter) PostHandle(ziface.IRequest) {}
