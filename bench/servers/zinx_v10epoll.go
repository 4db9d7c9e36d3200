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
		Start: startV10Epoll,
	})
}

// echoV10Epoll is the router a chapter 9 application would write: the same
// as v0.9's.
type echoV10Epoll struct{ znet.BaseRouter }

func (echoV10Epoll) Handle(req ziface.IRequest) {
	req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

// startV10Epoll runs v1.0-epoll with its default worker pool, as a learner
// would.
func startV10Epoll(addr string, log *slog.Logger) (Server, error) {
	cfg := utils.Defaults()
	cfg.Name = "bench-v1.0-epoll"
	cfg.MaxPacketSize = MaxPayload
	s := znet.NewServer(znet.WithAddr(addr), znet.WithConfig(cfg), znet.WithLogger(log))
	s.AddRouter(frame.EchoMsgID, echoV10Epoll{})
	if err := s.Start(); err != nil {
		return nil, err
	}
	return stopper{s}, nil
}
