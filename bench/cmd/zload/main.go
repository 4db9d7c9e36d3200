// Command zload is the load generator: it drives an echo server speaking
// zinx frames over loopback and prints one JSON line of results.
//
//	zload -addr 127.0.0.1:7777 -conns 100 -depth 16 -size 64 -duration 3s
//	zload -mode idle -addr 127.0.0.1:7777 -conns 10000 -pid 4242 -control 127.0.0.1:7778
//
// Echo mode keeps -depth requests in flight on each of -conns connections
// for -warmup, then measures for -duration, checking every reply byte for
// byte. With -pid it also reports the server's CPU time per request. Idle
// mode opens -conns connections, echoes once on each and reports what
// holding them cost the server (it needs -pid and -control; benchserver
// prints both). zload exits 1 if any reply was wrong or missing, or if the
// server kept descriptors after the connections closed.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"zinx/bench/load"
)

func main() {
	var (
		mode     = flag.String("mode", "echo", "echo or idle")
		addr     = flag.String("addr", "", "the server's address")
		conns    = flag.Int("conns", 100, "connections")
		depth    = flag.Int("depth", 1, "echo: requests in flight per connection")
		size     = flag.Int("size", 64, "echo: payload bytes per request")
		duration = flag.Duration("duration", 3*time.Second, "echo: how long to measure")
		warmup   = flag.Duration("warmup", time.Second, "echo: load before measuring, not counted")
		pid      = flag.Int("pid", 0, "the server's process id, for /proc figures")
		control  = flag.String("control", "", "the server's control address (benchserver prints it)")
	)
	flag.Parse()
	if *addr == "" {
		fmt.Fprintln(os.Stderr, "zload: -addr is required")
		os.Exit(2)
	}
	if err := load.RaiseFDLimit(); err != nil {
		fmt.Fprintln(os.Stderr, "zload:", err)
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	probe := load.Probe{PID: *pid, Control: *control}

	var res any
	var failed bool
	var err error
	switch *mode {
	case "echo":
		var r load.EchoResult
		r, err = load.Echo(ctx, load.EchoConfig{
			Addr: *addr, Conns: *conns, Depth: *depth, Size: *size,
			Warmup: *warmup, Duration: *duration, Probe: probe,
		})
		res, failed = r, r.Errors > 0 || r.Requests == 0
	case "idle":
		var r load.IdleResult
		r, err = load.Idle(ctx, load.IdleConfig{Addr: *addr, Conns: *conns, Probe: probe})
		res, failed = r, r.Errors > 0 || !r.FDsReturned
	default:
		err = fmt.Errorf("unknown -mode %q: want echo or idle", *mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "zload:", err)
		os.Exit(1)
	}
	line, _ := json.Marshal(res)
	fmt.Printf("%s\n", line)
	if failed {
		os.Exit(1)
	}
}
