package docs

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Finding the make commands of check 2 in the docs: which code spans and
// fenced blocks hold shell, and which words of a shell line are make targets.
// make_test.go then looks the targets up in the Makefile.

// makeCall is one target named by a `make …` command in the docs.
type makeCall struct {
	line   int
	target string
}

// shellLangs are the fenced-block languages whose lines may run make.
var shellLangs = map[string]bool{"": true, "sh": true, "bash": true, "shell": true, "console": true, "zsh": true, "text": true}

// makeCalls finds every make target the document names.
func makeCalls(d *document) []makeCall {
	var calls []makeCall
	for _, s := range d.spans {
		for _, t := range makeTargets(s.text) {
			calls = append(calls, makeCall{line: s.line, target: t})
		}
	}
	for _, b := range d.blocks {
		if !shellLangs[b.lang] {
			continue
		}
		for i, l := range b.lines {
			for _, t := range makeTargets(l) {
				calls = append(calls, makeCall{line: b.line + 1 + i, target: t})
			}
		}
	}
	// Spans and blocks were gathered apart; report in reading order.
	slices.SortStableFunc(calls, func(a, b makeCall) int { return a.line - b.line })
	return calls
}

// redirectRE matches a redirection word: ">", "2>", ">>out", "2>&1", "<in".
var redirectRE = regexp.MustCompile(`^\d*(?:>>?|<)(&\d+)?(.*)$`)

// makeTargets returns the targets of every make command on one line of
// shell: `make diff FROM=v0.8 TO=v0.9` names "diff", and `cd x && make a b`
// names "a" and "b". A leading "$ " prompt and VAR=value words are skipped.
// A command using -C or -f runs another Makefile, so its targets are not
// ours to check; targets written as placeholders (test-vX, test-<version>)
// are skipped too.
func makeTargets(line string) []string {
	var targets []string
	for _, cmd := range shellCommands(line) {
		for len(cmd) > 0 && (cmd[0] == "$" || strings.Contains(cmd[0], "=")) {
			cmd = cmd[1:]
		}
		if len(cmd) == 0 || cmd[0] != "make" {
			continue
		}
		var found []string
	args:
		for i := 1; i < len(cmd); i++ {
			w := cmd[i]
			switch {
			case w == "-C" || w == "-f" || strings.HasPrefix(w, "-C") || strings.HasPrefix(w, "-f") ||
				strings.HasPrefix(w, "--directory") || strings.HasPrefix(w, "--file") || strings.HasPrefix(w, "--makefile"):
				found = nil
				break args
			case (w == "-j" || w == "-l") && i+1 < len(cmd) && strings.Trim(cmd[i+1], "0123456789.") == "":
				i++ // "-j 4": the number belongs to the flag
			case strings.HasPrefix(w, "-") || strings.Contains(w, "="):
				// another flag, or a variable such as FROM=v0.8
			case redirectRE.MatchString(w):
				if m := redirectRE.FindStringSubmatch(w); m[1] == "" && m[2] == "" {
					i++ // "> file": the next word is the file
				}
			case isPlaceholder(w):
			default:
				found = append(found, w)
			}
		}
		targets = append(targets, found...)
	}
	return targets
}

// placeholderRE matches what a reader is meant to fill in or expand: <id>,
// vX, v0.x, a glob, a variable, or an ellipsis.
var placeholderRE = regexp.MustCompile(`[<>*?\[\]{}$%]|\bv(?:X|N|0\.[xX])\b|\.\.\.`)

// isPlaceholder reports whether a word (a make target here, a path in
// paths_test.go) is a placeholder rather than a real name.
func isPlaceholder(w string) bool { return placeholderRE.MatchString(w) }

// shellCommands splits one line of shell into commands at ;, &&, || and |,
// and each command into words. Quotes group words (ARGS="hint v0.1-bind" is
// one word) and a '#' starting a word begins a comment.
func shellCommands(line string) [][]string {
	var cmds [][]string
	var words []string
	var w strings.Builder
	inWord := false
	endWord := func() {
		if inWord {
			words = append(words, w.String())
			w.Reset()
			inWord = false
		}
	}
	endCmd := func() {
		endWord()
		if len(words) > 0 {
			cmds = append(cmds, words)
		}
		words = nil
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			endWord()
		case c == '#' && !inWord:
			endCmd()
			return cmds
		case c == ';' || c == '|' || (c == '&' && i+1 < len(line) && line[i+1] == '&'):
			endCmd()
			if i+1 < len(line) && line[i+1] == c {
				i++
			}
		case c == '\'' || c == '"':
			end := strings.IndexByte(line[i+1:], c)
			if end < 0 {
				end = len(line) - i - 1
			}
			w.WriteString(line[i+1 : i+1+end])
			inWord = true
			i += end + 1
		case c == '\\' && i+1 < len(line):
			i++
			w.WriteByte(line[i])
			inWord = true
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	endCmd()
	return cmds
}

func TestMakeTargetsOnALine(t *testing.T) {
	for line, want := range map[string][]string{
		"make":                                nil,
		"make test":                           {"test"},
		"$ make diff FROM=v0.8 TO=v0.9":       {"diff"},
		`make grade ARGS="hint v0.1-bind"`:    {"grade"},
		"cd x && make a b; make c || make d":  {"a", "b", "c", "d"},
		"make -j 4 -k all 2>&1 | tee log":     {"all"},
		"make test > out.txt # and make more": {"test"},
		"make -C v0.1 test":                   nil,
		"make test-<version> run-vX":          nil,
		"make(chan int)":                      nil,
		"// make sure":                        nil,
		"go test ./... # make test":           nil,
	} {
		assert.Equal(t, want, makeTargets(line), line)
	}
}

func TestMakeCallsAreFoundInSpansAndShellBlocks(t *testing.T) {
	d, err := newRepo("testdata/make").doc("testdata/make/targets.md")
	require.NoError(t, err)
	var got []string
	for _, c := range makeCalls(d) {
		got = append(got, fmt.Sprintf("%d:%s", c.line, c.target))
	}
	assert.Equal(t, []string{
		"3:test", "3:test-v0.9", "3:diff", "4:grade",
		"7:lint", "7:run-v0.5", "7:bench-v1.0-epoll", "8:all", "9:test-v0.1", "10:test", "13:x.out",
		"24:tset", "25:test-v0.2", "26:run-v0.2", "27:fake", "30:deploy",
	}, got)
}
