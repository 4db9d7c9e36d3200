//go:build solution

// Package dispatch is the exercise "One router per message id" (course
// chapter 6, V0.6): the message handler that picks a router by the id of
// each request.
package dispatch

import "fmt"

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

// MsgHandle maps message ids to routers, as the course's V0.6 MsgHandle does.
type MsgHandle struct {
	// Apis holds the router of each message id.
	Apis map[uint32]IRouter
	// logf reports what the handler could not do.
	logf func(format string, args ...any)
}

// NewMsgHandle returns a MsgHandle with no routes that reports to logf.
func NewMsgHandle(logf func(format string, args ...any)) *MsgHandle {
	return &MsgHandle{Apis: make(map[uint32]IRouter), logf: logf}
}

// AddRouter registers router for message id msgId. A second router for the
// same id is a mistake in the program: AddRouter panics with the course's
// message, "repeated api , msgId = N", and the first router stays. A panic,
// not an error, because the mistake is in the code, is found on the first
// run, and must not be ignored: http.ServeMux does the same.
func (mh *MsgHandle) AddRouter(msgId uint32, router IRouter) {
	if _, ok := mh.Apis[msgId]; ok {
		panic(fmt.Sprintf("repeated api , msgId = %d", msgId))
	}
	mh.Apis[msgId] = router
}

// DoMsgHandler runs req through the router of its message id: PreHandle,
// Handle, PostHandle. A request whose id has no router is reported with
// logf("api msgId = %d is not FOUND!", id) and dropped; the connection, and
// the process, carry on.
func (mh *MsgHandle) DoMsgHandler(req *Request) {
	router, ok := mh.Apis[req.MsgID]
	if !ok {
		// A missing key gives a nil IRouter: calling it would panic, and a
		// client chooses the id. Report it, drop the request, go on.
		mh.logf("api msgId = %d is not FOUND!", req.MsgID)
		return
	}
	router.PreHandle(req)
	router.Handle(req)
	router.PostHandle(req)
}
