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
	return echoIn("e", server, round, rps, cpu, fewest, most)
}

func echoIn(key, server string, round int, rps, cpu float64, fewest, most int64) result {
	return result{Server: server, Scenario: key, Round: round, Echo: &load.EchoResult{
		ReqPerSec: rps, CPUPerReq: cpu, P50us: rps / 1000, P99us: rps / 100, P999us: rps / 10,
		Fewest: fewest, Most: most, Conns: 10, Seconds: 2, CPUSeconds: 1, LoadCPUSeconds: 1.5,
	}}
}

// runOf is the report of a run with these measurements.
func runOf(servers []string, rs ...result) *report {
	return newReport(config{}, servers, fullScenarios, rs)
}

func TestSummaryIsEachFiguresMedian(t *testing.T) {
	s := summarise("x", []result{
		echoRound("x", 1, 300, 1.0, 30, 31),
		echoRound("x", 2, 100, 9.0, 10, 11),
		echoRound("x", 3, 200, 5.0, 20, 21),
		echoRound("x", 4, 250, 3.0, 5, 90),
		echoRound("x", 5, 150, 2.0, 40, 41),
	})
	// Each column's median, whatever round it came from.
	if s.Rounds != 5 || s.ReqPerSec != 200 || s.CPUPerReq != 3.0 || s.Fewest != 20 || s.Most != 31 || s.P99 != 2 {
		t.Fatalf("summary %+v, want each figure's median", s)
	}
}

// TestRatiosAreMediansOfSameRoundRatios: the × columns and the targets
// compare a server with its peer round by round. Dividing the two medians
// would say 1.00× here; within each round x is 0.5×, 1.5× or 2×.
func TestRatiosAreMediansOfSameRoundRatios(t *testing.T) {
	const key = "c100-d16-64"
	r := runOf([]string{"gnet", "x"},
		echoIn(key, "gnet", 1, 200, 1, 1, 1), echoIn(key, "x", 1, 100, 1, 1, 1),
		echoIn(key, "gnet", 2, 100, 1, 1, 1), echoIn(key, "x", 2, 200, 1, 1, 1),
		echoIn(key, "gnet", 3, 300, 1, 1, 1), echoIn(key, "x", 3, 450, 1, 1, 1),
	)
	if q, ok := r.vs(key, "x", "gnet", reqPerSec); !ok || q != 1.5 {
		t.Fatalf("vs = %v, %v; want 1.5, the median of 0.5, 2 and 1.5", q, ok)
	}
	if s := r.sums[key]["x"].ReqPerSec / r.sums[key]["gnet"].ReqPerSec; s == 1.5 {
		t.Fatal("the example does not tell the two ways apart")
	}
	if en := string(r.markdown(english)); !strings.Contains(en, "| x | 200 | – | 1.50× |") {
		t.Errorf("the table does not show the same-round ratio:\n%s", en)
	}
}

// TestRatiosSkipRoundsEitherFailed: a round in which the peer failed has
// nothing to divide by.
func TestRatiosSkipRoundsEitherFailed(t *testing.T) {
	const key = "c100-d16-64"
	bad := echoIn(key, "gnet", 2, 1, 1, 1, 1)
	bad.Err = "crashed"
	r := runOf([]string{"gnet", "x"},
		echoIn(key, "gnet", 1, 100, 1, 1, 1), echoIn(key, "x", 1, 300, 1, 1, 1),
		bad, echoIn(key, "x", 2, 100, 1, 1, 1),
	)
	if q, ok := r.vs(key, "x", "gnet", reqPerSec); !ok || q != 3 {
		t.Fatalf("vs = %v, %v; want 3 from round 1 alone", q, ok)
	}
	if _, ok := r.vs(key, "x", "stdlib", reqPerSec); ok {
		t.Fatal("a ratio against a server the run did not measure")
	}
}

func TestSummaryListsFailedRoundsAndLeavesThemOut(t *testing.T) {
	bad := echoRound("x", 2, 1e9, 0, 0, 0)
	bad.Err = "zload: a check failed"
	s := summarise("x", []result{echoRound("x", 1, 100, 1, 1, 1), bad, echoRound("x", 3, 300, 3, 3, 3)})
	if len(s.Failed) != 1 || !strings.Contains(s.Failed[0], "round 2: zload") {
		t.Fatalf("Failed = %q", s.Failed)
	}
	if s.Rounds != 2 || s.ReqPerSec != 200 { // the mean of rounds 1 and 3, the two middle ones
		t.Fatalf("summary %+v, want rounds 1 and 3's mean", s)
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
	if got := times(1.5, true); got != "1.50×" {
		t.Errorf("times(1.5, true) = %q", got)
	}
	if got := times(0, false); got != "–" {
		t.Errorf("times(0, false) = %q", got)
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
		"its median over 3 rounds",
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
	r := runOf([]string{"stdlib", "v0.8"},
		echoIn("c100-d16-64", "stdlib", 1, 100, 1.0, 9, 10), echoIn("c100-d16-64", "v0.8", 1, 90, 1.5, 24, 100),
		echoIn("c100-d1-64", "stdlib", 1, 100, 1.0, 9, 10), echoIn("c100-d1-64", "v0.8", 1, 79, 1.0, 9, 10),
	)
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
	crashed := echoIn("c100-d16-64", "v0.8", 1, 0, 0, 0, 0)
	crashed.Err = "crashed"
	r := runOf([]string{"stdlib", "v0.8"},
		echoIn("c100-d16-64", "stdlib", 1, 100, 1.0, 9, 10), crashed,
		echoIn("c100-d1-64", "stdlib", 1, 100, 1.0, 9, 10), echoIn("c100-d1-64", "v0.8", 1, 90, 0, 9, 10),
	)
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
	r := runOf([]string{"stdlib", "v0.8"},
		echoIn("c100-d16-64", "stdlib", 1, 100, 1.0, 9, 10), echoIn("c100-d16-64", "v0.8", 1, 100, 0, 9, 10),
	)
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
