package main

import (
	"fmt"
	"slices"

	"zinx/bench/internal/version"
)

// target is a performance goal an issue sets for some versions, judged on
// the figures of one run. The keys are fullScenarios' keys. A goal against
// a peer is judged on the median of same-round ratios (see report.vs), the
// figure the table's × columns show.
type target struct {
	from, to []int  // the versions it applies to, inclusive; nil: no bound
	key      string // the scenario it is judged on
	en, zh   string
	// check returns the figure to show and whether the goal is met; ok is
	// false when the run lacks what it needs.
	check func(r *report, v string) (shown string, met, ok bool)
}

// targets are the goals of issues 8, 9 and 11: from v0.8 on, a framework
// must stay close to the plain echo; the epoll version must match gnet.
var targets = []target{
	{from: []int{0, 8},
		key: "c100-d16-64",
		en:  "100 × 16: server CPU per request ≤ 1.5× the plain echo's",
		zh:  "100 × 16：每请求服务器 CPU ≤ 朴素 echo 的 1.5 倍",
		check: func(r *report, v string) (string, bool, bool) {
			q, ok := r.vs("c100-d16-64", v, "stdlib", cpuPerReq)
			return fmt.Sprintf("%.2f×", q), q <= 1.5 && q > 0, ok // 0 is a failed reading
		}},
	{from: []int{0, 8},
		key: "c100-d16-64",
		en:  "100 × 16: no connection starved, the fewest ≥ ¼ of the most",
		zh:  "100 × 16：没有连接挨饿，最少 ≥ 最多的 ¼",
		check: func(r *report, v string) (string, bool, bool) {
			x := r.sums["c100-d16-64"][v]
			return fmt.Sprintf("%s / %s", thousands(x.Fewest), thousands(x.Most)),
				4*x.Fewest >= x.Most, x.Rounds > 0 && x.Most > 0
		}},
	{from: []int{0, 8},
		key: "c100-d1-64",
		en:  "100 × 1: requests/s ≥ 0.8× the plain echo's",
		zh:  "100 × 1：每秒请求数 ≥ 朴素 echo 的 0.8 倍",
		check: func(r *report, v string) (string, bool, bool) {
			q, ok := r.vs("c100-d1-64", v, "stdlib", reqPerSec)
			return fmt.Sprintf("%.2f×", q), q >= 0.8, ok
		}},
	{from: []int{1, 0},
		key: "idle-10k",
		en:  "10,000 idle: ≤ 0.5 KiB per connection, and less than gnet",
		zh:  "10,000 空闲连接：每连接 ≤ 0.5 KiB，且少于 gnet",
		check: func(r *report, v string) (string, bool, bool) {
			x, g := r.sums["idle-10k"][v], r.sums["idle-10k"]["gnet"]
			q, ok := r.vs("idle-10k", v, "gnet", kibPerConn)
			return fmt.Sprintf("%.2f KiB (gnet %.2f)", x.KiBPerConn, g.KiBPerConn),
				x.KiBPerConn <= 0.5 && q < 1, ok
		}},
	{from: []int{1, 0},
		key: "idle-10k",
		en:  "10,000 idle: goroutines do not grow with connections",
		zh:  "10,000 空闲连接：goroutine 数不随连接数增长",
		check: func(r *report, v string) (string, bool, bool) {
			x := r.sums["idle-10k"][v]
			return fmt.Sprintf("%.3f", x.GoroutinesPerConn), x.GoroutinesPerConn < 0.001, x.Rounds > 0
		}},
	{from: []int{1, 0},
		key: "c100-d16-64",
		en:  "100 × 16: requests/s ≥ gnet's, CPU per request and p99 ≤ gnet's",
		zh:  "100 × 16：每秒请求数 ≥ gnet，每请求 CPU 和 p99 ≤ gnet",
		check: func(r *report, v string) (string, bool, bool) {
			const key = "c100-d16-64"
			rps, ok := r.vs(key, v, "gnet", reqPerSec)
			cpu, _ := r.vs(key, v, "gnet", cpuPerReq)
			lat, _ := r.vs(key, v, "gnet", p99)
			shown := fmt.Sprintf("%s, %s, %s", times(rps, ok), times(cpu, ok), times(lat, ok))
			return shown, rps >= 1 && cpu > 0 && cpu <= 1 && lat <= 1, ok
		}},
}

// failedThroughout reports whether the run measured scenario key but has
// no good figure for server v in it: v failed in every round. Its targets
// must then say so, not vanish from the table.
func (r *report) failedThroughout(key, v string) bool {
	s, measured := r.sums[key][v]
	return len(r.sums[key]) > 0 && (!measured || s.Rounds == 0)
}

// appliesTo reports whether t judges version v.
func (t target) appliesTo(v string) bool {
	k := version.Key(v)
	if len(k) == 0 || (t.from != nil && slices.Compare(k, t.from) < 0) {
		return false
	}
	return t.to == nil || slices.Compare(k, t.to) <= 0
}

// verdict is one target judged for one version.
type verdict struct {
	version, goal, shown string
	met                  bool
}

// judge applies every target to every version it concerns.
func (r *report) judge(l lang) []verdict {
	var out []verdict
	for _, v := range r.servers {
		for _, t := range targets {
			if !t.appliesTo(v) {
				continue
			}
			shown, met, ok := t.check(r, v)
			if !ok {
				if !r.failedThroughout(t.key, v) {
					continue // the run lacks what the target needs
				}
				shown, met = "failed in every round", false
				if l.code == "zh" {
					shown = "每一轮都失败"
				}
			}
			goal := t.en
			if l.code == "zh" {
				goal = t.zh
			}
			out = append(out, verdict{v, goal, shown, met})
		}
	}
	return out
}
