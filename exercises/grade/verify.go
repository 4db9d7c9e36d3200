package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
)

// exerciseCheck collects verify's findings for one exercise.
type exerciseCheck struct {
	ex       Exercise
	problems [][]string // each problem: a message, then detail lines
	summary  string     // what went right, for the "ok" line
	fromHEAD bool       // the stub was taken from git HEAD via -overlay
	pristine []byte     // that stub's content
	skipStub bool       // no pristine stub: do not run the stub's tests
}

// problem records a finding.
func (c *exerciseCheck) problem(msg string, details ...string) {
	c.problems = append(c.problems, append([]string{msg}, details...))
}

// cmdVerify is the maintainers' and CI's check that every exercise is
// sound: its files follow the contract, its tests are the ones in the
// manifest, they fail against the pristine stub and pass against the
// solution. It prints one line per exercise and fails on any problem.
func cmdVerify(ctx context.Context, a *app, _ []string) error {
	m, err := a.loadManifest()
	if err != nil {
		return err
	}
	checks := make([]*exerciseCheck, len(m.Exercises))
	for i, ex := range m.Exercises {
		checks[i] = a.checkFiles(ex)
		if !checks[i].skipStub {
			a.findPristineStub(ctx, checks[i])
		}
	}
	if err := a.runVerifyTests(ctx, checks); err != nil {
		return err
	}

	unlisted, err := a.unlistedDirs(m)
	if err != nil {
		return err
	}
	width := 0
	for _, c := range checks {
		width = max(width, len(c.ex.ID))
	}
	for _, dir := range unlisted {
		width = max(width, len(dir))
	}
	bad := 0
	for _, c := range checks {
		a.printCheck(c, width)
		bad += len(c.problems)
	}
	for _, dir := range unlisted {
		fmt.Fprintf(a.stdout, "%s %-*s  is not listed in exercises/manifest.json (add it, or remove the directory)\n",
			a.style.bad("FAIL"), width, dir)
		bad++
	}
	if bad > 0 {
		fmt.Fprintf(a.stdout, "\nverify: %d problem%s found\n", bad, plural(bad))
		return errReported
	}
	fmt.Fprintf(a.stdout, "\nverify: all %d exercises ok\n", len(checks))
	return nil
}

// runVerifyTests runs every pristine stub's tests in one go test, and every
// solution's tests in another (-tags solution), concurrently, and records
// the findings.
func (a *app) runVerifyTests(ctx context.Context, checks []*exerciseCheck) error {
	overlay, cleanup, err := a.writeOverlay(checks)
	if err != nil {
		return err
	}
	defer cleanup()

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
	if len(stubPkgs) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stubRes, stubErr = a.runTests(ctx, TestRun{Packages: stubPkgs, Overlay: overlay})
		}()
	}
	if len(solPkgs) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			solRes, solErr = a.runTests(ctx, TestRun{Packages: solPkgs, Tags: "solution"})
		}()
	}
	wg.Wait()
	if stubErr != nil {
		return fmt.Errorf("running the stubs' tests: %w", stubErr)
	}
	if solErr != nil {
		return fmt.Errorf("running the solutions' tests: %w", solErr)
	}
	if (stubRes != nil && stubRes.NoRace) || (solRes != nil && solRes.NoRace) {
		fmt.Fprintln(a.stderr, noRaceNote)
	}

	for _, c := range checks {
		path := a.importPath(c.ex)
		var stubSummary, solSummary string
		if stubRes != nil && !c.skipStub {
			stubSummary = a.judgeStub(c, stubRes.Package(path))
		}
		if solRes != nil {
			solSummary = a.judgeSolution(c, solRes.Package(path))
		}
		c.summary = strings.Join([]string{stubSummary, solSummary}, ", ")
	}
	return nil
}

// judgeStub checks that the pristine stub fails its tests, and fails them
// as tests: a stub that does not compile greets the learner with compiler
// errors instead of a task.
func (a *app) judgeStub(c *exerciseCheck, p *PackageResult) string {
	switch {
	case p == nil:
		c.problem("go test did not report on the stub's package")
	case p.BuildFailed:
		c.problem("stub does not compile (learners would see compiler errors, not failing tests):",
			indentAll(cleanBuildOutput(p.BuildOutput, a.root), "  ")...)
	case p.Passed():
		c.problem("stub passes all tests: the exercise is broken (there is nothing to solve)")
	case p.Status == StatusSkip || len(p.Tests) == 0:
		c.problem("no tests ran against the stub")
	default:
		total, failed := p.TopLevel()
		where := ""
		if c.fromHEAD {
			where = " from git HEAD"
		}
		if failed == 0 {
			return fmt.Sprintf("stub%s fails (its %d test%s pass, but the test binary fails)", where, total, plural(total))
		}
		return fmt.Sprintf("stub%s fails (%d of %d test%s)", where, failed, total, plural(total))
	}
	return ""
}

// judgeSolution checks that the reference solution passes.
func (a *app) judgeSolution(c *exerciseCheck, p *PackageResult) string {
	if p.Passed() && len(p.Tests) > 0 {
		total, _ := p.TopLevel()
		return fmt.Sprintf("solution passes (%d test%s)", total, plural(total))
	}
	c.problem("solution fails (go test -tags solution):", indentAll(explainFailure(p, a.root, a.style), "  ")...)
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
