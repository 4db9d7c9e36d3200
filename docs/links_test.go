package docs

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Check 1: every relative link resolves.
//
// A link's path is taken relative to the Markdown file that contains it (or
// to the repository root if it starts with '/', as on GitHub) and must name
// an existing file or directory inside the repository. A "#anchor" must match
// a heading slug or an <a id> in the target when the target is Markdown; the
// anchor of any other file (such as "#L12" on a .go file) is not checked.
// Links with a scheme (https:, mailto:) are not followed.

// schemeRE matches a URL scheme such as "https:" or "mailto:".
var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// checkLinksIn returns a problem for every link in the Markdown file at path
// that does not resolve.
func (r *repo) checkLinksIn(path string) []string {
	d, err := r.doc(path)
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	for _, l := range d.links {
		if why := r.resolveLink(path, d, l.dest); why != "" {
			problems = append(problems, fmt.Sprintf("%s:%d: link %q %s", d.name, l.line, l.dest, why))
		}
	}
	return problems
}

// resolveLink returns why dest, found in the file at from (parsed as d),
// does not resolve, or "" if it does.
func (r *repo) resolveLink(from string, d *document, dest string) string {
	dest = strings.TrimSuffix(strings.TrimPrefix(dest, "<"), ">")
	if dest == "" || schemeRE.MatchString(dest) {
		return ""
	}
	target, anchor, _ := strings.Cut(dest, "#")
	target, _, _ = strings.Cut(target, "?")
	target, err := url.PathUnescape(target)
	if err != nil {
		return "is not a valid URL path"
	}
	// Anchors to CJK headings may be written percent-encoded.
	if a, err := url.PathUnescape(anchor); err == nil {
		anchor = a
	}

	if target == "" {
		if anchor != "" && !d.hasAnchor(anchor) {
			return "matches no heading in " + d.name
		}
		return ""
	}

	path := filepath.Join(filepath.Dir(from), filepath.FromSlash(target))
	if strings.HasPrefix(target, "/") {
		path = filepath.Join(r.root, filepath.FromSlash(target))
	}
	if rel, err := filepath.Rel(r.root, path); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "points outside the repository"
	}
	info, err := os.Stat(path)
	if err != nil {
		return "does not resolve"
	}
	if anchor == "" || info.IsDir() || filepath.Ext(path) != ".md" {
		return ""
	}
	td, err := r.doc(path)
	if err != nil {
		return err.Error()
	}
	if !td.hasAnchor(anchor) {
		return "matches no heading in " + td.name
	}
	return ""
}

func TestLinkCheckAcceptsResolvingLinks(t *testing.T) {
	r := newRepo("testdata/links")
	for _, f := range []string{"good.md", "target.md", "sub/page.md"} {
		assert.Empty(t, r.checkLinksIn(filepath.Join("testdata/links", f)), f)
	}
}

func TestLinkCheckReportsBrokenLinks(t *testing.T) {
	r := newRepo("testdata/links")
	assert.Equal(t, []string{
		`broken.md:3: link "nope.md" does not resolve`,
		`broken.md:4: link "target.md#third-section" matches no heading in target.md`,
		`broken.md:5: link "#nowhere" matches no heading in broken.md`,
		`broken.md:6: link "nope.png" does not resolve`,
		`broken.md:7: link "../make/Makefile" points outside the repository`,
		`broken.md:8: link "gone.html" does not resolve`,
		`broken.md:10: link "gone/" does not resolve`,
	}, r.checkLinksIn("testdata/links/broken.md"))
}
