// Command benchcompare measures every echo server benchserver knows (the
// plain echo, gnet and each built zinx version) under the same scenarios,
// the fair way on a 2-core machine: the server pinned to one core and the
// load generator to the other, GOMAXPROCS=1 each, rounds interleaved so that
// drift hits every server alike. It writes docs/bench/README.md (and its
// Chinese twin), SVG charts and the raw results beside them.
//
//	benchcompare -server .bin/benchserver -load .bin/zload -out docs/bench
//	benchcompare -server .bin/benchserver -load .bin/zload -smoke
//
// -smoke runs every server for about a second each, unpinned, writes
// nothing, and exits 1 if any reply was wrong, any descriptor was kept or any
// server failed to stop. make test runs it so that the tool cannot rot.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"zinx/bench/load"
)

type config struct {
	serverBin, loadBin string
	out                string
	rounds             int
	warmup, duration   time.Duration
	smoke              bool
	pin                pinning
	only               []string
	note               map[string]string // language code -> a sentence for the header
	replot             string
}

func main() {
	var c config
	var only string
	flag.StringVar(&c.serverBin, "server", "", "the benchserver binary")
	flag.StringVar(&c.loadBin, "load", "", "the zload binary")
	flag.StringVar(&c.out, "out", "", "directory for README.md, the charts and results.json")
	flag.IntVar(&c.rounds, "rounds", 3, "rounds; each figure is the median over them")
	flag.DurationVar(&c.warmup, "warmup", 500*time.Millisecond, "echo: load before measuring")
	flag.DurationVar(&c.duration, "duration", 2*time.Second, "echo: measured window")
	flag.BoolVar(&c.smoke, "smoke", false, "a quick check that every server and the tool work; writes nothing")
	flag.StringVar(&only, "only", "", "comma-separated servers to run instead of all")
	var note, noteZH string
	flag.StringVar(&note, "note", "", "a sentence for the report's header, such as how quiet the machine was")
	flag.StringVar(&noteZH, "note-zh", "", "the same sentence in Chinese, for the Chinese page")
	flag.StringVar(&c.replot, "replot", "", "rewrite the report in -out from this results.json without measuring")
	flag.Parse()
	c.note = map[string]string{"en": note, "zh": noteZH}
	if only != "" {
		c.only = strings.Split(only, ",")
	}
	if c.replot != "" && c.out != "" {
		if err := replot(c); err != nil {
			fmt.Fprintln(os.Stderr, "benchcompare:", err)
			os.Exit(1)
		}
		return
	}
	if c.serverBin == "" || c.loadBin == "" || (!c.smoke && c.out == "") {
		fmt.Fprintln(os.Stderr, "usage: benchcompare -server BIN -load BIN (-out DIR | -smoke), or -replot results.json -out DIR")
		os.Exit(2)
	}

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "benchcompare:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config) error {
	names, err := serverNames(c.serverBin)
	if err != nil {
		return err
	}
	if c.only != nil {
		names = c.only
	}
	scenarios := fullScenarios
	if c.smoke {
		scenarios = smokeScenarios
		c.rounds, c.warmup, c.duration = 1, 200*time.Millisecond, 800*time.Millisecond
	} else {
		if runtime.NumCPU() < 2 {
			return errors.New("the comparison pins server and load to separate cores; this machine has one")
		}
		if _, err := exec.LookPath("taskset"); err != nil {
			return errors.New("the comparison pins processes with taskset (util-linux), which is not installed")
		}
		c.pin = pinning{serverCPU: "0", loadCPU: "1"}
	}

	start := time.Now()
	fmt.Printf("%d servers × %d scenarios × %d rounds: %s\n", len(names), len(scenarios), c.rounds, strings.Join(names, ", "))
	var results []result
	for round := 1; round <= c.rounds; round++ {
		for _, sc := range scenarios {
			// Each round starts with a different server, so none is
			// always the first to run after the previous scenario.
			for i := range names {
				name := names[(i+round-1)%len(names)]
				r := measure(ctx, c, name, sc, round)
				if ctx.Err() != nil {
					return ctx.Err()
				}
				fmt.Println(r.line())
				results = append(results, r)
			}
		}
	}
	fmt.Printf("done in %s\n", time.Since(start).Round(time.Second))

	var failed []string
	for _, r := range results {
		if r.Err != "" {
			failed = append(failed, fmt.Sprintf("%s, %s, round %d: %s", r.Server, r.Scenario, r.Round, r.Err))
		}
	}
	if !c.smoke {
		rep := newReport(c, names, scenarios, results)
		if err := rep.write(c.out); err != nil {
			return err
		}
		fmt.Printf("wrote %s\n", c.out)
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d measurements failed:\n  %s", len(failed), strings.Join(failed, "\n  "))
	}
	return nil
}

// serverNames asks benchserver which servers it was built with.
func serverNames(bin string) ([]string, error) {
	out, err := exec.Command(bin, "-list").Output()
	if err != nil {
		return nil, fmt.Errorf("%s -list: %w", bin, err)
	}
	return strings.Fields(string(out)), nil
}

// measure runs one server under one scenario in fresh processes.
func measure(ctx context.Context, c config, name string, sc scenario, round int) result {
	r := result{Server: name, Scenario: sc.Key, Round: round}
	proc, err := startServer(ctx, c.pin, c.serverBin, name)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	args := sc.args(proc.Addr, proc, c.warmup, c.duration)
	timeout := c.warmup + c.duration + time.Minute
	switch sc.Mode {
	case "echo":
		r.Echo = new(load.EchoResult)
		err = runLoad(ctx, c.pin, c.loadBin, timeout, r.Echo, args...)
	case "idle":
		r.Idle = new(load.IdleResult)
		err = runLoad(ctx, c.pin, c.loadBin, timeout, r.Idle, args...)
	}
	if stopErr := proc.stop(); err == nil {
		err = stopErr
	}
	if err != nil {
		r.Err = err.Error()
	}
	return r
}

// line is the progress line printed after each measurement.
func (r result) line() string {
	s := fmt.Sprintf("round %d  %-12s %-16s", r.Round, r.Scenario, r.Server)
	switch {
	case r.Echo != nil && r.Echo.Requests > 0:
		e := r.Echo
		s += fmt.Sprintf(" %9.0f req/s  p99 %6.0f µs  cpu %5.2f µs/req  conn fewest/most %d/%d  busy %.0f%%/%.0f%%",
			e.ReqPerSec, e.P99us, e.CPUPerReq, e.Fewest, e.Most, 100*e.CPUSeconds/e.Seconds, 100*e.LoadCPUSeconds/e.Seconds)
	case r.Idle != nil && r.Idle.Conns > 0:
		i := r.Idle
		s += fmt.Sprintf(" %6.2f KiB/conn  %.2f goroutines/conn  fds returned %v", i.KiBPerConn, i.GoroutinesPerConn, i.FDsReturned)
	}
	if r.Err != "" {
		s += "  FAILED: " + r.Err
	}
	return s
}
