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
	ex := func(id, chapter, title string, stars, points int) Exercise {
		return Exercise{ID: id, Chapter: chapter, Title: title, Stars: stars, Points: points, Stub: "exercise.go"}
	}
	return []Outcome{
		{Exercise: ex("v0.5-solved", "v0.1", "Warm up", 1, 10), Verdict: Solved, Result: res.Package("zinx/exercises/v0.5-solved")},
		{Exercise: ex("v0.1-bind", "v0.1", "Bind before you return", 2, 20), Verdict: Unsolved, Result: res.Package("zinx/exercises/v0.1-bind")},
		{Exercise: ex("v0.5-broken", "v0.5", "Compile me", 3, 30), Verdict: Unsolved, Result: res.Package("zinx/exercises/v0.5-broken")},
		{Exercise: ex("v0.5-x", "v0.5", "Changed tests", 5, 50), Verdict: TestsChanged,
			Changes: []TestChange{{"x_test.go", Modified}, {"y_test.go", Extra}}},
	}
}

func TestRenderTable(t *testing.T) {
	var plain, colour bytes.Buffer
	renderTable(&plain, sampleOutcomes(t), style{})
	renderTable(&colour, sampleOutcomes(t), style{on: true})
	golden(t, "table.txt", plain.Bytes())
	// Colour must not disturb the alignment: padding is computed on the
	// plain text.
	if got := ansi.ReplaceAllString(colour.String(), ""); got != plain.String() {
		t.Errorf("coloured table without escapes:\n%s\nplain:\n%s", got, plain.String())
	}
	if !strings.Contains(colour.String(), "\x1b[32mPASS\x1b[0m") {
		t.Error("PASS is not green in the coloured table")
	}
	if strings.Contains(plain.String(), "\x1b") {
		t.Error("plain table contains escape sequences")
	}
}

// TestReport renders the whole grade screen: table, progress, and the
// first unsolved exercise's failures.
func TestReport(t *testing.T) {
	var out bytes.Buffer
	a := newTestApp(t, fixtureRoot, &out, nil)
	a.report(sampleOutcomes(t))
	golden(t, "report.txt", out.Bytes())
}

func TestReportTestsChanged(t *testing.T) {
	var out bytes.Buffer
	a := newTestApp(t, fixtureRoot, &out, nil)
	a.watching = true // no watch tip
	a.report(sampleOutcomes(t)[3:])
	golden(t, "report-tests-changed.txt", out.Bytes())
}

func TestReportAllSolved(t *testing.T) {
	var out bytes.Buffer
	a := newTestApp(t, fixtureRoot, &out, nil)
	a.report(sampleOutcomes(t)[:1])
	if !strings.Contains(out.String(), "[####################] 100%  10/10 points") ||
		!strings.Contains(out.String(), "All exercises solved") {
		t.Errorf("report:\n%s", out.String())
	}
	out.Reset()
	a.report(nil)
	if !strings.Contains(out.String(), "No exercises yet") {
		t.Errorf("empty report:\n%s", out.String())
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
