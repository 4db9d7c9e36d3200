// Command idle shows what an idle connection costs v1.0-epoll: it starts a
// server in this process, opens connections to it in steps, one request each
// and then silence, and prints the server's goroutines and heap at each
// step. The goroutine count does not move: no connection has a goroutine of
// its own. The heap grows by a few hundred bytes per connection: two small
// structs, a slot in a table, an entry in the connection manager.
//
//	go run ./v1.0-epoll/examples/idle            # 5000 connections
//	go run ./v1.0-epoll/examples/idle -n 20000   # needs ulimit -n above 40000
//
// The same program against v0.9 would show two goroutines per connection
// (a reader and a writer) and about 10 KiB each: see docs/v1.0-epoll.md.
package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"

	"zinx/v1.0-epoll/utils"
	"zinx/v1.0-epoll/ziface"
	"zinx/v1.0-epoll/znet"
)

type echo struct{ znet.BaseRouter }

func (echo) Handle(req ziface.IRequest) {
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

func main() {
	n := flag.Int("n", 5000, "connections to open")
	flag.Parse()
	if err := run(*n); err != nil {
		fmt.Fprintln(os.Stderr, "idle:", err)
		os.Exit(1)
	}
}

func run(n int) error {
	cfg := utils.Defaults()
	cfg.MaxConn = n + 1
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := znet.NewServer(znet.WithConfig(cfg), znet.WithAddr("127.0.0.1:0"), znet.WithLogger(quiet))
	s.AddRouter(1, echo{})
	if err := s.Start(); err != nil {
		return err
	}
	defer s.Stop()

	dp := znet.NewDataPack()
	ping, err := dp.Pack(znet.NewMsgPackage(1, []byte("ping")))
	if err != nil {
		return err
	}
	reply := make([]byte, len(ping))
	var conns []rawConn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()

	base := heap()
	fmt.Printf("%8s %12s %14s %16s\n", "conns", "goroutines", "heap (KiB)", "per conn (B)")
	fmt.Printf("%8d %12d %14d %16s\n", 0, runtime.NumGoroutine(), base/1024, "-")
	for step := 1; step <= 4; step++ {
		for len(conns) < n*step/4 {
			c, err := dialRaw(s.Addr().(*net.TCPAddr))
			if err != nil {
				return fmt.Errorf("connection %d: %w (raise ulimit -n, or use a smaller -n)", len(conns), err)
			}
			conns = append(conns, c)
			if err := c.roundTrip(ping, reply); err != nil {
				return err
			}
		}
		h := heap()
		// The goroutines are the server's, plus main and the runtime's.
		// The clients are bare descriptors (dial_linux.go), so the heap
		// that grows is the server's.
		fmt.Printf("%8d %12d %14d %16d\n", len(conns), runtime.NumGoroutine(), h/1024,
			(int64(h)-int64(base))/int64(len(conns)))
	}
	return nil
}

// heap returns the live heap after a collection.
func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
