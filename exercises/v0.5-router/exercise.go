//go:build !solution

// Package router is the exercise "Hooks in order, and a panic that stays
// put" (course chapter 3, V0.3): the part of a connection that runs each
// request through the router.
package router

import "errors"

// Request is one message a client sent, with the connection it came on.
type Request struct {
	ConnID uint32
	MsgID  uint32
	Data   []byte
}

// IRouter handles requests: for each one, PreHandle, Handle and PostHandle,
// in that order.
type IRouter interface {
	PreHandle(req *Request)
	Handle(req *Request)
	PostHandle(req *Request)
}

// BaseRouter implements IRouter with methods that do nothing. Embed it and
// write only the methods your router needs.
type BaseRouter struct{}

// PreHandle does nothing.
func (BaseRouter) PreHandle(*Request) {}

// Handle does nothing.
func (BaseRouter) Handle(*Request) {}

// PostHandle does nothing.
func (BaseRouter) PostHandle(*Request) {}

// ErrHandlerPanic is wrapped by the error Serve returns when a router method
// panicked.
var ErrHandlerPanic = errors.New("router: handler panicked")

// Serve runs one connection's requests through router, in the order they
// arrive on reqs, until reqs is closed (then it returns nil) or a router
// method panics. For each request it calls PreHandle, Handle and PostHandle,
// in that order, and finishes them before it takes the next request; when it
// returns, no router method of this connection is still running.
//
// If a router method panics, Serve recovers, calls none of that request's
// remaining methods and takes no more requests, and returns an error that
// wraps ErrHandlerPanic and names the message id and the panic value. The
// caller then closes this connection; the process and every other
// connection carry on.
func Serve(router IRouter, reqs <-chan *Request) error {
	// TODO(learner): this is the course's V0.3 reader: one goroutine per
	// request, nobody waiting for it, nothing recovering its panics.
	for req := range reqs {
		go func(request *Request) {
			router.PreHandle(request)
			router.Handle(request)
			router.PostHandle(request)
		}(req)
	}
	return nil
}
