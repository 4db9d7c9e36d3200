package utils_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"zinx/v1.0-epoll/utils"
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
		{"negative pool", `{"WorkerPoolSize": -1}`, []string{"field WorkerPoolSize", "uint32"}},
		{"huge pool", `{"WorkerPoolSize": 1000000}`, []string{"field WorkerPoolSize", "ceiling"}},
		{"no queue", `{"MaxWorkerTaskLen": 0}`, []string{"field MaxWorkerTaskLen", "at least 1"}},
		{"huge queue", `{"MaxWorkerTaskLen": 100000000}`, []string{"field MaxWorkerTaskLen", "ceiling"}},
		{"no send queue", `{"MaxMsgChanLen": 0}`, []string{"field MaxMsgChanLen", "at least 1"}},
		{"huge send queue", `{"MaxMsgChanLen": 100000000}`, []string{"field MaxMsgChanLen", "ceiling"}},
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

// TestTheCourseV09FileLoads checks the course's V0.9 demo conf/zinx.json
// (the same as V0.8's), copied here verbatim: a v0.9 that refused one of its
// keys would refuse the course's own file.
func TestTheCourseV09FileLoads(t *testing.T) {
	path := writeConfig(t, `{
  "Name":"zinx v-0.8 demoApp",
  "Host":"127.0.0.1",
  "TcpPort":7777,
  "MaxConn":3,
  "WorkerPoolSize":10
}
`)
	cfg, err := utils.Load(path)
	require.NoError(t, err)
	assert.Equal(t, uint32(10), cfg.WorkerPoolSize)
	assert.Equal(t, uint32(1024), cfg.MaxWorkerTaskLen, "a key the file leaves out keeps its default")
	assert.Equal(t, uint32(1024), cfg.MaxMsgChanLen, "the course's default send buffer")
	assert.Equal(t, 3, cfg.MaxConn)

	cfg, err = utils.Load(writeConfig(t, `{"WorkerPoolSize": 0, "MaxWorkerTaskLen": 8}`))
	require.NoError(t, err, "a pool of 0 is valid: the readers run the routers")
	assert.Equal(t, uint32(0), cfg.WorkerPoolSize)
	assert.Equal(t, uint32(8), cfg.MaxWorkerTaskLen)

	cfg, err = utils.Load(writeConfig(t, `{"MaxMsgChanLen": 16}`))
	require.NoError(t, err)
	assert.Equal(t, uint32(16), cfg.MaxMsgChanLen)
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

// TestRequestPoolModeIsOffUnlessAFileTurnsItOn: recycling requests breaks
// the course's promise that a handler may keep its request, so only a
// configuration that asks for it gets it.
func TestRequestPoolModeIsOffUnlessAFileTurnsItOn(t *testing.T) {
	assert.False(t, utils.Defaults().RequestPoolMode)
	cfg, err := utils.Load(writeConfig(t, `{"RequestPoolMode": true, "WorkerPoolSize": 0}`))
	require.NoError(t, err)
	assert.True(t, cfg.RequestPoolMode)
	assert.Equal(t, uint32(0), cfg.WorkerPoolSize)
}
