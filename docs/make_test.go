package docs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Check 2: every `make` target the docs mention exists in the Makefile.
//
// Commands are looked for in inline code spans and in fenced blocks that
// hold shell commands or their output (sh, bash, shell, console, zsh, text,
// or no language). Go blocks are left alone: "// make sure …" is a comment,
// not a command. A target exists if the Makefile has an explicit rule for it,
// lists it as a .PHONY prerequisite, or has a pattern rule such as "test-%"
// that matches it with a non-empty stem. When the Makefile declares VERSIONS,
// a stem that looks like a version must be one of them, so `make test-v0.2`
// is caught although "test-%" matches it.

// makefile is what the check knows about a Makefile's targets.
type makefile struct {
	explicit map[string]bool
	patterns []string // pattern rule targets such as "test-%"
	versions []string // the VERSIONS list, nil if the Makefile has none
}

var (
	// One or more targets, then a single ':' that does not start ":=".
	ruleRE = regexp.MustCompile(`^([A-Za-z0-9_.%/-]+(?:\s+[A-Za-z0-9_.%/-]+)*)\s*:(?:[^=]|$)`)

	// A variable assignment of any flavour: =, :=, ::=, :::=, ?=, +=, !=.
	assignRE = regexp.MustCompile(`^\s*(?:export\s+|override\s+)?([A-Za-z0-9_.-]+)\s*(=|:{1,3}=|\?=|\+=|!=)\s*(.*)$`)

	// The two idiomatic ways to derive rule names from VERSIONS, once
	// $(VERSIONS) itself has been expanded: $(addprefix test-,v0.1 v0.5)
	// and the substitution reference $(VERSIONS:%=test-%).
	addprefixRE = regexp.MustCompile(`\$\(addprefix ([^,()]*),([^()]*)\)`)
	substRefRE  = regexp.MustCompile(`\$\(VERSIONS:%=([^()]*)\)`)
)

// parseMakefile reads the rules of a Makefile. It understands explicit and
// pattern rules, several targets per line, continuation lines, .PHONY
// prerequisites, and the VERSIONS variable; it does not follow include or
// $(eval …).
func parseMakefile(src string) *makefile {
	mk := &makefile{explicit: make(map[string]bool)}
	lines := logicalLines(src)
	for _, line := range lines {
		if m := assignRE.FindStringSubmatch(line); m != nil && m[1] == "VERSIONS" {
			if m[2] != "+=" {
				mk.versions = nil
			}
			value, _, _ := strings.Cut(m[3], "#")
			mk.versions = append(mk.versions, strings.Fields(value)...)
		}
	}
	inDefine := false
	for _, line := range lines {
		switch word := firstWord(line); {
		case word == "define":
			inDefine = true
			continue
		case word == "endef":
			inDefine = false
			continue
		case inDefine || strings.HasPrefix(line, "\t") || assignRE.MatchString(line):
			continue // a recipe line or a variable, not a rule
		}
		line, _, _ = strings.Cut(line, "#")
		line = mk.expandVersions(line)
		m := ruleRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, target := range strings.Fields(m[1]) {
			switch {
			case target == ".PHONY":
				// A phony target is a target, even if its rule comes from
				// something this parser does not follow.
				_, prereqs, _ := strings.Cut(line, ":")
				for _, p := range strings.Fields(prereqs) {
					mk.explicit[p] = true
				}
			case strings.HasPrefix(target, "."):
				// .DEFAULT_GOAL, .SUFFIXES and friends are not targets to run.
			case strings.Contains(target, "%"):
				mk.patterns = append(mk.patterns, target)
			default:
				mk.explicit[target] = true
			}
		}
	}
	return mk
}

// logicalLines joins lines ending in a backslash with the next one.
func logicalLines(src string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		if strings.HasSuffix(line, "\\") {
			cur.WriteString(strings.TrimSuffix(line, "\\"))
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(line)
		out = append(out, cur.String())
		cur.Reset()
	}
	return out
}

// expandVersions expands $(VERSIONS) and the two derived forms addprefixRE
// and substRefRE describe, so that rules named through them are seen.
func (mk *makefile) expandVersions(line string) string {
	if mk.versions == nil {
		return line
	}
	all := strings.Join(mk.versions, " ")
	line = substRefRE.ReplaceAllStringFunc(line, func(ref string) string {
		pattern := substRefRE.FindStringSubmatch(ref)[1]
		names := make([]string, len(mk.versions))
		for i, v := range mk.versions {
			names[i] = strings.Replace(pattern, "%", v, 1)
		}
		return strings.Join(names, " ")
	})
	line = strings.NewReplacer("$(VERSIONS)", all, "${VERSIONS}", all).Replace(line)
	return addprefixRE.ReplaceAllStringFunc(line, func(call string) string {
		m := addprefixRE.FindStringSubmatch(call)
		var names []string
		for _, w := range strings.Fields(m[2]) {
			names = append(names, m[1]+w)
		}
		return strings.Join(names, " ")
	})
}

// missing returns why target is not a target of mk, or "" if it is one.
func (mk *makefile) missing(target string) string {
	if mk.explicit[target] {
		return ""
	}
	why := "is not defined in the Makefile"
	for _, p := range mk.patterns {
		prefix, suffix, _ := strings.Cut(p, "%")
		if len(target) <= len(prefix)+len(suffix) || !strings.HasPrefix(target, prefix) || !strings.HasSuffix(target, suffix) {
			continue
		}
		stem := target[len(prefix) : len(target)-len(suffix)]
		if mk.versions == nil || !versionLikeRE.MatchString(stem) || slices.Contains(mk.versions, stem) {
			return ""
		}
		why = fmt.Sprintf("matches the Makefile's %q, but %q is not in VERSIONS (%s)", p, stem, strings.Join(mk.versions, " "))
	}
	return why
}

// versionLikeRE matches a pattern stem that names a version, such as "v0.2"
// in test-v0.2; only such stems must be in VERSIONS, so that a non-version
// pattern rule such as "%.out" still matches freely.
var versionLikeRE = regexp.MustCompile(`^v[0-9]`)

// checkMakeTargets returns a problem for every make target named in the
// Markdown files that the Makefile at makefilePath does not define. A missing
// Makefile is a problem only if some file names a target.
func (r *repo) checkMakeTargets(files []string, makefilePath string) []string {
	var problems []string
	type use struct {
		name string
		makeCall
	}
	var uses []use
	for _, f := range files {
		d, err := r.doc(f)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		for _, c := range makeCalls(d) {
			uses = append(uses, use{d.name, c})
		}
	}
	if len(uses) == 0 {
		return problems
	}
	src, err := os.ReadFile(makefilePath)
	if errors.Is(err, fs.ErrNotExist) {
		return append(problems, fmt.Sprintf("%s does not exist, but %s:%d runs `make %s`", r.name(makefilePath), uses[0].name, uses[0].line, uses[0].target))
	}
	if err != nil {
		return append(problems, err.Error())
	}
	mk := parseMakefile(string(src))
	for _, u := range uses {
		if why := mk.missing(u.target); why != "" {
			problems = append(problems, fmt.Sprintf("%s:%d: make target %q %s", u.name, u.line, u.target, why))
		}
	}
	return problems
}

func TestParseMakefile(t *testing.T) {
	src, err := os.ReadFile("testdata/make/Makefile")
	require.NoError(t, err)
	mk := parseMakefile(string(src))

	assert.Equal(t, []string{"v0.1", "v0.5", "v0.8", "v0.9", "v1.0-epoll"}, mk.versions)
	assert.Equal(t, []string{"test-%", "%.out"}, mk.patterns)
	var explicit []string
	for target := range mk.explicit {
		explicit = append(explicit, target)
	}
	slices.Sort(explicit)
	assert.Equal(t, []string{
		"all",
		"bench-v0.1", "bench-v0.5", "bench-v0.8", "bench-v0.9", "bench-v1.0-epoll",
		"diff", "grade", "lint",
		"run-v0.1", "run-v0.5", "run-v0.8", "run-v0.9", "run-v1.0-epoll",
		"test",
	}, explicit)
}

func TestPatternStemsAreFreeWithoutVersions(t *testing.T) {
	mk := parseMakefile("test-%:\n\tgo test ./$*/...\n")
	assert.Empty(t, mk.missing("test-anything"))
	assert.NotEmpty(t, mk.missing("test-"), "a stem is never empty")
	assert.NotEmpty(t, mk.missing("lint"))
}

func TestMakeTargetCheckReportsUnknownTargets(t *testing.T) {
	r := newRepo("testdata/make")
	got := r.checkMakeTargets([]string{"testdata/make/targets.md"}, "testdata/make/Makefile")
	assert.Equal(t, []string{
		`targets.md:24: make target "tset" is not defined in the Makefile`,
		`targets.md:25: make target "test-v0.2" matches the Makefile's "test-%", but "v0.2" is not in VERSIONS (v0.1 v0.5 v0.8 v0.9 v1.0-epoll)`,
		`targets.md:26: make target "run-v0.2" is not defined in the Makefile`,
		`targets.md:27: make target "fake" is not defined in the Makefile`,
		`targets.md:30: make target "deploy" is not defined in the Makefile`,
	}, got)
}

func TestMakeTargetCheckNeedsAMakefile(t *testing.T) {
	r := newRepo("testdata/make")
	got := r.checkMakeTargets([]string{"testdata/make/targets.md"}, "testdata/make/no-such-Makefile")
	assert.Equal(t, []string{"no-such-Makefile does not exist, but targets.md:3 runs `make test`"}, got)
}
