package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Progress is the state file exercises/.progress.json. It only caches the
// last verdicts so that list is instant; grading never trusts it, and it can
// always be rebuilt by running the tests.
type Progress struct {
	Exercises map[string]ProgressEntry `json:"exercises"`
}

// ProgressEntry is the last verdict for one exercise.
type ProgressEntry struct {
	Solved bool `json:"solved"`
	// StubSHA256 is the stub's checksum when graded: once the learner
	// edits the stub, the entry is stale.
	StubSHA256 string `json:"stub_sha256"`
}

// progressPath is the OS path of the state file (git-ignored).
func (a *app) progressPath() string { return a.path(exercisesDir, ".progress.json") }

// loadProgress reads the state file. A missing or unreadable file is an
// empty state: everything will simply be re-graded.
func (a *app) loadProgress() *Progress {
	p := &Progress{Exercises: make(map[string]ProgressEntry)}
	data, err := os.ReadFile(a.progressPath())
	if err != nil || json.Unmarshal(data, p) != nil || p.Exercises == nil {
		return &Progress{Exercises: make(map[string]ProgressEntry)}
	}
	return p
}

// Fresh returns the entry for the exercise if it was recorded for the stub
// as it is now (stubSum).
func (p *Progress) Fresh(id, stubSum string) (ProgressEntry, bool) {
	e, ok := p.Exercises[id]
	if !ok || stubSum == "" || e.StubSHA256 != stubSum {
		return ProgressEntry{}, false
	}
	return e, true
}

// saveProgress merges the outcomes into the state file.
func (a *app) saveProgress(outs []Outcome) error {
	p := a.loadProgress()
	for _, o := range outs {
		if o.StubSum == "" {
			delete(p.Exercises, o.Exercise.ID)
			continue
		}
		p.Exercises[o.Exercise.ID] = ProgressEntry{Solved: o.Verdict == Solved, StubSHA256: o.StubSum}
	}
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(a.progressPath(), append(data, '\n'))
}

// writeFileAtomic replaces file with data via a temporary file and rename,
// so an interrupted write (Ctrl-C in watch) never leaves half a file.
// It keeps the existing file's permissions.
func writeFileAtomic(file string, data []byte) error {
	perm := fs.FileMode(0o644)
	if info, err := os.Stat(file); err == nil {
		perm = info.Mode().Perm()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), perm); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}
