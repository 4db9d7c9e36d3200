package main

import (
	"cmp"
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

// summary is one server under one scenario, as the report shows it.
type summary struct {
	Server string
	Round  int      // the representative round: see summarise
	Failed []string // what went wrong in any round

	// echo
	ReqPerSec, P50, P99, P999, CPUPerReq float64
	Fewest, Most                         int64
	ServerBusy, LoadBusy                 float64 // share of its core each process used

	// idle
	KiBPerConn, GoroutinesPerConn, ThreadsPerConn, FDsPerConn float64
	FDsReturned                                               bool
}

// summarise picks the median round: the one with the median requests per
// second (echo) or memory per connection (idle), the lower middle for an
// even count. Every figure of a row then comes from one run, so they agree
// with each other: the fewest never exceeds the most. Failed rounds are
// listed and left out.
func summarise(server string, rs []result) summary {
	s := summary{Server: server, FDsReturned: true}
	var ok []result
	for _, r := range rs {
		switch {
		case r.Err != "":
			s.Failed = append(s.Failed, fmt.Sprintf("round %d: %s", r.Round, r.Err))
		case r.Echo != nil || r.Idle != nil:
			ok = append(ok, r)
		}
		if r.Idle != nil && r.Idle.Conns > 0 {
			s.FDsReturned = s.FDsReturned && r.Idle.FDsReturned
		}
	}
	if len(ok) == 0 {
		return s
	}
	key := func(r result) float64 {
		if r.Echo != nil {
			return r.Echo.ReqPerSec
		}
		return r.Idle.KiBPerConn
	}
	slices.SortStableFunc(ok, func(a, b result) int { return cmp.Compare(key(a), key(b)) })
	m := ok[(len(ok)-1)/2]
	s.Round = m.Round
	if e := m.Echo; e != nil {
		s.ReqPerSec, s.P50, s.P99, s.P999, s.CPUPerReq = e.ReqPerSec, e.P50us, e.P99us, e.P999us, e.CPUPerReq
		s.Fewest, s.Most = e.Fewest, e.Most
		if e.Seconds > 0 {
			s.ServerBusy, s.LoadBusy = e.CPUSeconds/e.Seconds, e.LoadCPUSeconds/e.Seconds
		}
	}
	if i := m.Idle; i != nil {
		n := float64(i.Conns)
		s.KiBPerConn, s.GoroutinesPerConn = i.KiBPerConn, i.GoroutinesPerConn
		s.ThreadsPerConn = float64(i.ThreadsHeld-i.ThreadsBefore) / n
		s.FDsPerConn = float64(i.FDsHeld-i.FDsBefore) / n
	}
	return s
}
