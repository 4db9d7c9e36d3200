package znet_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"zinx/v1.0-epoll/ziface"
	"zinx/v1.0-epoll/znet"
)

// floodRouter answers each request with n copies of a 4,000-byte reply,
// then says so on done.
type floodRouter struct {
	znet.BaseRouter
	n    int
	done chan<- error
}

func (r floodRouter) Handle(req ziface.IRequest) {
	payload := []byte(strings.Repeat("x", 4000))
	var err error
	for i := 0; i < r.n && err == nil; i++ {
		err = req.GetConnection().SendMsg(req.GetMsgID(), payload)
	}
	r.done <- err
}

// TestHalfClosedClientThatNeverReadsStillStops: a client asks for more
// than the sockets hold, half-closes, and never reads. The connection stays
// open with the rest of its replies in the outbound ring, since the client
// may yet read them; Stop must still end it, and every goroutine, rather
// than wait for a flush that never comes.
func TestHalfClosedClientThatNeverReadsStillStops(t *testing.T) {
	// 12 MB of replies: past the 64 KiB the client takes and the 4 MB a
	// sending socket's buffer grows to by default on Linux, under the
	// outbound cap.
	cfg := testConfig()
	cfg.MaxMsgChanLen = 4096 // a cap of 16 MB
	done := make(chan error, 1)
	s := startServer(t, floodRouter{n: 3000, done: done}, znet.WithConfig(cfg))
	conn := dial(t, s)
	require.NoError(t, conn.SetReadBuffer(64<<10))
	_, err := conn.Write(frame(1, "flood me"))
	require.NoError(t, err)
	require.NoError(t, conn.CloseWrite())
	select {
	case err := <-done:
		require.NoError(t, err, "every reply queued")
	case <-time.After(waitLimit):
		t.Fatal("the handler did not finish")
	}
	require.Equal(t, 1, s.ConnCount(), "the connection stays open for its replies")
	within(t, "Stop with a half-closed client's replies still queued", s.Stop)
	goleak.VerifyNone(t)
}
