package ziface

// IMsgHandle routes each request to the router registered for its message
// id.
type IMsgHandle interface {
	// DoMsgHandler runs request through the router for its message id, on
	// the calling goroutine. A request whose id has no router is logged and
	// dropped. A panicking router is recovered and stops only the request's
	// connection.
	DoMsgHandler(request IRequest)
	// AddRouter registers router for message id msgId. Registering an id
	// twice, or any id once the server has started, is a programming error
	// and panics, as http.ServeMux does for a conflicting pattern.
	AddRouter(msgId uint32, router IRouter)
}
