// Command client is the course's V0.9 client (Client.go in the chapter,
// Client0.go and Client1.go among its demos) in one program. Each of the
// course's clients packs one message id (Client0 id 0, "Zinx V0.8 Client0
// Test Message"; Client1 id 1, "... Client1 ..."; the course kept V0.8's
// text) and, round after round, writes it, reads one frame's header and
// then its payload, prints it and pauses a second. In V0.9 the first frame
// each connection reads is the server's start-hook message, id 2
// "DoConnection BEGIN...", so every reply prints one round late, as in the
// chapter's output. This program runs Client0, then Client1, each on a
// connection of its own, so one run shows both routers and both hooks.
//
//	go run ./v1.0-epoll/examples/client                       # 127.0.0.1:7777, as in the course
//	go run ./v1.0-epoll/examples/client -addr 127.0.0.1:40000 -n 5 -ids 1
//
// What make run-v1.0-epoll needs is added: -addr, and -n rounds (default 3)
// instead of the course's endless loop, so the client ends and exits 0; any
// failure exits 1. -ids picks which of the course's clients to run. The
// course's 3-second sleep before dialling is gone: the demo runner starts
// the client only once the server has logged its port. The course ignored
// Pack's error; this checks it.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"zinx/v1.0-epoll/znet"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:7777", "server address")
	rounds := flag.Int("n", 3, "how many rounds each client runs before exiting")
	ids := flag.String("ids", "0,1", "which of the course's clients to run, in order: 0 is Client0.go, 1 is Client1.go")
	flag.Parse()

	for _, field := range strings.Split(*ids, ",") {
		id, err := strconv.ParseUint(strings.TrimSpace(field), 10, 32)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bad -ids:", err)
			os.Exit(2)
		}
		if err := client(*addr, uint32(id), *rounds); err != nil {
			os.Exit(1)
		}
	}
}

// client is the course's ClientN.go for N = msgID, ended after rounds rounds.
func client(addr string, msgID uint32, rounds int) error {
	fmt.Println("Client Test ... start")

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		fmt.Println("client start err, exit!")
		return err
	}
	defer conn.Close()

	text := fmt.Sprintf("Zinx V0.8 Client%d Test Message", msgID)
	for i := 0; i < rounds; i++ {
		//发封包message消息
		dp := znet.NewDataPack()
		msg, err := dp.Pack(znet.NewMsgPackage(msgID, []byte(text)))
		if err != nil {
			fmt.Println("pack error err ", err)
			return err
		}
		_, err = conn.Write(msg)
		if err != nil {
			fmt.Println("write error err ", err)
			return err
		}

		//先读出流中的head部分
		headData := make([]byte, dp.GetHeadLen())
		_, err = io.ReadFull(conn, headData) //ReadFull 会把msg填充满为止
		if err != nil {
			fmt.Println("read head error")
			return err
		}
		//将headData字节流 拆包到msg中
		msgHead, err := dp.Unpack(headData)
		if err != nil {
			fmt.Println("server unpack err:", err)
			return err
		}

		if msgHead.GetDataLen() > 0 {
			//msg 是有data数据的，需要再次读取data数据
			msg := msgHead.(*znet.Message)
			msg.Data = make([]byte, msg.GetDataLen())

			//根据dataLen从io中读取字节流
			_, err := io.ReadFull(conn, msg.Data)
			if err != nil {
				fmt.Println("server unpack data err:", err)
				return err
			}

			fmt.Println("==> Recv Msg: ID=", msg.Id, ", len=", msg.DataLen, ", data=", string(msg.Data))
		}

		if i+1 < rounds {
			time.Sleep(1 * time.Second)
		}
	}
	return nil
}
