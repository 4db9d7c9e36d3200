package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Build constraints that keep the stub and the solution apart: without tags
// the learner's stub builds, with -tags solution the reference solution does.
const (
	stubTag     = "//go:build !solution"
	solutionTag = "//go:build solution"
)

// docFiles are the texts every exercise has, in English and Chinese.
var docFiles = []string{"README.md", "README.zh.md", "HINT.md", "HINT.zh.md"}

// exerciseCheck collects verify's findings for one exercise.
type exerciseCheck struct {
	ex       Exercise
	problems [][]string // each problem: a message, then detail lines
	summary  string     // what went right, for the "ok" line
	skipStub bool       // the stub is not as shipped: do not run its tests
}

// problem records a finding.
func (c *exerciseCheck) problem(msg string, details ...string) {
	c.problems = append(c.problems, append([]string{msg}, details...))
}

// cmdVerify is the maintainers' and CI's check (`make test` runs it) that
// every exercise is sound: the manifest's checksums match the files as
// shipped (go.mod and go.sum included), every file follows the contract,
// and the tests fail against the shipped stub and solve the exercise with
// the solution. It prints one line per exercise and fails on any problem.
func cmdVerify(ctx context.Context, a *app, _ []string) error {
	m, err := a.loadManifest()
	if err != nil {
		return err
	}
	bad := 0
	for _, name := range []string{"go.mod", "go.sum"} {
		if sum, _ := fileSum(a.path(name)); sum != m.Module[name] {
			fmt.Fprintf(a.stdout, "%s %s does not match exercises/manifest.json: run `go run ./exercises/grade rehash` and commit\n", a.style.bad("FAIL"), name)
			bad++
		}
	}
	checks := make([]*exerciseCheck, len(m.Exercises))
	for i, ex := range m.Exercises {
		checks[i] = a.checkFiles(ex)
	}
	if err := a.runVerifyTests(ctx, checks); err != nil {
		return err
	}
	width := 0
	for _, c := range checks {
		width = max(width, len(c.ex.ID))
	}
	for _, c := range checks {
		a.printCheck(c, width)
		bad += len(c.problems)
	}
	entries, err := os.ReadDir(a.path(exercisesDir))
	if err != nil {
		return err
	}
	for _, e := range entries {
		if _, ok := m.Lookup(e.Name()); e.IsDir() && !ok && isExerciseDir(e.Name()) {
			fmt.Fprintf(a.stdout, "%s exercises/%s is not in exercises/manifest.json: run `go run ./exercises/grade rehash`\n",
				a.style.bad("FAIL"), e.Name())
			bad++
		}
	}
	if bad > 0 {
		fmt.Fprintf(a.stdout, "\nverify: %d problem%s found\n", bad, plural(bad))
		return errReported
	}
	fmt.Fprintf(a.stdout, "\nverify: all %d exercises ok\n", len(checks))
	return nil
}

// isExerciseDir reports whether a directory under exercises/ is meant to be
// an exercise: anything but the grader and hidden or underscored ones.
func isExerciseDir(name string) bool {
	return name != "grade" && name != "testdata" && !strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "_")
}

// checkFiles checks the exercise's directory against the contract and the
// manifest.
func (a *app) checkFiles(ex Exercise) *exerciseCheck {
	c := &exerciseCheck{ex: ex}
	dir := a.exerciseDir(ex)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		c.problem(fmt.Sprintf("directory %s is missing", ex.Dir()))
		c.skipStub = true
		return c
	}
	for _, name := range docFiles {
		if data, err := os.ReadFile(filepath.Join(dir, name)); err != nil || len(strings.TrimSpace(string(data))) == 0 {
			c.problem(name + " is missing or empty")
		}
	}
	changes, err := changedFiles(dir, ex)
	if err != nil {
		c.problem(err.Error())
	}
	for _, ch := range changes {
		c.problem(fmt.Sprintf("%s is %s per the manifest: run `grade rehash`", ch.File, ch.Kind))
	}
	// The stub's tests must fail: only meaningful for the stub as shipped.
	// A maintainer who solved it locally runs `grade reset ID` first.
	if sum, _ := fileSum(filepath.Join(dir, stubFile)); sum != ex.Files[stubFile] {
		c.problem(stubFile + " is not as in the manifest: `grade reset " + ex.ID + "`, or `grade rehash` if the edit is meant")
		c.skipStub = true
	}
	for name, tag := range map[string]string{stubFile: stubTag, solutionFile: solutionTag} {
		if data, err := os.ReadFile(filepath.Join(dir, name)); err == nil && firstLine(data) != tag {
			c.problem(fmt.Sprintf("%s must start with the line %q", name, tag))
		}
	}
	leakCheck := false
	for _, name := range sortedKeys(ex.Files) {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !isTestFile(name) {
			continue
		}
		if strings.HasPrefix(firstLine(data), "//go:build") {
			c.problem(name + " has a build constraint; tests must build both with and without -tags solution")
		}
		leakCheck = leakCheck || strings.Contains(string(data), "goleak.VerifyTestMain(")
	}
	if !leakCheck {
		c.problem("no TestMain calls goleak.VerifyTestMain")
	}
	if names, err := testNames(dir); err == nil && !slices.Equal(names, ex.Tests) {
		c.problem(fmt.Sprintf("the manifest lists the tests %v, the test files declare %v: run `grade rehash`", ex.Tests, names))
	}
	return c
}

// runVerifyTests runs every shipped stub's tests in one go test, and every
// solution's tests in another (-tags solution), concurrently, and records
// the findings.
func (a *app) runVerifyTests(ctx context.Context, checks []*exerciseCheck) error {
	var stubPkgs, solPkgs []string
	for _, c := range checks {
		if _, err := os.Stat(a.exerciseDir(c.ex)); err != nil {
			continue
		}
		solPkgs = append(solPkgs, a.importPath(c.ex))
		if !c.skipStub {
			stubPkgs = append(stubPkgs, a.importPath(c.ex))
		}
	}
	var (
		wg              sync.WaitGroup
		stubRes, solRes *Results
		stubErr, solErr error
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		if len(stubPkgs) > 0 {
			stubRes, stubErr = a.runTests(ctx, TestRun{Packages: stubPkgs})
		}
	}()
	go func() {
		defer wg.Done()
		if len(solPkgs) > 0 {
			solRes, solErr = a.runTests(ctx, TestRun{Packages: solPkgs, Tags: "solution"})
		}
	}()
	wg.Wait()
	if stubErr != nil {
		return fmt.Errorf("running the stubs' tests: %w", stubErr)
	}
	if solErr != nil {
		return fmt.Errorf("running the solutions' tests: %w", solErr)
	}
	if (stubRes != nil && stubRes.NoRace) || (solRes != nil && solRes.NoRace) {
		fmt.Fprintln(a.stderr, "note: the race detector is not available here (it needs cgo and a C compiler); the tests ran without -race")
	}
	for _, c := range checks {
		var parts []string
		if stubRes != nil && !c.skipStub {
			parts = append(parts, a.judgeStub(c, stubRes.Package(a.importPath(c.ex))))
		}
		if solRes != nil {
			parts = append(parts, a.judgeSolution(c, solRes.Package(a.importPath(c.ex))))
		}
		c.summary = strings.Join(parts, ", ")
	}
	return nil
}

// judgeStub checks that the shipped stub compiles and does not solve the
// exercise: a stub that does not compile greets the learner with compiler
// errors instead of a task.
func (a *app) judgeStub(c *exerciseCheck, p *PackageResult) string {
	switch {
	case p == nil:
		c.problem("go test did not report on the stub's package")
	case p.BuildFailed:
		c.problem("stub does not compile (learners would see compiler errors, not failing tests):",
			indentAll(cleanBuildOutput(p.BuildOutput, a.root), "  ")...)
	case solves(c.ex, p):
		c.problem("stub passes all tests: the exercise is broken (there is nothing to solve)")
	case len(p.Tests) == 0:
		c.problem("no tests ran against the stub")
	default:
		return fmt.Sprintf("stub fails (%d of %d test%s)", len(notPassed(c.ex, p)), len(c.ex.Tests), plural(len(c.ex.Tests)))
	}
	return ""
}

// judgeSolution checks that the reference solution solves the exercise.
func (a *app) judgeSolution(c *exerciseCheck, p *PackageResult) string {
	if solves(c.ex, p) {
		return fmt.Sprintf("solution passes (%d test%s)", len(c.ex.Tests), plural(len(c.ex.Tests)))
	}
	c.problem("solution fails (go test -tags solution):", indentAll(a.explainFailure(c.ex, p, false), "  ")...)
	return ""
}

// printCheck prints an exercise's verdict line and any problems below it.
func (a *app) printCheck(c *exerciseCheck, width int) {
	st := a.style
	if len(c.problems) == 0 {
		fmt.Fprintf(a.stdout, "%s   %-*s  %s\n", st.good("ok"), width, c.ex.ID, c.summary)
		return
	}
	pad := strings.Repeat(" ", len("FAIL ")+width+2)
	for i, p := range c.problems {
		if i == 0 {
			fmt.Fprintf(a.stdout, "%s %-*s  %s\n", st.bad("FAIL"), width, c.ex.ID, p[0])
		} else {
			fmt.Fprintf(a.stdout, "%s%s\n", pad, p[0])
		}
		for _, line := range p[1:] {
			fmt.Fprintln(a.stdout, indent(line, pad))
		}
	}
}

// firstLine returns the first line of data without its line ending.
func firstLine(data []byte) string {
	line, _, _ := strings.Cut(string(data), "\n")
	return strings.TrimSuffix(line, "\r")
}
