package docs

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Check 4b: twins quote the same figures.
//
// Every decimal figure (0.85, 1.39, 11.25) in an English page appears in its
// Chinese twin, and the other way round. The pages quote measurements from
// the committed benchmark run in both languages, and a rerun means editing
// both: this catches the twin left behind, which the structural check cannot
// see. Integers are left out, since Chinese may write 10,000 as 一万, and so
// are figures in millions (1.90 million is 190 万); so are version-like
// tokens (v0.8, go1.26.8, 127.0.0.1).

// decimalToken matches a run of digits and dots; decimalFigures keeps those
// with exactly one dot that stand on their own.
var decimalToken = regexp.MustCompile(`\d+(?:\.\d+)+`)

// decimalFigures returns the decimal figures in src, each with the line it
// first appears on.
func decimalFigures(src string) map[string]int {
	figures := map[string]int{}
	for i, line := range strings.Split(src, "\n") {
		for _, m := range decimalToken.FindAllStringIndex(line, -1) {
			tok := line[m[0]:m[1]]
			if strings.Count(tok, ".") != 1 || glued(line, m[0], m[1]) || strings.HasPrefix(line[m[1]:], " million") {
				continue
			}
			if _, seen := figures[tok]; !seen {
				figures[tok] = i + 1
			}
		}
	}
	return figures
}

// glued reports whether the token at line[start:end] is part of a longer
// word: a version (v0.8, go1.26) or a name with digits in it.
func glued(line string, start, end int) bool {
	if start > 0 {
		r := rune(line[start-1])
		if r == '.' || r == '_' || r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return true
		}
	}
	if end < len(line) {
		r := rune(line[end])
		if r == '.' && end+1 < len(line) && line[end+1] >= '0' && line[end+1] <= '9' {
			return true
		}
		if r == '_' || r < unicode.MaxASCII && unicode.IsLetter(r) && r != 'x' {
			return true
		}
	}
	return false
}

// compareFigures returns a problem for every decimal figure one twin quotes
// and the other does not.
func (r *repo) compareFigures(enPath, zhPath string) []string {
	en, err := os.ReadFile(enPath)
	if err != nil {
		return []string{err.Error()}
	}
	zh, err := os.ReadFile(zhPath)
	if err != nil {
		return []string{err.Error()}
	}
	a, b := decimalFigures(string(en)), decimalFigures(string(zh))
	var problems []string
	missing := func(from map[string]int, fromPath string, in map[string]int, inPath string) {
		var toks []string
		for tok := range from {
			if _, ok := in[tok]; !ok {
				toks = append(toks, tok)
			}
		}
		slices.SortFunc(toks, func(x, y string) int { return from[x] - from[y] })
		for _, tok := range toks {
			problems = append(problems, fmt.Sprintf("%s:%d quotes %s, which its twin %s does not: a figure updated in one language only?",
				r.name(fromPath), from[tok], tok, r.name(inPath)))
		}
	}
	missing(a, enPath, b, zhPath)
	missing(b, zhPath, a, enPath)
	return problems
}

// checkFigures runs compareFigures on every pair of twins in docsDir.
func (r *repo) checkFigures(docsDir string) []string {
	names, err := twinNames(docsDir)
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	for _, n := range names {
		zhPath := filepath.Join(docsDir, "zh", n)
		if _, err := os.Stat(zhPath); err != nil {
			continue // the twins check reports it
		}
		problems = append(problems, r.compareFigures(filepath.Join(docsDir, n), zhPath)...)
	}
	return problems
}
