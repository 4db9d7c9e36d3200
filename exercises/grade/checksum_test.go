package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestSumBytes(t *testing.T) {
	// sha256sum of "hello\n".
	const want = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
	if got := sumBytes([]byte("hello\n")); got != want {
		t.Errorf("sumBytes = %s, want %s", got, want)
	}
	// A Windows checkout with CRLF line endings has the same checksum.
	if got := sumBytes([]byte("hello\r\n")); got != want {
		t.Errorf("sumBytes(CRLF) = %s, want %s", got, want)
	}
	if sumBytes([]byte("hello\r")) == want {
		t.Error("a lone CR must still count as a change")
	}
}

// writeFiles creates files (name -> content) in dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		file := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestChangedTests(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"exercise.go":  "stub, edited by the learner",
		"same_test.go": "same",
		"edit_test.go": "edited",
		"new_test.go":  "sneaky TestMain",
	})
	ex := Exercise{Stub: "exercise.go", Checksums: map[string]string{
		"exercise.go":  sumBytes([]byte("pristine stub")),
		"same_test.go": sumBytes([]byte("same")),
		"edit_test.go": sumBytes([]byte("original")),
		"gone_test.go": sumBytes([]byte("deleted")),
	}}
	got, err := changedTests(dir, ex)
	if err != nil {
		t.Fatal(err)
	}
	want := []TestChange{{"edit_test.go", Modified}, {"gone_test.go", Missing}, {"new_test.go", Extra}}
	if !slices.Equal(got, want) {
		t.Errorf("changedTests = %v, want %v", got, want)
	}

	// The stub is the learner's to edit: it never counts as a change.
	ex.Checksums = map[string]string{"exercise.go": "x", "same_test.go": sumBytes([]byte("same"))}
	os.Remove(filepath.Join(dir, "edit_test.go"))
	os.Remove(filepath.Join(dir, "new_test.go"))
	if got, err := changedTests(dir, ex); err != nil || len(got) != 0 {
		t.Errorf("changedTests = %v, %v; want none", got, err)
	}
}
