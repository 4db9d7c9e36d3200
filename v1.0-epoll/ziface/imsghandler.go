package ziface

// IMsgHandle routes each request to the router registered for its message
// id, and runs the routers on a pool of worker goroutines.
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
	// StartWorkerPool starts the worker goroutines. Later calls do nothing.
	StartWorkerPool()
	// SendMsgToTaskQueue queues request for the worker that serves its
	// connection, waiting while that worker's queue is full. With a pool of
	// size 0 it runs the request at once, as DoMsgHandler does.
	SendMsgToTaskQueue(request IRequest)
}
