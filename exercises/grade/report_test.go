package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestProgressBar(t *testing.T) {
	tests := []struct {
		earned, total, width int
		want                 string
	}{
		{60, 170, 20, "[#######.............] 35%"},
		{0, 170, 20, "[....................] 0%"},
		{170, 170, 20, "[####################] 100%"},
		{169, 170, 20, "[###################.] 99%"}, // 100% only when done
		{1, 3, 10, "[###.......] 33%"},
		{0, 0, 5, "[.....] 0%"},     // no exercises yet
		{50, 10, 5, "[#####] 100%"}, // clamped
		{-5, 10, 5, "[.....] 0%"},   // clamped
	}
	for _, tt := range tests {
		if got := progressBar(tt.earned, tt.total, tt.width, style{}); got != tt.want {
			t.Errorf("progressBar(%d, %d, %d) = %q, want %q", tt.earned, tt.total, tt.width, got, tt.want)
		}
	}
}

// ansi matches SGR escape sequences.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// sampleOutcomes is one exercise in each state, with results from the
// recorded run.
func sampleOutcomes(t *testing.T) []Outcome {
	res := parseFixture(t, "mixed.jsonl")
	ex := func(id, chapter, title string, stars, points int, tests ...string) Exercise {
		return Exercise{ID: id, Chapter: chapter, Title: title, Stars: stars, Points: points, Tests: tests}
	}
	return []Outcome{
		{Exercise: ex("v0.5-solved", "v0.1", "Warm up", 1, 10), Verdict: Solved, Result: res.Package("zinx/exercises/v0.5-solved")},
		{Exercise: ex("v0.1-bind", "v0.1", "Bind before you return", 2, 20, "TestStartReturnsBindError", "TestStopWaits"),
			Verdict: Unsolved, Result: res.Package("zinx/exercises/v0.1-bind")},
		{Exercise: ex("v0.5-broken", "v0.5", "Compile me", 3, 30), Verdict: Unsolved, Result: res.Package("zinx/exercises/v0.5-broken")},
		{Exercise: ex("v0.5-x", "v0.5", "Changed tests", 5, 50), Verdict: Changed,
			Changes: []FileChange{{"x_test.go", Modified}, {"cheat.go", Extra}}},
		{Exercise: ex("v0.5-race", "v0.5", "Racy", 3, 30), Verdict: NeedsRace},
	}
}

// TestReport renders the whole grade screen: table, progress, and the
// first unsolved exercise's failures, a test that never reported included.
func TestReport(t *testing.T) {
	var out bytes.Buffer
	a := newTestApp(t, fixtureRoot, &out, nil)
	a.report(&Manifest{}, sampleOutcomes(t), "")
	golden(t, "report.txt", out.Bytes())
}

// Colour must not disturb the alignment: padding is computed on the plain
// text.
func TestSummaryColour(t *testing.T) {
	var plain, colour bytes.Buffer
	newTestApp(t, fixtureRoot, &plain, nil).summary(sampleOutcomes(t))
	a := newTestApp(t, fixtureRoot, &colour, nil)
	a.style = style{on: true}
	a.summary(sampleOutcomes(t))
	if got := ansi.ReplaceAllString(colour.String(), ""); got != plain.String() {
		t.Errorf("coloured table without escapes:\n%s\nplain:\n%s", got, plain.String())
	}
	if !strings.Contains(colour.String(), "\x1b[32mPASS\x1b[0m") {
		t.Error("PASS is not green in the coloured table")
	}
}

// The screens a learner meets besides a failing test, in both languages.
func TestReportScreens(t *testing.T) {
	outs := sampleOutcomes(t)
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"docs/v0.1.md": "x", "docs/v0.8.md": "x", "docs/v0.9.md": "x"})
	m := &Manifest{Exercises: []Exercise{outs[0].Exercise, {Chapter: "v0.5"}}}
	tests := []struct {
		name  string
		zh    bool
		outs  []Outcome
		focus string
		want  []string
	}{
		{"changed files", false, outs[3:4], "", []string{"files changed", "exercises/v0.5-x/x_test.go (modified)",
			"exercises/v0.5-x/cheat.go (not part of the exercise)", `make grade ARGS="reset v0.5-x"`}},
		{"needs race", false, outs[4:], "", []string{"needs -race", "race detector could not run here", "0/30 points"}},
		{"all solved", false, outs[:1], "", []string{"100%  10/10 points", "All exercises solved",
			"Next: read docs/v0.8.md, the next chapter, and run its tests: make test-v0.8", "Bonus: make bench"}},
		{"focus solved, next shown", false, outs[:2], "v0.5-solved", []string{"✓ v0.5-solved is solved!", "Next: v0.1-bind"}},
		{"focus shown first", false, outs[1:3], "v0.5-broken", []string{"Next: v0.5-broken"}},
		{"chinese", true, outs[:1], "", []string{"所有练习都完成了", "docs/zh/v0.8.md", "已完成 1/1 道"}},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		a := newTestApp(t, root, &out, nil)
		a.zh = tt.zh
		a.report(m, tt.outs, tt.focus)
		for _, w := range tt.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s: output does not mention %q:\n%s", tt.name, w, out.String())
			}
		}
	}
}

func TestWidth(t *testing.T) {
	for s, want := range map[string]int{"PASS": 4, "未通过": 6, "★★": 2, "（已完成）": 10, "": 0} {
		if got := width(s); got != want {
			t.Errorf("width(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestStars(t *testing.T) {
	if got := stars(3); got != "★★★" {
		t.Errorf("stars(3) = %q", got)
	}
	if got := stars(-1); got != "" {
		t.Errorf("stars(-1) = %q", got)
	}
}

// TestExplainTestsThatNeverRan: tests with no result are blamed on the
// timeout or the panic that stopped the binary when the output shows one,
// and skipped tests are told apart from them.
func TestExplainTestsThatNeverRan(t *testing.T) {
	ex := Exercise{ID: "v0.1-x", Tests: []string{"TestA", "TestB", "TestC", "TestD"}}
	tests := []struct {
		name   string
		output []string // TestB's
		want   string
	}{
		{"timeout", []string{"=== RUN   TestB", "panic: test timed out after 30s", "\trunning tests:"}, "the test binary stopped at the timeout shown above"},
		{"panic", []string{"=== RUN   TestB", "panic: assignment to entry in nil map [recovered]"}, "the test binary stopped at the panic shown above"},
		{"fatal error", []string{"=== RUN   TestB", "fatal error: concurrent map writes"}, "the test binary stopped at the panic shown above"},
		{"nothing shown", []string{"=== RUN   TestB", "    x_test.go:9: oops"}, "did something end the test binary early, such as os.Exit?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &PackageResult{Path: "zinx/exercises/v0.1-x", Status: StatusFail, Tests: []*TestResult{
				{Name: "TestA", Status: StatusPass},
				{Name: "TestB", Status: StatusFail, Output: tt.output},
				{Name: "TestD", Status: StatusSkip},
			}}
			p.tests = map[string]*TestResult{}
			for _, r := range p.Tests {
				p.tests[r.Name] = r
			}
			a := newTestApp(t, fixtureRoot, nil, nil)
			got := strings.Join(a.explainFailure(ex, p, true), "\n")
			if !strings.Contains(got, "these tests never ran: "+tt.want) || !strings.Contains(got, "\n    TestC") {
				t.Errorf("want TestC to have never run because %q; got:\n%s", tt.want, got)
			}
			if !strings.Contains(got, "these tests were skipped, and a skipped test does not pass:\n    TestD") {
				t.Errorf("want TestD reported as skipped; got:\n%s", got)
			}
		})
	}
}
