package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// maxLinesPerTest caps the output shown for one failing test: enough for a
// testify diff, short enough that the next failure is still on screen.
const maxLinesPerTest = 40

var (
	// testifyLine matches a testify assertion line once the go test
	// indentation is gone: "\tError:      \tNot equal:" or a continuation
	// with a blank label "\t            \texpected: 1".
	testifyLine = regexp.MustCompile(`^ *\t([^\t]+)\t(.*)$`)
	// frameFile matches the file:line half of a stack frame: an absolute
	// path, indented by a tab (panics, goleak) or spaces (race reports,
	// or anything logged through t.Error):
	// "\t/usr/local/go/src/testing/testing.go:1974 +0x419".
	frameFile = regexp.MustCompile(`^(\s*)((?:/|[A-Za-z]:[\\/]).*:\d+)( \+0x[0-9a-f]+)?$`)
	// goroutineHeader matches the line that introduces a goroutine's
	// stack: in a panic dump, in goleak's report, in a race report.
	goroutineHeader = regexp.MustCompile(`^\s*(goroutine \d+ \[.*\]:|\[?Goroutine \d+ .*:)$`)
	// bareLocation is the "file_test.go:12:" line testify's output hangs
	// under; its Error Trace repeats the location.
	bareLocation = regexp.MustCompile(`^\S+\.go:\d+:$`)
)

// isNoise reports whether a line of go test output carries no information
// for a learner: progress markers and verdict lines the table already shows.
func isNoise(line string) bool {
	t := strings.TrimSpace(line)
	for _, prefix := range []string{"=== RUN", "=== PAUSE", "=== CONT", "=== NAME", "--- FAIL:", "--- PASS:", "--- SKIP:", "exit status "} {
		if strings.HasPrefix(t, prefix) {
			return true
		}
	}
	for _, prefix := range []string{"ok  \t", "FAIL\t", "?   \t"} {
		if strings.HasPrefix(line, prefix) {
			return true
		}
	}
	return t == "PASS" || t == "FAIL"
}

// cleanTestOutput turns one test's raw output into what a learner should
// read: no progress noise, stack frames only from the learner's module,
// paths relative to root, testify blocks aligned, at most
// maxLinesPerTest lines unless full.
func cleanTestOutput(raw []string, root string, full bool) []string {
	var lines []string
	for _, line := range raw {
		if !isNoise(line) {
			lines = append(lines, line)
		}
	}
	lines = trimStacks(lines, root)
	out := make([]string, 0, len(lines))
	for i, line := range lines {
		line = relativize(line, root)
		// go test indents everything a test logs by four spaces.
		line = strings.TrimPrefix(line, "    ")
		if m := testifyLine.FindStringSubmatch(line); m != nil {
			// testify joins the frames of a long Error Trace with
			// "\n\t\t\t"; other tabs in a value are the value's own.
			label, value := m[1], strings.TrimPrefix(m[2], "\t\t\t")
			switch strings.TrimSpace(label) {
			case "Test:":
				continue // the test name is already the heading
			case "Error Trace:":
				if len(out) > 0 {
					out = append(out, "") // a second assertion failed
				}
			}
			line = label + "  " + value
		} else if bareLocation.MatchString(strings.TrimSpace(line)) && i+1 < len(lines) && strings.Contains(lines[i+1], "\tError Trace:") {
			continue
		}
		out = append(out, strings.TrimRight(strings.ReplaceAll(line, "\t", "    "), " "))
	}
	if full {
		return squeezeBlank(out)
	}
	return capLines(squeezeBlank(out), maxLinesPerTest)
}

// cleanBuildOutput makes compiler and vet output readable: without the
// "# package" headers, paths relative to root, capped.
func cleanBuildOutput(raw []string, root string) []string {
	var out []string
	for _, line := range raw {
		if strings.HasPrefix(line, "# ") {
			continue
		}
		out = append(out, strings.ReplaceAll(relativize(line, root), "\t", "    "))
	}
	return capLines(squeezeBlank(out), maxLinesPerTest)
}

// trimStacks drops the stack frames of a panic or goleak dump that are not
// in the learner's module (runtime, testing, dependencies), then goroutines
// left with no frames. What remains points at the learner's code.
func trimStacks(lines []string, root string) []string {
	var kept []string
	for i := 0; i < len(lines); i++ {
		if i+1 < len(lines) {
			if m := frameFile.FindStringSubmatch(lines[i+1]); m != nil {
				// lines[i] is the function, lines[i+1] where it is.
				if inRoot(m[2], root) {
					kept = append(kept, readableFunc(lines[i]), m[1]+m[2])
				}
				i++
				continue
			}
		}
		kept = append(kept, lines[i])
	}
	var out []string
	for i, line := range kept {
		if goroutineHeader.MatchString(line) {
			next := ""
			if i+1 < len(kept) {
				next = strings.TrimSpace(kept[i+1])
			}
			if next == "" || next == "]" || goroutineHeader.MatchString(next) {
				continue
			}
		}
		out = append(out, line)
	}
	return out
}

// readableFunc tidies the function line of a stack frame: the runtime
// escapes dots in import paths ("v0%2e1-bind") and prints raw argument
// words ("(0xc0000e0248?)") that mean nothing to a reader.
func readableFunc(line string) string {
	line = strings.ReplaceAll(line, "%2e", ".")
	if i := strings.LastIndex(line, "("); i > 0 && strings.HasSuffix(line, ")") {
		line = line[:i] + "(...)"
	}
	return line
}

// inRoot reports whether file lies inside the module root.
func inRoot(file, root string) bool {
	if root == "" {
		return false
	}
	prefix := filepath.ToSlash(root) + "/"
	return strings.HasPrefix(filepath.ToSlash(file), prefix)
}

// relativize shortens absolute paths inside root to module-relative ones,
// the form a learner can paste into an editor from the repository root.
func relativize(line, root string) string {
	if root == "" {
		return line
	}
	line = strings.ReplaceAll(line, filepath.ToSlash(root)+"/", "")
	return strings.ReplaceAll(line, root+string(filepath.Separator), "")
}

// squeezeBlank removes leading and trailing blank lines and collapses runs
// of blank lines into one.
func squeezeBlank(lines []string) []string {
	var out []string
	for _, line := range lines {
		if strings.TrimSpace(line) == "" {
			if len(out) == 0 || out[len(out)-1] == "" {
				continue
			}
			line = ""
		}
		out = append(out, line)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// capLines keeps the first n lines and says how many were left out.
func capLines(lines []string, n int) []string {
	if len(lines) <= n {
		return lines
	}
	rest := len(lines) - n
	return append(lines[:n:n], fmt.Sprintf("… %d more line%s", rest, plural(rest)))
}

// plural returns "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
