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
	"strings"
)

// Manifest is exercises/manifest.json: the ordered list of exercises.
type Manifest struct {
	Exercises []Exercise `json:"exercises"`
}

// Exercise is one entry of the manifest. The field order here is the key
// order rehash writes, so keep it stable.
type Exercise struct {
	ID      string `json:"id"`      // also the package directory: exercises/<id>
	Chapter string `json:"chapter"` // e.g. "v0.1"
	Title   string `json:"title"`
	Stars   int    `json:"stars"`  // difficulty, 1..5
	Points  int    `json:"points"` // earned when the exercise is solved
	Stub    string `json:"stub"`   // the file the learner edits, e.g. "exercise.go"
	// Checksums maps the pristine stub and every *_test.go file of the
	// exercise to its sha256 (see fileSum).
	Checksums map[string]string `json:"checksums"`
}

// maxStars bounds Exercise.Stars so the star column stays narrow.
const maxStars = 5

var (
	idPattern  = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	sumPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// LoadManifest reads and validates the manifest at file.
func LoadManifest(file string) (*Manifest, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	m, err := ParseManifest(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return m, nil
}

// ParseManifest decodes and validates a manifest.
func ParseManifest(data []byte) (*Manifest, error) {
	m, err := decodeManifest(data)
	if err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// decodeManifest decodes without validating, for rehash, which must accept
// a manifest whose checksums are still missing. Unknown fields are
// rejected: a typo such as "point" would otherwise silently score 0.
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

// Validate checks the manifest's own consistency (not the files on disk; that
// is verify's job). It reports every problem, not just the first.
func (m *Manifest) Validate() error {
	var errs []error
	seen := make(map[string]bool)
	for i, ex := range m.Exercises {
		name := ex.ID
		if name == "" {
			name = fmt.Sprintf("#%d", i+1)
		}
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("exercise %s: "+format, append([]any{name}, args...)...))
		}
		switch {
		case !idPattern.MatchString(ex.ID):
			bad("id must match %s", idPattern)
		case seen[ex.ID]:
			bad("duplicate id")
		}
		seen[ex.ID] = true
		if strings.TrimSpace(ex.Chapter) == "" {
			bad("chapter is empty")
		}
		if strings.TrimSpace(ex.Title) == "" {
			bad("title is empty")
		}
		if ex.Stars < 1 || ex.Stars > maxStars {
			bad("stars must be 1..%d, got %d", maxStars, ex.Stars)
		}
		if ex.Points < 1 {
			bad("points must be positive, got %d", ex.Points)
		}
		if !isPlainFile(ex.Stub) || !strings.HasSuffix(ex.Stub, ".go") || isTestFile(ex.Stub) {
			bad("stub must be a .go file name (not a test) in the exercise directory, got %q", ex.Stub)
		} else if _, ok := ex.Checksums[ex.Stub]; !ok {
			bad("checksums has no entry for the stub %s", ex.Stub)
		}
		tests := 0
		for _, file := range sortedKeys(ex.Checksums) {
			switch {
			case !isPlainFile(file):
				bad("checksums: %q is not a file name", file)
			case isTestFile(file):
				tests++
			case file != ex.Stub:
				bad("checksums: %s is neither the stub nor a _test.go file", file)
			}
			if !sumPattern.MatchString(ex.Checksums[file]) {
				bad("checksums: %s is not a lowercase sha256 hex digest", file)
			}
		}
		if tests == 0 {
			bad("checksums lists no _test.go file")
		}
	}
	return errors.Join(errs...)
}

// Lookup returns the exercise with the given id.
func (m *Manifest) Lookup(id string) (Exercise, bool) {
	for _, ex := range m.Exercises {
		if ex.ID == id {
			return ex, true
		}
	}
	return Exercise{}, false
}

// IDs returns the exercise ids in manifest order.
func (m *Manifest) IDs() []string {
	ids := make([]string, len(m.Exercises))
	for i, ex := range m.Exercises {
		ids[i] = ex.ID
	}
	return ids
}

// TotalPoints is the score of a learner who solved everything.
func (m *Manifest) TotalPoints() int {
	total := 0
	for _, ex := range m.Exercises {
		total += ex.Points
	}
	return total
}

// Marshal encodes the manifest in its canonical form: 2-space indent, keys
// in struct order (checksums sorted by encoding/json), no HTML escaping so
// titles stay readable, trailing newline. Stable output keeps rehash diffs
// small.
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

// TestFiles returns the names of the *_test.go files the manifest lists for
// the exercise, sorted.
func (ex Exercise) TestFiles() []string {
	var files []string
	for _, file := range sortedKeys(ex.Checksums) {
		if isTestFile(file) {
			files = append(files, file)
		}
	}
	return files
}

// Dir is the exercise's package directory relative to the module root, in
// slash form (it is also the suffix of the import path).
func (ex Exercise) Dir() string { return path.Join(exercisesDir, ex.ID) }

// StubPath is the module-relative slash path of the file the learner edits.
func (ex Exercise) StubPath() string { return path.Join(exercisesDir, ex.ID, ex.Stub) }

// isPlainFile reports whether name is a bare file name, so manifest entries
// cannot point outside the exercise directory.
func isPlainFile(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, `/\`)
}

// isTestFile reports whether name is a Go test file.
func isTestFile(name string) bool { return strings.HasSuffix(name, "_test.go") }
