package docs

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Check 4: every English page and its Chinese twin match in structure.
//
// Every chapter page docs/vX.md has a twin docs/zh/vX.md and the other way
// round; so do README.md and glossary.md. Twins have the same sequence of
// heading levels and the same sequence of fenced code blocks by language.
// Commands and their output are never translated, so sh, bash, shell, console
// and text blocks are identical byte for byte; go blocks may translate their
// comments but not their code; mermaid blocks may translate labels but keep
// their shape, so they have the same number of lines. Only the first mismatch
// of a pair is reported: after one, the rest usually follows from it.

// verbatimLangs are the block languages twins must share byte for byte.
var verbatimLangs = map[string]bool{"sh": true, "bash": true, "shell": true, "console": true, "text": true}

// twinNames lists the pages in dir that must have a twin: chapter pages
// (v*.md), README.md and glossary.md.
func twinNames(dir string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "v*.md"))
	if err != nil {
		return nil, err
	}
	for _, n := range []string{"README.md", "glossary.md"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			names = append(names, n)
		}
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	return names, nil
}

// checkTwins pairs the pages in docsDir with those in docsDir/zh and returns
// a problem for every page without a twin and for every pair that differs.
func (r *repo) checkTwins(docsDir string) []string {
	zhDir := filepath.Join(docsDir, "zh")
	en, err := twinNames(docsDir)
	if err != nil {
		return []string{err.Error()}
	}
	zh, err := twinNames(zhDir)
	if err != nil {
		return []string{err.Error()}
	}
	all := append(slices.Clone(en), zh...)
	slices.Sort(all)
	var problems []string
	for _, n := range slices.Compact(all) {
		enPath, zhPath := filepath.Join(docsDir, n), filepath.Join(zhDir, n)
		switch {
		case !slices.Contains(zh, n):
			problems = append(problems, fmt.Sprintf("%s has no Chinese twin %s", r.name(enPath), r.name(zhPath)))
		case !slices.Contains(en, n):
			problems = append(problems, fmt.Sprintf("%s has no English twin %s", r.name(zhPath), r.name(enPath)))
		default:
			e, err := r.doc(enPath)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			z, err := r.doc(zhPath)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			if p := compareTwins(e, z); p != "" {
				problems = append(problems, p)
			}
		}
	}
	return problems
}

// compareTwins returns the first structural difference between an English
// page and its Chinese twin, or "".
func compareTwins(en, zh *document) string {
	if p := compareHeadings(en, zh); p != "" {
		return p
	}
	if p := compareBlockLangs(en, zh); p != "" {
		return p
	}
	for i := range en.blocks {
		if p := compareBlock(en, zh, i); p != "" {
			return p
		}
	}
	return ""
}

func (h heading) String() string { return strings.Repeat("#", h.level) + " " + h.text }

func compareHeadings(en, zh *document) string {
	for i := 0; i < len(en.headings) || i < len(zh.headings); i++ {
		switch {
		case i == len(zh.headings):
			h := en.headings[i]
			return fmt.Sprintf("%s:%d: heading %d %q has no twin: %s has %d headings", en.name, h.line, i+1, h, zh.name, len(zh.headings))
		case i == len(en.headings):
			h := zh.headings[i]
			return fmt.Sprintf("%s:%d: heading %d %q has no twin: %s has %d headings", zh.name, h.line, i+1, h, en.name, len(en.headings))
		case en.headings[i].level != zh.headings[i].level:
			e, z := en.headings[i], zh.headings[i]
			return fmt.Sprintf("%s:%d: heading %d is %q, but its twin at %s:%d is %q", en.name, e.line, i+1, e, zh.name, z.line, z)
		}
	}
	return ""
}

// fenceLabel shows a block's language the way it is written: ```go.
func fenceLabel(b codeBlock) string { return "```" + b.lang }

func compareBlockLangs(en, zh *document) string {
	for i := 0; i < len(en.blocks) || i < len(zh.blocks); i++ {
		switch {
		case i == len(zh.blocks):
			b := en.blocks[i]
			return fmt.Sprintf("%s:%d: code block %d (%s) has no twin: %s has %d code blocks", en.name, b.line, i+1, fenceLabel(b), zh.name, len(zh.blocks))
		case i == len(en.blocks):
			b := zh.blocks[i]
			return fmt.Sprintf("%s:%d: code block %d (%s) has no twin: %s has %d code blocks", zh.name, b.line, i+1, fenceLabel(b), en.name, len(en.blocks))
		case en.blocks[i].lang != zh.blocks[i].lang:
			e, z := en.blocks[i], zh.blocks[i]
			return fmt.Sprintf("%s:%d: code block %d is %s, but its twin at %s:%d is %s", en.name, e.line, i+1, fenceLabel(e), zh.name, z.line, fenceLabel(z))
		}
	}
	return ""
}

// compareBlock compares block i of two twins, whose languages already match.
func compareBlock(en, zh *document, i int) string {
	e, z := en.blocks[i], zh.blocks[i]
	switch {
	case verbatimLangs[e.lang]:
		return diffLines(en, zh, i, numbered(e), numbered(z))
	case e.lang == "go":
		return diffLines(en, zh, i, goCode(e), goCode(z))
	case e.lang == "mermaid" && len(e.lines) != len(z.lines):
		return fmt.Sprintf("%s:%d: mermaid block %d has %d lines, but its twin at %s:%d has %d",
			en.name, e.line, i+1, len(e.lines), zh.name, z.line, len(z.lines))
	}
	return ""
}

// numberedLine is a line of a code block with its line in the file.
type numberedLine struct {
	line int
	text string
}

func numbered(b codeBlock) []numberedLine {
	out := make([]numberedLine, len(b.lines))
	for i, l := range b.lines {
		out[i] = numberedLine{line: b.line + 1 + i, text: l}
	}
	return out
}

// diffLines reports the first line where the blocks numbered i of two twins
// differ; a and b are the lines that must match.
func diffLines(en, zh *document, i int, a, b []numberedLine) string {
	end := func(d *document) numberedLine {
		blk := d.blocks[i]
		return numberedLine{line: blk.line + len(blk.lines) + 1, text: "(end of block)"}
	}
	for j := 0; j < len(a) || j < len(b); j++ {
		x, y := end(en), end(zh)
		if j < len(a) {
			x = a[j]
		}
		if j < len(b) {
			y = b[j]
		}
		if x.text != y.text {
			return fmt.Sprintf("%s:%d: %s block %d differs from its twin at %s:%d: %q vs %q",
				en.name, x.line, en.blocks[i].lang, i+1, zh.name, y.line, x.text, y.text)
		}
	}
	return ""
}

// goCode returns the code of a go block without its comments, which may be
// translated. A line that held only a comment is dropped; the spaces gofmt
// puts before a trailing comment are trimmed. String, raw string and rune
// literals are skipped whole, so the "//" in "http://…" stays code.
func goCode(b codeBlock) []numberedLine {
	var out []numberedLine
	inComment, inRaw := false, false // both may span lines
	for i, line := range b.lines {
		var code strings.Builder
		hadComment := inComment
		for j := 0; j < len(line); j++ {
			rest := line[j:]
			switch {
			case inComment:
				if strings.HasPrefix(rest, "*/") {
					inComment = false
					j++
				}
			case inRaw:
				code.WriteByte(line[j])
				inRaw = line[j] != '`'
			case strings.HasPrefix(rest, "//"):
				hadComment = true
				j = len(line)
			case strings.HasPrefix(rest, "/*"):
				hadComment, inComment = true, true
				j++
			case line[j] == '`':
				code.WriteByte('`')
				inRaw = true
			case line[j] == '"' || line[j] == '\'':
				end := quoteEnd(line, j)
				code.WriteString(line[j : end+1])
				j = end
			default:
				code.WriteByte(line[j])
			}
		}
		text := strings.TrimRight(code.String(), " \t")
		if hadComment && strings.TrimSpace(text) == "" {
			continue
		}
		out = append(out, numberedLine{line: b.line + 1 + i, text: text})
	}
	return out
}

// quoteEnd returns the index of the quote closing the literal that opens at
// line[start], honouring backslash escapes, or the last index of the line if
// the literal is not closed there.
func quoteEnd(line string, start int) int {
	q := line[start]
	for j := start + 1; j < len(line); j++ {
		switch line[j] {
		case '\\':
			j++
		case q:
			return j
		}
	}
	return len(line) - 1
}

func TestTwinCheckAcceptsMatchingTwins(t *testing.T) {
	r := newRepo("testdata/twins/good")
	assert.Empty(t, r.checkTwins("testdata/twins/good"))

	// The Go blocks match only because comments are set aside: make sure
	// they were compared at all, and what was compared.
	en, err := r.doc("testdata/twins/good/v0.1.md")
	require.NoError(t, err)
	var code []string
	for _, l := range goCode(en.blocks[0]) {
		code = append(code, l.text)
	}
	assert.Equal(t, []string{
		"func (s *Server) Start() {",
		`	addr := fmt.Sprintf("%s:%d", s.IP, s.Port)`,
		`	home := "http://example.com//x"`,
		"	raw := `// a raw string, not a comment`",
		"	_, _, _ = addr, home, raw",
		"}",
	}, code)
}

func TestTwinCheckReportsTheFirstMismatchOfEachPair(t *testing.T) {
	r := newRepo("testdata/twins/bad")
	assert.Equal(t, []string{
		`README.md has no Chinese twin zh/README.md`,
		`v1-levels.md:5: heading 3 is "### Three", but its twin at zh/v1-levels.md:5 is "## 三"`,
		`zh/v2-extra-heading.md:5: heading 3 "## 三" has no twin: v2-extra-heading.md has 2 headings`,
		"v3-langs.md:7: code block 2 is ```go, but its twin at zh/v3-langs.md:7 is ```text",
		`v4-command.md:5: console block 1 differs from its twin at zh/v4-command.md:5: "ok  \tzinx/v0.1/znet" vs "ok  \tzinx/v0.1/znet # 通过"`,
		`v5-go.md:6: go block 1 differs from its twin at zh/v5-go.md:6: "\ts.ln.Close()" vs "\ts.listener.Close()"`,
		`v6-mermaid.md:3: mermaid block 1 has 3 lines, but its twin at zh/v6-mermaid.md:3 has 2`,
		`v7-orphan.md has no Chinese twin zh/v7-orphan.md`,
		`zh/v8-orphan.md has no English twin v8-orphan.md`,
		`v9-short.md:5: sh block 1 differs from its twin at zh/v9-short.md:5: "make b" vs "(end of block)"`,
	}, r.checkTwins("testdata/twins/bad"))
}
