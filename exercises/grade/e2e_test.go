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
	"sync"
	"testing"
	"time"
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

// shippedFixture is a fixture module whose manifest is filled in and
// verified, committed to a fresh git repository, as a learner clones it.
func shippedFixture(t *testing.T) (root string, s *session) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs go test -race on a fixture module")
	}
	for _, tool := range []string{"go", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s command", tool)
		}
	}
	root = copyFixture(t)
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(root)) // no repository above
	s = newSession(t, root)
	s.ok(cmdRehash, nil, "updated  exercises/e1-add/add_test.go", "updated  exercises/e2-greet/exercise.go")
	s.ok(cmdRehash, nil, "up to date")
	s.ok(cmdVerify, nil,
		"ok   e1-add    stub fails (1 of 2 tests), solution passes (2 tests)",
		"ok   e2-greet  stub fails (1 of 1 test), solution passes (1 test)",
		"all 2 exercises ok")
	git(t, root, "init", "-q")
	git(t, root, "add", "-A")
	git(t, root, "commit", "-q", "-m", "the exercises as shipped")
	return root, s
}

// solve makes an exercise's stub its solution.
func solve(t *testing.T, root, id string) {
	t.Helper()
	dir := filepath.Join(root, "exercises", id)
	sol, err := os.ReadFile(filepath.Join(dir, solutionFile))
	if err != nil {
		t.Fatal(err)
	}
	stub := strings.Replace(string(sol), solutionTag, stubTag, 1)
	writeFiles(t, dir, map[string]string{stubFile: stub})
}

// grades grades every exercise and returns id's verdict and the report,
// which explains id if it is unsolved.
func (s *session) grades(id string) (Verdict, string) {
	s.t.Helper()
	m, err := s.a.loadManifest()
	if err != nil {
		s.t.Fatal(err)
	}
	s.out.Reset()
	outs, err := s.a.gradeExercises(context.Background(), m, m.Exercises)
	if err != nil {
		s.t.Fatal(err)
	}
	s.a.report(m, outs, id)
	for _, o := range outs {
		if o.Exercise.ID == id {
			return o.Verdict, s.out.String()
		}
	}
	s.t.Fatalf("no exercise %s", id)
	return 0, ""
}

// TestTricksDoNotSolve tries on an untouched stub each way the issue found
// to score PASS without solving anything. Each must leave the exercise
// unsolved, while the real solution, in the same conditions, is solved.
func TestTricksDoNotSolve(t *testing.T) {
	root, s := shippedFixture(t)
	dir := filepath.Join(root, "exercises", "e1-add")
	stub, _ := os.ReadFile(filepath.Join(dir, stubFile))
	exitInit := "\nfunc init() { os.Exit(0) }\n"
	withExit := strings.Replace(string(stub), "package add\n", "package add\n\nimport \"os\"\n", 1) + exitInit
	tricks := []struct {
		name  string
		setup func(t *testing.T)
		want  string // in the grade's output
	}{
		{"os.Exit(0) in an init in exercise.go", func(t *testing.T) {
			writeFiles(t, dir, map[string]string{stubFile: withExit})
		}, "TestAdd, TestAddZero"},
		{"os.Exit(0) in an init in a new file", func(t *testing.T) {
			writeFiles(t, dir, map[string]string{"zz.go": "package add\n\nimport \"os\"\n" + exitInit})
		}, "exercises/e1-add/zz.go (not part of the exercise)"},
		{"GOFLAGS=-run=NONE", func(t *testing.T) { t.Setenv("GOFLAGS", "-run=NONE") }, "TestAdd"},
		{"GOFLAGS=-tags=solution", func(t *testing.T) { t.Setenv("GOFLAGS", "-tags=solution") }, "TestAdd"},
		{"go env -w GOFLAGS=-run=NONE", func(t *testing.T) {
			// The user's own go env file (GOPROXY, GOMODCACHE...) plus the trick.
			out, _ := exec.Command("go", "env", "GOENV").Output()
			mine, _ := os.ReadFile(strings.TrimSpace(string(out)))
			env := filepath.Join(t.TempDir(), "goenv")
			writeFiles(t, filepath.Dir(env), map[string]string{"goenv": string(mine) + "\nGOFLAGS=-run=NONE\n"})
			t.Setenv("GOENV", env)
			t.Setenv("GOFLAGS", "") // an empty GOFLAGS falls back to the file's
		}, "TestAdd"},
		{"a replace of testify in go.mod", func(t *testing.T) {
			fakeTestify(t, root)
			mod, _ := os.ReadFile(filepath.Join(root, "go.mod"))
			writeFiles(t, root, map[string]string{"go.mod": string(mod) + "\nreplace github.com/stretchr/testify => ./fake\n"})
			t.Cleanup(func() { writeFiles(t, root, map[string]string{"go.mod": string(mod)}) })
		}, "Add(2, 3)"},
		{"a replace of testify in a go.work", func(t *testing.T) {
			fakeTestify(t, root)
			writeFiles(t, root, map[string]string{"go.work": "go 1.22\n\nuse .\n\nreplace github.com/stretchr/testify => ./fake\n"})
			t.Cleanup(func() { os.Remove(filepath.Join(root, "go.work")) })
		}, "Add(2, 3)"},
	}
	for _, tt := range tricks {
		t.Run(tt.name, func(t *testing.T) {
			s.t = t
			tt.setup(t)
			if v, out := s.grades("e1-add"); v == Solved {
				t.Errorf("the trick solved e1-add:\n%s", out)
			} else {
				mentions(t, out, "0/30 points", tt.want)
			}
			os.Remove(filepath.Join(dir, "zz.go"))
			s.ok(cmdReset, []string{"e1-add"})
			solve(t, root, "e1-add") // the honest way still works
			if v, out := s.grades("e1-add"); v != Solved {
				t.Errorf("the solution is not solved under the same conditions:\n%s\n%s", out, s.errOut.String())
			}
			s.ok(cmdReset, []string{"e1-add"})
		})
	}
	s.t = t

	// Without a C compiler go test cannot -race: a race-dependent
	// exercise is then not counted, and the grader says why.
	t.Setenv("CGO_ENABLED", "0")
	solve(t, root, "e2-greet")
	m, _ := s.a.loadManifest()
	m.Exercises[1].Race = true
	outs, err := s.a.gradeExercises(context.Background(), m, m.Exercises[1:])
	if err != nil || outs[0].Verdict != NeedsRace {
		t.Errorf("a race exercise graded without -race: verdict %v, err %v; want NeedsRace", outs[0].Verdict, err)
	}
	if outs, _ := s.a.gradeExercises(context.Background(), m, m.Exercises[:1]); outs[0].Verdict != Unsolved {
		t.Errorf("without -race the e1-add stub is %v, want Unsolved", outs[0].Verdict)
	}
}

// fakeTestify writes, under root/fake, a testify whose require.Equal
// asserts nothing: a plain go test of the e1-add stub then passes.
func fakeTestify(t *testing.T, root string) {
	writeFiles(t, root, map[string]string{
		"fake/go.mod":             "module github.com/stretchr/testify\n\ngo 1.22\n",
		"fake/require/require.go": "package require\n\nfunc Equal(t any, want, got any, msg ...any) {}\n",
	})
}

// TestResetAfterCommit: a learner who edits the stub and the tests and
// commits gets the shipped files back from git history, in a full and in a
// shallow clone; reset never takes HEAD or the working tree for the original.
func TestResetAfterCommit(t *testing.T) {
	root, s := shippedFixture(t)
	dir := filepath.Join(root, "exercises", "e1-add")
	shipped := map[string][]byte{}
	for _, f := range []string{stubFile, "add_test.go"} {
		shipped[f], _ = os.ReadFile(filepath.Join(dir, f))
	}
	cheat := func(repo string) {
		d := filepath.Join(repo, "exercises", "e1-add")
		writeFiles(t, d, map[string]string{
			stubFile:      "//go:build !solution\n\npackage add\n\nfunc Add(a, b int) int { return 0 }\n",
			"add_test.go": "package add\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) { t.Skip() }\n\nfunc TestAddZero(t *testing.T) {}\n",
		})
		git(t, repo, "commit", "-q", "-am", "wip")
	}
	shallow := filepath.Join(t.TempDir(), "clone")
	git(t, root, "clone", "-q", "--depth=1", "file://"+root, shallow)
	cheat(root)
	if v, out := s.grades("e1-add"); v != Changed {
		t.Errorf("edited tests graded %v:\n%s", v, out)
	}
	s.ok(cmdReset, []string{"e1-add"}, "restored exercises/e1-add/add_test.go", "restored exercises/e1-add/exercise.go")
	for f, want := range shipped {
		if got, _ := os.ReadFile(filepath.Join(dir, f)); !bytes.Equal(got, want) {
			t.Errorf("reset wrote %s:\n%s\nwant:\n%s", f, got, want)
		}
	}
	if v, out := s.grades("e1-add"); v != Unsolved {
		t.Errorf("after reset e1-add is %v, want Unsolved:\n%s", v, out)
	}
	s.ok(cmdReset, []string{"e1-add"}, "already as shipped")
	s.ok(cmdHint, []string{"e2-greet"}, "Hint for e2-greet: Say hello", "Concatenate strings with +.")
	s.a.zh = true
	s.ok(cmdHint, []string{"e2-greet"}, "e2-greet 的提示：打个招呼", "用 + 拼接字符串。")
	if _, err := s.run(cmdHint, "e9-nope"); err == nil || !strings.Contains(err.Error(), "e1-add, e2-greet") {
		t.Errorf("hint for an unknown id: error = %v, want the list of ids", err)
	}
	s.a.zh = false

	// A depth-1 clone still holds the shipped blobs until the learner
	// commits over them; a clone of a repository whose history lacks them
	// says so.
	cheat(shallow)
	deeper := filepath.Join(t.TempDir(), "clone2")
	git(t, root, "clone", "-q", "--depth=1", "file://"+shallow, deeper)
	c := newSession(t, shallow)
	c.ok(cmdReset, []string{"e1-add"}, "restored exercises/e1-add/add_test.go")
	if _, err := newSession(t, deeper).run(cmdReset, "e1-add"); err == nil || !strings.Contains(err.Error(), "shallow clone") {
		t.Errorf("reset without the originals in history: error = %v, want it to mention a shallow clone", err)
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader, which
// signals every write.
type syncBuffer struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	wrote chan struct{}
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case b.wrote <- struct{}{}:
	default:
	}
	return b.buf.Write(p)
}

// waitFor waits until the output contains want, or fails after a deadline.
func (b *syncBuffer) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(2 * time.Minute)
	for {
		b.mu.Lock()
		out := b.buf.String()
		b.mu.Unlock()
		if strings.Contains(out, want) {
			return
		}
		select {
		case <-b.wrote:
		case <-deadline:
			t.Fatalf("watch never printed %q:\n%s", want, out)
		}
	}
}

// TestWatch: watch grades everything, then re-grades the exercise just
// saved and, once it is solved, shows the next unsolved one.
func TestWatch(t *testing.T) {
	root, _ := shippedFixture(t)
	out := &syncBuffer{wrote: make(chan struct{}, 1)}
	a := newTestApp(t, root, out, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- cmdWatch(ctx, a, nil) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("watch: %v", err)
		}
	}()
	out.waitFor(t, "Watching exercises/")
	solve(t, root, "e2-greet")
	out.waitFor(t, "Grading e2-greet…")
	out.waitFor(t, "✓ e2-greet is solved!")
	out.waitFor(t, "Next: e1-add")
}

// TestVerifyBrokenExercise: verify reports what makes an exercise unsound.
func TestVerifyBrokenExercise(t *testing.T) {
	root, s := shippedFixture(t)
	dir := filepath.Join(root, "exercises", "e2-greet")
	writeFiles(t, dir, map[string]string{
		stubFile:       "//go:build !solution\n\npackage greet\n\nfunc Greet(name string) string { return \"hello, \" + name }\n",
		solutionFile:   "package greet\n", // the constraint is missing
		"README.zh.md": "",
	})
	s.ok(cmdRehash, nil, "updated  exercises/e2-greet/exercise.go")
	writeFiles(t, filepath.Join(root, "exercises"), map[string]string{"stray/x.go": "package stray\n"})
	if _, err := s.run(cmdRehash); err == nil || !strings.Contains(err.Error(), "README.md") {
		t.Errorf("rehash of a directory without README.md: error = %v", err)
	}
	out, err := s.run(cmdVerify)
	if !errors.Is(err, errReported) {
		t.Errorf("error = %v, want errReported", err)
	}
	mentions(t, out, "ok   e1-add", "FAIL e2-greet",
		`solution.go must start with the line "//go:build solution"`,
		"README.zh.md is missing or empty",
		"stub passes all tests: the exercise is broken",
		"solution fails (go test -tags solution):",
		"exercises/stray is not in exercises/manifest.json")
}
