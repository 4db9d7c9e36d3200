package main

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"strings"
	"time"
)

// pollInterval is how often watch looks for changes. Polling file stats
// needs no dependency (no fsnotify) and is cheap for a few dozen files.
const pollInterval = 500 * time.Millisecond

// cmdWatch grades, then re-grades whenever a watched file changes, until
// ctx is cancelled (Ctrl-C).
func cmdWatch(ctx context.Context, a *app, _ []string) error {
	a.watching = true
	for {
		// Snapshot before grading, so saves made while the tests run
		// trigger another round.
		before := a.snapshot()
		a.clearScreen()
		if err := cmdGrade(ctx, a, nil); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			// A broken manifest may be mid-edit: report and keep watching.
			fmt.Fprintln(a.stderr, "grade:", err)
		}
		fmt.Fprintf(a.stdout, "\n%s\n", a.style.dim("Watching exercises/ for changes. Ctrl-C to stop."))
		if !a.waitForChange(ctx, before) {
			fmt.Fprintln(a.stdout)
			return nil
		}
	}
}

// fileStamp is what watch compares to notice an edit.
type fileStamp struct {
	size    int64
	modTime int64 // UnixNano: time.Time's == also compares locations
}

// snapshot stamps the .go files under exercises/ and the manifest. The
// grader's own directory and testdata are skipped: they are not exercises.
func (a *app) snapshot() map[string]fileStamp {
	root := a.path(exercisesDir)
	stamps := make(map[string]fileStamp)
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // vanished mid-walk or unreadable: ignore it
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "grade" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") && name != "manifest.json" {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		stamps[path] = fileStamp{size: info.Size(), modTime: info.ModTime().UnixNano()}
		return nil
	})
	return stamps
}

// waitForChange polls until the snapshot differs from before (true) or ctx
// is done (false).
func (a *app) waitForChange(ctx context.Context, before map[string]fileStamp) bool {
	ticker := time.NewTicker(pollInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-ticker.C:
			if !maps.Equal(before, a.snapshot()) {
				return true
			}
		}
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
