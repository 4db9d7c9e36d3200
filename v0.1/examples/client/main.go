// Command client is the course's V0.1 Client.go: it writes "hahaha" to the
// echo server, prints what comes back, and pauses a second, round after
// round.
//
//	go run ./v0.1/examples/client                       # 127.0.0.1:7777, as in the course
//	go run ./v0.1/examples/client -addr 127.0.0.1:40000 -n 5
//
// What make run-v0.1 needs is added: -addr, and -n rounds (default 3) instead
// of the course's endless loop, so the client ends and exits 0; any failure
// exits 1. The course's 3-second sleep before dialling is gone: the demo
// runner starts the client only once the server has logged its port. The
// course printed the whole 512-byte buffer, NUL bytes and all; this prints
// the cnt bytes that were read.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"time"
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
		_, err := conn.Write([]byte("hahaha"))
		if err != nil {
			fmt.Println("write error err ", err)
			os.Exit(1)
		}

		// One Read may return part of what was written (TCP keeps no message
		// boundaries); six bytes on loopback come back whole. Chapter 5's
		// framing is the real answer.
		buf := make([]byte, 512)
		cnt, err := conn.Read(buf)
		if err != nil {
			fmt.Println("read buf error ")
			os.Exit(1)
		}

		fmt.Printf(" server call back : %s, cnt = %d\n", buf[:cnt], cnt)

		if i+1 < *rounds {
			time.Sleep(1 * time.Second)
		}
	}
}
