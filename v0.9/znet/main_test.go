package znet_test

import (
	"flag"
	"io"
	"log/slog"
	"os"
	"testing"

	"go.uber.org/goleak"

	"zinx/v0.9/utils"
)

func TestMain(m *testing.M) {
	flag.Parse()
	if !testing.Verbose() {
		utils.SetLogger(utils.NewLogger(io.Discard, slog.LevelError))
	} else {
		utils.SetLogger(utils.NewLogger(os.Stderr, slog.LevelDebug))
	}
	goleak.VerifyTestMain(m)
}
