package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"zinx/bench/load"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func echoRound(server string, round int, rps, cpu float64, fewest, most int64) result {
	return result{Server: server, Scenario: "e", Round: round, Echo: &load.EchoResult{
		ReqPerSec: rps, CPUPerReq: cpu, P50us: rps / 1000, P99us: rps / 100, P999us: rps / 10,
		Fewest: fewest, Most: most, Conns: 10, Seconds: 2, CPUSeconds: 1, LoadCPUSeconds: 1.5,
	}}
}

func TestSummaryIsTheMedianRoundWhole(t *testing.T) {
	s := summarise("x", []result{
		echoRound("x", 1, 300, 1.0, 30, 31),
		echoRound("x", 2, 100, 9.0, 10, 11),
		echoRound("x", 3, 200, 5.0, 20, 21),
	})
	// Round 3 has the median req/s, so every figure is round 3's.
	if s.Round != 3 || s.ReqPerSec != 200 || s.CPUPerReq != 5.0 || s.Fewest != 20 || s.Most != 21 || s.P99 != 2 {
		t.Fatalf("summary %+v, want round 3's figures", s)
	}
}

func TestSummaryListsFailedRoundsAndLeavesThemOut(t *testing.T) {
	bad := echoRound("x", 2, 1e9, 0, 0, 0)
	bad.Err = "zload: a check failed"
	s := summarise("x", []result{echoRound("x", 1, 100, 1, 1, 1), bad, echoRound("x", 3, 300, 3, 3, 3)})
	if len(s.Failed) != 1 || !strings.Contains(s.Failed[0], "round 2: zload") {
		t.Fatalf("Failed = %q", s.Failed)
	}
	if s.Round != 1 { // the lower middle of rounds 1 and 3
		t.Fatalf("picked round %d, want 1", s.Round)
	}
}

func TestIdleSummary(t *testing.T) {
	r := func(round int, kib float64, returned bool) result {
		return result{Server: "x", Round: round, Idle: &load.IdleResult{
			Conns: 100, KiBPerConn: kib, FDsBefore: 10, FDsHeld: 110, ThreadsBefore: 4, ThreadsHeld: 5,
			GoroutinesPerConn: 1, FDsReturned: returned,
		}}
	}
	s := summarise("x", []result{r(1, 9, true), r(2, 3, false), r(3, 5, true)})
	if s.KiBPerConn != 5 || s.FDsPerConn != 1 || s.ThreadsPerConn != 0.01 || s.GoroutinesPerConn != 1 {
		t.Fatalf("summary %+v", s)
	}
	if s.FDsReturned {
		t.Fatal("a round that kept descriptors was not reported")
	}
}

func TestFormatting(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 1234567.4: "1,234,567"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%v) = %q, want %q", in, got, want)
		}
	}
	if got := ratio(3, 2); got != "1.50×" {
		t.Errorf("ratio(3, 2) = %q", got)
	}
	if got := ratio(3, 0); got != "–" {
		t.Errorf("ratio(3, 0) = %q", got)
	}
}

// TestReportWritesPagesChartsAndResults renders a made-up run and checks
// the tables say what the results say, and that replot reproduces them.
func TestReportWritesPagesChartsAndResults(t *testing.T) {
	scs := []scenario{
		{"e", "2 connections × 1 in flight × 64 B", "echo", 2, 1, 64},
		{"i", "5 idle connections", "idle", 5, 0, 0},
	}
	var rs []result
	for round := 1; round <= 3; round++ {
		for i, s := range []string{"stdlib", "gnet", "v0.5"} {
			e := echoRound(s, round, float64(1000*(i+1)), float64(i+1), 5, 9)
			idle := result{Server: s, Scenario: "i", Round: round, Idle: &load.IdleResult{
				Conns: 5, KiBPerConn: float64(4 * (i + 1)), FDsReturned: true, FDsBefore: 3, FDsHeld: 8,
			}}
			rs = append(rs, e, idle)
		}
	}
	c := config{rounds: 3, warmup: time.Second, duration: 2 * time.Second,
		note: map[string]string{"en": "A test.", "zh": "测试。"}}
	rep := newReport(c, []string{"stdlib", "gnet", "v0.5"}, scs, rs)
	rep.docs = map[string][2]string{"v0.5": {"the fifth", "第五版"}}
	dir := t.TempDir()
	if err := rep.write(dir); err != nil {
		t.Fatal(err)
	}
	en := read(t, filepath.Join(dir, "README.md"))
	for _, want := range []string{
		"> A test.",
		"| v0.5 | 3,000 | 3.00× | 1.50× | 3 | 30 | 300 | 3.00 | 3.00× | 5 / 9 | 50% / 75% |",
		"| gnet | 8.00 | 1.00× | 0.00 | 0.000 | 1.00 | yes |",
		"- `v0.5`: the fifth",
		"the median of 3 rounds",
	} {
		if !strings.Contains(en, want) {
			t.Errorf("README.md lacks %q:\n%s", want, en)
		}
	}
	zh := read(t, filepath.Join(dir, "README.zh.md"))
	for _, want := range []string{"> 测试。", "## 2 个连接 × 每连接 1 个在途请求 × 64 B", "- `v0.5`：第五版"} {
		if !strings.Contains(zh, want) {
			t.Errorf("README.zh.md lacks %q", want)
		}
	}
	for _, f := range []string{"throughput.svg", "cpu.svg", "latency.svg", "idle-memory.svg"} {
		if svg := read(t, filepath.Join(dir, f)); !strings.HasPrefix(svg, "<?xml") || !strings.Contains(svg, "v0.5") {
			t.Errorf("%s is not a chart naming the servers", f)
		}
	}
	var saved saved
	if err := json.Unmarshal([]byte(read(t, filepath.Join(dir, "results.json"))), &saved); err != nil || len(saved.Results) != len(rs) {
		t.Fatalf("results.json: %v, %d results", err, len(saved.Results))
	}

	again := t.TempDir()
	if err := replot(config{replot: filepath.Join(dir, "results.json"), out: again}); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(again, "README.md")); got != en {
		t.Errorf("replot changed README.md:\n%s", got)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTargetsApplyFromTheirVersionOn(t *testing.T) {
	for _, c := range []struct {
		server string
		want   int // how many targets judge it
	}{{"stdlib", 0}, {"gnet", 0}, {"v0.5", 0}, {"v0.8", 3}, {"v0.9", 3}, {"v1.0-epoll", 6}} {
		n := 0
		for _, tg := range targets {
			if tg.appliesTo(c.server) {
				n++
			}
		}
		if n != c.want {
			t.Errorf("%s is judged by %d targets, want %d", c.server, n, c.want)
		}
	}
}

func TestJudgeUsesTheRunsFigures(t *testing.T) {
	sum := func(rps, cpu float64, fewest, most int64) summary {
		return summary{Round: 1, ReqPerSec: rps, CPUPerReq: cpu, Fewest: fewest, Most: most}
	}
	r := &report{servers: []string{"stdlib", "v0.8"}, sums: map[string]map[string]summary{
		"c100-d16-64": {"stdlib": sum(100, 1.0, 9, 10), "v0.8": sum(90, 1.5, 24, 100)},
		"c100-d1-64":  {"stdlib": sum(100, 1.0, 9, 10), "v0.8": sum(79, 1.0, 9, 10)},
	}}
	got := r.judge(english)
	want := []verdict{
		{"v0.8", targets[0].en, "1.50×", true},
		{"v0.8", targets[1].en, "24 / 100", false},
		{"v0.8", targets[2].en, "0.79×", false},
	}
	requireVerdicts(t, got, want)
}

// TestJudgeSaysWhenAVersionFailedEveryRound: a version with no good round
// in a scenario its targets are judged on gets a "no" for each, not a
// table without it.
func TestJudgeSaysWhenAVersionFailedEveryRound(t *testing.T) {
	good := summary{Round: 1, ReqPerSec: 100, CPUPerReq: 1.0, Fewest: 9, Most: 10}
	r := &report{servers: []string{"stdlib", "v0.8"}, sums: map[string]map[string]summary{
		"c100-d16-64": {"stdlib": good, "v0.8": {Failed: []string{"round 1: crashed"}}},
		"c100-d1-64":  {"stdlib": good, "v0.8": {Round: 1, ReqPerSec: 90, CPUPerReq: 0}},
	}}
	got := r.judge(english)
	want := []verdict{
		{"v0.8", targets[0].en, "failed in every round", false},
		{"v0.8", targets[1].en, "failed in every round", false},
		{"v0.8", targets[2].en, "0.90×", true},
	}
	requireVerdicts(t, got, want)
}

// TestCPUTargetIsNotMetByAReadingOfZero: a CPU per request of 0 is a failed
// reading, not the best possible figure.
func TestCPUTargetIsNotMetByAReadingOfZero(t *testing.T) {
	good := summary{Round: 1, ReqPerSec: 100, CPUPerReq: 1.0, Fewest: 9, Most: 10}
	r := &report{servers: []string{"stdlib", "v0.8"}, sums: map[string]map[string]summary{
		"c100-d16-64": {"stdlib": good, "v0.8": {Round: 1, ReqPerSec: 100, CPUPerReq: 0, Fewest: 9, Most: 10}},
	}}
	got := r.judge(english)
	if len(got) == 0 || got[0].goal != targets[0].en || got[0].met {
		t.Fatalf("verdicts %+v: the CPU target must be judged, and not met", got)
	}
}

// requireVerdicts fails the test unless got is want, verdict by verdict.
func requireVerdicts(t *testing.T, got, want []verdict) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("verdicts %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("verdict %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
