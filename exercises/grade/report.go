package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

const (
	// barWidth is the number of cells in the progress bar.
	barWidth = 20
	// maxTestsShown caps the failing tests explained at once: one screen
	// to work from, not a wall of go test output. `run ID` shows them all.
	maxTestsShown = 5
)

// summary prints the table of exercises and the total with a progress bar.
func (a *app) summary(outs []Outcome) {
	w, st := a.stdout, a.style
	rows := [][]string{{a.tr("CHAPTER", "章节"), a.tr("EXERCISE", "练习"), a.tr("TITLE", "标题"), a.tr("STARS", "难度"),
		a.tr("RESULT", "结果"), a.tr("POINTS", "得分")}}
	paints := []func(string) string{st.dim}
	earned, total, solved := 0, 0, 0
	for _, o := range outs {
		ex := o.Exercise
		result, paint := a.tr("FAIL", "未通过"), st.bad
		switch o.Verdict {
		case Solved:
			result, paint = "PASS", st.good
			solved++
		case Changed:
			result, paint = a.tr("files changed", "文件被改动"), st.warn
		case NeedsRace:
			result, paint = a.tr("needs -race", "需要 -race"), st.warn
		}
		rows = append(rows, []string{ex.Chapter, ex.ID, a.title(ex), stars(ex.Stars), result, fmt.Sprintf("%d/%d", o.Earned(), ex.Points)})
		paints = append(paints, paint)
		earned += o.Earned()
		total += ex.Points
	}
	writeTable(w, rows, paints)
	fmt.Fprintf(w, a.tr("\n%s  %d/%d points  (%d of %d exercises solved)\n", "\n%s  %d/%d 分（已完成 %d/%d 道）\n"),
		progressBar(earned, total, barWidth, st), earned, total, solved, len(outs))
}

// writeTable prints rows in columns two spaces apart, the last column
// right-aligned. paints[i] colours row i's RESULT column (the 5th). Widths
// are measured on the plain text; colour goes on after padding, since escape
// sequences have length but no width on screen.
func writeTable(w io.Writer, rows [][]string, paints []func(string) string) {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], width(c))
		}
	}
	for r, row := range rows {
		var b strings.Builder
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-width(c))
			if r == 0 || i == 4 {
				c = paints[r](c)
			}
			switch {
			case i == len(row)-1:
				c = pad + c
			default:
				c += pad + "  "
			}
			b.WriteString(c)
		}
		fmt.Fprintln(w, b.String())
	}
}

// width is the number of terminal columns s takes: Chinese characters and
// full-width punctuation take two.
func width(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x2E80 && r <= 0xA4CF || r >= 0xAC00 && r <= 0xD7A3 || r >= 0xF900 && r <= 0xFAFF || r >= 0xFF00 && r <= 0xFF60 {
			n++
		}
	}
	return n
}

// report prints the summary, then explains one unsolved exercise: focus if
// it is unsolved (watch's freshly edited one), else the first unsolved. Once
// all are solved it says what comes next.
func (a *app) report(m *Manifest, outs []Outcome, focus string) {
	w, st := a.stdout, a.style
	if len(outs) == 0 {
		fmt.Fprintln(w, "No exercises yet: exercises/manifest.json lists none.")
		return
	}
	a.summary(outs)
	var next *Outcome
	for i := range outs {
		o := &outs[i]
		if o.Exercise.ID == focus && o.Verdict == Solved {
			fmt.Fprintf(w, "\n%s\n", st.good(fmt.Sprintf(a.tr("✓ %s is solved!", "✓ %s 完成了！"), focus)))
		}
		if o.Verdict != Solved && (next == nil || o.Exercise.ID == focus) {
			next = o
		}
	}
	fmt.Fprintln(w)
	if next != nil {
		a.renderNext(*next, false)
		return
	}
	fmt.Fprintln(w, st.good(a.tr("All exercises solved. Well done!", "所有练习都完成了，干得漂亮！")))
	a.whatNext(m)
}

// whatNext points at the next chapter's page after the last exercise's
// chapter, and at the benchmarks.
func (a *app) whatNext(m *Manifest) {
	last := m.Exercises[len(m.Exercises)-1].Chapter
	pages, _ := filepath.Glob(a.path("docs", "v*.md"))
	for _, p := range pages { // sorted: v0.1 < v0.5 < v0.8 < v0.9 < v1.0-epoll
		if v := strings.TrimSuffix(filepath.Base(p), ".md"); v > last {
			fmt.Fprintf(a.stdout, a.tr("Next: read %s, the next chapter, and run its tests: %s\n",
				"接下来：读下一章 %s，再跑它的测试：%s\n"), a.tr("docs/"+v+".md", "docs/zh/"+v+".md"), a.style.cmd("make test-"+v))
			break
		}
	}
	bench := "make bench"
	if mk, err := os.ReadFile(a.path("Makefile")); err == nil && strings.Contains(string(mk), "\nbench-compare:") {
		bench = "make bench-compare"
	}
	fmt.Fprintf(a.stdout, a.tr("Bonus: %s measures what each chapter's design costs and buys.\n",
		"附加题：%s 量一量每一章的设计带来了什么、花了什么。\n"), a.style.cmd(bench))
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

// renderNext explains an unsolved exercise: what to edit, why it fails, and
// where the hint is. full shows every failing test, for `run ID`.
func (a *app) renderNext(o Outcome, full bool) {
	w, st, ex := a.stdout, a.style, o.Exercise
	fmt.Fprintf(w, "%s %s: %s %s\n", st.bold(a.tr("Next:", "下一题：")), st.bold(ex.ID), a.title(ex), st.star(stars(ex.Stars)))
	fmt.Fprintf(w, a.tr("  Task:  %s\n", "  题目：%s\n"), ex.Dir()+a.tr("/README.md", "/README.zh.md"))
	fmt.Fprintf(w, a.tr("  Edit:  %s\n\n", "  修改：%s\n\n"), st.bold(ex.StubPath()))

	var lines []string
	switch {
	case o.Verdict == Changed:
		lines = a.explainChanges(ex, o.Changes)
	case o.Problem != "":
		lines = strings.Split(strings.TrimRight(o.Problem, "\n"), "\n")
	case o.Verdict == NeedsRace:
		lines = strings.Split(st.warn(a.tr(
			"The tests pass, but this exercise's bugs are data races and the race detector could not run here\n"+
				"(it needs cgo and a C compiler such as gcc). It is not counted as solved until they pass under -race.",
			"测试通过了，但这道题的 bug 是数据竞争，而这台机器上跑不了竞态检测器（它需要 cgo 和 gcc 之类的 C 编译器）。\n"+
				"只有在 -race 下通过才算完成。")), "\n")
	default:
		lines = a.explainFailure(ex, o.Result, full)
	}
	for _, line := range lines {
		fmt.Fprintln(w, indent(line, "  "))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, a.tr("Stuck? %s\n", "卡住了？%s\n"), st.cmd(`make grade ARGS="hint `+ex.ID+`"`))
	if !full {
		fmt.Fprintf(w, a.tr("All of its output: %s\n", "完整输出：%s\n"), st.cmd(`make grade ARGS="run `+ex.ID+`"`))
	}
	if !a.watching {
		fmt.Fprintf(w, a.tr("Tip: %s re-grades every time you save.\n", "小技巧：%s 会在每次保存后重新评分。\n"),
			st.cmd(`make grade ARGS="watch"`))
	}
}

// explainChanges tells the learner which files are not as shipped.
func (a *app) explainChanges(ex Exercise, changes []FileChange) []string {
	lines := []string{a.style.warn(a.tr("These files are not the ones the exercise shipped with, so it cannot be graded:",
		"这些文件和练习发布时的不一样，所以无法评分："))}
	for _, c := range changes {
		kind := string(c.Kind)
		if a.zh {
			kind = map[ChangeKind]string{Modified: "被修改", Missing: "不见了", Extra: "不属于这道练习"}[c.Kind]
		}
		lines = append(lines, fmt.Sprintf("  %s/%s (%s)", ex.Dir(), c.File, kind))
	}
	return append(lines, a.tr("Delete the files that are not part of the exercise; restore the others (and "+stubFile+": save your work first) with:",
		"删掉不属于练习的文件；其余的（连同 "+stubFile+"，先备份你的代码）这样恢复："),
		"  "+a.style.cmd(`make grade ARGS="reset `+ex.ID+`"`))
}

// explainFailure renders why an exercise's package failed, for a human:
// compile errors, each failing test with its cleaned output, and the tests
// that never reported a pass.
func (a *app) explainFailure(ex Exercise, p *PackageResult, full bool) []string {
	st, root := a.style, a.root
	if p == nil {
		return []string{"go test did not report on this package."}
	}
	if p.BuildFailed {
		lines := []string{st.bad(a.tr("✗ does not compile:", "✗ 编译不过："))}
		out := cleanBuildOutput(p.BuildOutput, root)
		if len(out) == 0 {
			out = []string{"(go test gave no details)"}
		}
		return append(lines, indentAll(out, "    ")...)
	}
	var lines []string
	shown, hidden := 0, 0
	for _, t := range p.Tests {
		if t.Status != StatusFail {
			continue
		}
		out := cleanTestOutput(t.Output, root, full)
		if len(out) == 0 && hasFailingSubtest(p, t.Name) {
			continue // the subtests tell the story
		}
		if shown == maxTestsShown && !full {
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
		lines = append(lines, "", fmt.Sprintf(a.tr("… and %d more failing test(s)", "……还有 %d 个测试失败"), hidden))
	}
	// Output outside any test: goleak's report, a TestMain failure, a panic
	// in a stray goroutine.
	if out := cleanTestOutput(p.Output, root, full); len(out) > 0 {
		if len(lines) == 0 {
			lines = append(lines, st.bad(a.tr("✗ the test binary failed:", "✗ 测试程序失败了：")))
		}
		lines = append(lines, indentAll(out, "    ")...)
	}
	var skipped, neverRan []string
	for _, name := range notPassed(ex, p) {
		switch t := p.tests[name]; {
		case t == nil:
			neverRan = append(neverRan, name)
		case t.Status != StatusFail:
			skipped = append(skipped, name)
		}
	}
	if len(skipped) > 0 {
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, st.bad(a.tr("✗ these tests were skipped, and a skipped test does not pass:",
			"✗ 这些测试被跳过了，被跳过的测试不算通过：")),
			"    "+strings.Join(skipped, ", "))
	}
	if len(neverRan) > 0 {
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		var why string
		switch binaryStop(p) {
		case "timeout":
			why = a.tr("✗ these tests never ran: the test binary stopped at the timeout shown above:",
				"✗ 这些测试根本没跑：测试程序在上面那次超时处就停了：")
		case "panic":
			why = a.tr("✗ these tests never ran: the test binary stopped at the panic shown above:",
				"✗ 这些测试根本没跑：测试程序在上面那次 panic 处就停了：")
		default:
			why = a.tr("✗ these tests never ran: did something end the test binary early, such as os.Exit?",
				"✗ 这些测试根本没跑：是不是有什么东西提前结束了测试程序，比如 os.Exit？")
		}
		lines = append(lines, st.bad(why), "    "+strings.Join(neverRan, ", "))
	}
	if len(lines) == 0 {
		lines = append(lines, st.bad(a.tr("✗ the tests failed without saying why", "✗ 测试失败了，但没有说明原因")))
	}
	return lines
}

// binaryStop reports what ended p's test binary before every test ran:
// "timeout" (the -timeout alarm), "panic" (a panic or a fatal runtime
// error, in a test or in a stray goroutine), or "" when its output shows
// neither. Either is written to the output of whichever test was running.
func binaryStop(p *PackageResult) string {
	stop := ""
	check := func(lines []string) {
		for _, l := range lines {
			switch {
			case strings.HasPrefix(l, "panic: test timed out"):
				stop = "timeout"
				return
			case stop == "" && (strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ")):
				stop = "panic"
			}
		}
	}
	check(p.Output)
	for _, t := range p.Tests {
		if stop != "timeout" {
			check(t.Output)
		}
	}
	return stop
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
