package znet

import (
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"zinx/v0.8/utils"
	"zinx/v0.8/ziface"
)

// MsgHandle implements ziface.IMsgHandle: it finds the router for each
// request's message id and runs it, on a pool of worker goroutines
// (workerpool.go) or, with a pool of size 0, on the caller's goroutine.
//
// Routes are fixed once the server starts. Apis is read by every connection
// without a lock, which is safe only because nothing writes it any more:
// AddRouter refuses once Start has begun, and the course's map, written
// while connections read it, was a data race.
type MsgHandle struct {
	// Apis maps each message id to its router. Add routes with AddRouter,
	// not by writing the map.
	Apis map[uint32]ziface.IRouter
	// WorkerPoolSize is how many workers StartWorkerPool starts; 0 runs each
	// request on the goroutine that calls SendMsgToTaskQueue.
	WorkerPoolSize uint32
	// TaskQueue holds each worker's queue, made by StartWorkerPool.
	TaskQueue []chan ziface.IRequest

	log        *slog.Logger
	maxTaskLen uint32 // each queue's capacity

	mu     sync.Mutex
	sealed bool // set by StartWorkerPool (Start calls it): Apis is read-only from then on

	startOnce sync.Once
	poolSize  uint32 // WorkerPoolSize as StartWorkerPool read it
	quit      chan struct{}
	stopOnce  sync.Once
	workers   sync.WaitGroup
	busy      atomic.Int32 // workers running a handler
}

// NewMsgHandle returns a MsgHandle with no routes, sized by
// utils.GlobalObject's WorkerPoolSize and MaxWorkerTaskLen, that logs to
// utils.Logger(). A server builds its own from its configuration snapshot.
func NewMsgHandle() *MsgHandle {
	g := utils.GlobalObject
	return newMsgHandle(utils.Logger(), g.WorkerPoolSize, g.MaxWorkerTaskLen)
}

func newMsgHandle(log *slog.Logger, poolSize, maxTaskLen uint32) *MsgHandle {
	return &MsgHandle{
		Apis:           make(map[uint32]ziface.IRouter),
		WorkerPoolSize: poolSize,
		log:            log,
		maxTaskLen:     maxTaskLen,
		quit:           make(chan struct{}),
	}
}

// AddRouter registers router for message id msgId. It panics if msgId
// already has a router, if router is nil (every request of that id would
// panic in its handler), or if the server has started: all are mistakes in
// the program, found on its first run, like http.ServeMux's panic on a
// pattern registered twice.
func (mh *MsgHandle) AddRouter(msgId uint32, router ziface.IRouter) {
	mh.mu.Lock()
	defer mh.mu.Unlock()
	if mh.sealed {
		panic(fmt.Sprintf("zinx: AddRouter(%d) after the server started: add every route before Start or Serve", msgId))
	}
	if _, ok := mh.Apis[msgId]; ok {
		panic(fmt.Sprintf("repeated api , msgId = %d", msgId))
	}
	if router == nil {
		panic(fmt.Sprintf("zinx: AddRouter(%d, nil): a router is required", msgId))
	}
	mh.Apis[msgId] = router
	mh.log.Info("Add api", "msg_id", msgId)
}

// routes returns how many message ids have a router.
func (mh *MsgHandle) routes() int {
	mh.mu.Lock()
	defer mh.mu.Unlock()
	return len(mh.Apis)
}

// seal fixes the routes; AddRouter panics from then on. Every goroutine that
// reads Apis is started after seal, so the mutex orders the last write
// before every read.
func (mh *MsgHandle) seal() {
	mh.mu.Lock()
	defer mh.mu.Unlock()
	mh.sealed = true
}

// DoMsgHandler runs request through its router on the calling goroutine:
// PreHandle, Handle, PostHandle. An unknown message id is logged and the
// request dropped; the connection goes on. A panicking router is recovered
// and logged, and stops the request's connection only.
func (mh *MsgHandle) DoMsgHandler(request ziface.IRequest) {
	router, ok := mh.Apis[request.GetMsgID()]
	if !ok {
		mh.log.Warn(fmt.Sprintf("api msgId = %d is not FOUND!", request.GetMsgID()),
			"conn_id", request.GetConnection().GetConnID(), "action", "request dropped")
		return
	}
	defer func() {
		if p := recover(); p != nil {
			conn := request.GetConnection()
			mh.log.Error("handler panicked, closing connection", "conn_id", conn.GetConnID(),
				"msg_id", request.GetMsgID(), "panic", p, "stack", string(debug.Stack()))
			conn.Stop()
		}
	}()
	router.PreHandle(request)
	router.Handle(request)
	router.PostHandle(request)
}
