package docs

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Check 3: every code path the docs cite in `code` exists.
//
// A span is a repository path if it starts with one of the top-level
// directories below or is one of the root files; it is resolved from the
// repository root, not from the Markdown file, because that is how a reader
// types it. `zinx/v0.9/znet` is an import path and names the directory
// v0.9/znet. Anything with a space is prose, not a path; placeholders
// (`v0.1/*.go`, `exercises/<id>`, `docs/vX.md`) are skipped.

var (
	// pathPrefixes are the top-level directories a cited path may start with.
	pathPrefixes = []string{"v0.1/", "v0.5/", "v0.8/", "v0.9/", "v1.0-epoll/", "exercises/", "docs/", ".ci/"}

	// rootFiles are the root files a span may name on its own.
	rootFiles = map[string]bool{"Makefile": true, "go.mod": true, "README.md": true}

	// lineSuffixRE matches a ":12", ":12:5" or ":12-20" suffix, or a
	// GitHub "#L12" / "#L12-L20" fragment.
	lineSuffixRE = regexp.MustCompile(`(?::\d+(?:[-:]\d+)?|#L\d+(?:-L?\d+)?)$`)
)

// citedPath is a repository path found in a code span.
type citedPath struct {
	path     string // slash-separated, relative to the repository root
	dir      bool   // must be a directory: ends in '/', is a package or an import path
	imported bool   // was written as an import path
}

// codePath reports whether a code span's text cites a repository path, and
// which. It strips line suffixes, a trailing "/..." package pattern, and the
// ".Ident" of "zinx/v0.9/znet.Server".
func codePath(span string) (citedPath, bool) {
	s := strings.TrimSpace(span)
	if s == "" || strings.ContainsAny(s, " \t") {
		return citedPath{}, false
	}
	var c citedPath
	if strings.HasPrefix(s, "zinx/") {
		s = strings.TrimPrefix(s, "zinx/")
		c.imported, c.dir = true, true
		// zinx/v0.9/znet.Server is the identifier Server in package znet.
		if i := strings.LastIndexByte(s, '.'); i > strings.LastIndexByte(s, '/') && i+1 < len(s) && 'A' <= s[i+1] && s[i+1] <= 'Z' {
			s = s[:i]
		}
	}
	s = lineSuffixRE.ReplaceAllString(s, "")
	if !rootFiles[s] && !hasPathPrefix(s) {
		return citedPath{}, false
	}
	if strings.HasSuffix(s, "/...") {
		s, c.dir = strings.TrimSuffix(s, "/..."), true
	}
	if isPlaceholder(s) {
		return citedPath{}, false
	}
	if strings.HasSuffix(s, "/") {
		c.dir = true
	}
	c.path = strings.TrimSuffix(s, "/")
	return c, true
}

func hasPathPrefix(s string) bool {
	for _, p := range pathPrefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// checkCodePathsIn returns a problem for every path cited in the Markdown
// file at path that does not exist in the repository.
func (r *repo) checkCodePathsIn(path string) []string {
	d, err := r.doc(path)
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	for _, s := range d.spans {
		c, ok := codePath(s.text)
		if !ok {
			continue
		}
		info, err := os.Stat(filepath.Join(r.root, filepath.FromSlash(c.path)))
		switch {
		case err != nil && c.imported:
			problems = append(problems, fmt.Sprintf("%s:%d: import path %q: directory %s does not exist", d.name, s.line, s.text, c.path))
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s:%d: path %q does not exist", d.name, s.line, s.text))
		case c.dir && !info.IsDir():
			problems = append(problems, fmt.Sprintf("%s:%d: path %q is a file, not a directory", d.name, s.line, s.text))
		}
	}
	return problems
}

func TestCodePathCheckReportsMissingPaths(t *testing.T) {
	r := newRepo("testdata/paths")
	assert.Equal(t, []string{
		`docs/chapter.md:16: path "v0.1/znet/srv.go" does not exist`,
		`docs/chapter.md:17: import path "zinx/v0.1/zent": directory v0.1/zent does not exist`,
		`docs/chapter.md:18: path "v0.1/znet/server.go/" is a file, not a directory`,
		`docs/chapter.md:19: path "go.mod" does not exist`,
		`docs/chapter.md:20: path "v0.5/znet/connection.go:40" does not exist`,
		`docs/chapter.md:21: path "exercises/" does not exist`,
	}, r.checkCodePathsIn("testdata/paths/docs/chapter.md"))
}

func TestCodePathRecognisesPaths(t *testing.T) {
	for span, want := range map[string]citedPath{
		"v0.1/znet/server.go":     {path: "v0.1/znet/server.go"},
		"v0.1/znet/server.go:12":  {path: "v0.1/znet/server.go"},
		"Makefile:40:3":           {path: "Makefile"},
		"v0.9/znet/conn.go#L5-L9": {path: "v0.9/znet/conn.go"},
		".ci/run":                 {path: ".ci/run"},
		"v1.0-epoll/":             {path: "v1.0-epoll", dir: true},
		"v0.8/znet/...":           {path: "v0.8/znet", dir: true},
		"zinx/v0.9/ziface":        {path: "v0.9/ziface", dir: true, imported: true},
		"zinx/v0.9/znet.Server":   {path: "v0.9/znet", dir: true, imported: true},
	} {
		got, ok := codePath(span)
		assert.True(t, ok, span)
		assert.Equal(t, want, got, span)
	}
	for _, span := range []string{"v0.1", "znet/server.go", "go.sum", "docs/vX.md", "exercises/<id>", "v0.1/*_test.go", "make test-v0.1", "./v0.1/..."} {
		_, ok := codePath(span)
		assert.False(t, ok, span)
	}
}
