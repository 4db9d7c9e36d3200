package znet_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"zinx/v0.5/ziface"
	"zinx/v0.5/znet"
)

// slowEchoRouter echoes every request; the request "slow" first tells
// started and waits for the test to close release, so the requests sent
// after it are still unread when the client half-closes.
type slowEchoRouter struct {
	znet.BaseRouter
	started chan struct{}
	release chan struct{}
}

func (r slowEchoRouter) Handle(req ziface.IRequest) {
	if string(req.GetData()) == "slow" {
		r.started <- struct{}{}
		<-r.release
	}
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

// TestHalfClosedClientGetsEveryReply: a client that sends its requests,
// half-closes (CloseWrite, as `nc -N` does, or a program that closes its
// writing side after its last request) and reads until EOF gets every
// reply, in order, and only then the server's close. Here the reader runs
// each handler itself and SendMsg writes before it returns, so the reader
// meets the end of the stream only after the last reply is written; v0.8
// and v0.9, which queue requests and replies, must keep this.
func TestHalfClosedClientGetsEveryReply(t *testing.T) {
	const n = 50
	router := slowEchoRouter{started: make(chan struct{}, 1), release: make(chan struct{})}
	s := startServer(t, router)
	t.Cleanup(func() { close(router.release) }) // before Stop: cleanups run last first
	conn := dial(t, s)

	_, err := conn.Write(frame(0, "slow"))
	require.NoError(t, err)
	<-router.started // the reader is held: what follows waits in the socket
	want := []string{"slow"}
	var burst []byte
	for i := 1; i < n; i++ {
		want = append(want, fmt.Sprint(i))
		burst = append(burst, frame(uint32(i), want[i])...)
	}
	_, err = conn.Write(burst)
	require.NoError(t, err)
	require.NoError(t, conn.CloseWrite())
	router.release <- struct{}{}

	for i, data := range want {
		id, got := readFrame(t, conn)
		require.Equal(t, data, got, "reply %d of %d", i+1, n)
		require.Equal(t, uint32(i), id)
	}
	requireClosedByServer(t, conn, "a half-closed client, once its replies are out")
}

// TestHalfClosedClientThatNeverReadsStillStops: a client half-closes and
// never reads its replies, so the handler's SendMsg blocks in its write.
// Stop must still end the connection, release the handler with
// ErrConnClosed, and leave no goroutine behind.
func TestHalfClosedClientThatNeverReadsStillStops(t *testing.T) {
	router := floodRouter{sendErr: make(chan error, 1)}
	s := newServer()
	s.AddRouter(router)
	require.NoError(t, s.Start())
	conn := dial(t, s)
	_, err := conn.Write(frame(1, "flood me"))
	require.NoError(t, err)
	require.NoError(t, conn.CloseWrite())
	waitForWriteBlockedIn(t, "(*Connection).SendMsg")

	within(t, "Stop", s.Stop)
	router.requireRefused(t)
	goleak.VerifyNone(t)
}
