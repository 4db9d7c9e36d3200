package servers

import (
	"log/slog"

	"zinx/v0.5/utils"
	"zinx/v0.5/ziface"
	"zinx/v0.5/znet"
)

func init() {
	Register(Entry{
		Name:  "v0.5",
		Kind:  Version,
		Doc:   "zinx v0.5: framed messages, one router, a goroutine per connection",
		DocZH: "zinx v0.5：按帧收发消息，单个路由，每连接一个 goroutine",
		Start: startV05,
	})
}

// echoV05 is the router a chapter 5 application would write.
type echoV05 struct{ znet.BaseRouter }

func (echoV05) Handle(req ziface.IRequest) {
	req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

func startV05(addr string, log *slog.Logger) (Server, error) {
	cfg := utils.Defaults()
	cfg.Name = "bench-v0.5"
	cfg.MaxPacketSize = MaxPayload
	s := znet.NewServer(znet.WithAddr(addr), znet.WithConfig(cfg), znet.WithLogger(log))
	s.AddRouter(echoV05{})
	if err := s.Start(); err != nil {
		return nil, err
	}
	return stopper{s}, nil
}
