package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Build constraints that keep the stub and the solution apart: without tags
// the learner's stub builds, with -tags solution the reference solution does.
const (
	stubTag     = "//go:build !solution"
	solutionTag = "//go:build solution"
)

// checkFiles checks the exercise's directory against the contract: the
// required files, their build constraints, goleak, and test checksums.
func (a *app) checkFiles(ex Exercise) *exerciseCheck {
	c := &exerciseCheck{ex: ex}
	dir := a.exerciseDir(ex)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		c.problem(fmt.Sprintf("directory %s is missing", ex.Dir()))
		c.skipStub = true
		return c
	}
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			c.problem(fmt.Sprintf("%s is missing", name))
			return nil
		}
		if len(strings.TrimSpace(string(data))) == 0 {
			c.problem(fmt.Sprintf("%s is empty", name))
		}
		return data
	}
	tagged := func(name, tag string) {
		if data := read(name); data != nil && firstLine(data) != tag {
			c.problem(fmt.Sprintf("%s must start with the line %q", name, tag))
		}
	}
	tagged("exercise.go", stubTag)
	tagged("solution.go", solutionTag)
	if ex.Stub != "exercise.go" {
		tagged(ex.Stub, stubTag)
	}
	read("HINT.md")
	read("README.md")

	changes, err := changedTests(dir, ex)
	if err != nil {
		c.problem(err.Error())
	}
	for _, ch := range changes {
		switch ch.Kind {
		case Missing:
			c.problem(fmt.Sprintf("%s is listed in the manifest but missing", ch.File))
		default:
			c.problem(fmt.Sprintf("%s is %s per the manifest: run `grade rehash`", ch.File, ch.Kind))
		}
	}
	tests, _ := testFilesIn(dir)
	leakCheck := false
	for _, name := range tests {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		if strings.HasPrefix(firstLine(data), "//go:build") {
			c.problem(fmt.Sprintf("%s has a build constraint; tests must build both with and without -tags solution", name))
		}
		leakCheck = leakCheck || strings.Contains(string(data), "goleak.VerifyTestMain(")
	}
	if len(tests) > 0 && !leakCheck {
		c.problem("no TestMain calls goleak.VerifyTestMain")
	}
	return c
}

// unlistedDirs returns the directories under exercises/ that look like
// exercises but are missing from the manifest.
func (a *app) unlistedDirs(m *Manifest) ([]string, error) {
	entries, err := os.ReadDir(a.path(exercisesDir))
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || name == "grade" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			continue
		}
		if _, ok := m.Lookup(name); !ok {
			dirs = append(dirs, exercisesDir+"/"+name)
		}
	}
	return dirs, nil
}

// findPristineStub decides which stub the "tests fail" check runs against:
// the working tree's if it matches the manifest (the usual case in CI),
// else the copy in git HEAD if that matches (a maintainer who solved the
// exercise locally), else none.
func (a *app) findPristineStub(ctx context.Context, c *exerciseCheck) {
	ex := c.ex
	want := ex.Checksums[ex.Stub]
	if sum, err := fileSum(filepath.Join(a.exerciseDir(ex), ex.Stub)); err == nil && sum == want {
		return
	}
	if data, err := a.gitShowHEAD(ctx, ex.StubPath()); err == nil && sumBytes(data) == want {
		c.fromHEAD, c.pristine = true, data
		return
	}
	c.skipStub = true
	c.problem(fmt.Sprintf("stub changed: %s matches the manifest neither in the working tree nor in git HEAD; "+
		"if the edit is intended, run `grade rehash`", ex.StubPath()))
}

// writeOverlay writes the pristine stubs taken from git HEAD to a temporary
// directory plus the -overlay JSON that substitutes them for the working
// tree's files (see `go help build`, -overlay). It returns "" if no stub
// needs substituting.
func (a *app) writeOverlay(checks []*exerciseCheck) (file string, cleanup func(), err error) {
	replace := make(map[string]string)
	dir := ""
	cleanup = func() {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	for _, c := range checks {
		if !c.fromHEAD || c.skipStub {
			continue
		}
		if dir == "" {
			if dir, err = os.MkdirTemp("", "grade-overlay-"); err != nil {
				return "", cleanup, err
			}
		}
		copyPath := filepath.Join(dir, c.ex.ID+"-"+c.ex.Stub)
		if err := os.WriteFile(copyPath, c.pristine, 0o644); err != nil {
			return "", cleanup, err
		}
		replace[filepath.Join(a.exerciseDir(c.ex), c.ex.Stub)] = copyPath
	}
	if dir == "" {
		return "", cleanup, nil
	}
	data, err := json.Marshal(struct{ Replace map[string]string }{replace})
	if err != nil {
		return "", cleanup, err
	}
	file = filepath.Join(dir, "overlay.json")
	return file, cleanup, os.WriteFile(file, data, 0o644)
}
