package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// command is one subcommand of the grader.
type command struct {
	name       string
	args       []string // placeholders for the required arguments
	help       string
	maintainer bool // listed under "Maintainers" in the usage
	run        func(ctx context.Context, a *app, args []string) error
}

// synopsis is the command with its arguments, e.g. "hint ID".
func (c command) synopsis() string {
	return strings.TrimSpace(c.name + " " + strings.Join(c.args, " "))
}

// commands is the command table; order is the order of the usage text.
var commands = []command{
	{name: "grade", help: "grade every exercise and show what to do next (the default)", run: cmdGrade},
	{name: "list", help: "list the exercises and which ones are solved", run: cmdList},
	{name: "hint", args: []string{"ID"}, help: "show the hint for exercise ID", run: cmdHint},
	{name: "watch", help: "re-grade whenever a .go file under exercises/ changes (Ctrl-C stops)", run: cmdWatch},
	{name: "reset", args: []string{"ID"}, help: "restore exercise ID's stub to its original version (your edits are lost)", run: cmdReset},
	{name: "verify", help: "check every exercise: tests intact, stub fails, solution passes", maintainer: true, run: cmdVerify},
	{name: "rehash", help: "recompute the checksums in exercises/manifest.json", maintainer: true, run: cmdRehash},
}

// lookupCommand finds a command by name.
func lookupCommand(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// printUsage writes the help text.
func printUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: go run ./exercises/grade [command]
   or: make grade ARGS="[command]"

Edit each exercise's stub until its tests pass; the grader scores you.

Commands:
`)
	section := func(maintainer bool) {
		for _, c := range commands {
			if c.maintainer == maintainer {
				fmt.Fprintf(w, "  %-10s %s\n", c.synopsis(), c.help)
			}
		}
	}
	section(false)
	fmt.Fprintf(w, "  %-10s %s\n", "help", "show this help")
	fmt.Fprint(w, "\nMaintainers:\n")
	section(true)
	fmt.Fprint(w, `
Exit status: 0 on success (unsolved exercises are not a failure), 1 if
something is broken or verify finds a problem, 2 on a bad command line.
`)
}

// cmdHint prints the exercise's HINT.md.
func cmdHint(_ context.Context, a *app, args []string) error {
	ex, err := a.lookupExercise(args[0])
	if err != nil {
		return err
	}
	hint, err := os.ReadFile(filepath.Join(a.exerciseDir(ex), "HINT.md"))
	if err != nil {
		return fmt.Errorf("no hint for %s: %w", ex.ID, err)
	}
	fmt.Fprintf(a.stdout, "%s %s: %s\n\n", a.style.bold("Hint for"), a.style.bold(ex.ID), ex.Title)
	fmt.Fprintln(a.stdout, strings.TrimRight(string(hint), "\n"))
	return nil
}

// lookupExercise loads the manifest and finds id in it.
func (a *app) lookupExercise(id string) (Exercise, error) {
	m, err := a.loadManifest()
	if err != nil {
		return Exercise{}, err
	}
	ex, ok := m.Lookup(id)
	if !ok {
		return Exercise{}, fmt.Errorf("no exercise %q; the exercises are: %s", id, strings.Join(m.IDs(), ", "))
	}
	return ex, nil
}

// cmdList prints one line per exercise from the progress file, grading
// only the exercises whose recorded verdict is missing or stale.
func cmdList(ctx context.Context, a *app, _ []string) error {
	m, err := a.loadManifest()
	if err != nil {
		return err
	}
	progress := a.loadProgress()
	status := make(map[string]Verdict)
	var stale []Exercise
	for _, ex := range m.Exercises {
		dir := a.exerciseDir(ex)
		if changes, err := changedTests(dir, ex); err == nil && len(changes) > 0 {
			status[ex.ID] = TestsChanged // not solved, whatever the tests say
			continue
		}
		sum, _ := fileSum(filepath.Join(dir, ex.Stub))
		if e, ok := progress.Fresh(ex.ID, sum); ok {
			status[ex.ID] = Unsolved
			if e.Solved {
				status[ex.ID] = Solved
			}
			continue
		}
		stale = append(stale, ex)
	}
	if len(stale) > 0 {
		fmt.Fprintf(a.stderr, "Grading %d exercise%s whose progress is not recorded…\n", len(stale), plural(len(stale)))
		outs, err := a.gradeExercises(ctx, stale)
		if err != nil {
			return err
		}
		for _, o := range outs {
			status[o.Exercise.ID] = o.Verdict
		}
	}

	st := a.style
	t := table{header: []string{"EXERCISE", "CHAPTER", "TITLE", "STARS", "POINTS", "STATUS"}, right: []bool{4: true}}
	earned, solved := 0, 0
	for _, ex := range m.Exercises {
		text, paint := "todo", st.dim
		switch status[ex.ID] {
		case Solved:
			text, paint = "solved", st.good
			earned += ex.Points
			solved++
		case TestsChanged:
			text, paint = "tests changed", st.warn
		}
		t.add(cell{text: ex.ID}, cell{text: ex.Chapter}, cell{text: ex.Title},
			cell{text: stars(ex.Stars), paint: st.star}, cell{text: fmt.Sprint(ex.Points)}, cell{text: text, paint: paint})
	}
	t.write(a.stdout, st)
	fmt.Fprintf(a.stdout, "\n%d of %d solved, %d/%d points\n", solved, len(m.Exercises), earned, m.TotalPoints())
	return nil
}
