package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// cmdRehash is the maintainers' command (exercises/MAINTAINERS.md): it
// recomputes the manifest from the working tree (the checksums of go.mod,
// go.sum and every exercise's Go files, and each exercise's test names),
// appends an entry for every exercise directory the manifest lacks, and
// rewrites the manifest in canonical form. `grade verify` then confirms that
// each stub fails and each solution passes.
func cmdRehash(_ context.Context, a *app, _ []string) error {
	file := a.manifestPath()
	old, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	m, err := decodeManifest(old)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	var errs []error
	m.Module = make(map[string]string)
	for _, name := range []string{"go.mod", "go.sum"} {
		if m.Module[name], err = fileSum(a.path(name)); err != nil {
			errs = append(errs, err)
		}
	}
	entries, err := os.ReadDir(a.path(exercisesDir))
	if err != nil {
		return err
	}
	for _, e := range entries {
		if _, ok := m.Lookup(e.Name()); e.IsDir() && !ok && isExerciseDir(e.Name()) {
			ex, err := a.newEntry(e.Name())
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", e.Name(), err))
				continue
			}
			m.Exercises = append(m.Exercises, ex)
			fmt.Fprintf(a.stdout, "added    %s (%q, chapter %s, %d stars, %d points: check them)\n", ex.Dir(), ex.Title, ex.Chapter, ex.Stars, ex.Points)
		}
	}
	for i := range m.Exercises {
		if err := a.rehashExercise(&m.Exercises[i]); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", m.Exercises[i].ID, err))
		}
	}
	if err := errors.Join(append(errs, m.Validate())...); err != nil {
		return fmt.Errorf("manifest not rewritten:\n%w", err)
	}
	data, err := m.Marshal()
	if err != nil {
		return err
	}
	if bytes.Equal(data, old) {
		fmt.Fprintln(a.stdout, "exercises/manifest.json is up to date.")
		return nil
	}
	if err := writeFileAtomic(file, data); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "Rewrote exercises/manifest.json. Now run: go run ./exercises/grade verify")
	return nil
}

// rehashExercise recomputes ex's file checksums and test names.
func (a *app) rehashExercise(ex *Exercise) error {
	dir := a.exerciseDir(*ex)
	files, err := buildableFiles(dir)
	if err != nil {
		return err
	}
	sums := make(map[string]string)
	for _, name := range files {
		if sums[name], err = fileSum(filepath.Join(dir, name)); err != nil {
			return err
		}
		if ex.Files[name] != sums[name] {
			fmt.Fprintf(a.stdout, "updated  %s/%s\n", ex.Dir(), name)
		}
	}
	ex.Files = sums
	ex.Tests, err = testNames(dir)
	return err
}

// newEntry drafts the manifest entry of a new exercise directory from its
// README.md, whose first line is "# <id> — <title>" and whose first line
// with stars gives the difficulty. Points are 10 per star; the chapter is
// the version directory the id's prefix names ("v1.0-wheel" is chapter
// "v1.0-epoll"). Set "race": true by hand if the exercise's bugs only show
// under the race detector.
func (a *app) newEntry(id string) (Exercise, error) {
	readme, err := os.ReadFile(filepath.Join(a.path(exercisesDir, id), "README.md"))
	if err != nil {
		return Exercise{}, err
	}
	ex := Exercise{ID: id}
	ex.Chapter, _, _ = strings.Cut(id, "-")
	if dirs, _ := filepath.Glob(a.path(ex.Chapter + "*")); len(dirs) == 1 {
		ex.Chapter = filepath.Base(dirs[0])
	}
	for i, line := range strings.Split(string(readme), "\n") {
		if _, title, ok := strings.Cut(line, " — "); i == 0 && ok {
			ex.Title = strings.TrimSpace(title)
		}
		if ex.Stars == 0 && strings.Contains(line, "★") {
			ex.Stars = utf8.RuneCountInString(line) - utf8.RuneCountInString(strings.ReplaceAll(line, "★", ""))
		}
	}
	ex.Points = 10 * ex.Stars
	if ex.Title == "" || ex.Stars == 0 {
		return ex, errors.New(`README.md must start with "# <id> — <title>" and show the stars (★★) on a later line`)
	}
	return ex, nil
}
