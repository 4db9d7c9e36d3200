package main

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// pollInterval is how often watch looks for changes. Polling file stats
// needs no dependency (no fsnotify) and is cheap for a few dozen files.
const pollInterval = 500 * time.Millisecond

// cmdWatch grades everything once, then, on every save, re-grades only the
// exercises whose files changed and shows the one just edited (or, once it
// is solved, the next unsolved one), until ctx is cancelled (Ctrl-C).
func cmdWatch(ctx context.Context, a *app, _ []string) error {
	a.watching = true
	var (
		m     *Manifest
		outs  []Outcome
		focus string
	)
	changed := []string{"manifest.json"}
	for {
		// Stamp before grading, so saves made while the tests run trigger
		// another round.
		before := a.snapshot()
		a.clearScreen()
		var err error
		if slices.Contains(changed, "manifest.json") || m == nil {
			if m, err = a.loadManifest(); err == nil {
				outs, err = a.gradeExercises(ctx, m, m.Exercises)
			}
		} else {
			outs, focus, err = a.regrade(ctx, m, outs, changed)
		}
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			// A broken manifest may be mid-edit: report and keep watching.
			fmt.Fprintln(a.stderr, "grade:", err)
			m = nil
		} else {
			a.report(m, outs, focus)
		}
		fmt.Fprintf(a.stdout, "\n%s\n", a.style.dim(a.tr("Watching exercises/ for changes. Ctrl-C to stop.",
			"正在盯着 exercises/ 的改动，Ctrl-C 退出。")))
		if changed = a.waitForChange(ctx, before); changed == nil {
			fmt.Fprintln(a.stdout)
			return nil
		}
	}
}

// regrade grades the exercises whose directories are in changed and merges
// the outcomes into outs; focus is the first of them.
func (a *app) regrade(ctx context.Context, m *Manifest, outs []Outcome, changed []string) ([]Outcome, string, error) {
	var exs []Exercise
	for _, ex := range m.Exercises {
		if slices.Contains(changed, ex.ID) {
			exs = append(exs, ex)
		}
	}
	if len(exs) == 0 {
		return outs, "", nil
	}
	fmt.Fprintf(a.stdout, a.tr("Grading %s…\n", "正在评分 %s……\n"), exs[0].ID)
	fresh, err := a.gradeExercises(ctx, m, exs)
	if err != nil {
		return nil, "", err
	}
	merged := slices.Clone(outs)
	for _, o := range fresh {
		for i := range merged {
			if merged[i].Exercise.ID == o.Exercise.ID {
				merged[i] = o
			}
		}
	}
	a.clearScreen()
	return merged, exs[0].ID, nil
}

// fileStamp is what watch compares to notice an edit.
type fileStamp struct {
	size    int64
	modTime int64 // UnixNano: time.Time's == also compares locations
}

// snapshot stamps the manifest and the buildable files of each exercise
// directory, keyed by path relative to exercises/. The grader's own
// directory is skipped: it is not an exercise.
func (a *app) snapshot() map[string]fileStamp {
	root := a.path(exercisesDir)
	stamps := make(map[string]fileStamp)
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // vanished mid-walk or unreadable: ignore it
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "grade" || name == "testdata" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil || (!buildable(name) && name != "manifest.json") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		stamps[filepath.ToSlash(rel)] = fileStamp{size: info.Size(), modTime: info.ModTime().UnixNano()}
		return nil
	})
	return stamps
}

// waitForChange polls until the snapshot differs from before and returns
// what changed, most recently modified first: exercise ids (a file's first
// path element) and "manifest.json". It returns nil once ctx is done.
func (a *app) waitForChange(ctx context.Context, before map[string]fileStamp) []string {
	ticker := time.NewTicker(pollInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
		now := a.snapshot()
		var paths []string
		for p, st := range now {
			if before[p] != st {
				paths = append(paths, p)
			}
		}
		for p := range before {
			if _, ok := now[p]; !ok {
				paths = append(paths, p)
			}
		}
		if len(paths) == 0 {
			continue
		}
		slices.SortFunc(paths, func(x, y string) int { return cmp.Compare(now[y].modTime, now[x].modTime) })
		var changed []string
		for _, p := range paths {
			id, _, _ := strings.Cut(p, "/")
			if !slices.Contains(changed, id) {
				changed = append(changed, id)
			}
		}
		return changed
	}
}

// clearScreen clears a terminal between rounds; into a pipe it prints a
// separator instead of escape codes.
func (a *app) clearScreen() {
	if a.tty {
		fmt.Fprint(a.stdout, "\x1b[H\x1b[2J")
		return
	}
	fmt.Fprintf(a.stdout, "\n==== %s ====\n\n", time.Now().Format("15:04:05"))
}
