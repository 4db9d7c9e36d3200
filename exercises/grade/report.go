package main

import (
	"fmt"
	"io"
	"strings"
)

const (
	// barWidth is the number of cells in the progress bar.
	barWidth = 20
	// maxTestsShown caps the failing tests explained at once: one screen
	// to work from, not a wall of go test output.
	maxTestsShown = 5
)

// report prints the grade: the table, the total with a progress bar, and
// the first unsolved exercise explained.
func (a *app) report(outs []Outcome) {
	w, st := a.stdout, a.style
	if len(outs) == 0 {
		fmt.Fprintln(w, "No exercises yet: exercises/manifest.json lists none.")
		return
	}
	renderTable(w, outs, st)
	fmt.Fprintln(w)

	earned, total, solved := 0, 0, 0
	for _, o := range outs {
		earned += o.Earned()
		total += o.Exercise.Points
		if o.Verdict == Solved {
			solved++
		}
	}
	fmt.Fprintf(w, "%s  %d/%d points  (%d of %d exercises solved)\n",
		progressBar(earned, total, barWidth, st), earned, total, solved, len(outs))

	for _, o := range outs {
		if o.Verdict != Solved {
			fmt.Fprintln(w)
			a.renderNext(o)
			return
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, st.good("All exercises solved. Well done!"))
}

// renderTable prints one row per exercise.
func renderTable(w io.Writer, outs []Outcome, st style) {
	t := table{header: []string{"CHAPTER", "EXERCISE", "TITLE", "STARS", "RESULT", "POINTS"}, right: []bool{5: true}}
	for _, o := range outs {
		ex := o.Exercise
		result, paint := "FAIL", st.bad
		switch o.Verdict {
		case Solved:
			result, paint = "PASS", st.good
		case TestsChanged:
			result, paint = "tests changed", st.warn
		}
		t.add(
			cell{text: ex.Chapter},
			cell{text: ex.ID},
			cell{text: ex.Title},
			cell{text: stars(ex.Stars), paint: st.star},
			cell{text: result, paint: paint},
			cell{text: fmt.Sprintf("%d/%d", o.Earned(), ex.Points)},
		)
	}
	t.write(w, st)
}

// stars renders a difficulty as ★ repeated.
func stars(n int) string { return strings.Repeat("★", max(n, 0)) }

// progressBar renders "[#######.............] 35%". Both the fill and the
// percentage round down, so 100% means everything is solved.
func progressBar(earned, total, width int, st style) string {
	filled, percent := 0, 0
	if total > 0 {
		earned = min(max(earned, 0), total)
		filled = earned * width / total
		percent = earned * 100 / total
	}
	return fmt.Sprintf("[%s%s] %d%%",
		st.good(strings.Repeat("#", filled)), strings.Repeat(".", width-filled), percent)
}

// renderNext explains the first unsolved exercise: what to edit, why it
// fails, and where the hint is.
func (a *app) renderNext(o Outcome) {
	w, st, ex := a.stdout, a.style, o.Exercise
	fmt.Fprintf(w, "%s %s: %s %s\n", st.bold("Next:"), st.bold(ex.ID), ex.Title, st.star(stars(ex.Stars)))
	fmt.Fprintf(w, "  Task:  %s\n", ex.Dir()+"/README.md")
	fmt.Fprintf(w, "  Edit:  %s\n", st.bold(ex.StubPath()))
	fmt.Fprintln(w)

	var lines []string
	switch {
	case o.Verdict == TestsChanged:
		lines = explainChanges(ex, o.Changes, st)
	case o.Problem != "":
		lines = strings.Split(strings.TrimRight(o.Problem, "\n"), "\n")
	default:
		lines = explainFailure(o.Result, a.root, st)
	}
	for _, line := range lines {
		fmt.Fprintln(w, indent(line, "  "))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Stuck? %s\n", st.cmd("go run ./exercises/grade hint "+ex.ID))
	fmt.Fprintf(w, "   or: %s\n", st.cmd(`make grade ARGS="hint `+ex.ID+`"`))
	if !a.watching {
		fmt.Fprintf(w, "Tip: %s re-grades every time you save.\n", st.cmd("go run ./exercises/grade watch"))
	}
}

// explainChanges tells the learner that the tests were altered and how to
// get them back. reset only restores the stub, so it is not the answer.
func explainChanges(ex Exercise, changes []TestChange, st style) []string {
	lines := []string{st.warn("These test files are not the ones the exercise shipped with, so it cannot be graded:")}
	var restore []string
	for _, c := range changes {
		file := ex.Dir() + "/" + c.File
		lines = append(lines, fmt.Sprintf("  %s (%s)", file, c.Kind))
		if c.Kind != Extra {
			restore = append(restore, file)
		}
	}
	if len(restore) > 0 {
		lines = append(lines, "Restore them with:", "  "+st.cmd("git checkout -- "+strings.Join(restore, " ")))
	}
	if len(restore) < len(changes) {
		lines = append(lines, "Delete the test files that are not part of the exercise.")
	}
	lines = append(lines, fmt.Sprintf("(`grade reset %s` restores only %s, not the tests.)", ex.ID, ex.Stub))
	return lines
}

// explainFailure renders why a package failed, for a human: compile errors,
// or each failing test with its cleaned output.
func explainFailure(p *PackageResult, root string, st style) []string {
	if p == nil {
		return []string{"go test did not report on this package."}
	}
	if p.BuildFailed {
		lines := []string{st.bad("✗ does not compile:")}
		out := cleanBuildOutput(p.BuildOutput, root)
		if len(out) == 0 {
			out = []string{"(go test gave no details)"}
		}
		return append(lines, indentAll(out, "    ")...)
	}
	if p.Status == StatusSkip || (p.Status == StatusPass && len(p.Tests) == 0) {
		return []string{st.bad("✗ no tests ran")}
	}
	var lines []string
	shown, hidden := 0, 0
	for _, t := range p.Tests {
		if t.Status != StatusFail {
			continue
		}
		out := cleanTestOutput(t.Output, root)
		if len(out) == 0 && hasFailingSubtest(p, t.Name) {
			continue // the subtests tell the story
		}
		if shown == maxTestsShown {
			hidden++
			continue
		}
		shown++
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, st.bad("✗ "+t.Name))
		lines = append(lines, indentAll(out, "    ")...)
	}
	if hidden > 0 {
		lines = append(lines, "", fmt.Sprintf("… and %d more failing test%s", hidden, plural(hidden)))
	}
	// Output outside any test: goleak's report, a TestMain failure, a panic
	// in a stray goroutine.
	if out := cleanTestOutput(p.Output, root); len(out) > 0 {
		if len(lines) == 0 {
			lines = append(lines, st.bad("✗ the tests passed, but the test binary failed:"))
		}
		lines = append(lines, indentAll(out, "    ")...)
	}
	if len(lines) == 0 && p.Status != StatusPass {
		lines = append(lines, st.bad("✗ the tests failed without saying why"))
	}
	return lines
}

// hasFailingSubtest reports whether a subtest of name failed.
func hasFailingSubtest(p *PackageResult, name string) bool {
	for _, t := range p.Tests {
		if t.Status == StatusFail && strings.HasPrefix(t.Name, name+"/") {
			return true
		}
	}
	return false
}

// indent prefixes a non-empty line.
func indent(line, prefix string) string {
	if line == "" {
		return ""
	}
	return prefix + line
}

// indentAll prefixes every non-empty line.
func indentAll(lines []string, prefix string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = indent(l, prefix)
	}
	return out
}
