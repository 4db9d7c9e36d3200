package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// newTestApp returns an app over the module at root with output captured
// in stdout and stderr (either may be nil to discard).
func newTestApp(t *testing.T, root string, stdout, stderr io.Writer) *app {
	t.Helper()
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = io.Discard
	}
	return &app{root: root, modPath: "zinx", goTool: "go", stdout: stdout, stderr: stderr}
}

func TestProgressRoundTrip(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, exercisesDir), 0o755); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, root, nil, nil)
	if p := a.loadProgress(); len(p.Exercises) != 0 {
		t.Fatalf("missing file: %v, want empty", p.Exercises)
	}
	err := a.saveProgress([]Outcome{
		{Exercise: Exercise{ID: "a"}, Verdict: Solved, StubSum: "s1"},
		{Exercise: Exercise{ID: "b"}, Verdict: TestsChanged, StubSum: "s2"},
		{Exercise: Exercise{ID: "c"}, Verdict: Unsolved}, // stub unreadable
	})
	if err != nil {
		t.Fatal(err)
	}
	p := a.loadProgress()
	if e, ok := p.Fresh("a", "s1"); !ok || !e.Solved {
		t.Errorf(`Fresh("a", "s1") = %v, %v; want solved`, e, ok)
	}
	if _, ok := p.Fresh("a", "edited"); ok {
		t.Error("an entry for another stub checksum must be stale")
	}
	if e, ok := p.Fresh("b", "s2"); !ok || e.Solved {
		t.Errorf(`Fresh("b", "s2") = %v, %v; want unsolved`, e, ok)
	}
	if _, ok := p.Fresh("c", ""); ok {
		t.Error("an unreadable stub is never fresh")
	}

	// Saving merges: other exercises' entries survive.
	if err := a.saveProgress([]Outcome{{Exercise: Exercise{ID: "b"}, Verdict: Solved, StubSum: "s3"}}); err != nil {
		t.Fatal(err)
	}
	p = a.loadProgress()
	if _, ok := p.Fresh("a", "s1"); !ok {
		t.Error("entry a lost on merge")
	}
	if e, ok := p.Fresh("b", "s3"); !ok || !e.Solved {
		t.Error("entry b not updated")
	}
}

func TestProgressCorruptFileIsEmpty(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"exercises/.progress.json": "{not json"})
	if p := newTestApp(t, root, nil, nil).loadProgress(); p.Exercises == nil || len(p.Exercises) != 0 {
		t.Errorf("loadProgress = %v, want empty", p.Exercises)
	}
}
