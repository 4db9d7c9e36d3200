package znet_test

import (
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v1.0-epoll/ziface"
	"zinx/v1.0-epoll/znet"
)

// countingRouter echoes and counts the requests it handles.
type countingRouter struct {
	znet.BaseRouter
	n *atomic.Int32
}

func (r countingRouter) Handle(req ziface.IRequest) {
	r.n.Add(1)
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

// TestHeartbeatIsAnsweredByTheFramework: a frame with HeartbeatMsgID comes
// back as it was sent, without reaching a router; other ids still do.
func TestHeartbeatIsAnsweredByTheFramework(t *testing.T) {
	cfg := testConfig()
	cfg.HeartbeatMsgID = 99
	var handled atomic.Int32
	s := newServer(znet.WithConfig(cfg))
	s.AddRouter(1, countingRouter{n: &handled})
	within(t, "Start", func() { assert.NoError(t, s.Start()) })
	t.Cleanup(func() { within(t, "Stop", s.Stop) })
	conn := dial(t, s)

	id, data := roundTrip(t, conn, 99, "are you there")
	assert.Equal(t, uint32(99), id)
	assert.Equal(t, "are you there", data)
	id, data = roundTrip(t, conn, 1, "real work")
	assert.Equal(t, uint32(1), id)
	assert.Equal(t, "real work", data)
	assert.Equal(t, int32(1), handled.Load(), "the heartbeat never reached a router")
}

// TestHeartbeatIsAnsweredWhileAHandlerIsBlocked: the loop answers a
// heartbeat at the end of the read it came in, even while a handler of the
// same connection is blocked on its worker: the heartbeat says that the
// server is alive, not that its handlers are done.
func TestHeartbeatIsAnsweredWhileAHandlerIsBlocked(t *testing.T) {
	cfg := testConfig()
	cfg.WorkerPoolSize, cfg.HeartbeatMsgID = 1, 99
	router := newGateRouter()
	s := startServer(t, router, znet.WithConfig(cfg))
	conn := dial(t, s)

	_, err := conn.Write(frame(1, "block"))
	require.NoError(t, err)
	require.Equal(t, "start block", router.next(t))
	id, data := roundTrip(t, conn, 99, "are you there")
	assert.Equal(t, uint32(99), id)
	assert.Equal(t, "are you there", data)

	close(router.release)
	_, data = readFrame(t, conn)
	assert.Equal(t, "block", data)
}
