package znet_test

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"testing"

	"go.uber.org/goleak"

	"zinx/v1.0-epoll/utils"
	"zinx/v1.0-epoll/znet"
)

func TestMain(m *testing.M) {
	flag.Parse()
	if runtime.GOOS != "linux" {
		// Every test here needs a running server, and Start returns
		// ErrNeedsLinux: say so instead of failing.
		fmt.Println("skipping zinx/v1.0-epoll/znet:", znet.ErrNeedsLinux)
		os.Exit(0)
	}
	if !testing.Verbose() {
		utils.SetLogger(utils.NewLogger(io.Discard, slog.LevelError))
	} else {
		utils.SetLogger(utils.NewLogger(os.Stderr, slog.LevelDebug))
	}
	goleak.VerifyTestMain(m)
}
