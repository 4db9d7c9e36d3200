package servers

import (
	"log/slog"

	"zinx/bench/frame"
	"zinx/v0.8/utils"
	"zinx/v0.8/ziface"
	"zinx/v0.8/znet"
)

func init() {
	Register(Entry{
		Name:  "v0.8",
		Kind:  Version,
		Doc:   "zinx v0.8: routers by message id, a reader and a writer goroutine per connection, a worker pool",
		DocZH: "zinx v0.8：按消息 ID 选路由，每连接一读一写两个 goroutine，外加工作池",
		Start: startV08,
	})
}

// echoV08 is the router a chapter 8 application would write.
type echoV08 struct{ znet.BaseRouter }

func (echoV08) Handle(req ziface.IRequest) {
	req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

// startV08 runs v0.8 with its default worker pool, as a learner would.
func startV08(addr string, log *slog.Logger) (Server, error) {
	cfg := utils.Defaults()
	cfg.Name = "bench-v0.8"
	cfg.MaxPacketSize = MaxPayload
	s := znet.NewServer(znet.WithAddr(addr), znet.WithConfig(cfg), znet.WithLogger(log))
	s.AddRouter(frame.EchoMsgID, echoV08{})
	if err := s.Start(); err != nil {
		return nil, err
	}
	return stopper{s}, nil
}
