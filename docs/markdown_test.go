package docs

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
)

// This file is a deliberately tiny Markdown scanner. The checks need only to
// know, line by line, what is code and what is prose: fenced code blocks,
// ATX headings, inline code spans and link destinations. A full CommonMark
// parser would be a dependency the repository does not allow and a lot of
// code to trust; the subset below is what the docs are written in.
//
// Known simplifications: only ATX headings ("## Title") count, not setext
// ones (a line underlined with ===); a code span must open and close on one
// line; indented (4-space) code blocks are not recognised, so docs must fence
// their code.

// document is what the checks need from one Markdown file. Everything is
// recorded with the 1-based line it starts on, so that every problem can be
// reported as file:line.
type document struct {
	name     string // path shown in messages, relative to the repository root
	headings []heading
	blocks   []codeBlock
	spans    []codeSpan // inline code outside fenced blocks
	links    []link     // link destinations outside any code
	htmlIDs  []string   // explicit anchors: <a id="…"> or <a name="…">

	anchors map[string]bool // built on first use by hasAnchor
}

// heading is an ATX heading: "## Title" has level 2 and text "Title".
type heading struct {
	line  int
	level int
	text  string
}

// codeBlock is a fenced code block. Its content line i is file line
// line+1+i, because line is where the opening fence is.
type codeBlock struct {
	line  int
	lang  string   // first word of the info string, lower-cased; "" if none
	lines []string // content without the fences, fence indentation removed
}

// codeSpan is the content of one inline code span such as `make test`.
type codeSpan struct {
	line int
	text string
}

// link is the destination of an inline link, an image, a reference
// definition or an HTML href/src attribute.
type link struct {
	line int
	dest string
}

// fence is an open code fence: which character, how many, and how far it is
// indented (content lines lose up to that much indentation, as in CommonMark,
// so a block inside a list item reads the same as one outside it).
type fence struct {
	char   byte
	size   int
	indent int
}

var (
	// A fence is three or more backticks or tildes. Any indentation is
	// accepted because fences inside list items are indented.
	fenceRE = regexp.MustCompile("^( *)(`{3,}|~{3,})(.*)$")

	// An ATX heading: up to three spaces, 1–6 '#', then a space or the end
	// of the line; an optional closing run of '#' is not part of the text.
	headingRE = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)

	// "](dest)" or "](dest "title")": the tail of an inline link or image.
	// dest may be <bracketed> or contain one level of balanced parentheses.
	inlineLinkRE = regexp.MustCompile(`\]\(\s*(<[^>]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)`)

	// "[label]: dest" at the start of a line: a reference definition.
	refDefRE = regexp.MustCompile(`^ {0,3}\[([^\]]+)\]:\s*(<[^>]*>|\S+)`)

	// href="…" and src="…" in raw HTML such as <img src="…">.
	htmlLinkRE = regexp.MustCompile(`<(?:a|img|source)\s[^>]*?\b(?:href|src)="([^"]*)"`)

	// <a id="…"> or <a name="…">: an anchor that is not a heading.
	htmlIDRE = regexp.MustCompile(`<a\s[^>]*?\b(?:id|name)="([^"]*)"`)
)

// parseMarkdown scans src, the content of the file shown as name.
func parseMarkdown(name, src string) *document {
	d := &document{name: name}
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	var open *codeBlock
	var f fence
	for i, text := range lines {
		n := i + 1
		if open != nil {
			if f.closedBy(text) {
				d.blocks = append(d.blocks, *open)
				open = nil
			} else {
				open.lines = append(open.lines, unindent(text, f.indent))
			}
			continue
		}
		if nf, info, ok := openingFence(text); ok {
			f = nf
			open = &codeBlock{line: n, lang: strings.ToLower(firstWord(info))}
			continue
		}
		if m := headingRE.FindStringSubmatch(text); m != nil {
			d.headings = append(d.headings, heading{line: n, level: len(m[1]), text: m[2]})
		}
		prose := d.scanSpans(text, n)
		d.scanLinks(prose, n)
	}
	if open != nil {
		// An unclosed fence runs to the end of the document, as in CommonMark.
		d.blocks = append(d.blocks, *open)
	}
	return d
}

// openingFence reports whether line opens a fenced code block, and returns
// the fence and its info string.
func openingFence(line string) (fence, string, bool) {
	m := fenceRE.FindStringSubmatch(line)
	if m == nil {
		return fence{}, "", false
	}
	info := strings.TrimSpace(m[3])
	if m[2][0] == '`' && strings.Contains(info, "`") {
		// "```x```" on one line is an inline code span, not a fence.
		return fence{}, "", false
	}
	return fence{char: m[2][0], size: len(m[2]), indent: len(m[1])}, info, true
}

// closedBy reports whether line closes the fence: the same character, at
// least as many of it, and nothing but spaces after.
func (f fence) closedBy(line string) bool {
	t := strings.TrimLeft(line, " ")
	n := 0
	for n < len(t) && t[n] == f.char {
		n++
	}
	return n >= f.size && strings.TrimSpace(t[n:]) == ""
}

// unindent removes up to n leading spaces.
func unindent(line string, n int) string {
	for i := 0; i < n && strings.HasPrefix(line, " "); i++ {
		line = line[1:]
	}
	return line
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// scanSpans records the inline code spans on one line and returns the line
// with every span blanked out, so that the link scanner cannot see inside
// code. A span opens with a run of n backticks and closes at the next run of
// exactly n; an unmatched run is literal text. Outside spans, a backslash
// escapes the next character ("\`" is a literal backtick).
func (d *document) scanSpans(line string, n int) string {
	prose := []byte(line)
	for i := 0; i < len(line); {
		switch line[i] {
		case '\\':
			i += 2
			continue
		case '`':
		default:
			i++
			continue
		}
		j := i
		for j < len(line) && line[j] == '`' {
			j++
		}
		end := closingRun(line, j, j-i)
		if end < 0 {
			i = j
			continue
		}
		d.spans = append(d.spans, codeSpan{line: n, text: spanText(line[j:end])})
		stop := end + (j - i)
		for k := i; k < stop; k++ {
			prose[k] = ' '
		}
		i = stop
	}
	return string(prose)
}

// closingRun returns the index of the first run of exactly size backticks at
// or after from, or -1.
func closingRun(line string, from, size int) int {
	for i := from; i < len(line); {
		if line[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(line) && line[j] == '`' {
			j++
		}
		if j-i == size {
			return i
		}
		i = j
	}
	return -1
}

// spanText strips the one space CommonMark allows on each side of a span's
// content; the padding is how a span shows a backtick at its edge.
func spanText(s string) string {
	if len(s) >= 2 && s[0] == ' ' && s[len(s)-1] == ' ' && strings.TrimSpace(s) != "" {
		return s[1 : len(s)-1]
	}
	return s
}

// scanLinks records the link destinations on a line whose code spans have
// already been blanked out.
func (d *document) scanLinks(prose string, n int) {
	if m := refDefRE.FindStringSubmatch(prose); m != nil && !strings.HasPrefix(m[1], "^") {
		d.links = append(d.links, link{line: n, dest: m[2]})
	}
	for _, m := range inlineLinkRE.FindAllStringSubmatchIndex(prose, -1) {
		if m[0] > 0 && prose[m[0]-1] == '\\' {
			continue // "\](" is an escaped bracket, not the end of link text
		}
		d.links = append(d.links, link{line: n, dest: prose[m[2]:m[3]]})
	}
	for _, m := range htmlLinkRE.FindAllStringSubmatch(prose, -1) {
		d.links = append(d.links, link{line: n, dest: m[1]})
	}
	for _, m := range htmlIDRE.FindAllStringSubmatch(prose, -1) {
		d.htmlIDs = append(d.htmlIDs, m[1])
	}
}

// hasAnchor reports whether "#anchor" would land somewhere in the document
// on GitHub: on a heading's slug or on an explicit HTML anchor.
func (d *document) hasAnchor(anchor string) bool {
	if d.anchors == nil {
		d.anchors = make(map[string]bool)
		for _, s := range headingSlugs(d.headings) {
			d.anchors[s] = true
		}
		for _, id := range d.htmlIDs {
			d.anchors[id] = true
		}
	}
	return d.anchors[anchor]
}

// headingSlugs returns the anchors GitHub gives the headings, in order. A
// repeated slug gets "-1", "-2", … appended, exactly as github-slugger does
// it (which is why the loop re-checks: "a-1" may itself already be taken).
func headingSlugs(hs []heading) []string {
	seen := make(map[string]int)
	slugs := make([]string, 0, len(hs))
	for _, h := range hs {
		base := slug(h.text)
		s := base
		for {
			if _, taken := seen[s]; !taken {
				break
			}
			seen[base]++
			s = base + "-" + strconv.Itoa(seen[base])
		}
		seen[s] = 0
		slugs = append(slugs, s)
	}
	return slugs
}

// inHeadingLinkRE matches a link inside heading text; only its text counts
// for the slug, because the slug is made from the rendered heading.
var inHeadingLinkRE = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)

// slug is GitHub's heading anchor: lower-case the text, drop everything but
// letters, marks, digits, connector punctuation ('_'), spaces and '-', then
// turn each space into '-'. CJK characters are letters, so they stay; CJK
// punctuation such as '：' and '（' goes.
func slug(text string) string {
	text = inHeadingLinkRE.ReplaceAllString(text, "$1")
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.Pc):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestScannerSeparatesCodeFromProse(t *testing.T) {
	src := strings.Join([]string{
		"# Title #",                     // 1: closing #s are not text
		"#hashtag is not a heading",     // 2
		"Run `make test` and ``a ` b``", // 3: two spans
		"```go",                         // 4
		"# not a heading",               // 5
		"`not a span` [x](not-a-link)",  // 6
		"```",                           // 7
		"~~~~ text extra words",         // 8: tilde fence, info "text extra words"
		"```",                           // 9: backticks cannot close a tilde fence
		"~~~",                           // 10: too short to close a ~~~~ fence
		"~~~~",                          // 11
		"1. Step:",                      // 12
		"",                              // 13
		"   ```sh",                      // 14: a fence inside a list item
		"   make run-v0.1",              // 15
		"   ```",                        // 16
		"### [Linked](a.md) heading",    // 17
		"```Go",                         // 18: unclosed: runs to the end
		"x",                             // 19
	}, "\n")
	d := parseMarkdown("x.md", src)

	assert.Equal(t, []heading{{1, 1, "Title"}, {17, 3, "[Linked](a.md) heading"}}, d.headings)
	assert.Equal(t, []codeSpan{{3, "make test"}, {3, "a ` b"}}, d.spans)
	assert.Equal(t, []link{{17, "a.md"}}, d.links)
	assert.Equal(t, []codeBlock{
		{line: 4, lang: "go", lines: []string{"# not a heading", "`not a span` [x](not-a-link)"}},
		{line: 8, lang: "text", lines: []string{"```", "~~~"}},
		{line: 14, lang: "sh", lines: []string{"make run-v0.1"}},
		{line: 18, lang: "go", lines: []string{"x"}},
	}, d.blocks)
}

func TestScannerFindsEveryKindOfLink(t *testing.T) {
	d := parseMarkdown("x.md", strings.Join([]string{
		`[a](a.md) and ![b](b.png "title") and [c](<c d.md>) and [e](f(g).md)`,
		`[ref]: r.md "title"`,
		`[^note]: a footnote, not a link`,
		`<img src="i.svg"> <a href="h.md" id="anchor">h</a>`,
		"`[in code](x.md)` \\[escaped\\](x.md) [after code](y.md)",
	}, "\n"))
	assert.Equal(t, []link{
		{1, "a.md"}, {1, "b.png"}, {1, "<c d.md>"}, {1, "f(g).md"},
		{2, "r.md"},
		{4, "i.svg"}, {4, "h.md"},
		{5, "y.md"},
	}, d.links)
	assert.True(t, d.hasAnchor("anchor"))
}

func TestSlugFollowsGitHub(t *testing.T) {
	for text, want := range map[string]string{
		"What the course wrote":           "what-the-course-wrote",
		"V0.1 — echo server":              "v01--echo-server",
		"`SendBuffMsg` (V0.9)":            "sendbuffmsg-v09",
		"read_loop & write_loop":          "read_loop--write_loop",
		"链接管理（ConnManager）":               "链接管理connmanager",
		"为什么会出错？":                         "为什么会出错",
		"See [the glossary](glossary.md)": "see-the-glossary",
	} {
		assert.Equal(t, want, slug(text), text)
	}
	hs := []heading{{text: "Notes"}, {text: "Notes"}, {text: "Notes 1"}, {text: "Notes"}}
	assert.Equal(t, []string{"notes", "notes-1", "notes-1-1", "notes-2"}, headingSlugs(hs))
}
