package utils_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"zinx/v0.5/utils"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// writeConfig writes content to a zinx.json in a fresh directory.
func writeConfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "zinx.json")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

func TestNoFileMeansDefaults(t *testing.T) {
	t.Setenv(utils.ConfigEnv, "") // and there is no conf/zinx.json beside this test
	cfg, err := utils.LoadDefault()
	require.NoError(t, err)
	assert.Equal(t, utils.Defaults(), cfg)
}

func TestFileOverridesOnlyTheFieldsItNames(t *testing.T) {
	path := writeConfig(t, `{"Name": "demo", "TcpPort": 8999}`)
	cfg, err := utils.Load(path)
	require.NoError(t, err)
	want := utils.Defaults()
	want.Name, want.TcpPort = "demo", 8999
	assert.Equal(t, want, cfg)
}

func TestEnvironmentVariableNamesTheFile(t *testing.T) {
	t.Setenv(utils.ConfigEnv, writeConfig(t, `{"MaxConn": 3}`))
	cfg, err := utils.LoadDefault()
	require.NoError(t, err)
	assert.Equal(t, 3, cfg.MaxConn)

	missing := filepath.Join(t.TempDir(), "nope.json")
	t.Setenv(utils.ConfigEnv, missing)
	_, err = utils.LoadDefault()
	require.Error(t, err, "a file someone asked for by name must exist")
	assert.Contains(t, err.Error(), missing)
}

func TestConfigurationErrorsNameTheFileAndField(t *testing.T) {
	cases := []struct {
		name, content string
		want          []string
	}{
		{"bad syntax", "{\n  \"Name\": \"x\",\n  \"TcpPort\": ,\n}", []string{"line 3, column 14"}},
		{"unknown field", `{"Hots": "127.0.0.1"}`, []string{`unknown field "Hots"`}},
		{"wrong type", `{"TcpPort": "7777"}`, []string{"field TcpPort", "int"}},
		{"port out of range", `{"TcpPort": 70000}`, []string{"field TcpPort", "70000"}},
		{"zero packet size", `{"MaxPacketSize": 0}`, []string{"field MaxPacketSize", "unlimited"}},
		{"huge packet size", `{"MaxPacketSize": 4294967295}`, []string{"field MaxPacketSize", "ceiling"}},
		{"no connections", `{"MaxConn": 0}`, []string{"field MaxConn"}},
		{"empty file", ``, []string{"empty"}},
		{"two objects", `{} {}`, []string{"after the JSON object"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.content)
			_, err := utils.Load(path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), path, "the error must name the file")
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// TestTheCourseV05FileLoads checks the course's V0.5 demo conf/zinx.json,
// copied here verbatim: a v0.5 that refused one of its keys would refuse the
// course's own file.
func TestTheCourseV05FileLoads(t *testing.T) {
	path := writeConfig(t, `{
  "Name":"zinx v-0.5 demoApp",
  "Host":"127.0.0.1",
  "TcpPort":7777,
  "MaxConn":3
}
`)
	cfg, err := utils.Load(path)
	require.NoError(t, err)
	assert.Equal(t, "zinx v-0.5 demoApp", cfg.Name)
	assert.Equal(t, 7777, cfg.TcpPort)
	assert.Equal(t, uint32(4096), cfg.MaxPacketSize, "a key the file leaves out keeps its default")
}

func TestReloadChangesGlobalObjectOnlyOnSuccess(t *testing.T) {
	saved := *utils.GlobalObject
	t.Cleanup(func() { *utils.GlobalObject = saved })

	t.Setenv(utils.ConfigEnv, writeConfig(t, `{"Name": "reloaded"}`))
	require.NoError(t, utils.GlobalObject.Reload())
	assert.Equal(t, "reloaded", utils.GlobalObject.Name)

	t.Setenv(utils.ConfigEnv, writeConfig(t, `{"TcpPort": -1}`))
	require.Error(t, utils.GlobalObject.Reload())
	assert.Equal(t, "reloaded", utils.GlobalObject.Name, "a failed Reload leaves the configuration alone")
}

func TestDefaultsAreValid(t *testing.T) {
	assert.NoError(t, utils.Defaults().Validate())
	assert.Equal(t, utils.Defaults(), *utils.GlobalObject, "GlobalObject starts as the defaults, without reading any file")
}
