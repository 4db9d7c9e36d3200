package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// update rewrites the golden files under testdata/golden instead of
// comparing against them: go test ./exercises/grade -update
var update = flag.Bool("update", false, "rewrite golden files")

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fixtureRoot is the module root the recorded go test output was produced
// in; absolute paths under it are what cleanTestOutput shortens.
const fixtureRoot = "/tmp/fx"

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test -update rewrites it)\n--- got:\n%s\n--- want:\n%s", file, got, want)
	}
}

// parseFixture demultiplexes a recorded go test -json stream.
func parseFixture(t *testing.T, name string) *Results {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "events", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := ParseEvents(f)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

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

// The command line: help in either language, the maintainers' commands kept
// out of it, and a usage error for what is not a command or an exercise.
func TestCommandLine(t *testing.T) {
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"-lang", "zh", "help"}, &out, &errOut); code != exitOK || !strings.Contains(out.String(), "只评 ID 这一道") {
		t.Errorf("-lang zh help: status %d, output:\n%s", code, out.String())
	}
	out.Reset()
	if code := run(ctx, []string{"help", "-lang", "en"}, &out, &errOut); code != exitOK || !strings.Contains(out.String(), "run ID") {
		t.Errorf("help: status %d, output:\n%s", code, out.String())
	}
	for _, hidden := range []string{"rehash", "verify"} {
		if strings.Contains(out.String(), hidden) {
			t.Errorf("the learner's help offers %s:\n%s", hidden, out.String())
		}
	}
	if code := run(ctx, []string{"-lang", "en", "no-such-exercise"}, &out, &errOut); code != exitUsage || !strings.Contains(errOut.String(), "unknown command") {
		t.Errorf("a bogus command: status %d, stderr:\n%s", code, errOut.String())
	}
}

func TestChineseLocale(t *testing.T) {
	tests := []struct {
		all, messages, lang string
		want                bool
	}{
		{"", "", "zh_CN.UTF-8", true},
		{"", "", "en_US.UTF-8", false},
		{"C", "", "zh_CN.UTF-8", false}, // LC_ALL wins
		{"", "zh_TW.UTF-8", "en_US.UTF-8", true},
		{"", "", "", false},
	}
	for _, tt := range tests {
		t.Setenv("LC_ALL", tt.all)
		t.Setenv("LC_MESSAGES", tt.messages)
		t.Setenv("LANG", tt.lang)
		if got := chineseLocale(); got != tt.want {
			t.Errorf("LC_ALL=%q LC_MESSAGES=%q LANG=%q: chineseLocale() = %v, want %v", tt.all, tt.messages, tt.lang, got, tt.want)
		}
	}
}
