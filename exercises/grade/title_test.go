package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTitleInChinese: in Chinese the grader shows the title of the
// exercise's README.zh.md, and the manifest's English one without it.
func TestTitleInChinese(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, exercisesDir, "v0.1-bind")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README.zh.md"), []byte("# v0.1-bind — 先绑定，再返回\n\n★\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ex := Exercise{ID: "v0.1-bind", Title: "Bind before you return"}
	for _, c := range []struct {
		zh   bool
		ex   Exercise
		want string
	}{
		{false, ex, "Bind before you return"},
		{true, ex, "先绑定，再返回"},
		{true, Exercise{ID: "v0.1-echo", Title: "An echo loop that ends"}, "An echo loop that ends"},
	} {
		a := &app{root: root, zh: c.zh}
		if got := a.title(c.ex); got != c.want {
			t.Errorf("zh=%v: title(%s) = %q, want %q", c.zh, c.ex.ID, got, c.want)
		}
	}
}
