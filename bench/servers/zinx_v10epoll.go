package servers

import (
	"log/slog"

	"zinx/bench/frame"
	"zinx/v1.0-epoll/utils"
	"zinx/v1.0-epoll/ziface"
	"zinx/v1.0-epoll/znet"
)

func init() {
	Register(Entry{
		Name:  "v1.0-epoll",
		Kind:  Version,
		Doc:   "zinx v1.0-epoll: the v0.9 API on an epoll reactor (acceptor, event loops, ring buffers, timing wheel)",
		DocZH: "zinx v1.0-epoll：v0.9 的 API 跑在 epoll reactor 上（acceptor、事件循环、环形缓冲区、时间轮）",
		Start: func(addr string, log *slog.Logger) (Server, error) {
			return startV10Epoll(addr, log, utils.Defaults().WorkerPoolSize)
		},
	})
	Register(Entry{
		Name:  "v1.0-epoll-loop",
		Kind:  Version,
		Doc:   "zinx v1.0-epoll with WorkerPoolSize 0: handlers run on the event loop, as gnet's do (only for handlers that never block)",
		DocZH: "zinx v1.0-epoll，WorkerPoolSize 为 0：处理函数直接跑在事件循环上，和 gnet 一样（只适合从不阻塞的处理函数）",
		Start: func(addr string, log *slog.Logger) (Server, error) {
			return startV10Epoll(addr, log, 0)
		},
	})
	Register(Entry{
		Name:  "v1.0-epoll-reuse",
		Kind:  Version,
		Doc:   "v1.0-epoll-loop with RequestPoolMode: each request recycled once its handler returns (for handlers that never keep one)",
		DocZH: "v1.0-epoll-loop 再打开 RequestPoolMode：处理函数返回后请求就被回收（只适合从不留着请求的处理函数）",
		Start: func(addr string, log *slog.Logger) (Server, error) {
			return startV10Epoll(addr, log, 0, withRequestPool)
		},
	})
}

// withRequestPool turns RequestPoolMode on.
func withRequestPool(cfg *utils.GlobalObj) { cfg.RequestPoolMode = true }

// echoV10Epoll answers with SendMsg, as v0.8's router does; v0.9's uses
// SendBuffMsg, the chapter 9 demo's call. In v1.0-epoll SendMsg is the
// path a reply takes within its queue entry's one write; SendBuffMsg
// queues the frame and asks the loop to write it, a wake-up the entry's
// write makes needless. Compare v0.9 with v1.0-epoll knowing the two
// routers differ.
type echoV10Epoll struct{ znet.BaseRouter }

func (echoV10Epoll) Handle(req ziface.IRequest) {
	req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

// startV10Epoll runs v1.0-epoll with workers in its pool: the default, as a
// learner would, or 0, which runs the handlers on the event loops, the
// explicit mode for handlers that never block. That one is gnet's way, so
// it measures the engine against gnet's without the hand-off to a worker.
// opts change the configuration further: RequestPoolMode, for the cost of
// the promise that a handler may keep its request.
func startV10Epoll(addr string, log *slog.Logger, workers uint32, opts ...func(*utils.GlobalObj)) (Server, error) {
	cfg := utils.Defaults()
	cfg.Name = "bench-v1.0-epoll"
	cfg.MaxPacketSize = MaxPayload
	cfg.WorkerPoolSize = workers
	for _, opt := range opts {
		opt(&cfg)
	}
	s := znet.NewServer(znet.WithAddr(addr), znet.WithConfig(cfg), znet.WithLogger(log))
	s.AddRouter(frame.EchoMsgID, echoV10Epoll{})
	if err := s.Start(); err != nil {
		return nil, err
	}
	return stopper{s}, nil
}
