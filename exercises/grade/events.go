package main

import (
	"encoding/json"
	"io"
	"strings"
)

// Event is one line of `go test -json` output (see `go doc cmd/test2json`).
// Since Go 1.24 build errors arrive as events too: Action "build-output" and
// "build-fail" keyed by ImportPath, and the package's final "fail" event
// names the failed build in FailedBuild.
type Event struct {
	Action      string
	Package     string
	Test        string
	Output      string
	ImportPath  string
	FailedBuild string
}

// Status is the verdict for a package or a test.
type Status int

// The verdicts. StatusNone means no verdict was reported: the test was still
// running when the binary died (panic in another goroutine, timeout).
const (
	StatusNone Status = iota
	StatusPass
	StatusFail
	StatusSkip
)

// TestResult is everything one test (or subtest) reported.
type TestResult struct {
	Name   string // e.g. "TestServe/echo"
	Status Status
	Output []string // raw output lines, newline stripped
}

// PackageResult is everything one test package reported.
type PackageResult struct {
	Path        string // import path
	Status      Status
	BuildFailed bool     // the test binary could not be built (or vetted)
	BuildOutput []string // compiler/vet output explaining BuildFailed
	Tests       []*TestResult
	Output      []string // package-level output, i.e. not inside any test

	failedBuild string // Event.FailedBuild, resolved once all events are in
	tests       map[string]*TestResult
}

// Results is a demultiplexed `go test -json` run over several packages.
type Results struct {
	Packages map[string]*PackageResult // by import path
	// Stray holds stdout lines that were not JSON events; the go command
	// prints some failures that way.
	Stray []string
	// Stderr is the go command's standard error, kept as a last resort
	// for explaining a package that reported nothing.
	Stderr string
	// NoRace is set when the race detector was unavailable and the tests
	// ran without -race.
	NoRace bool

	builds map[string][]string // build-output lines by Event.ImportPath
}

// Package returns the result for the import path, or nil if the run said
// nothing about it.
func (r *Results) Package(importPath string) *PackageResult {
	return r.Packages[importPath]
}

// ParseEvents reads a `go test -json` stream and groups it by package and
// test. Packages run in parallel, so their events interleave; the Package
// field (or ImportPath for build events) tells them apart.
func ParseEvents(r io.Reader) (*Results, error) { return parseStream(r, nil) }

// newResults returns an empty Results.
func newResults() *Results {
	return &Results{Packages: make(map[string]*PackageResult), builds: make(map[string][]string)}
}

// add records one line of the stream and returns the package whose final
// verdict the line carried, if any.
func (r *Results) add(line string) *PackageResult {
	var ev Event
	if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &ev) != nil || ev.Action == "" {
		if s := strings.TrimRight(line, "\r\n"); s != "" {
			r.Stray = append(r.Stray, s)
		}
		return nil
	}
	switch ev.Action {
	case "build-output":
		r.builds[ev.ImportPath] = append(r.builds[ev.ImportPath], splitOutput(ev.Output)...)
		return nil
	case "build-fail":
		return nil
	}
	if ev.Package == "" {
		return nil
	}
	pkg := r.pkg(ev.Package)
	if ev.Test == "" {
		switch ev.Action {
		case "output":
			pkg.Output = append(pkg.Output, splitOutput(ev.Output)...)
		case "pass", "fail", "skip":
			pkg.Status = statusOf(ev.Action)
			pkg.failedBuild = ev.FailedBuild
			return pkg
		}
		return nil
	}
	t := pkg.test(ev.Test)
	switch ev.Action {
	case "output":
		t.Output = append(t.Output, splitOutput(ev.Output)...)
	case "pass", "fail", "skip":
		t.Status = statusOf(ev.Action)
	}
	return nil
}

// finish resolves what can only be known once the stream has ended.
func (r *Results) finish() {
	for _, pkg := range r.Packages {
		if pkg.failedBuild != "" {
			pkg.BuildFailed = true
			pkg.BuildOutput = r.builds[pkg.failedBuild]
		}
		for _, line := range pkg.Output {
			// Before Go 1.24 (or with GODEBUG=gotestjsonbuildtext=1) this
			// line is the only hint in the JSON; the details went to stderr.
			if strings.HasSuffix(line, " [build failed]") || strings.HasSuffix(line, " [setup failed]") {
				pkg.BuildFailed = true
			}
		}
		if pkg.Status == StatusFail {
			// A test without a verdict in a failed package was killed
			// mid-run, by a panic or the -timeout alarm.
			for _, t := range pkg.Tests {
				if t.Status == StatusNone {
					t.Status = StatusFail
				}
			}
		}
	}
}

// AttachBuildText hands the plain-text build errors that older Go versions
// print on stderr (blocks headed "# import/path [...]") to the packages
// whose build failed without JSON build output.
func (r *Results) AttachBuildText(stderr string) {
	blocks, all := splitBuildText(stderr)
	for _, pkg := range r.Packages {
		if !pkg.BuildFailed || len(pkg.BuildOutput) > 0 {
			continue
		}
		if block, ok := blocks[pkg.Path]; ok {
			pkg.BuildOutput = block
		} else {
			// The failing package may be a dependency; without
			// FailedBuild we cannot tell which, so show everything.
			pkg.BuildOutput = all
		}
	}
}

// splitBuildText splits `go build` style stderr into blocks by their
// "# path" header. Headers look like "# p", "# p [p.test]" or, from vet,
// "# [p]"; all map to p.
func splitBuildText(text string) (blocks map[string][]string, all []string) {
	blocks = make(map[string][]string)
	if strings.TrimSpace(text) == "" {
		return blocks, nil
	}
	current := ""
	for _, line := range splitOutput(text) {
		all = append(all, line)
		if header, ok := strings.CutPrefix(line, "# "); ok {
			header = strings.Trim(header, "[]")
			current, _, _ = strings.Cut(header, " ")
		}
		blocks[current] = append(blocks[current], line)
	}
	return blocks, all
}

// pkg returns the result for path, creating it on first use.
func (r *Results) pkg(path string) *PackageResult {
	p := r.Packages[path]
	if p == nil {
		p = &PackageResult{Path: path, tests: make(map[string]*TestResult)}
		r.Packages[path] = p
	}
	return p
}

// test returns the result for the named test, creating it on first use, so
// Tests keeps the order in which tests started.
func (p *PackageResult) test(name string) *TestResult {
	t := p.tests[name]
	if t == nil {
		t = &TestResult{Name: name}
		p.tests[name] = t
		p.Tests = append(p.Tests, t)
	}
	return t
}

// Passed reports whether the package ran and passed. A package without test
// files reports "skip", which does not count.
func (p *PackageResult) Passed() bool { return p != nil && p.Status == StatusPass }

// TopLevel counts the package's top-level tests (subtests excluded) and how
// many of them failed.
func (p *PackageResult) TopLevel() (total, failed int) {
	for _, t := range p.Tests {
		if strings.Contains(t.Name, "/") {
			continue
		}
		total++
		if t.Status == StatusFail {
			failed++
		}
	}
	return total, failed
}

// statusOf maps a test2json action to a Status.
func statusOf(action string) Status {
	switch action {
	case "pass":
		return StatusPass
	case "fail":
		return StatusFail
	case "skip":
		return StatusSkip
	}
	return StatusNone
}

// splitOutput splits an output chunk into lines without line endings. An
// event normally carries one line, but nothing guarantees it.
func splitOutput(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return []string{""}
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}
