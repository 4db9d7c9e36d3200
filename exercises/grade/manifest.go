package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
)

// The files every exercise has. The stub is the one file the learner edits;
// the solution builds only with -tags solution.
const (
	stubFile     = "exercise.go"
	solutionFile = "solution.go"
)

// Manifest is exercises/manifest.json: the ordered list of exercises and the
// checksums of everything that decides a grade, as the repository shipped it.
// Maintainers regenerate it with `grade rehash` (see exercises/MAINTAINERS.md).
type Manifest struct {
	// Module maps go.mod and go.sum to their sha256: the exercises are
	// graded against these dependencies, never against a learner's edit.
	Module    map[string]string `json:"module"`
	Exercises []Exercise        `json:"exercises"`
}

// Exercise is one entry of the manifest. The field order is the key order
// rehash writes, so keep it stable.
type Exercise struct {
	ID      string `json:"id"`      // also the package directory: exercises/<id>
	Chapter string `json:"chapter"` // e.g. "v0.1"
	Title   string `json:"title"`
	Stars   int    `json:"stars"`  // difficulty, 1..5
	Points  int    `json:"points"` // earned when the exercise is solved
	// Race marks an exercise whose bugs only the race detector sees: it is
	// never counted as solved by a run without -race.
	Race bool `json:"race,omitempty"`
	// Tests are the exercise's top-level tests. Solved means every one of
	// them reported "pass" and none was skipped.
	Tests []string `json:"tests"`
	// Files maps every Go file of the exercise (stub, solution, tests) to
	// its sha256 as shipped. No other Go file may be in the directory.
	Files map[string]string `json:"files"`
}

var (
	idPattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	sumPattern  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	testPattern = regexp.MustCompile(`^Test[A-Z0-9_]\w*$`)
)

// LoadManifest reads and validates the manifest at file.
func LoadManifest(file string) (*Manifest, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	m, err := decodeManifest(data)
	if err == nil {
		err = m.Validate()
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return m, nil
}

// decodeManifest decodes without validating, for rehash, which must accept
// a manifest whose checksums are missing. Unknown fields are rejected: a
// typo such as "point" would otherwise silently score 0.
func decodeManifest(data []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("invalid JSON: unexpected data after the top-level object")
	}
	return &m, nil
}

// Validate checks the manifest's own consistency (the files on disk are
// verify's job) and reports every problem, not just the first.
func (m *Manifest) Validate() error {
	var errs []error
	for _, name := range []string{"go.mod", "go.sum"} {
		if !sumPattern.MatchString(m.Module[name]) {
			errs = append(errs, fmt.Errorf("module: no sha256 for %s", name))
		}
	}
	seen := make(map[string]bool)
	for i, ex := range m.Exercises {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("exercise #%d %s: %s", i+1, ex.ID, fmt.Sprintf(format, args...)))
		}
		if !idPattern.MatchString(ex.ID) || seen[ex.ID] {
			bad("id must be unique and match %s", idPattern)
		}
		seen[ex.ID] = true
		if strings.TrimSpace(ex.Chapter) == "" || strings.TrimSpace(ex.Title) == "" {
			bad("chapter and title must not be empty")
		}
		if ex.Stars < 1 || ex.Stars > 5 || ex.Points < 1 {
			bad("stars must be 1..5 and points positive")
		}
		if len(ex.Tests) == 0 {
			bad("tests lists no test")
		}
		for _, t := range ex.Tests {
			if !testPattern.MatchString(t) {
				bad("%q is not a test name", t)
			}
		}
		tests := 0
		for _, file := range sortedKeys(ex.Files) {
			if !isPlainFile(file) || !strings.HasSuffix(file, ".go") || !sumPattern.MatchString(ex.Files[file]) {
				bad("files: %q needs a .go file name and a sha256", file)
			}
			if isTestFile(file) {
				tests++
			}
		}
		if ex.Files[stubFile] == "" || ex.Files[solutionFile] == "" || tests == 0 {
			bad("files must list %s, %s and a _test.go file", stubFile, solutionFile)
		}
	}
	return errors.Join(errs...)
}

// Lookup returns the exercise with the given id.
func (m *Manifest) Lookup(id string) (Exercise, bool) {
	i := slices.IndexFunc(m.Exercises, func(ex Exercise) bool { return ex.ID == id })
	if i < 0 {
		return Exercise{}, false
	}
	return m.Exercises[i], true
}

// IDs returns the exercise ids in manifest order.
func (m *Manifest) IDs() []string {
	ids := make([]string, len(m.Exercises))
	for i, ex := range m.Exercises {
		ids[i] = ex.ID
	}
	return ids
}

// Marshal encodes the manifest in its canonical form: 2-space indent, keys
// in struct order (map keys sorted), no HTML escaping so titles stay
// readable, trailing newline. Stable output keeps rehash diffs small.
func (m *Manifest) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Dir is the exercise's package directory relative to the module root, in
// slash form (it is also the suffix of the import path).
func (ex Exercise) Dir() string { return path.Join(exercisesDir, ex.ID) }

// StubPath is the module-relative slash path of the file the learner edits.
func (ex Exercise) StubPath() string { return path.Join(exercisesDir, ex.ID, stubFile) }

// isPlainFile reports whether name is a bare file name, so manifest entries
// cannot point outside the exercise directory.
func isPlainFile(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, `/\`)
}

// isTestFile reports whether name is a Go test file.
func isTestFile(name string) bool { return strings.HasSuffix(name, "_test.go") }
