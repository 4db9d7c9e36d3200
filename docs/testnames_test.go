package docs

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Check 5: every test, benchmark and fuzz target the docs name exists.
//
// A test table that lists a test nobody wrote, or an experiment that runs
// `-run TestGone`, passes silently and teaches nothing. A code span that is
// exactly a test name (`TestStopWithLiveConnections`) must be a func declared
// in some _test.go file of the repository. In shell blocks, the pattern
// after -run, -bench or -fuzz, when it is a plain name, must occur in the
// name of at least one: go test matches those patterns anywhere in the name,
// so `-run TestAcceptErrorsBackOff` stands for a longer name. Test files
// under testdata directories and hidden directories do not count.
//
// The other way round, a chapter page docs/vX.md names every test, benchmark
// and fuzz target declared under vX/ (TestMain aside), so that a test added
// to a version is also explained on its page: a table that silently misses a
// test is drift too.

var (
	// testNameRE matches a name go test would run: Test, Benchmark or Fuzz,
	// then an upper-case letter, a digit or '_' (Testing is not a test).
	testNameRE = regexp.MustCompile(`^(?:Test|Benchmark|Fuzz)[A-Z0-9_][A-Za-z0-9_]*$`)

	// testFuncRE finds the declarations in a _test.go file.
	testFuncRE = regexp.MustCompile(`(?m)^func ((?:Test|Benchmark|Fuzz)[A-Za-z0-9_]*)\(`)

	// runFlagRE matches a go test flag whose value names tests.
	runFlagRE = regexp.MustCompile(`^-(?:test\.)?(?:run|bench|fuzz)(?:=(.*))?$`)
)

// testNames returns every test, benchmark and fuzz target declared under the
// repository root.
func (r *repo) testNames() (map[string]bool, error) {
	names := make(map[string]bool)
	found, err := r.testsUnder(r.root)
	for name := range found {
		names[name] = true
	}
	return names, err
}

// testsUnder returns every test, benchmark and fuzz target declared under
// dir, each with the file that declares it, relative to the repository root.
func (r *repo) testsUnder(dir string) (map[string]string, error) {
	names := make(map[string]string)
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && path != dir && (e.Name() == "testdata" || strings.HasPrefix(e.Name(), ".")) {
			return filepath.SkipDir
		}
		if e.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range testFuncRE.FindAllStringSubmatch(string(src), -1) {
			names[m[1]] = r.name(path)
		}
		return nil
	})
	return names, err
}

// checkChapterNamesItsTests returns a problem for every test declared under
// a version directory that the version's chapter page does not name, in a
// code span or as a go test pattern. Pages without a version directory, and
// version directories without a page, are left alone.
func (r *repo) checkChapterNamesItsTests(page string) []string {
	version := strings.TrimSuffix(filepath.Base(page), ".md")
	dir := filepath.Join(r.root, version)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() || !strings.HasPrefix(version, "v") {
		return nil
	}
	d, err := r.doc(page)
	if err != nil {
		return []string{err.Error()}
	}
	declared, err := r.testsUnder(dir)
	if err != nil {
		return []string{err.Error()}
	}
	named := make(map[string]bool)
	for _, c := range citedTests(d) {
		named[c.name] = true
	}
	var problems []string
	for name, file := range declared {
		if name != "TestMain" && !named[name] {
			problems = append(problems, fmt.Sprintf("%s: %s declares %s, which the page does not name: say what it proves", d.name, file, name))
		}
	}
	slices.Sort(problems)
	return problems
}

// citedTest is a test name the docs use, and how: exactly (a code span) or
// as a go test pattern (a -run value), which any longer name may satisfy.
type citedTest struct {
	line    int
	name    string
	pattern bool
}

// citedTests finds the test names in a document's code spans and in the
// -run, -bench and -fuzz flags of its shell blocks.
func citedTests(d *document) []citedTest {
	var cited []citedTest
	for _, s := range d.spans {
		if testNameRE.MatchString(s.text) {
			cited = append(cited, citedTest{line: s.line, name: s.text})
		}
	}
	for _, b := range d.blocks {
		if !shellLangs[b.lang] {
			continue
		}
		for i, l := range b.lines {
			for _, cmd := range shellCommands(l) {
				for j, w := range cmd {
					m := runFlagRE.FindStringSubmatch(w)
					if m == nil {
						continue
					}
					value := m[1]
					if !strings.Contains(w, "=") && j+1 < len(cmd) {
						value = cmd[j+1]
					}
					if testNameRE.MatchString(value) {
						cited = append(cited, citedTest{line: b.line + 1 + i, name: value, pattern: true})
					}
				}
			}
		}
	}
	slices.SortStableFunc(cited, func(a, b citedTest) int { return a.line - b.line })
	return cited
}

// checkTestNamesIn returns a problem for every test the Markdown file at
// path names that names does not hold.
func (r *repo) checkTestNamesIn(path string, names map[string]bool) []string {
	d, err := r.doc(path)
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	for _, c := range citedTests(d) {
		switch {
		case !c.pattern && !names[c.name]:
			problems = append(problems, fmt.Sprintf("%s:%d: %s is not a test, benchmark or fuzz target of the repository", d.name, c.line, c.name))
		case c.pattern && !anyContains(names, c.name):
			problems = append(problems, fmt.Sprintf("%s:%d: the pattern %s matches no test, benchmark or fuzz target of the repository", d.name, c.line, c.name))
		}
	}
	return problems
}

func anyContains(names map[string]bool, part string) bool {
	for n := range names {
		if strings.Contains(n, part) {
			return true
		}
	}
	return false
}

func TestChapterPageMustNameEveryTestOfItsVersion(t *testing.T) {
	r := newRepo("testdata/testnames")
	assert.Equal(t, []string{
		"docs/v0.1.md: v0.1/znet/server_test.go declares FuzzReadMsg, which the page does not name: say what it proves",
	}, r.checkChapterNamesItsTests("testdata/testnames/docs/v0.1.md"))
	assert.Empty(t, r.checkChapterNamesItsTests("testdata/testnames/docs/chapter.md"), "not a chapter page")
}

func TestTestNamesAreFoundOutsideTestdata(t *testing.T) {
	names, err := newRepo("testdata/testnames").testNames()
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"TestEchoRoundTrip": true, "TestStopWaits": true, "BenchmarkEcho": true, "FuzzReadMsg": true}, names)
}

func TestTestNameCheckReportsMissingTests(t *testing.T) {
	r := newRepo("testdata/testnames")
	names, err := r.testNames()
	require.NoError(t, err)
	assert.Equal(t, []string{
		"docs/chapter.md:20: TestEchoRoundtrip is not a test, benchmark or fuzz target of the repository",
		"docs/chapter.md:21: TestInAComment is not a test, benchmark or fuzz target of the repository",
		"docs/chapter.md:22: TestOnlyInTestdata is not a test, benchmark or fuzz target of the repository",
		"docs/chapter.md:25: the pattern TestStopDoesNotWait matches no test, benchmark or fuzz target of the repository",
		"docs/chapter.md:26: the pattern BenchmarkGone matches no test, benchmark or fuzz target of the repository",
	}, r.checkTestNamesIn("testdata/testnames/docs/chapter.md", names))
}
