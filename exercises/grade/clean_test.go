package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestExplainFailureGolden renders every package of the recorded run the
// way the grader shows it to a learner. The golden files are the spec for
// "readable": read them when changing the cleanup rules.
func TestExplainFailureGolden(t *testing.T) {
	res := parseFixture(t, "mixed.jsonl")
	for _, id := range []string{"v0.1-bind", "v0.1-leak", "v0.5-broken", "v0.5-hang", "v0.5-panic"} {
		t.Run(id, func(t *testing.T) {
			lines := explain(t, res.Package("zinx/exercises/"+id), fixtureRoot)
			golden(t, "failure-"+id+".txt", []byte(strings.Join(lines, "\n")+"\n"))
		})
	}
}

// explain renders p the way the grader does for an exercise whose manifest
// lists exactly the tests that ran.
func explain(t *testing.T, p *PackageResult, root string) []string {
	ex := Exercise{}
	for _, tr := range p.Tests {
		if !strings.Contains(tr.Name, "/") {
			ex.Tests = append(ex.Tests, tr.Name)
		}
	}
	return newTestApp(t, root, nil, nil).explainFailure(ex, p, false)
}

// leak-race.jsonl was recorded from early versions of the repository's
// own exercises (in /work/main): goleak.VerifyNone reports logged through
// t.Error, a data race report, testify failures with several assertions.
func TestExplainFailureGoleakAndRace(t *testing.T) {
	res := parseFixture(t, "leak-race.jsonl")
	for _, id := range []string{"v0.1-echo", "v0.1-leak", "v0.5-reader-leak"} {
		t.Run(id, func(t *testing.T) {
			lines := explain(t, res.Package("zinx/exercises/"+id), "/work/main")
			out := strings.Join(lines, "\n") + "\n"
			if strings.Contains(out, "/usr/local/go") || strings.Contains(out, "testing.tRunner") {
				t.Errorf("frames outside the module were kept:\n%s", out)
			}
			golden(t, "failure-real-"+id+".txt", []byte(out))
		})
	}
}

func TestCleanTestOutputTestify(t *testing.T) {
	raw := []string{
		"=== RUN   TestAddr",
		"    bind_test.go:14: ",
		"        \tError Trace:\t/tmp/fx/exercises/v0.1-bind/bind_test.go:14",
		"        \tError:      \tNot equal: ",
		"        \t            \texpected: 1",
		"        \t            \tactual  : 2",
		"        \tTest:       \tTestAddr",
		"        \tMessages:   \twhy",
		"--- FAIL: TestAddr (0.00s)",
	}
	want := []string{
		"Error Trace:  exercises/v0.1-bind/bind_test.go:14",
		"Error:        Not equal:",
		"              expected: 1",
		"              actual  : 2",
		"Messages:     why",
	}
	if got := cleanTestOutput(raw, fixtureRoot, false); !slices.Equal(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCleanTestOutputPlainErrors(t *testing.T) {
	raw := []string{
		"=== RUN   TestTable/ipv4",
		"=== PAUSE TestTable/ipv4",
		"=== CONT  TestTable/ipv4",
		"    bind_test.go:26: Network() = \"tcp\", want \"tcp4\"",
		"    bind_test.go:27: multi-line",
		"        second line",
		"    --- FAIL: TestTable/ipv4 (0.00s)",
	}
	want := []string{
		`bind_test.go:26: Network() = "tcp", want "tcp4"`,
		"bind_test.go:27: multi-line",
		"    second line",
	}
	if got := cleanTestOutput(raw, fixtureRoot, false); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestCleanTestOutputCaps(t *testing.T) {
	var raw []string
	for i := range 100 {
		raw = append(raw, fmt.Sprintf("    x_test.go:%d: line", i))
	}
	got := cleanTestOutput(raw, fixtureRoot, false)
	if len(got) != maxLinesPerTest+1 || got[len(got)-1] != "… 60 more lines" {
		t.Errorf("got %d lines ending %q", len(got), got[len(got)-1])
	}
}

func TestTrimStacksKeepsOnlyModuleFrames(t *testing.T) {
	lines := []string{
		"panic: boom",
		"",
		"goroutine 7 [running]:",
		"testing.tRunner.func1()",
		"\t/usr/local/go/src/testing/testing.go:1974 +0x419",
		"zinx/exercises/v0%2e1-x.Store(...)",
		"\t/tmp/fx/exercises/x/exercise.go:5 +0x32",
		"",
		"goroutine 1 [chan receive]:",
		"testing.(*T).Run(0xc0000e0008)",
		"\t/usr/local/go/src/testing/testing.go:2109 +0xb3e",
		"",
	}
	want := []string{
		"panic: boom",
		"",
		"goroutine 7 [running]:",
		"zinx/exercises/v0.1-x.Store(...)",
		"\t/tmp/fx/exercises/x/exercise.go:5",
		"",
		"",
	}
	if got := trimStacks(lines, fixtureRoot); !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestIsNoise(t *testing.T) {
	noise := []string{"=== RUN   TestX", "=== NAME  TestX", "--- FAIL: TestX (0.00s)", "    --- PASS: TestX/a (0.00s)",
		"PASS", "FAIL", "FAIL\tzinx/x\t0.01s", "ok  \tzinx/x\t0.01s", "?   \tzinx/x\t[no test files]", "exit status 1"}
	for _, line := range noise {
		if !isNoise(line) {
			t.Errorf("isNoise(%q) = false", line)
		}
	}
	signal := []string{"    x_test.go:3: FAIL because", "        \t            \t--- Expected", "panic: boom", ""}
	for _, line := range signal {
		if isNoise(line) {
			t.Errorf("isNoise(%q) = true", line)
		}
	}
}

func TestCleanBuildOutput(t *testing.T) {
	raw := []string{
		"# zinx/exercises/x [zinx/exercises/x.test]",
		"/tmp/fx/exercises/x/exercise.go:3:23: too many return values",
		"\thave (number)",
		"\twant ()",
	}
	want := []string{"exercises/x/exercise.go:3:23: too many return values", "    have (number)", "    want ()"}
	if got := cleanBuildOutput(raw, fixtureRoot); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSqueezeBlank(t *testing.T) {
	got := squeezeBlank([]string{"", " ", "a", "", "\t", "b", ""})
	if want := []string{"a", "", "b"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
