package servers

import (
	"log/slog"

	"zinx/bench/frame"
	"zinx/v0.9/utils"
	"zinx/v0.9/ziface"
	"zinx/v0.9/znet"
)

func init() {
	Register(Entry{
		Name:  "v0.9",
		Kind:  Version,
		Doc:   "zinx v0.9: v0.8 plus a connection manager with MaxConn, buffered sends and connection hooks",
		DocZH: "zinx v0.9：在 v0.8 基础上加入连接管理器与 MaxConn、带缓冲的发送和连接钩子",
		Start: startV09,
	})
}

// echoV09 is the router a chapter 9 application would write: the
// chapter's routers reply with SendBuffMsg.
type echoV09 struct{ znet.BaseRouter }

func (echoV09) Handle(req ziface.IRequest) {
	req.GetConnection().SendBuffMsg(req.GetMsgID(), req.GetData())
}

// startV09 runs v0.9 with its default worker pool, as a learner would.
func startV09(addr string, log *slog.Logger) (Server, error) {
	cfg := utils.Defaults()
	cfg.Name = "bench-v0.9"
	cfg.MaxPacketSize = MaxPayload
	s := znet.NewServer(znet.WithAddr(addr), znet.WithConfig(cfg), znet.WithLogger(log))
	s.AddRouter(frame.EchoMsgID, echoV09{})
	if err := s.Start(); err != nil {
		return nil, err
	}
	return stopper{s}, nil
}
