// Command benchserver runs one echo server from package servers for the load
// tool, in its own process so that its CPU time, memory and descriptors can
// be read from /proc apart from the load generator's.
//
//	benchserver -server v0.5 -addr 127.0.0.1:0
//	benchserver -list
//
// It prints one JSON line once it listens:
//
//	{"server":"v0.5","addr":"127.0.0.1:40123","control":"127.0.0.1:40124","pid":4242}
//
// and runs until SIGTERM or SIGINT, then stops the server and exits 0 if the
// server stopped cleanly. The control address answers one command per
// connection, one line each: "goroutines" replies with the goroutine count;
// "gc" collects garbage, returns freed memory to the system and replies 0.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"zinx/bench/load"
	"zinx/bench/servers"
)

func main() {
	name := flag.String("server", "", "the server to run (see -list)")
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	list := flag.Bool("list", false, "print the server names, one a line, and exit")
	verbose := flag.Bool("v", false, "with -list: add each server's description, tab-separated, in English and Chinese")
	flag.Parse()
	if *list {
		for _, n := range servers.Names() {
			if e, _ := servers.Lookup(n); *verbose {
				fmt.Printf("%s\t%s\t%s\n", n, e.Doc, e.DocZH)
			} else {
				fmt.Println(n)
			}
		}
		return
	}
	if err := run(*name, *addr); err != nil {
		fmt.Fprintln(os.Stderr, "benchserver:", err)
		os.Exit(1)
	}
}

func run(name, addr string) error {
	e, err := servers.Lookup(name)
	if err != nil {
		return err
	}
	if err := load.RaiseFDLimit(); err != nil {
		fmt.Fprintln(os.Stderr, "benchserver:", err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

	// Signals first, so a SIGTERM that arrives during start-up is not fatal.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)

	s, err := e.Start(addr, log)
	if err != nil {
		return err
	}
	ctl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.Stop()
		return err
	}
	ctlDone := make(chan struct{})
	go func() {
		defer close(ctlDone)
		control(ctl)
	}()

	line, _ := json.Marshal(map[string]any{
		"server": name, "addr": s.Addr().String(), "control": ctl.Addr().String(), "pid": os.Getpid(),
	})
	fmt.Printf("%s\n", line)

	<-sig
	ctl.Close()
	<-ctlDone
	return s.Stop()
}

// control answers commands on ln until it is closed. It handles each
// connection itself, without a goroutine, so the count it reports is only
// the server's goroutines plus this one and main.
func control(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		// A client that connects and says nothing must not hold up the
		// shutdown, which waits for this loop.
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		cmd, _ := bufio.NewReader(c).ReadString('\n')
		var reply int
		switch strings.TrimSpace(cmd) {
		case "goroutines":
			reply = runtime.NumGoroutine()
		case "gc":
			debug.FreeOSMemory() // runs a collection first
		default:
			reply = -1
		}
		c.Write([]byte(strconv.Itoa(reply) + "\n"))
		c.Close()
	}
}
