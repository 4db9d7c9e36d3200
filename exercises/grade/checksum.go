package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
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

// ChangeKind says how a test file differs from what the manifest expects.
type ChangeKind string

// The ways a test file can differ from the manifest.
const (
	Modified ChangeKind = "modified"
	Missing  ChangeKind = "missing"
	Extra    ChangeKind = "not part of the exercise"
)

// TestChange is one test file whose content is not the one the exercise
// shipped with.
type TestChange struct {
	File string // file name inside the exercise directory
	Kind ChangeKind
}

// changedTests compares the exercise's *_test.go files in dir with the
// manifest checksums. Extra test files count as changes too: any test file
// can redefine TestMain and so decide the verdict.
func changedTests(dir string, ex Exercise) ([]TestChange, error) {
	var changes []TestChange
	want := ex.TestFiles()
	for _, file := range want {
		sum, err := fileSum(filepath.Join(dir, file))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			changes = append(changes, TestChange{file, Missing})
		case err != nil:
			return nil, err
		case sum != ex.Checksums[file]:
			changes = append(changes, TestChange{file, Modified})
		}
	}
	have, err := testFilesIn(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, file := range have {
		if !slices.Contains(want, file) {
			changes = append(changes, TestChange{file, Extra})
		}
	}
	return changes, nil
}

// testFilesIn lists the *_test.go files in dir, sorted.
func testFilesIn(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir) // sorted by name
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && isTestFile(e.Name()) {
			files = append(files, e.Name())
		}
	}
	return files, nil
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

// firstLine returns the first line of data without its line ending.
func firstLine(data []byte) string {
	line, _, _ := strings.Cut(string(data), "\n")
	return strings.TrimSuffix(line, "\r")
}
