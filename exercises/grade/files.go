package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// sumBytes returns the manifest checksum of a file's content: the sha256 hex
// digest after turning CRLF into LF. Normalising line endings means a Windows
// checkout with core.autocrlf still matches; on LF files it is exactly what
// `sha256sum` prints.
func sumBytes(data []byte) string {
	sum := sha256.Sum256(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")))
	return hex.EncodeToString(sum[:])
}

// fileSum is sumBytes of the file's content.
func fileSum(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	return sumBytes(data), nil
}

// ChangeKind says how a file differs from what the manifest expects.
type ChangeKind string

// The ways a file can differ from the manifest.
const (
	Modified ChangeKind = "modified"
	Missing  ChangeKind = "missing"
	Extra    ChangeKind = "not part of the exercise"
)

// FileChange is one file of an exercise directory that is not as shipped.
type FileChange struct {
	File string // file name inside the exercise directory
	Kind ChangeKind
}

// buildExts are the file name extensions the go command compiles into a
// package (see `go help packages`, "Non-test Go source files"...).
var buildExts = []string{".go", ".c", ".h", ".s", ".S", ".sx", ".cc", ".cpp", ".cxx", ".hh", ".hpp", ".hxx",
	".m", ".f", ".F", ".for", ".f90", ".syso", ".swig", ".swigcxx"}

// buildable reports whether the go command would compile a file of this
// name into the package: it skips names starting with "." or "_".
func buildable(name string) bool {
	return !strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "_") && slices.Contains(buildExts, filepath.Ext(name))
}

// buildableFiles lists the files in dir that the go command would compile.
func buildableFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir) // sorted by name
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && buildable(e.Name()) {
			files = append(files, e.Name())
		}
	}
	return files, nil
}

// changedFiles compares the exercise directory with the manifest: every file
// it names but the stub must be as shipped, and no other file the go command
// would compile may be there (an extra file could hold an init that ends the
// test binary, or a TestMain that decides the verdict).
func changedFiles(dir string, ex Exercise) ([]FileChange, error) {
	var changes []FileChange
	for _, file := range sortedKeys(ex.Files) {
		sum, err := fileSum(filepath.Join(dir, file))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			changes = append(changes, FileChange{file, Missing})
		case err != nil:
			return nil, err
		case sum != ex.Files[file] && file != stubFile:
			changes = append(changes, FileChange{file, Modified})
		}
	}
	have, err := buildableFiles(dir)
	if err != nil {
		return nil, err
	}
	for _, file := range have {
		if _, ok := ex.Files[file]; !ok {
			changes = append(changes, FileChange{file, Extra})
		}
	}
	return changes, nil
}

// testFunc matches the declaration of a top-level test.
var testFunc = regexp.MustCompile(`(?m)^func (Test[A-Z0-9_]\w*)\(\w+ \*testing\.T\)`)

// testNames returns the top-level tests declared in the _test.go files of
// dir, sorted: what rehash writes and verify expects in Exercise.Tests.
func testNames(dir string) ([]string, error) {
	files, err := buildableFiles(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, f := range files {
		if !isTestFile(f) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return nil, err
		}
		for _, m := range testFunc.FindAllSubmatch(data, -1) {
			names = append(names, string(m[1]))
		}
	}
	slices.Sort(names)
	return names, nil
}

// sortedKeys returns m's keys in sorted order, for deterministic output.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// writeFileAtomic replaces file with data via a temporary file and rename,
// so an interrupted write (Ctrl-C in watch) never leaves half a file.
func writeFileAtomic(file string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}
