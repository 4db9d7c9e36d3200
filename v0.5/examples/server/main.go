// Command server is the course's V0.5 Server.go: a PingRouter that prints
// each request and answers it with message id 1, "ping...ping...ping".
//
//	cd v0.5/examples/server && go run .              # reads conf/zinx.json, as in the course
//	go run ./v0.5/examples/server -addr 127.0.0.1:0  # any free port (make run-v0.5)
//
// Two things are added to the course's program: the -addr flag, so that
// make run-v0.5 can use a free port (it sets $ZINX_CONFIG to this
// directory's conf/zinx.json), and a check of Serve's error. The course wrote
// s.Serve() as a statement, which still compiles here; but a server that
// could not start would then exit with status 0. Serve logs the reason at
// ERROR before it returns it, so the check only sets the status. Ctrl-C
// stops the server cleanly.
package main

import (
	"flag"
	"fmt"
	"os"

	"zinx/v0.5/ziface"
	"zinx/v0.5/znet"
)

// PingRouter is the course's ping test router.
type PingRouter struct {
	znet.BaseRouter
}

// Handle prints the request, then replies with message id 1.
func (r *PingRouter) Handle(request ziface.IRequest) {
	fmt.Println("Call PingRouter Handle")
	//先读取客户端的数据，再回写ping...ping...ping
	fmt.Println("recv from client : msgId=", request.GetMsgID(), ", data=", string(request.GetData()))

	err := request.GetConnection().SendMsg(1, []byte("ping...ping...ping"))
	if err != nil {
		fmt.Println(err)
	}
}

func main() {
	addr := flag.String("addr", "", "address to listen on, instead of the configuration's Host and TcpPort")
	flag.Parse()
	var opts []znet.Option
	if *addr != "" {
		opts = append(opts, znet.WithAddr(*addr))
	}

	//创建一个server句柄
	s := znet.NewServer(opts...)

	//配置路由
	s.AddRouter(&PingRouter{})

	//开启服务
	if err := s.Serve(); err != nil {
		os.Exit(1)
	}
}
