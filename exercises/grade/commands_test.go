package main

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Usage errors are caught before the grader looks for the module.
func TestRunUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string // in stdout, or stderr for failures
	}{
		{[]string{"help"}, exitOK, "Usage: go run ./exercises/grade [command]"},
		{[]string{"-h"}, exitOK, "hint ID"},
		{[]string{"bogus"}, exitUsage, `unknown command "bogus"`},
		{[]string{"hint"}, exitUsage, "usage: go run ./exercises/grade hint ID"},
		{[]string{"list", "extra"}, exitUsage, "usage: go run ./exercises/grade list"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), tt.args, &stdout, &stderr)
		if code != tt.code {
			t.Errorf("run(%q) = %d, want %d", tt.args, code, tt.code)
		}
		if got := stdout.String() + stderr.String(); !strings.Contains(got, tt.out) {
			t.Errorf("run(%q) printed %q, want it to mention %q", tt.args, got, tt.out)
		}
	}
}

func TestUsageListsEveryCommand(t *testing.T) {
	var buf bytes.Buffer
	printUsage(&buf)
	for _, c := range commands {
		if !strings.Contains(buf.String(), "  "+c.synopsis()+" ") {
			t.Errorf("usage does not list %q:\n%s", c.synopsis(), buf.String())
		}
	}
}

func TestExitStatus(t *testing.T) {
	var stderr bytes.Buffer
	a := newTestApp(t, t.TempDir(), nil, &stderr)
	for err, want := range map[error]int{
		nil:              exitOK,
		errReported:      exitFail,
		context.Canceled: exitInterrupted,
		os.ErrNotExist:   exitFail,
	} {
		if got := a.exitStatus(err); got != want {
			t.Errorf("exitStatus(%v) = %d, want %d", err, got, want)
		}
	}
	if strings.Contains(stderr.String(), errReported.Error()) {
		t.Error("errReported must not be printed again")
	}
}

func TestMissingManifest(t *testing.T) {
	root := t.TempDir()
	a := newTestApp(t, root, nil, nil)
	err := cmdGrade(context.Background(), a, nil)
	if err == nil || !strings.Contains(err.Error(), "exercises/manifest.json does not exist") {
		t.Errorf("error = %v", err)
	}
}

func TestSnapshotNoticesEdits(t *testing.T) {
	root := copyFixture(t)
	a := newTestApp(t, root, nil, nil)
	before := a.snapshot()
	if _, ok := before[filepath.Join(root, "exercises", "e1-add", "exercise.go")]; !ok {
		t.Fatalf("snapshot misses the stub: %v", before)
	}
	if _, ok := before[filepath.Join(root, "exercises", "e1-add", "HINT.md")]; ok {
		t.Error("snapshot should only watch .go files and the manifest")
	}
	// Files the go tool and the grader ignore are not watched.
	writeFiles(t, filepath.Join(root, "exercises"), map[string]string{
		"grade/x.go": "package main", "testdata/y.go": "package y", ".hidden/z.go": "package z",
	})
	if !maps.Equal(before, a.snapshot()) {
		t.Error("edits in ignored directories changed the snapshot")
	}
	writeFiles(t, filepath.Join(root, "exercises", "e1-add"), map[string]string{"exercise.go": "package add // edited"})
	if maps.Equal(before, a.snapshot()) {
		t.Error("editing the stub did not change the snapshot")
	}
}

// Ctrl-C (a cancelled context) ends watch cleanly, even mid-grade.
func TestWatchStopsOnCancel(t *testing.T) {
	root := copyFixture(t)
	var out bytes.Buffer
	a := newTestApp(t, root, &out, nil)
	if err := cmdRehash(context.Background(), a, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := cmdWatch(ctx, a, nil); err != nil {
		t.Errorf("cmdWatch = %v, want nil", err)
	}
	if a.waitForChange(ctx, a.snapshot()) {
		t.Error("waitForChange reported a change after cancel")
	}
}
