package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// shipped returns the module-relative file rel as the repository shipped
// it: the content whose checksum is want. The working tree's copy is used if
// it matches; otherwise git history (every branch and tag, so the learner's
// own commits do not hide it) is searched for a version that does. The
// manifest's checksum, not the working tree or HEAD, says what is original.
func (a *app) shipped(ctx context.Context, rel, want string) ([]byte, error) {
	if data, err := os.ReadFile(a.path(rel)); err == nil && sumBytes(data) == want {
		return data, nil
	}
	git, err := exec.LookPath("git")
	if err != nil {
		return nil, errors.New(a.tr("git is not installed, and the original files come from git history",
			"没有安装 git，而原始文件要从 git 历史里取回"))
	}
	// --raw lists, for each commit that touched the file, the blob it left.
	out, err := a.git(ctx, git, "log", "--all", "--format=", "--raw", "--no-abbrev", "--no-renames", "--", "./"+rel)
	if err != nil {
		return nil, fmt.Errorf(a.tr("%s is not a git checkout, and the original files come from git history (%v)",
			"%s 不是 git 仓库，而原始文件要从 git 历史里取回（%v）"), a.root, err)
	}
	seen := make(map[string]bool)
	for _, line := range strings.Split(string(out), "\n") {
		fields := strings.Fields(line) // ":100644 100644 <old> <new> M path"
		if len(fields) < 5 || !strings.HasPrefix(fields[0], ":") || seen[fields[3]] || strings.Trim(fields[3], "0") == "" {
			continue
		}
		seen[fields[3]] = true
		if data, err := a.git(ctx, git, "cat-file", "blob", fields[3]); err == nil && sumBytes(data) == want {
			return data, nil
		}
	}
	return nil, fmt.Errorf(a.tr("no version of %s in this clone's git history matches exercises/manifest.json "+
		"(a shallow clone? `git fetch --unshallow` brings the history)",
		"这个克隆的 git 历史里找不到与 exercises/manifest.json 相符的 %s（是浅克隆吗？`git fetch --unshallow` 可以取回历史）"), rel)
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
			return nil, errors.New(msg)
		}
		return nil, err
	}
	return stdout.Bytes(), nil
}

// cmdReset restores an exercise's stub and tests (every file the manifest
// names) to what the repository shipped, whatever the learner changed or
// committed since. Nothing is written unless every original was found.
func cmdReset(ctx context.Context, a *app, args []string) error {
	ex, err := a.lookupExercise(args[0])
	if err != nil {
		return err
	}
	restore := make(map[string][]byte)
	for _, name := range sortedKeys(ex.Files) {
		rel := path.Join(ex.Dir(), name)
		if sum, err := fileSum(a.path(rel)); err == nil && sum == ex.Files[name] {
			continue
		}
		if restore[rel], err = a.shipped(ctx, rel, ex.Files[name]); err != nil {
			return fmt.Errorf(a.tr("cannot reset %s: %w", "无法重置 %s：%w"), ex.ID, err)
		}
	}
	for _, rel := range sortedKeys(restore) {
		if err := writeFileAtomic(a.path(rel), restore[rel]); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, a.tr("restored %s\n", "已恢复 %s\n"), rel)
	}
	changes, err := changedFiles(a.exerciseDir(ex), ex)
	if err != nil {
		return err
	}
	for _, c := range changes { // only extra files can be left
		fmt.Fprintf(a.stdout, a.tr("%s/%s is not part of the exercise: delete it, or it will not be graded\n",
			"%s/%s 不属于这道练习：删掉它，否则无法评分\n"), ex.Dir(), c.File)
	}
	if len(restore) == 0 && len(changes) == 0 {
		fmt.Fprintf(a.stdout, a.tr("%s is already as shipped.\n", "%s 已经是原始状态。\n"), ex.Dir())
	}
	return nil
}

// pristineModfile returns the -modfile argument that makes go test use
// go.mod and go.sum as shipped: "" if the working tree's are, else a copy
// recovered from git in a temporary directory (cleanup removes it). A
// learner's `replace` of a test dependency thus never reaches the grade.
func (a *app) pristineModfile(ctx context.Context, m *Manifest) (modfile string, cleanup func(), err error) {
	cleanup = func() {}
	files := make(map[string][]byte)
	clean := true
	for _, name := range []string{"go.mod", "go.sum"} {
		if files[name], err = a.shipped(ctx, name, m.Module[name]); err != nil {
			return "", cleanup, err
		}
		if sum, _ := fileSum(a.path(name)); sum != m.Module[name] {
			clean = false
		}
	}
	if clean {
		return "", cleanup, nil
	}
	dir, err := os.MkdirTemp("", "grade-mod-")
	if err != nil {
		return "", cleanup, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return "", cleanup, err
		}
	}
	return filepath.Join(dir, "go.mod"), cleanup, nil
}
