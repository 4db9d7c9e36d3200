package add

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestAdd(t *testing.T) {
	require.Equal(t, 5, Add(2, 3), "Add(2, 3)")
}

func TestAddZero(t *testing.T) {
	require.Equal(t, 0, Add(0, 0), "Add(0, 0)")
}
