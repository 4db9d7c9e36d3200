package main

import (
	"context"
	"fmt"
	"os"
	"slices"
)

// Verdict is the grade of one exercise.
type Verdict int

// The verdicts. Only Solved earns points.
const (
	Unsolved  Verdict = iota // tests fail, do not build, or could not run
	Solved                   // every listed test passed, in the grader's own run
	Changed                  // files differ from the manifest: not graded
	NeedsRace                // tests pass, but the race detector could not run
)

// Outcome is the graded state of one exercise.
type Outcome struct {
	Exercise Exercise
	Verdict  Verdict
	Changes  []FileChange   // the altered files, when Changed
	Result   *PackageResult // nil when the tests did not run
	Problem  string         // why the tests could not run or report
}

// Earned is the points the outcome is worth.
func (o Outcome) Earned() int {
	if o.Verdict == Solved {
		return o.Exercise.Points
	}
	return 0
}

// notPassed returns the tests that stand between p and a solved exercise:
// every test the manifest lists that did not report "pass" (an os.Exit in
// an init, or -run, keeps them from reporting at all), and every test or
// subtest that was skipped.
func notPassed(ex Exercise, p *PackageResult) []string {
	var names []string
	for _, name := range ex.Tests {
		if t := p.tests[name]; t == nil || t.Status != StatusPass {
			names = append(names, name)
		}
	}
	for _, t := range p.Tests {
		if t.Status == StatusSkip && !slices.Contains(names, t.Name) {
			names = append(names, t.Name)
		}
	}
	return names
}

// solves reports whether p, a run of ex's tests, solves ex: the package
// built and passed (goleak's check in TestMain included), and notPassed is
// empty.
func solves(ex Exercise, p *PackageResult) bool {
	return p != nil && !p.BuildFailed && p.Status == StatusPass && len(notPassed(ex, p)) == 0
}

// cmdGrade grades every exercise and prints the table, the progress bar and
// what to do next. Unsolved exercises are not an error.
func cmdGrade(ctx context.Context, a *app, _ []string) error {
	m, err := a.loadManifest()
	if err != nil {
		return err
	}
	outs, err := a.gradeExercises(ctx, m, m.Exercises)
	if err != nil {
		return err
	}
	a.report(m, outs, "")
	return nil
}

// cmdRun grades one exercise and explains every failing test in full.
func cmdRun(ctx context.Context, a *app, args []string) error {
	m, err := a.loadManifest()
	if err != nil {
		return err
	}
	ex, err := a.lookupExercise(args[0])
	if err != nil {
		return err
	}
	outs, err := a.gradeExercises(ctx, m, []Exercise{ex})
	if err != nil {
		return err
	}
	if outs[0].Verdict == Solved {
		fmt.Fprintf(a.stdout, "%s %s: %s  %d/%d\n", a.style.good("✓"), ex.ID, a.title(ex), ex.Points, ex.Points)
		return nil
	}
	a.renderNext(outs[0], true)
	return nil
}

// cmdList prints one line per exercise.
func cmdList(ctx context.Context, a *app, _ []string) error {
	m, err := a.loadManifest()
	if err != nil {
		return err
	}
	outs, err := a.gradeExercises(ctx, m, m.Exercises)
	if err != nil {
		return err
	}
	a.summary(outs)
	return nil
}

// gradeExercises grades exs. The tests of all gradable exercises run in one
// go test: one build graph and parallel packages are much faster than a run
// each. Progress goes to stderr as each package finishes.
func (a *app) gradeExercises(ctx context.Context, m *Manifest, exs []Exercise) ([]Outcome, error) {
	outs := make([]Outcome, len(exs))
	var pkgs []string
	pending := make(map[string]*Outcome) // import path -> outcome
	for i, ex := range exs {
		o := &outs[i]
		o.Exercise = ex
		dir := a.exerciseDir(ex)
		if _, err := os.Stat(dir); err != nil {
			o.Problem = fmt.Sprintf(a.tr("the exercise directory %s is missing", "练习目录 %s 不见了"), ex.Dir())
			continue
		}
		changes, err := changedFiles(dir, ex)
		if err != nil {
			o.Problem = err.Error()
			continue
		}
		if len(changes) > 0 {
			// Changed tests prove nothing, and an extra file could end the
			// test binary early: neither is even run.
			o.Verdict, o.Changes = Changed, changes
			continue
		}
		pending[a.importPath(ex)] = o
		pkgs = append(pkgs, a.importPath(ex))
	}
	if len(pkgs) == 0 {
		return outs, nil
	}
	modfile, cleanup, err := a.pristineModfile(ctx, m)
	defer cleanup()
	if err != nil {
		return nil, fmt.Errorf(a.tr("go.mod or go.sum is not as shipped, and the original was not found: %w",
			"go.mod 或 go.sum 不是发布时的样子，也找不到原始版本：%w"), err)
	}
	fmt.Fprintf(a.stderr, a.tr("Building and testing %d exercise(s) (the first run compiles for a minute)…\n",
		"正在编译并测试 %d 道练习（第一次要编译一分钟左右）……\n"), len(pkgs))
	finished := 0
	res, err := a.runTests(ctx, TestRun{Packages: pkgs, Modfile: modfile, Done: func(p *PackageResult) {
		if o := pending[p.Path]; o != nil {
			finished++
			fmt.Fprintf(a.stderr, "  [%d/%d] %s\n", finished, len(pkgs), o.Exercise.ID)
		}
	}})
	if err != nil {
		return nil, err
	}
	if res.NoRace {
		fmt.Fprintln(a.stderr, a.style.warn(a.tr(
			"note: the race detector needs cgo and a C compiler (gcc), and this machine has none: the tests ran without -race,\n"+
				"      and exercises whose bugs are data races are not counted.",
			"注意：竞态检测器需要 cgo 和 C 编译器（gcc），这台机器上没有：测试是在没有 -race 的情况下跑的，\n"+
				"      bug 是数据竞争的练习不计分。")))
	}
	for path, o := range pending {
		o.Result = res.Package(path)
		switch {
		case o.Result == nil:
			o.Problem = "go test did not report on this package:\n" + res.Stderr
		case !solves(o.Exercise, o.Result):
			// Unsolved; the report explains it from o.Result.
		case o.Exercise.Race && res.NoRace:
			o.Verdict = NeedsRace
		default:
			o.Verdict = Solved
		}
	}
	return outs, nil
}
