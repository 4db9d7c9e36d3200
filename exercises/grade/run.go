package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// testTimeout bounds each test binary, so a deadlocked exercise fails with
// a stack dump instead of hanging the grader.
const testTimeout = "120s"

// noRaceNote tells the user that Results.NoRace is set.
const noRaceNote = "note: the race detector is not available here (it needs cgo and a C compiler); the tests ran without -race"

// TestRun describes one `go test -json` invocation over several packages.
type TestRun struct {
	Packages []string // import paths
	Tags     string   // -tags value, e.g. "solution"
	Overlay  string   // path of a -overlay JSON file, if any
}

// runTests runs the packages' tests in a single go test invocation (one
// build graph, packages tested in parallel) from the module root and
// demultiplexes the result by package.
//
// runTests does not print: it may run concurrently with another call.
//
// A non-zero exit status is normal when tests fail; runTests returns an
// error only if the go command produced no test results at all, which means
// something is broken (no go on PATH, bad go.mod, missing go.sum entry).
func (a *app) runTests(ctx context.Context, run TestRun) (*Results, error) {
	res, stderr, err := a.goTest(ctx, run, true)
	noRace := false
	if err == nil && len(res.Packages) == 0 && raceUnsupported(stderr) {
		// -race needs cgo and a C toolchain, which many learner machines
		// (Windows in particular) lack. Grading without it beats not
		// grading at all.
		noRace = true
		res, stderr, err = a.goTest(ctx, run, false)
	}
	if err != nil {
		return nil, err
	}
	if len(res.Packages) == 0 && len(run.Packages) > 0 {
		msg := strings.TrimSpace(strings.Join(append(res.Stray, stderr), "\n"))
		if msg == "" {
			msg = "no output"
		}
		return nil, fmt.Errorf("go test reported no results:\n%s", msg)
	}
	res.Stderr, res.NoRace = stderr, noRace
	res.AttachBuildText(stderr)
	return res, nil
}

// goTest executes go test once and parses its output.
func (a *app) goTest(ctx context.Context, run TestRun, race bool) (*Results, string, error) {
	args := []string{"test", "-count=1", "-json", "-timeout", testTimeout}
	if race {
		args = append(args, "-race")
	}
	if run.Tags != "" {
		args = append(args, "-tags", run.Tags)
	}
	if run.Overlay != "" {
		args = append(args, "-overlay", run.Overlay)
	}
	// No "--" needed: import paths never start with "-".
	args = append(args, run.Packages...)

	cmd := exec.CommandContext(ctx, a.goTool, args...)
	cmd.Dir = a.root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return nil, "", ctx.Err()
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return nil, "", fmt.Errorf("running %s test: %w", a.goTool, err)
	}
	res, perr := ParseEvents(&stdout)
	if perr != nil {
		return nil, "", perr
	}
	return res, stderr.String(), nil
}

// raceUnsupported recognises the go command's complaints about -race.
func raceUnsupported(stderr string) bool {
	return strings.Contains(stderr, "-race requires cgo") ||
		strings.Contains(stderr, "-race is not supported")
}

// importPath is the import path of the exercise's package.
func (a *app) importPath(ex Exercise) string { return a.modPath + "/" + ex.Dir() }
