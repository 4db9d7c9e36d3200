package znet

import (
	"context"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v1.0-epoll/utils"
	"zinx/v1.0-epoll/ziface"
)

func TestServeStartsAndStopsOnContextDone(t *testing.T) {
	s := NewServer(WithConfig(utils.Defaults()), WithAddr("127.0.0.1:0")).(*Server)
	s.AddRouter(0, BaseRouter{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as if SIGINT had already arrived
	stoppedCatching := false

	require.NoError(t, s.serve(ctx, func() { stoppedCatching = true }))
	assert.True(t, stoppedCatching, "serve must stop catching signals once one has arrived")
	require.NotNil(t, s.Addr(), "serve must have started the server")
	_, err := net.Dial("tcp", s.Addr().String())
	assert.Error(t, err, "serve must have stopped the server before returning")
}

// TestStopWaitsForConnectionGoroutines checks Stop's promise from the inside:
// each connection leaves the manager once its stop hook has run, so when
// Stop returns none may be left. A Stop that did not wait would return while most
// of them were still tracked.
func TestStopWaitsForConnectionGoroutines(t *testing.T) {
	s := NewServer(WithConfig(utils.Defaults()), WithAddr("127.0.0.1:0")).(*Server)
	s.AddRouter(1, echoOnce{})
	require.NoError(t, s.Start())
	for range 20 {
		conn, err := net.Dial("tcp", s.Addr().String())
		require.NoError(t, err)
		defer conn.Close()
		_, err = conn.Write([]byte{0, 0, 0, 0, 1, 0, 0, 0}) // an empty message, id 1
		require.NoError(t, err)
		_, err = conn.Read(make([]byte, 8)) // answered: the server is tracking it
		require.NoError(t, err)
	}

	s.Stop()
	assert.Zero(t, s.connMgr.Len(), "Stop returned while readers were still running")
}

// echoOnce answers each request with an empty message of the same id.
type echoOnce struct{ BaseRouter }

func (echoOnce) Handle(req ziface.IRequest) {
	_ = req.GetConnection().SendMsg(req.GetMsgID(), nil)
}
