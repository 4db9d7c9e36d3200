//go:build !solution

// Package dispatch is the exercise "One router per message id" (course
// chapter 6, V0.6): the message handler that picks a router by the id of
// each request.
package dispatch

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
// message, "repeated api , msgId = N", and the first router stays.
func (mh *MsgHandle) AddRouter(msgId uint32, router IRouter) {
	// TODO(learner): a second router for the same id silently replaces the
	// first one.
	mh.Apis[msgId] = router
}

// DoMsgHandler runs req through the router of its message id: PreHandle,
// Handle, PostHandle. A request whose id has no router is reported with
// logf("api msgId = %d is not FOUND!", id) and dropped; the connection, and
// the process, carry on.
func (mh *MsgHandle) DoMsgHandler(req *Request) {
	// TODO(learner): a client can crash the server here by sending an id
	// nobody registered. And where did PreHandle and PostHandle go?
	router := mh.Apis[req.MsgID]
	router.Handle(req)
}
