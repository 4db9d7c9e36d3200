package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// readFixture returns a file under testdata.
func readFixture(t *testing.T, elem ...string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(append([]string{"testdata"}, elem...)...))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseManifest(t *testing.T) {
	m, err := ParseManifest(readFixture(t, "manifest", "canonical.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.IDs(); !slices.Equal(got, []string{"v0.1-bind", "v0.5-route"}) {
		t.Errorf("IDs() = %q", got)
	}
	if got := m.TotalPoints(); got != 40 {
		t.Errorf("TotalPoints() = %d, want 40", got)
	}
	ex, ok := m.Lookup("v0.5-route")
	if !ok {
		t.Fatal("Lookup(v0.5-route) failed")
	}
	if got := ex.TestFiles(); !slices.Equal(got, []string{"route_test.go", "server_test.go"}) {
		t.Errorf("TestFiles() = %q", got)
	}
	if ex.Dir() != "exercises/v0.5-route" || ex.StubPath() != "exercises/v0.5-route/exercise.go" {
		t.Errorf("Dir() = %q, StubPath() = %q", ex.Dir(), ex.StubPath())
	}
	if _, ok := m.Lookup("nope"); ok {
		t.Error("Lookup(nope) succeeded")
	}
}

// rehash writes the canonical form whatever the key order of its input,
// and the canonical form is a fixed point.
func TestManifestMarshalIsCanonical(t *testing.T) {
	canonical := readFixture(t, "manifest", "canonical.json")
	for _, name := range []string{"canonical.json", "scrambled.json"} {
		m, err := ParseManifest(readFixture(t, "manifest", name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := m.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, canonical) {
			t.Errorf("Marshal(%s):\n%s\nwant:\n%s", name, got, canonical)
		}
	}
}

func TestParseManifestRejects(t *testing.T) {
	const sum = `"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"`
	ex := func(fields string) string {
		base := map[string]string{
			"id": `"v0.1-bind"`, "chapter": `"v0.1"`, "title": `"T"`, "stars": "1", "points": "10",
			"stub": `"exercise.go"`, "checksums": `{"exercise.go":` + sum + `,"a_test.go":` + sum + `}`,
		}
		for _, kv := range strings.Split(fields, ";") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				if v == "" {
					delete(base, k)
				} else {
					base[k] = v
				}
			}
		}
		var parts []string
		for _, k := range sortedKeys(base) {
			parts = append(parts, `"`+k+`":`+base[k])
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	tests := []struct {
		name, json, want string
	}{
		{"not json", `{`, "invalid JSON"},
		{"trailing data", `{"exercises":[]} {}`, "unexpected data"},
		{"unknown field", `{"exercises":[` + ex(`point=10`) + `]}`, `unknown field "point"`},
		{"bad id", `{"exercises":[` + ex(`id="../etc"`) + `]}`, "id must match"},
		{"duplicate id", `{"exercises":[` + ex("") + `,` + ex("") + `]}`, "duplicate id"},
		{"no chapter", `{"exercises":[` + ex(`chapter=`) + `]}`, "chapter is empty"},
		{"no title", `{"exercises":[` + ex(`title=" "`) + `]}`, "title is empty"},
		{"stars", `{"exercises":[` + ex(`stars=6`) + `]}`, "stars must be 1..5"},
		{"points", `{"exercises":[` + ex(`points=0`) + `]}`, "points must be positive"},
		{"stub path", `{"exercises":[` + ex(`stub="../x.go"`) + `]}`, "stub must be a .go file"},
		{"stub is a test", `{"exercises":[` + ex(`stub="a_test.go"`) + `]}`, "stub must be a .go file"},
		{"stub unsummed", `{"exercises":[` + ex(`stub="other.go"`) + `]}`, "no entry for the stub"},
		{"no tests", `{"exercises":[` + ex(`checksums={"exercise.go":`+sum+`}`) + `]}`, "no _test.go file"},
		{"bad sum", `{"exercises":[` + ex(`checksums={"exercise.go":"<sha256 hex>","a_test.go":`+sum+`}`) + `]}`, "not a lowercase sha256"},
		{"stray file", `{"exercises":[` + ex(`checksums={"exercise.go":`+sum+`,"a_test.go":`+sum+`,"x.go":`+sum+`}`) + `]}`, "neither the stub nor a _test.go"},
		{"path in checksums", `{"exercises":[` + ex(`checksums={"exercise.go":`+sum+`,"d/a_test.go":`+sum+`}`) + `]}`, "is not a file name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseManifest([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
	if _, err := ParseManifest([]byte(`{"exercises":[` + ex("") + `]}`)); err != nil {
		t.Errorf("the base exercise should be valid: %v", err)
	}
}

// Every problem is reported at once, so a maintainer fixes them in one go.
func TestValidateReportsAllProblems(t *testing.T) {
	m := Manifest{Exercises: []Exercise{{ID: "Bad ID", Stars: 0}}}
	err := m.Validate()
	if err == nil {
		t.Fatal("Validate() = nil")
	}
	for _, want := range []string{"id must match", "chapter is empty", "title is empty", "stars", "points", "stub", "no _test.go"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestModulePath(t *testing.T) {
	tests := map[string]string{
		"module zinx\n\ngo 1.22\n":             "zinx",
		"// comment\nmodule \"quoted/path\"\n": "quoted/path",
		"module example.com/m // trailing\n":   "example.com/m",
		"modulex y\nmodule\tz\n":               "z",
	}
	for content, want := range tests {
		file := filepath.Join(t.TempDir(), "go.mod")
		if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if got, err := modulePath(file); err != nil || got != want {
			t.Errorf("modulePath(%q) = %q, %v; want %q", content, got, err, want)
		}
	}
}
