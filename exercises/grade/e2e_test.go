package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// copyFixture copies the fixture module testdata/e2e (two tiny exercises,
// checksums not yet computed) into a temporary directory and returns it.
func copyFixture(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	src := filepath.Join("testdata", "e2e")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		dst := filepath.Join(root, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// session runs grader commands against a fixture module, capturing output.
type session struct {
	t           *testing.T
	a           *app
	out, errOut bytes.Buffer
}

func newSession(t *testing.T, root string) *session {
	s := &session{t: t}
	s.a = newTestApp(t, root, &s.out, &s.errOut)
	return s
}

// run executes a command and returns its stdout and error.
func (s *session) run(cmd func(context.Context, *app, []string) error, args ...string) (string, error) {
	s.out.Reset()
	s.errOut.Reset()
	err := cmd(context.Background(), s.a, args)
	return s.out.String(), err
}

// ok executes a command that must succeed and checks its output mentions
// every string in want.
func (s *session) ok(cmd func(context.Context, *app, []string) error, args []string, want ...string) string {
	s.t.Helper()
	out, err := s.run(cmd, args...)
	if err != nil {
		s.t.Fatalf("command failed: %v\nstdout:\n%s\nstderr:\n%s", err, out, s.errOut.String())
	}
	mentions(s.t, out, want...)
	return out
}

// mentions checks that out contains every string in want.
func mentions(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output does not mention %q:\n%s", w, out)
		}
	}
}

// git runs git in dir.
func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=grade", "-c", "user.email=grade@example.com"}, args...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestEndToEnd drives the grader the way a learner and a maintainer do,
// running the real go test on the fixture module. It takes a few seconds,
// so -short skips it.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test -race on a fixture module")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	_, gitErr := exec.LookPath("git")
	root := copyFixture(t)
	// Keep git from finding a repository above the temporary directory.
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(root))
	s := newSession(t, root)
	stub := filepath.Join(root, "exercises", "e1-add", "exercise.go")
	pristine, err := os.ReadFile(stub)
	if err != nil {
		t.Fatal(err)
	}

	// The maintainer's side: fill in the checksums, then verify.
	s.ok(cmdRehash, nil, "updated  exercises/e1-add/add_test.go", "updated  exercises/e2-greet/exercise.go")
	s.ok(cmdRehash, nil, "up to date")
	s.ok(cmdVerify, nil,
		"ok   e1-add    stub fails (1 of 2 tests), solution passes (2 tests)",
		"ok   e2-greet  stub fails (1 of 1 test), solution passes (1 test)",
		"all 2 exercises ok")
	if gitErr == nil {
		_, err := s.run(cmdReset, "e1-add")
		mentions(t, s.out.String(), "already in its original state")
		if err != nil {
			t.Errorf("reset of a pristine stub: %v", err)
		}
		if err := os.WriteFile(stub, []byte("edited"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err = s.run(cmdReset, "e1-add")
		if err == nil || !strings.Contains(err.Error(), "not a git checkout") {
			t.Errorf("reset outside git: error = %v, want it to say it is not a git checkout", err)
		}
		if err := os.WriteFile(stub, pristine, 0o644); err != nil {
			t.Fatal(err)
		}
		git(t, root, "init", "-q")
		git(t, root, "add", "-A")
		git(t, root, "commit", "-q", "-m", "pristine exercises")
	}

	// The learner's side: nothing solved yet.
	s.ok(cmdGrade, nil,
		"[....................] 0%  0/30 points  (0 of 2 exercises solved)",
		"Next: e1-add: Add two numbers",
		"Edit:  exercises/e1-add/exercise.go",
		"✗ TestAdd",
		"add_test.go:13: Add(2, 3) = 0, want 5",
		`make grade ARGS="hint e1-add"`)

	// Solve e1-add: its stub becomes the solution.
	solution, err := os.ReadFile(filepath.Join(root, "exercises", "e1-add", "solution.go"))
	if err != nil {
		t.Fatal(err)
	}
	solved := strings.Replace(string(solution), stubTagLine("solution"), stubTagLine("!solution"), 1)
	if err := os.WriteFile(stub, []byte(solved), 0o644); err != nil {
		t.Fatal(err)
	}
	out := s.ok(cmdGrade, nil,
		"[######..............] 33%  10/30 points  (1 of 2 exercises solved)",
		"Next: e2-greet: Say hello",
		"panic: TODO",
		"exercises/e2-greet/exercise.go:7")
	if strings.Contains(out, "goroutine 1 [") || strings.Contains(out, "testing.tRunner") {
		t.Errorf("stack frames outside the module were not trimmed:\n%s", out)
	}

	// list answers from the progress file, without running the tests.
	s.ok(cmdList, nil, "e1-add", "solved", "1 of 2 solved, 10/30 points")
	if strings.Contains(s.errOut.String(), "Grading") {
		t.Errorf("list re-graded although the progress file is fresh: %s", s.errOut.String())
	}
	s.ok(cmdHint, []string{"e2-greet"}, "Hint for e2-greet: Say hello", "Concatenate strings with +.")
	if _, err := s.run(cmdHint, "e9-nope"); err == nil || !strings.Contains(err.Error(), "e1-add, e2-greet") {
		t.Errorf("hint for an unknown id: error = %v, want the list of ids", err)
	}

	if gitErr == nil {
		// A maintainer who solved e1-add locally can still verify: the
		// pristine stub comes from git HEAD.
		s.ok(cmdVerify, nil, "ok   e1-add    stub from git HEAD fails (1 of 2 tests)")
	}

	// Deleting a failing assertion does not pass the exercise.
	greetTest := filepath.Join(root, "exercises", "e2-greet", "greet_test.go")
	original, err := os.ReadFile(greetTest)
	if err != nil {
		t.Fatal(err)
	}
	weakened := strings.Replace(string(original), `got := Greet("zinx"); got != "hello, zinx"`, `got := "hello, zinx"; got != "hello, zinx"`, 1)
	if err := os.WriteFile(greetTest, []byte(weakened), 0o644); err != nil {
		t.Fatal(err)
	}
	s.ok(cmdGrade, nil, "tests changed", "10/30 points", "git checkout -- exercises/e2-greet/greet_test.go")
	s.ok(cmdList, nil, "tests changed")
	out, err = s.run(cmdVerify)
	if !errors.Is(err, errReported) {
		t.Errorf("verify with a changed test: error = %v, want errReported", err)
	}
	// The weakened test no longer fails against the stub, either.
	mentions(t, out, "FAIL e2-greet  greet_test.go is modified per the manifest: run `grade rehash`",
		"stub passes all tests: the exercise is broken")
	if gitErr == nil {
		mentions(t, out, "2 problems found")
	} else {
		mentions(t, out, "FAIL e1-add    stub changed", "3 problems found")
	}
	if err := os.WriteFile(greetTest, original, 0o644); err != nil {
		t.Fatal(err)
	}

	// Without the progress file, list grades to find out.
	if err := os.Remove(filepath.Join(root, "exercises", ".progress.json")); err != nil {
		t.Fatal(err)
	}
	s.ok(cmdList, nil, "1 of 2 solved, 10/30 points")
	mentions(t, s.errOut.String(), "Grading 2 exercises")

	if gitErr == nil {
		s.ok(cmdReset, []string{"e1-add"}, "Restored exercises/e1-add/exercise.go")
		if got, _ := os.ReadFile(stub); !bytes.Equal(got, pristine) {
			t.Errorf("reset wrote:\n%s\nwant:\n%s", got, pristine)
		}
	}
}

// stubTagLine is the build constraint line for expr.
func stubTagLine(expr string) string { return "//go:build " + expr + "\n" }

// A stub that passes its tests is a broken exercise; verify must say so.
func TestVerifyBrokenExercise(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test -race on a fixture module")
	}
	root := copyFixture(t)
	s := newSession(t, root)
	dir := filepath.Join(root, "exercises", "e2-greet")
	writeFiles(t, dir, map[string]string{
		"exercise.go": "//go:build !solution\n\npackage greet\n\nfunc Greet(name string) string { return \"hello, \" + name }\n",
		"solution.go": "package greet\n", // the constraint is missing
	})
	writeFiles(t, filepath.Join(root, "exercises"), map[string]string{"stray/x.go": "package stray\n"})
	s.ok(cmdRehash, nil)
	out, err := s.run(cmdVerify)
	if !errors.Is(err, errReported) {
		t.Errorf("error = %v, want errReported", err)
	}
	mentions(t, out,
		"ok   e1-add",
		"FAIL e2-greet",
		`solution.go must start with the line "//go:build solution"`,
		"stub passes all tests: the exercise is broken",
		"solution fails (go test -tags solution):",
		"FAIL exercises/stray  is not listed in exercises/manifest.json",
		"4 problems found")
}
