package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// testTimeout bounds each test binary, so a deadlocked exercise fails with
// a stack dump instead of hanging the grader. Every wait in the exercises'
// tests has its own deadline (10 s at most, most 2 s), so a binary still
// running after a minute is stuck somewhere no test bounds; the margin is
// for a wrong solution that runs into several deadlines in turn, under
// -race, on a slow machine.
const testTimeout = "60s"

// TestRun describes one `go test -json` invocation over several packages.
type TestRun struct {
	Packages []string // import paths
	Tags     string   // -tags value, e.g. "solution"
	Modfile  string   // path of a pristine go.mod, if the working tree's is not
	// Done, if set, is called as each package's result arrives, so a
	// long first build shows progress.
	Done func(*PackageResult)
}

// runTests runs the packages' tests in a single go test (one build graph,
// packages tested in parallel) from the module root and demultiplexes the
// result by package. It does not print, so two runs may overlap.
//
// Without a C compiler -race cannot work; runTests then runs without it and
// sets Results.NoRace, and race-dependent exercises are not counted. It
// returns an error only if go test produced no results at all (no go on
// PATH, a broken go.mod, ...): failing tests are a normal result.
func (a *app) runTests(ctx context.Context, run TestRun) (*Results, error) {
	res, stderr, err := a.goTest(ctx, run, true)
	if err == nil && len(res.Packages) == 0 && raceUnsupported(stderr) {
		res, stderr, err = a.goTest(ctx, run, false)
		if res != nil {
			res.NoRace = true
		}
	}
	if err != nil {
		return nil, err
	}
	if len(res.Packages) == 0 && len(run.Packages) > 0 {
		msg := strings.TrimSpace(strings.Join(append(res.Stray, stderr), "\n"))
		return nil, fmt.Errorf("go test reported no results:\n%s", msg)
	}
	res.Stderr = stderr
	res.AttachBuildText(stderr)
	return res, nil
}

// goTest executes go test once, streaming its events into Results.
func (a *app) goTest(ctx context.Context, run TestRun, race bool) (*Results, string, error) {
	// The grader's own flags on the command line; GOFLAGS from the
	// environment (or `go env -w`) never reaches this go test.
	args := []string{"test", "-count=1", "-json", "-timeout=" + testTimeout, "-tags=" + run.Tags}
	if race {
		args = append(args, "-race")
	}
	if run.Modfile != "" {
		args = append(args, "-modfile="+run.Modfile)
	}
	cmd := exec.CommandContext(ctx, a.goTool, append(args, run.Packages...)...)
	cmd.Dir, cmd.Env = a.root, testEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("running %s test: %w", a.goTool, err)
	}
	res, perr := parseStream(stdout, run.Done)
	err = cmd.Wait()
	if ctx.Err() != nil {
		return nil, "", ctx.Err()
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return nil, "", fmt.Errorf("running %s test: %w", a.goTool, err)
	}
	return res, stderr.String(), perr
}

// testEnv is the environment of the go test the grader runs: the user's,
// minus what could change which tests run or which code they test. GOFLAGS
// is overridden rather than unset, since an empty GOFLAGS falls back to
// `go env -w GOFLAGS=...`; -mod=readonly also keeps a vendor directory out.
// GOWORK=off keeps a go.work (and its replace directives) out.
func testEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "GOFLAGS", "GOWORK", "GODEBUG":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GOFLAGS=-mod=readonly", "GOWORK=off")
}

// parseStream reads go test -json output as it arrives, calling done (if
// set) with each package whose verdict is in.
func parseStream(r io.Reader, done func(*PackageResult)) (*Results, error) {
	res := newResults()
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			if p := res.add(line); p != nil && done != nil {
				done(p)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	res.finish()
	return res, nil
}

// raceUnsupported recognises the go command's complaints about -race.
func raceUnsupported(stderr string) bool {
	return strings.Contains(stderr, "-race requires cgo") ||
		strings.Contains(stderr, "-race is not supported")
}

// importPath is the import path of the exercise's package.
func (a *app) importPath(ex Exercise) string { return a.modPath + "/" + ex.Dir() }
