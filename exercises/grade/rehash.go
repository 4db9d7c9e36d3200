package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// cmdRehash recomputes every exercise's checksums from the working tree and
// rewrites the manifest in canonical form. It is for maintainers who have
// just edited an exercise; verify afterwards confirms the stub still fails.
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
	for i := range m.Exercises {
		ex := &m.Exercises[i]
		sums, err := a.checksums(*ex)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ex.ID, err))
			continue
		}
		for _, name := range sortedKeys(sums) {
			if ex.Checksums[name] != sums[name] {
				fmt.Fprintf(a.stdout, "updated  %s/%s\n", ex.Dir(), name)
			}
		}
		for _, name := range sortedKeys(ex.Checksums) {
			if _, ok := sums[name]; !ok {
				fmt.Fprintf(a.stdout, "removed  %s/%s\n", ex.Dir(), name)
			}
		}
		ex.Checksums = sums
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("manifest not rewritten:\n%w", err)
	}
	if err := m.Validate(); err != nil {
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

// checksums computes the manifest checksums for an exercise as it is in
// the working tree: the stub and every *_test.go file.
func (a *app) checksums(ex Exercise) (map[string]string, error) {
	dir := a.exerciseDir(ex)
	tests, err := testFilesIn(dir)
	if err != nil {
		return nil, err
	}
	if len(tests) == 0 {
		return nil, fmt.Errorf("no _test.go files in %s", ex.Dir())
	}
	sums := make(map[string]string)
	for _, name := range append(tests, ex.Stub) {
		if !isPlainFile(name) {
			return nil, fmt.Errorf("stub %q is not a file name", name)
		}
		if sums[name], err = fileSum(filepath.Join(dir, name)); err != nil {
			return nil, err
		}
	}
	return sums, nil
}
