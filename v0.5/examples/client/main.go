// Command client is the course's V0.5 Client.go: it packs message id 0,
// "Zinx V0.5 Client Test Message", writes it, reads the reply's header and
// then its payload, prints the reply and pauses a second, round after round.
//
//	go run ./v0.5/examples/client                       # 127.0.0.1:7777, as in the course
//	go run ./v0.5/examples/client -addr 127.0.0.1:40000 -n 5
//
// What make run-v0.5 needs is added: -addr, and -n rounds (default 3) instead
// of the course's endless loop, so the client ends and exits 0; any failure
// exits 1. The course's 3-second sleep before dialling is gone: the demo
// runner starts the client only once the server has logged its port. The
// course ignored Pack's error; this checks it.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"zinx/v0.5/znet"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:7777", "server address")
	rounds := flag.Int("n", 3, "how many rounds to run before exiting")
	flag.Parse()

	fmt.Println("Client Test ... start")

	conn, err := net.Dial("tcp", *addr)
	if err != nil {
		fmt.Println("client start err, exit!")
		os.Exit(1)
	}
	defer conn.Close()

	for i := 0; i < *rounds; i++ {
		//发封包message消息
		dp := znet.NewDataPack()
		msg, err := dp.Pack(znet.NewMsgPackage(0, []byte("Zinx V0.5 Client Test Message")))
		if err != nil {
			fmt.Println("pack error err ", err)
			os.Exit(1)
		}
		_, err = conn.Write(msg)
		if err != nil {
			fmt.Println("write error err ", err)
			os.Exit(1)
		}

		//先读出流中的head部分
		headData := make([]byte, dp.GetHeadLen())
		_, err = io.ReadFull(conn, headData) //ReadFull 会把msg填充满为止
		if err != nil {
			fmt.Println("read head error")
			os.Exit(1)
		}
		//将headData字节流 拆包到msg中
		msgHead, err := dp.Unpack(headData)
		if err != nil {
			fmt.Println("server unpack err:", err)
			os.Exit(1)
		}

		if msgHead.GetDataLen() > 0 {
			//msg 是有data数据的，需要再次读取data数据
			msg := msgHead.(*znet.Message)
			msg.Data = make([]byte, msg.GetDataLen())

			//根据dataLen从io中读取字节流
			_, err := io.ReadFull(conn, msg.Data)
			if err != nil {
				fmt.Println("server unpack data err:", err)
				os.Exit(1)
			}

			fmt.Println("==> Recv Msg: ID=", msg.Id, ", len=", msg.DataLen, ", data=", string(msg.Data))
		}

		if i+1 < *rounds {
			time.Sleep(1 * time.Second)
		}
	}
}
