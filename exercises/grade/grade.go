package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// Verdict is the grade of one exercise.
type Verdict int

// The verdicts. Only Solved earns points.
const (
	Unsolved     Verdict = iota // tests fail, do not build, or could not run
	Solved                      // tests pass and are the shipped ones
	TestsChanged                // test files differ from the manifest: not graded
)

// Outcome is the graded state of one exercise.
type Outcome struct {
	Exercise Exercise
	Verdict  Verdict
	Changes  []TestChange   // the altered test files, when TestsChanged
	Result   *PackageResult // nil when the tests did not run
	Problem  string         // why the tests could not run or report
	StubSum  string         // checksum of the stub as graded, "" if unreadable
}

// Earned is the points the outcome is worth.
func (o Outcome) Earned() int {
	if o.Verdict == Solved {
		return o.Exercise.Points
	}
	return 0
}

// cmdGrade grades every exercise and prints the table, the progress bar and
// what to do next. Unsolved exercises are not an error.
func cmdGrade(ctx context.Context, a *app, _ []string) error {
	m, err := a.loadManifest()
	if err != nil {
		return err
	}
	outs, err := a.gradeExercises(ctx, m.Exercises)
	if err != nil {
		return err
	}
	a.report(outs)
	return nil
}

// gradeExercises grades exs and records the verdicts in the progress file.
// The tests of all gradable exercises run in one go test invocation: one
// build graph and parallel packages are much faster than a run each.
func (a *app) gradeExercises(ctx context.Context, exs []Exercise) ([]Outcome, error) {
	outs := make([]Outcome, len(exs))
	var pkgs []string
	pending := make(map[string]int) // import path -> index in outs
	for i, ex := range exs {
		o := &outs[i]
		o.Exercise = ex
		dir := a.exerciseDir(ex)
		if _, err := os.Stat(dir); err != nil {
			o.Problem = fmt.Sprintf("the exercise directory %s is missing", filepath.ToSlash(ex.Dir()))
			continue
		}
		o.StubSum, _ = fileSum(filepath.Join(dir, ex.Stub))
		changes, err := changedTests(dir, ex)
		if err != nil {
			o.Problem = err.Error()
			continue
		}
		if len(changes) > 0 {
			// Modified tests prove nothing, so they are not even run.
			o.Verdict, o.Changes = TestsChanged, changes
			continue
		}
		pending[a.importPath(ex)] = i
		pkgs = append(pkgs, a.importPath(ex))
	}
	if len(pkgs) > 0 {
		res, err := a.runTests(ctx, TestRun{Packages: pkgs})
		if err != nil {
			return nil, err
		}
		if res.NoRace {
			fmt.Fprintln(a.stderr, noRaceNote)
		}
		for _, path := range pkgs {
			o := &outs[pending[path]]
			o.Result = res.Package(path)
			switch {
			case o.Result.Passed():
				o.Verdict = Solved
			case o.Result == nil:
				o.Problem = "go test did not report on this package:\n" + res.Stderr
			}
		}
	}
	if err := a.saveProgress(outs); err != nil {
		// Progress is a cache for list; grading itself succeeded.
		fmt.Fprintln(a.stderr, "grade: warning: cannot save progress:", err)
	}
	return outs, nil
}
