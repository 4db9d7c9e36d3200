package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// cmdReset restores an exercise's stub to the committed, pristine version.
// The copy in git is checked against the manifest before it overwrites the
// learner's file: HEAD may hold a maintainer's half-finished edit.
func cmdReset(ctx context.Context, a *app, args []string) error {
	ex, err := a.lookupExercise(args[0])
	if err != nil {
		return err
	}
	want := ex.Checksums[ex.Stub]
	stub := filepath.Join(a.exerciseDir(ex), ex.Stub)
	if sum, err := fileSum(stub); err == nil && sum == want {
		fmt.Fprintf(a.stdout, "%s is already in its original state.\n", ex.StubPath())
		return nil
	}
	data, err := a.gitShowHEAD(ctx, ex.StubPath())
	if err != nil {
		return fmt.Errorf("cannot restore %s: %w", ex.StubPath(), err)
	}
	if sumBytes(data) != want {
		return fmt.Errorf("cannot restore %s: the committed version does not match the checksum in exercises/manifest.json, "+
			"so it is not the original (maintainers: run `grade rehash` and commit)", ex.StubPath())
	}
	if err := writeFileAtomic(stub, data); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Restored %s to its original version.\n", ex.StubPath())
	return nil
}

// gitShowHEAD returns the content of a module-relative file as committed
// in HEAD. Paths are given as "HEAD:./path" so git resolves them against
// the module root even if the repository root is elsewhere.
func (a *app) gitShowHEAD(ctx context.Context, rel string) ([]byte, error) {
	git, err := exec.LookPath("git")
	if err != nil {
		return nil, errors.New("git is not installed, and the original files come from git")
	}
	if _, err := a.git(ctx, git, "rev-parse", "--is-inside-work-tree"); err != nil {
		return nil, fmt.Errorf("%s is not a git checkout, and the original files come from git (%w)", a.root, err)
	}
	return a.git(ctx, git, "show", "HEAD:./"+filepath.ToSlash(rel))
}

// git runs a git command in the module root and returns its stdout; the
// error carries git's own message.
func (a *app) git(ctx context.Context, git string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, git, args...)
	cmd.Dir = a.root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
		}
		return nil, fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return stdout.Bytes(), nil
}
