package docs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"
)

// The checker is ordinary Go test code, split by idea:
//
//	markdown_test.go   the tiny Markdown scanner every check reads through
//	links_test.go      check 1: relative links and anchors resolve
//	make_test.go       check 2: every `make <target>` exists in the Makefile
//	paths_test.go      check 3: every code path cited in `code` exists
//	twins_test.go      check 4: English pages and Chinese twins match in structure
//	testnames_test.go  check 5: every test, benchmark and fuzz target named exists,
//	                   and a chapter page names every test of its version
//	generated_test.go  check 6: blocks copied from a command match its output
//	                   (go test ./docs -run TestRepositoryDocs -update rewrites them)
//
// Each file also tests its check against fixtures in testdata/, so that every
// check is shown to fail when it should. TestRepositoryDocs below is the one
// that runs the checks over the real documentation.

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// repoRoot is the repository root as seen from this package: go test runs
// with the package directory, docs/, as its working directory.
const repoRoot = ".."

// repo is one checkout the checks look at: the real repository, or a fixture
// tree under testdata/. Parsed files are cached because anchor checks parse
// link targets that may be visited many times.
type repo struct {
	root  string
	cache map[string]*document
}

func newRepo(root string) *repo {
	return &repo{root: root, cache: make(map[string]*document)}
}

// doc parses the Markdown file at path (a path usable from the working
// directory, such as "../docs/v0.1.md").
func (r *repo) doc(path string) (*document, error) {
	path = filepath.Clean(path)
	if d, ok := r.cache[path]; ok {
		return d, nil
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	d := parseMarkdown(r.name(path), string(src))
	r.cache[path] = d
	return d, nil
}

// name is how a file is shown in messages: relative to the repository root,
// with forward slashes, so "docs/v0.1.md" reads the same on every system.
func (r *repo) name(path string) string {
	rel, err := filepath.Rel(r.root, path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}

// markdownFiles lists the documentation the checks cover: every Markdown file
// under docs/ except fixtures (any testdata directory), then the root
// README.md if there is one yet.
func (r *repo) markdownFiles() ([]string, error) {
	var files []string
	err := filepath.WalkDir(filepath.Join(r.root, "docs"), func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && e.Name() == "testdata" {
			return filepath.SkipDir
		}
		if !e.IsDir() && filepath.Ext(path) == ".md" {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	readme := filepath.Join(r.root, "README.md")
	if _, err := os.Stat(readme); err == nil {
		files = append(files, readme)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return files, nil
}

// TestRepositoryDocs runs every check over the real documentation. A
// failure names the file and line to fix.
func TestRepositoryDocs(t *testing.T) {
	r := newRepo(repoRoot)
	files, err := r.markdownFiles()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(repoRoot, "README.md")); err != nil {
		t.Logf("no root README.md yet: only docs/ is checked")
	}

	t.Run("links", func(t *testing.T) {
		for _, f := range files {
			report(t, r.checkLinksIn(f))
		}
	})
	t.Run("make targets", func(t *testing.T) {
		report(t, r.checkMakeTargets(files, filepath.Join(repoRoot, "Makefile")))
	})
	t.Run("code paths", func(t *testing.T) {
		for _, f := range files {
			report(t, r.checkCodePathsIn(f))
		}
	})
	t.Run("twins", func(t *testing.T) {
		report(t, r.checkTwins(filepath.Join(repoRoot, "docs")))
	})
	t.Run("twin figures", func(t *testing.T) {
		report(t, r.checkFigures(filepath.Join(repoRoot, "docs")))
	})
	t.Run("test names", func(t *testing.T) {
		names, err := r.testNames()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			report(t, r.checkTestNamesIn(f, names))
			report(t, r.checkChapterNamesItsTests(f))
		}
	})
	t.Run("generated blocks", func(t *testing.T) {
		for _, f := range files {
			report(t, r.checkGeneratedIn(f, runScript, *update))
		}
	})
}

// report fails t once per problem, so every broken place is listed in one run.
func report(t *testing.T, problems []string) {
	t.Helper()
	for _, p := range problems {
		t.Error(p)
	}
}
