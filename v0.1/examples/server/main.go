// Command server is the course's V0.1 demo server: an echo server named
// "[zinx V0.1]" on port 7777.
//
//	go run ./v0.1/examples/server            # listens on 0.0.0.0:7777
//	go run ./v0.1/examples/server -addr 127.0.0.1:0
//
// Ctrl-C stops it cleanly.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"

	"zinx/v0.1/utils"
	"zinx/v0.1/znet"
)

func main() {
	addr := flag.String("addr", "0.0.0.0:7777", "address to listen on; port 0 picks a free port")
	flag.Parse()

	// Debug level shows every "recv client buf" line, as the course's server printed.
	logger := utils.NewLogger(os.Stdout, slog.LevelDebug)
	s := znet.NewServer("[zinx V0.1]", znet.WithAddr(*addr), znet.WithLogger(logger))
	if err := s.Serve(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
