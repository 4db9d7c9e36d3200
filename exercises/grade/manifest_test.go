package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateManifest(t *testing.T) {
	const sum = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	good := func() *Manifest {
		return &Manifest{
			Module: map[string]string{"go.mod": sum, "go.sum": sum},
			Exercises: []Exercise{{ID: "v0.1-bind", Chapter: "v0.1", Title: "T", Stars: 1, Points: 10,
				Tests: []string{"TestA"}, Files: map[string]string{stubFile: sum, solutionFile: sum, "a_test.go": sum}}},
		}
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("the base manifest should be valid: %v", err)
	}
	tests := []struct {
		name   string
		break_ func(m *Manifest)
		want   string
	}{
		{"no go.sum sum", func(m *Manifest) { delete(m.Module, "go.sum") }, "no sha256 for go.sum"},
		{"bad id", func(m *Manifest) { m.Exercises[0].ID = "../etc" }, "id must be unique"},
		{"duplicate id", func(m *Manifest) { m.Exercises = append(m.Exercises, m.Exercises[0]) }, "id must be unique"},
		{"no title", func(m *Manifest) { m.Exercises[0].Title = " " }, "title must not be empty"},
		{"stars", func(m *Manifest) { m.Exercises[0].Stars = 6 }, "stars must be 1..5"},
		{"no tests", func(m *Manifest) { m.Exercises[0].Tests = nil }, "lists no test"},
		{"bad test name", func(m *Manifest) { m.Exercises[0].Tests = []string{"Testing"} }, `"Testing" is not a test name`},
		{"no solution", func(m *Manifest) { delete(m.Exercises[0].Files, solutionFile) }, "files must list"},
		{"path", func(m *Manifest) { m.Exercises[0].Files["d/x.go"] = sum }, `"d/x.go" needs a .go file name`},
		{"bad sum", func(m *Manifest) { m.Exercises[0].Files[stubFile] = "<sha256>" }, "needs a .go file name and a sha256"},
	}
	for _, tt := range tests {
		m := good()
		tt.break_(m)
		if err := m.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
	if _, err := decodeManifest([]byte(`{"exercises":[{"point":1}]}`)); err == nil || !strings.Contains(err.Error(), `unknown field "point"`) {
		t.Errorf("an unknown field: error = %v", err)
	}
}

func TestChangedFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		stubFile: "edited", "a_test.go": "original", "b_test.go": "edited",
		"cheat.go": "package x", "notes.txt": "mine", ".exercise.go.swp": "vim", "_x.go": "ignored by go",
	})
	ex := Exercise{Files: map[string]string{
		stubFile: sumBytes([]byte("original")), "a_test.go": sumBytes([]byte("original")),
		"b_test.go": sumBytes([]byte("original")), solutionFile: sumBytes([]byte("x")),
	}}
	got, err := changedFiles(dir, ex)
	if err != nil {
		t.Fatal(err)
	}
	want := []FileChange{{"b_test.go", Modified}, {solutionFile, Missing}, {"cheat.go", Extra}}
	if len(got) != len(want) {
		t.Fatalf("changedFiles = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("changedFiles[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestSumBytesIgnoresCRLF(t *testing.T) {
	if sumBytes([]byte("a\r\nb\n")) != sumBytes([]byte("a\nb\n")) {
		t.Error("CRLF and LF checkouts must have the same checksum")
	}
	// sha256sum of "a\n".
	if got := sumBytes([]byte("a\n")); got != "87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7" {
		t.Errorf("sumBytes = %s", got)
	}
}

func TestTestNames(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a_test.go":   "package a\nfunc TestMain(m *testing.M) {}\nfunc TestB(t *testing.T) {}\nfunc TestA_x(tt *testing.T) {}\nfunc helper(t *testing.T) {}\nfunc Testify(t *testing.T) {}\n",
		"exercise.go": "package a\nfunc TestC(t *testing.T) {}\n",
	})
	got, err := testNames(dir)
	if err != nil || strings.Join(got, ",") != "TestA_x,TestB" {
		t.Errorf("testNames = %v, %v; want [TestA_x TestB]", got, err)
	}
}

// writeFiles creates files (relative slash paths) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
