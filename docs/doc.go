// Package docs holds the repository's documentation and the test that keeps it honest.
//
// The Markdown pages live beside this file: README.md and glossary.md, one
// chapter page per version directory (v0.1.md, v0.5.md, …), and their
// Simplified Chinese twins under zh/. The tests in this package walk those
// pages and the repository's root README.md and fail when a relative link
// does not resolve, when a `make` target they mention is not in the Makefile,
// when a code path they cite does not exist, or when an English page and its
// Chinese twin drift apart in structure. They run with every `make test`.
package docs
