// Command server is the course's V0.9 Server.go, unchanged but for its
// imports, on the epoll engine of v1.0-epoll: a PingRouter on message id
// 0 that answers "ping...ping...ping" and a HelloZinxRouter on message id 1
// that answers "Hello Zinx Router V0.8", both with SendBuffMsg, and two
// connection hooks: DoConnectionBegin, which prints and sends each new
// client message 2 "DoConnection BEGIN...", and DoConnectionLost, which
// prints when a client leaves. Its conf/zinx.json is the course's (MaxConn 3).
//
//	cd v1.0-epoll/examples/server && go run .              # reads conf/zinx.json, as in the course
//	go run ./v1.0-epoll/examples/server -addr 127.0.0.1:0  # any free port (make run-v1.0-epoll)
//
// Two things are added to the course's program: the -addr flag, so that
// make run-v1.0-epoll can use a free port (it sets $ZINX_CONFIG to this
// directory's conf/zinx.json), and a check of Serve's error, so that a
// server that could not start exits with status 1. Ctrl-C stops it cleanly.
package main

import (
	"flag"
	"fmt"
	"os"

	"zinx/v1.0-epoll/ziface"
	"zinx/v1.0-epoll/znet"
)

// PingRouter is the course's ping test router.
type PingRouter struct {
	znet.BaseRouter
}

// Handle prints the request, then replies with message id 0.
func (r *PingRouter) Handle(request ziface.IRequest) {
	fmt.Println("Call PingRouter Handle")
	//先读取客户端的数据，再回写ping...ping...ping
	fmt.Println("recv from client : msgId=", request.GetMsgID(), ", data=", string(request.GetData()))

	err := request.GetConnection().SendBuffMsg(0, []byte("ping...ping...ping"))
	if err != nil {
		fmt.Println(err)
	}
}

// HelloZinxRouter is the course's second router.
type HelloZinxRouter struct {
	znet.BaseRouter
}

// Handle prints the request, then replies with message id 1.
func (r *HelloZinxRouter) Handle(request ziface.IRequest) {
	fmt.Println("Call HelloZinxRouter Handle")
	//先读取客户端的数据，再回写ping...ping...ping
	fmt.Println("recv from client : msgId=", request.GetMsgID(), ", data=", string(request.GetData()))

	err := request.GetConnection().SendBuffMsg(1, []byte("Hello Zinx Router V0.8"))
	if err != nil {
		fmt.Println(err)
	}
}

// DoConnectionBegin is the course's start hook: 创建连接的时候执行.
func DoConnectionBegin(conn ziface.IConnection) {
	fmt.Println("DoConnecionBegin is Called ... ")
	err := conn.SendMsg(2, []byte("DoConnection BEGIN..."))
	if err != nil {
		fmt.Println(err)
	}
}

// DoConnectionLost is the course's stop hook: 连接断开的时候执行.
func DoConnectionLost(conn ziface.IConnection) {
	fmt.Println("DoConneciotnLost is Called ... ")
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

	//注册链接hook回调函数
	s.SetOnConnStart(DoConnectionBegin)
	s.SetOnConnStop(DoConnectionLost)

	//配置路由
	s.AddRouter(0, &PingRouter{})
	s.AddRouter(1, &HelloZinxRouter{})

	//开启服务
	if err := s.Serve(); err != nil {
		os.Exit(1)
	}
}
