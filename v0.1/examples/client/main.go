// Command client is the course's V0.1 demo client: it sends a few messages to
// the echo server, prints each echo the way the course's client does, and
// exits (the course's client looped forever).
//
//	go run ./v0.1/examples/client -addr 127.0.0.1:7777
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:7777", "server address")
	interval := flag.Duration("interval", 100*time.Millisecond, "pause between messages (the course's client paused a second)")
	count := flag.Int("n", 5, "how many messages to send")
	flag.Parse()

	fmt.Println("Client Test ... start")
	conn, err := net.DialTimeout("tcp", *addr, 3*time.Second)
	if err != nil {
		fmt.Println("client start err, exit!", err)
		os.Exit(1)
	}
	defer conn.Close()

	msg := []byte("hello ZINX V0.1..")
	buf := make([]byte, len(msg))
	for i := 0; i < *count; i++ {
		if _, err := conn.Write(msg); err != nil {
			fmt.Println("write conn err", err)
			os.Exit(1)
		}
		// TCP may deliver the echo in pieces; ReadFull waits for all of it.
		cnt, err := io.ReadFull(conn, buf)
		if err != nil {
			fmt.Println("read buf error", err)
			os.Exit(1)
		}
		fmt.Printf("server call back : %s, cnt = %d\n", buf[:cnt], cnt)
		time.Sleep(*interval)
	}
}
