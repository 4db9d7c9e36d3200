package ziface

// IRouter handles requests. For each request the server calls PreHandle,
// Handle and PostHandle, in that order, before it runs the connection's next
// request. Embed znet.BaseRouter to implement only the methods you need.
type IRouter interface {
	// PreHandle runs before Handle.
	PreHandle(request IRequest)
	// Handle does the request's work.
	Handle(request IRequest)
	// PostHandle runs after Handle.
	PostHandle(request IRequest)
}
