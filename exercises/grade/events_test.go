package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// testStatuses flattens a package's tests to "name=status" for comparison.
func testStatuses(p *PackageResult) []string {
	names := map[Status]string{StatusNone: "none", StatusPass: "pass", StatusFail: "fail", StatusSkip: "skip"}
	var out []string
	for _, t := range p.Tests {
		out = append(out, t.Name+"="+names[t.Status])
	}
	return out
}

// The fixture mixed.jsonl was recorded with Go 1.26 from six packages
// tested in one run (events interleaved): testify failures with subtests,
// a goleak failure, a compile error, a -timeout hang, a panic, a pass.
func TestParseEventsDemultiplexes(t *testing.T) {
	res := parseFixture(t, "mixed.jsonl")
	if len(res.Stray) != 0 {
		t.Errorf("Stray = %q, want none", res.Stray)
	}
	tests := []struct {
		pkg         string
		status      Status
		buildFailed bool
		tests       []string
		total       int
		failed      int
	}{
		{"v0.1-bind", StatusFail, false,
			[]string{"TestAddr=fail", "TestListen=fail", "TestTable=fail", "TestTable/ipv4=fail", "TestTable/name=pass", "TestAlwaysOK=pass"}, 4, 3},
		{"v0.1-leak", StatusFail, false, []string{"TestStart=pass"}, 1, 0},
		{"v0.5-broken", StatusFail, true, nil, 0, 0},
		// Killed by the timeout alarm without a verdict: counts as failed.
		{"v0.5-hang", StatusFail, false, []string{"TestWait=fail"}, 1, 1},
		// The panic kills the binary, so TestAfter never starts.
		{"v0.5-panic", StatusFail, false, []string{"TestStore=fail"}, 1, 1},
		{"v0.5-solved", StatusPass, false, []string{"TestOne=pass"}, 1, 0},
	}
	if len(res.Packages) != len(tests) {
		t.Errorf("got %d packages, want %d", len(res.Packages), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			p := res.Package("zinx/exercises/" + tt.pkg)
			if p == nil {
				t.Fatal("package missing from results")
			}
			if p.Status != tt.status || p.BuildFailed != tt.buildFailed {
				t.Errorf("Status, BuildFailed = %v, %v; want %v, %v", p.Status, p.BuildFailed, tt.status, tt.buildFailed)
			}
			if got := testStatuses(p); !slices.Equal(got, tt.tests) {
				t.Errorf("tests = %q, want %q", got, tt.tests)
			}
			if total, failed := p.TopLevel(); total != tt.total || failed != tt.failed {
				t.Errorf("TopLevel() = %d, %d; want %d, %d", total, failed, tt.total, tt.failed)
			}
			if p.Passed() != (tt.status == StatusPass) {
				t.Errorf("Passed() = %v", p.Passed())
			}
		})
	}
}

func TestParseEventsBuildOutputGo124(t *testing.T) {
	p := parseFixture(t, "mixed.jsonl").Package("zinx/exercises/v0.5-broken")
	want := []string{
		"# zinx/exercises/v0.5-broken [zinx/exercises/v0.5-broken.test]",
		"exercises/v0.5-broken/exercise.go:3:23: undefined: notDefined",
	}
	if !slices.Equal(p.BuildOutput, want) {
		t.Errorf("BuildOutput = %q, want %q", p.BuildOutput, want)
	}
}

// Before Go 1.24 (and with GODEBUG=gotestjsonbuildtext=1) compile errors
// go to stderr as text; only "[build failed]" shows up in the JSON.
func TestAttachBuildTextOldGo(t *testing.T) {
	res := parseFixture(t, "oldbuild.jsonl")
	stderr, err := os.ReadFile(filepath.Join("testdata", "events", "oldbuild.stderr"))
	if err != nil {
		t.Fatal(err)
	}
	broken := res.Package("zinx/exercises/v0.5-broken")
	if !broken.BuildFailed || len(broken.BuildOutput) != 0 {
		t.Fatalf("before AttachBuildText: BuildFailed=%v BuildOutput=%q", broken.BuildFailed, broken.BuildOutput)
	}
	res.AttachBuildText(string(stderr))
	if got := strings.Join(broken.BuildOutput, "\n"); !strings.Contains(got, "undefined: notDefined") {
		t.Errorf("BuildOutput = %q, want the compile error", got)
	}
	if solved := res.Package("zinx/exercises/v0.5-solved"); !solved.Passed() || len(solved.BuildOutput) != 0 {
		t.Errorf("solved package: Passed=%v BuildOutput=%q", solved.Passed(), solved.BuildOutput)
	}
}

func TestSplitBuildText(t *testing.T) {
	text := "# a/b [a/b.test]\nb.go:1: x\n# [a/c]\nc.go:2: vet\n# a/d\nd.go:3: y\n\thave ()\n"
	blocks, all := splitBuildText(text)
	if got := blocks["a/b"]; !slices.Equal(got, []string{"# a/b [a/b.test]", "b.go:1: x"}) {
		t.Errorf(`blocks["a/b"] = %q`, got)
	}
	if got := blocks["a/c"]; !slices.Equal(got, []string{"# [a/c]", "c.go:2: vet"}) {
		t.Errorf(`blocks["a/c"] = %q`, got)
	}
	if got := blocks["a/d"]; len(got) != 3 {
		t.Errorf(`blocks["a/d"] = %q, want 3 lines`, got)
	}
	if len(all) != 7 {
		t.Errorf("all has %d lines, want 7", len(all))
	}
	if blocks, all := splitBuildText("  \n"); len(blocks) != 0 || all != nil {
		t.Errorf("blank text gave %q, %q", blocks, all)
	}
}

// A dependency that fails to build is named by FailedBuild; its output
// must reach the test package that needed it.
func TestParseEventsFailedDependency(t *testing.T) {
	stream := `{"ImportPath":"m/dep","Action":"build-output","Output":"# m/dep\n"}
{"ImportPath":"m/dep","Action":"build-output","Output":"dep/dep.go:3:19: too many return values\n"}
{"ImportPath":"m/dep","Action":"build-fail"}
{"Action":"start","Package":"m/ex"}
{"Action":"output","Package":"m/ex","Output":"FAIL\tm/ex [build failed]\n"}
{"Action":"fail","Package":"m/ex","Elapsed":0,"FailedBuild":"m/dep"}
`
	res, err := ParseEvents(strings.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	p := res.Package("m/ex")
	if !p.BuildFailed || len(p.BuildOutput) != 2 || !strings.Contains(p.BuildOutput[1], "too many return values") {
		t.Errorf("BuildFailed=%v BuildOutput=%q", p.BuildFailed, p.BuildOutput)
	}
	if res.Package("m/dep") != nil {
		t.Error("build-only import path should not become a package result")
	}
}

func TestParseEventsStrayLines(t *testing.T) {
	stream := "go: downloading example.com/x v1.0.0\n" +
		`{"Action":"output","Package":"m/a","Output":"no newline at end"}` + "\n" +
		"{not json\n" +
		`{"Action":"pass","Package":"m/a"}` // no trailing newline
	res, err := ParseEvents(strings.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"go: downloading example.com/x v1.0.0", "{not json"}; !slices.Equal(res.Stray, want) {
		t.Errorf("Stray = %q, want %q", res.Stray, want)
	}
	p := res.Package("m/a")
	if !p.Passed() || !slices.Equal(p.Output, []string{"no newline at end"}) {
		t.Errorf("Passed=%v Output=%q", p.Passed(), p.Output)
	}
}

func TestSplitOutput(t *testing.T) {
	tests := map[string][]string{
		"one\n":        {"one"},
		"\n":           {""},
		"a\r\nb\n":     {"a", "b"},
		"no newline":   {"no newline"},
		"two\nlines\n": {"two", "lines"},
	}
	for in, want := range tests {
		if got := splitOutput(in); !slices.Equal(got, want) {
			t.Errorf("splitOutput(%q) = %q, want %q", in, got, want)
		}
	}
}
