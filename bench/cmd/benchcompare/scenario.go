package main

import (
	"fmt"
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

// good reports whether r measured something and did not fail: the rounds
// the figures and the ratios are taken from.
func (r result) good() bool { return r.Err == "" && (r.Echo != nil || r.Idle != nil) }

// summary is one server under one scenario, as the report shows it. Each
// figure is the median of that figure over the rounds that did not fail,
// so one row's figures may come from different rounds.
type summary struct {
	Server string
	Rounds int      // rounds measured without failing; 0 when none was
	Failed []string // what went wrong in any round

	// echo
	ReqPerSec, P50, P99, P999, CPUPerReq float64
	Fewest, Most                         float64
	ServerBusy, LoadBusy                 float64 // share of its core each process used

	// idle
	KiBPerConn, GoroutinesPerConn, ThreadsPerConn, FDsPerConn float64
	FDsReturned                                               bool
}

// summarise takes the median of each figure over the rounds that did not
// fail, per column: a round that was slow for the machine's reasons shifts
// no figure more than one place. Failed rounds are listed and left out.
func summarise(server string, rs []result) summary {
	s := summary{Server: server, FDsReturned: true}
	var ok []result
	for _, r := range rs {
		switch {
		case r.Err != "":
			s.Failed = append(s.Failed, fmt.Sprintf("round %d: %s", r.Round, r.Err))
		case r.good():
			ok = append(ok, r)
		}
		if r.Idle != nil && r.Idle.Conns > 0 {
			s.FDsReturned = s.FDsReturned && r.Idle.FDsReturned
		}
	}
	s.Rounds = len(ok)
	if len(ok) == 0 {
		return s
	}
	col := func(m metric) float64 { return medianOf(ok, m) }
	if ok[0].Echo != nil {
		s.ReqPerSec, s.CPUPerReq = col(reqPerSec), col(cpuPerReq)
		s.P50, s.P99 = col(func(r result) float64 { return r.Echo.P50us }), col(p99)
		s.P999 = col(func(r result) float64 { return r.Echo.P999us })
		s.Fewest = col(func(r result) float64 { return float64(r.Echo.Fewest) })
		s.Most = col(func(r result) float64 { return float64(r.Echo.Most) })
		s.ServerBusy = col(func(r result) float64 { return share(r.Echo.CPUSeconds, r.Echo.Seconds) })
		s.LoadBusy = col(func(r result) float64 { return share(r.Echo.LoadCPUSeconds, r.Echo.Seconds) })
		return s
	}
	perConn := func(f func(*load.IdleResult) float64) metric {
		return func(r result) float64 { return f(r.Idle) / float64(r.Idle.Conns) }
	}
	s.KiBPerConn = col(kibPerConn)
	s.GoroutinesPerConn = col(func(r result) float64 { return r.Idle.GoroutinesPerConn })
	s.ThreadsPerConn = col(perConn(func(i *load.IdleResult) float64 { return float64(i.ThreadsHeld - i.ThreadsBefore) }))
	s.FDsPerConn = col(perConn(func(i *load.IdleResult) float64 { return float64(i.FDsHeld - i.FDsBefore) }))
	return s
}

// share is part/whole, or 0 when whole is 0.
func share(part, whole float64) float64 {
	if whole <= 0 {
		return 0
	}
	return part / whole
}
