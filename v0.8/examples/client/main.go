// Command client is the course's V0.5 demo client: it sends a few framed
// messages, prints each reply the way the course's client does, and exits
// (the course's client looped forever).
//
//	go run ./v0.5/examples/client -addr 127.0.0.1:7777
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"zinx/v0.8/znet"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:7777", "server address")
	interval := flag.Duration("interval", 100*time.Millisecond, "pause between messages (the course's client paused a second)")
	count := flag.Int("n", 3, "how many messages to send")
	flag.Parse()

	fmt.Println("Client Test ... start")
	conn, err := net.DialTimeout("tcp", *addr, 3*time.Second)
	if err != nil {
		fmt.Println("client start err, exit!", err)
		os.Exit(1)
	}
	defer conn.Close()

	dp := znet.NewDataPack()
	for i := 0; i < *count; i++ {
		// Pack a message: an 8-byte header, then the payload.
		msg, err := dp.Pack(znet.NewMsgPackage(0, []byte("Zinx V0.5 Client Test Message")))
		if err != nil {
			fmt.Println("pack error", err)
			os.Exit(1)
		}
		if _, err := conn.Write(msg); err != nil {
			fmt.Println("write error err ", err)
			os.Exit(1)
		}

		// Read the reply's header first; ReadFull waits until all 8 bytes arrive.
		headData := make([]byte, dp.GetHeadLen())
		if _, err := io.ReadFull(conn, headData); err != nil {
			fmt.Println("read head error", err)
			os.Exit(1)
		}
		msgHead, err := dp.Unpack(headData)
		if err != nil {
			fmt.Println("server unpack err:", err)
			os.Exit(1)
		}

		// Then exactly the payload the header declared.
		reply := msgHead.(*znet.Message)
		reply.Data = make([]byte, reply.GetDataLen())
		if _, err := io.ReadFull(conn, reply.Data); err != nil {
			fmt.Println("server unpack data err:", err)
			os.Exit(1)
		}
		fmt.Println("==> Recv Msg: ID=", reply.Id, ", len=", reply.DataLen, ", data=", string(reply.Data))
		time.Sleep(*interval)
	}
}
