package config

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// write puts content in a zinx.json of its own and returns the path.
func write(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "zinx.json")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

// load calls Load and turns a panic into a test failure, so one panic does
// not stop every other test.
func load(t *testing.T, path string) (cfg GlobalObj, err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("Load(%s) panicked: %v\nLoad must return an error instead: a server should say what is wrong, not crash", path, p)
		}
	}()
	return Load(path)
}

func TestLoadReadsEveryKey(t *testing.T) {
	path := write(t, `{"Name": "demo", "Host": "127.0.0.1", "TcpPort": 8999, "Version": "V0.4", "MaxConn": 3, "MaxPacketSize": 512}`)
	cfg, err := load(t, path)
	require.NoError(t, err)
	require.Equal(t, GlobalObj{Name: "demo", Host: "127.0.0.1", TcpPort: 8999, Version: "V0.4", MaxConn: 3, MaxPacketSize: 512}, cfg)
}

func TestLoadKeepsDefaults(t *testing.T) {
	cfg, err := load(t, write(t, `{"TcpPort": 0}`))
	require.NoError(t, err)
	want := Defaults()
	want.TcpPort = 0 // port 0 is valid: the system chooses
	require.Equal(t, want, cfg, "keys the file leaves out keep their default values")
}

func TestLoadRefusesUnknownKey(t *testing.T) {
	path := write(t, `{"Name": "demo", "Hots": "127.0.0.1"}`)
	_, err := load(t, path)
	require.Error(t, err, `"Hots" is a typo of "Host": an unknown key must be an error, or the server silently binds the default host`)
	require.Contains(t, err.Error(), path, "the error must name the file")
	require.Contains(t, err.Error(), "Hots", "the error must name the unknown key")
}

func TestLoadRefusesInvalidValue(t *testing.T) {
	tests := []struct{ json, field, why string }{
		{`{"TcpPort": 70000}`, "TcpPort", "a port is 0 to 65535"},
		{`{"TcpPort": -1}`, "TcpPort", "a port is 0 to 65535"},
		{`{"MaxConn": 0}`, "MaxConn", "a server that takes no connection at all is a mistake"},
		{`{"MaxConn": -1}`, "MaxConn", "MaxConn is at least 1"},
		{`{"MaxPacketSize": 16777217}`, "MaxPacketSize", "one byte above MaxPacketSizeCeiling"},
		{`{"MaxPacketSize": 1073741824}`, "MaxPacketSize", "1 GiB per payload is above MaxPacketSizeCeiling"},
	}
	for _, tt := range tests {
		t.Run(tt.json, func(t *testing.T) {
			path := write(t, tt.json)
			_, err := load(t, path)
			require.Error(t, err, "%s must be refused: %s", tt.json, tt.why)
			require.Contains(t, err.Error(), path, "the error must name the file")
			require.Contains(t, err.Error(), tt.field, "the error must name the field")
		})
	}
}

func TestLoadAcceptsTheLimits(t *testing.T) {
	cfg, err := load(t, write(t, `{"TcpPort": 65535, "MaxConn": 1, "MaxPacketSize": 16777216}`))
	require.NoError(t, err, "each value is the last one in range")
	want := Defaults()
	want.TcpPort, want.MaxConn, want.MaxPacketSize = 65535, 1, MaxPacketSizeCeiling
	require.Equal(t, want, cfg)
}

func TestLoadRefusesWrongType(t *testing.T) {
	path := write(t, `{"TcpPort": "8999"}`)
	_, err := load(t, path)
	require.Error(t, err, "a port written as a string must be an error")
	require.Contains(t, err.Error(), path, "the error must name the file")
	require.Contains(t, err.Error(), "TcpPort", "the error must name the field")
}

func TestLoadReportsBadJSON(t *testing.T) {
	path := write(t, "{\n  \"Name\": \"demo\",\n}\n")
	_, err := load(t, path)
	require.Error(t, err, "a trailing comma is not JSON")
	require.Contains(t, err.Error(), path, "the error must name the file")
}

func TestLoadRefusesDataAfterTheObject(t *testing.T) {
	path := write(t, `{"Name": "a"} {"Host": "x"}`)
	_, err := load(t, path)
	require.Error(t, err, "two objects in one file: the second must not be silently ignored")
	require.Contains(t, err.Error(), path, "the error must name the file")
}

func TestLoadReportsMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.json")
	_, err := load(t, path)
	require.ErrorIs(t, err, fs.ErrNotExist, "wrap the read error with %%w, so that callers can tell a missing file")
	require.Contains(t, err.Error(), path, "the error must name the file")
}
