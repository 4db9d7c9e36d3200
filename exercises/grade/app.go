package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// exercisesDir is where the exercises live, relative to the module root.
const exercisesDir = "exercises"

// app is the state every command shares: where the module is and where
// output goes. Tests build one directly around a fixture module.
type app struct {
	root    string // module root: the directory holding go.mod
	modPath string // module path from go.mod, e.g. "zinx"
	goTool  string // the go command
	stdout  io.Writer
	stderr  io.Writer
	style   style // ANSI colour, or none
	tty     bool  // stdout is a terminal, so watch may clear it
	zh      bool  // speak Simplified Chinese (LANG=zh*, or -lang zh)
	// watching is set by the watch command, whose screen needs no "try
	// watch" tip.
	watching bool
}

// tr picks the message in the learner's language. The two texts sit side
// by side at each call site, so neither can drift from the other unseen.
func (a *app) tr(en, zh string) string {
	if a.zh {
		return zh
	}
	return en
}

// chineseLocale reports whether the environment asks for Chinese, the way
// POSIX locales are chosen: LC_ALL, then LC_MESSAGES, then LANG.
func chineseLocale() bool {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			return strings.HasPrefix(v, "zh")
		}
	}
	return false
}

// newApp locates the module the current directory belongs to.
func newApp(ctx context.Context, stdout, stderr io.Writer) (*app, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("cannot find the go command: %w", err)
	}
	cmd := exec.CommandContext(ctx, goTool, "list", "-m", "-f", "{{.Dir}}\n{{.Path}}")
	cmd.Env = testEnv()
	out, err := cmd.Output()
	dir, path, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if err != nil || dir == "" || path == "" {
		return nil, errors.New("not inside a Go module: run the grader from the repository (cd into it first)")
	}
	a := &app{root: dir, modPath: path, goTool: goTool, stdout: stdout, stderr: stderr}
	a.tty = isTerminal(stdout)
	// https://no-color.org: a non-empty NO_COLOR turns colour off.
	a.style = style{on: a.tty && os.Getenv("NO_COLOR") == ""}
	return a, nil
}

// isTerminal reports whether w is a character device such as a terminal
// (not a pipe or file), so escape sequences will be interpreted.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// path joins module-relative slash path elements into an OS path under root.
func (a *app) path(elem ...string) string {
	return filepath.Join(append([]string{a.root}, elem...)...)
}

// title is ex's title in the learner's language: in Chinese, the one on the
// first line of its README.zh.md ("# <id> — <title>"), which the manifest
// does not keep; the manifest's English title if that file has none.
func (a *app) title(ex Exercise) string {
	if !a.zh {
		return ex.Title
	}
	b, err := os.ReadFile(a.path(exercisesDir, ex.ID, "README.zh.md"))
	if err != nil {
		return ex.Title
	}
	first, _, _ := strings.Cut(string(b), "\n")
	if _, t, ok := strings.Cut(first, " — "); ok && strings.TrimSpace(t) != "" {
		return strings.TrimSpace(t)
	}
	return ex.Title
}

// manifestPath is the OS path of exercises/manifest.json.
func (a *app) manifestPath() string { return a.path(exercisesDir, "manifest.json") }

// exerciseDir is the OS path of the exercise's package directory.
func (a *app) exerciseDir(ex Exercise) string { return a.path(exercisesDir, ex.ID) }

// loadManifest reads the manifest, with an error that says what to do.
func (a *app) loadManifest() (*Manifest, error) {
	m, err := LoadManifest(a.manifestPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no exercise list: %s does not exist", filepath.Join(exercisesDir, "manifest.json"))
	}
	return m, err
}

// lookupExercise loads the manifest and finds id in it.
func (a *app) lookupExercise(id string) (Exercise, error) {
	m, err := a.loadManifest()
	if err != nil {
		return Exercise{}, err
	}
	ex, ok := m.Lookup(id)
	if !ok {
		return Exercise{}, fmt.Errorf(a.tr("no exercise %q; the exercises are: %s", "没有练习 %q；现有的练习：%s"),
			id, strings.Join(m.IDs(), ", "))
	}
	return ex, nil
}

// style applies ANSI colour when on is set. The zero value prints plain
// text, which is what pipes, files and NO_COLOR users get.
type style struct{ on bool }

// paint wraps s in the SGR code unless colour is off.
func (s style) paint(code, text string) string {
	if !s.on || text == "" {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

// Colour helpers, named for what they mean rather than how they look.
func (s style) good(text string) string { return s.paint("32", text) } // green
func (s style) bad(text string) string  { return s.paint("31", text) } // red
func (s style) warn(text string) string { return s.paint("33", text) } // yellow
func (s style) bold(text string) string { return s.paint("1", text) }  // bold
func (s style) dim(text string) string  { return s.paint("2", text) }  // faint
func (s style) star(text string) string { return s.paint("33", text) } // yellow
func (s style) cmd(text string) string  { return s.paint("36", text) } // cyan
