package servers

import (
	"log/slog"

	"zinx/v0.1/znet"
)

func init() {
	Register(Entry{
		Name:    "v0.1",
		Kind:    Version,
		Doc:     "zinx v0.1: a raw byte echo, a goroutine per connection",
		DocZH:   "zinx v0.1：原样回显字节，每连接一个 goroutine",
		RawEcho: true,
		Start:   startV01,
	})
}

// startV01 runs the course's first server. It echoes bytes, not frames, so a
// frame comes back unchanged.
func startV01(addr string, log *slog.Logger) (Server, error) {
	s := znet.NewServer("bench-v0.1", znet.WithAddr(addr), znet.WithLogger(log))
	if err := s.Start(); err != nil {
		return nil, err
	}
	return stopper{s}, nil
}
