package version

import (
	"slices"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestKey(t *testing.T) {
	for name, want := range map[string][]int{
		"v0.1":       {0, 1},
		"v0.10":      {0, 10},
		"v1.0-epoll": {1, 0},
		"stdlib":     nil,
		"gnet":       nil,
		"v":          nil,
	} {
		if got := Key(name); !slices.Equal(got, want) {
			t.Errorf("Key(%q) = %v, want %v", name, got, want)
		}
	}
}
