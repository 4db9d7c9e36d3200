// Command server is the course's V0.5 demo server: a ping router that
// answers every framed message with "ping...ping...ping".
//
//	go run ./v0.5/examples/server                    # conf/zinx.json or defaults
//	go run ./v0.5/examples/server -addr 127.0.0.1:0  # any free port
//
// Run from v0.5/examples/server to pick up its conf/zinx.json, or point
// $ZINX_CONFIG at it. Ctrl-C stops it cleanly.
package main

import (
	"flag"
	"fmt"
	"os"

	"zinx/v0.8/ziface"
	"zinx/v0.8/znet"
)

// PingRouter answers every request with a ping.
type PingRouter struct {
	znet.BaseRouter
}

// PreHandle runs before Handle, as the course's V0.3 router showed.
func (r *PingRouter) PreHandle(request ziface.IRequest) {
	fmt.Println("Call Router PreHandle")
}

// Handle prints the request and replies with message id 1.
func (r *PingRouter) Handle(request ziface.IRequest) {
	fmt.Println("Call PingRouter Handle")
	fmt.Println("recv from client : msgId=", request.GetMsgID(), ", data=", string(request.GetData()))
	if err := request.GetConnection().SendMsg(1, []byte("ping...ping...ping")); err != nil {
		fmt.Println(err)
	}
}

// PostHandle runs after Handle.
func (r *PingRouter) PostHandle(request ziface.IRequest) {
	fmt.Println("Call Router PostHandle")
}

func main() {
	addr := flag.String("addr", "", "address to listen on, over the configuration's Host and TcpPort")
	flag.Parse()

	var opts []znet.Option
	if *addr != "" {
		opts = append(opts, znet.WithAddr(*addr))
	}
	s := znet.NewServer(opts...)
	s.AddRouter(&PingRouter{})
	if err := s.Serve(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
