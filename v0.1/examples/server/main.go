// Command server is the course's V0.1 Server.go: an echo server named
// "[zinx V0.1]" on 0.0.0.0:7777.
//
//	go run ./v0.1/examples/server                    # 0.0.0.0:7777, as in the course
//	go run ./v0.1/examples/server -addr 127.0.0.1:0  # any free port (make run-v0.1)
//
// Two things are added to the course's program: the -addr flag, so that
// make run-v0.1 can use a free port, and a check of Serve's error. The
// course wrote s.Serve() as a statement, which still compiles here; but a
// server that could not start would then exit with status 0. Serve logs the
// reason at ERROR before it returns it, so the check only sets the status.
// Ctrl-C stops the server cleanly.
package main

import (
	"flag"
	"os"

	"zinx/v0.1/znet"
)

func main() {
	addr := flag.String("addr", "0.0.0.0:7777", "address to listen on; port 0 picks a free port")
	flag.Parse()

	//1 创建一个server 句柄 s
	s := znet.NewServer("[zinx V0.1]", znet.WithAddr(*addr))

	//2 开启服务
	if err := s.Serve(); err != nil {
		os.Exit(1)
	}
}
