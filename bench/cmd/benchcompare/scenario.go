package main

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"zinx/bench/load"
)

// scenario is one load shape every server is measured under.
type scenario struct {
	Key   string // stable id, used in results.json
	Title string
	Mode  string // "echo" or "idle"
	Conns int
	Depth int
	Size  int
}

func (s scenario) args(addr string, proc *serverProc, warmup, duration time.Duration) []string {
	a := []string{"-mode", s.Mode, "-addr", addr, "-conns", strconv.Itoa(s.Conns),
		"-pid", strconv.Itoa(proc.PID), "-control", proc.Control}
	if s.Mode == "echo" {
		a = append(a, "-depth", strconv.Itoa(s.Depth), "-size", strconv.Itoa(s.Size),
			"-warmup", warmup.String(), "-duration", duration.String())
	}
	return a
}

// fullScenarios are the comparison's: the issues' performance targets are
// stated against these.
var fullScenarios = []scenario{
	{"c100-d1-64", "100 connections × 1 in flight × 64 B", "echo", 100, 1, 64},
	{"c100-d16-64", "100 connections × 16 in flight × 64 B", "echo", 100, 16, 64},
	{"c10-d1-4k", "10 connections × 1 in flight × 4 KiB", "echo", 10, 1, 4096},
	{"idle-10k", "10,000 idle connections", "idle", 10000, 0, 0},
}

// smokeScenarios only prove the tool and every server still work.
var smokeScenarios = []scenario{
	{"smoke-echo", "4 connections × 4 in flight × 64 B", "echo", 4, 4, 64},
	{"smoke-idle", "50 idle connections", "idle", 50, 0, 0},
}

// result is one measurement: one server, one scenario, one round.
type result struct {
	Server   string           `json:"server"`
	Scenario string           `json:"scenario"`
	Round    int              `json:"round"`
	Echo     *load.EchoResult `json:"echo,omitempty"`
	Idle     *load.IdleResult `json:"idle,omitempty"`
	Err      string           `json:"error,omitempty"`
}

// summary is the median over rounds of one server under one scenario.
type summary struct {
	Server string
	Rounds int
	Failed []string // what went wrong in any round

	// echo
	ReqPerSec, P50, P99, P999, CPUPerReq float64
	Fewest, Most                         float64

	// idle
	KiBPerConn, GoroutinesPerConn, ThreadsPerConn, FDsPerConn float64
	FDsReturned                                               bool
}

// summarise takes the median of each figure across the rounds separately.
func summarise(server string, rs []result) summary {
	s := summary{Server: server, Rounds: len(rs), FDsReturned: true}
	var rps, p50, p99, p999, cpu, few, most, kib, gor, thr, fds []float64
	for _, r := range rs {
		if r.Err != "" {
			s.Failed = append(s.Failed, fmt.Sprintf("round %d: %s", r.Round, r.Err))
		}
		if e := r.Echo; e != nil {
			rps, p50, p99, p999 = append(rps, e.ReqPerSec), append(p50, e.P50us), append(p99, e.P99us), append(p999, e.P999us)
			cpu, few, most = append(cpu, e.CPUPerReq), append(few, float64(e.Fewest)), append(most, float64(e.Most))
		}
		if i := r.Idle; i != nil {
			n := float64(i.Conns)
			kib, gor = append(kib, i.KiBPerConn), append(gor, i.GoroutinesPerConn)
			thr = append(thr, float64(i.ThreadsHeld-i.ThreadsBefore)/n)
			fds = append(fds, float64(i.FDsHeld-i.FDsBefore)/n)
			s.FDsReturned = s.FDsReturned && i.FDsReturned
		}
	}
	s.ReqPerSec, s.P50, s.P99, s.P999, s.CPUPerReq = median(rps), median(p50), median(p99), median(p999), median(cpu)
	s.Fewest, s.Most = median(few), median(most)
	s.KiBPerConn, s.GoroutinesPerConn, s.ThreadsPerConn, s.FDsPerConn = median(kib), median(gor), median(thr), median(fds)
	return s
}

// median of xs, or 0 for none; the mean of the middle two for an even count.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	m := len(xs) / 2
	if len(xs)%2 == 1 {
		return xs[m]
	}
	return (xs[m-1] + xs[m]) / 2
}
