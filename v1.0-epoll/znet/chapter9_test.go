package znet_test

import (
	"fmt"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v1.0-epoll/ziface"
	"zinx/v1.0-epoll/znet"
)

// chapterRouter is the chapter's PingRouter and HelloZinxRouter in one:
// each answers with SendBuffMsg, with its own id and text.
type chapterRouter struct {
	znet.BaseRouter
	reply string
}

func (r chapterRouter) Handle(req ziface.IRequest) {
	_ = req.GetConnection().SendBuffMsg(req.GetMsgID(), []byte(r.reply))
}

// startChapterServer is the chapter's Server.go on a free port, its hooks
// recorded in the returned hookLog.
func startChapterServer(t *testing.T, opts ...znet.Option) (*znet.Server, *hookLog) {
	t.Helper()
	s := newServer(opts...)
	hooks := newHookLog(1024)
	hooks.install(s)
	s.AddRouter(0, chapterRouter{reply: "ping...ping...ping"})
	s.AddRouter(1, chapterRouter{reply: "Hello Zinx Router V0.8"})
	require.NoError(t, s.Start())
	t.Cleanup(func() { within(t, "Stop", s.Stop) })
	return s, hooks
}

// TestChapterExchange is the chapter's run over real sockets: the start
// hook's message 2 is the first thing each client reads, the routers answer
// by id, and a client leaving runs the stop hook once, after the start hook
// and the handlers.
func TestChapterExchange(t *testing.T) {
	s, hooks := startChapterServer(t)
	for id, reply := range []string{"ping...ping...ping", "Hello Zinx Router V0.8"} {
		conn := dial(t, s)
		text := fmt.Sprintf("Zinx V0.8 Client%d Test Message", id)
		// Written at once, before anything is read: the start hook's frame
		// must still come first.
		for range 3 {
			_, err := conn.Write(frame(uint32(id), text))
			require.NoError(t, err)
		}
		gotID, data := readFrame(t, conn)
		assert.Equal(t, uint32(2), gotID)
		assert.Equal(t, "DoConnection BEGIN...", data)
		for range 3 {
			gotID, data = readFrame(t, conn)
			assert.Equal(t, uint32(id), gotID)
			assert.Equal(t, reply, data)
		}
		started := wait(t, "start hook", hooks.starts, 1)[0]
		require.NoError(t, conn.Close())
		stopped := wait(t, "stop hook", hooks.stops, 1)[0]
		assert.Same(t, started, stopped)
		assert.Equal(t, []string{"start", "stop"}, hooks.snapshot()[started])
	}
	eventually(t, "both connections leaving the manager", func() bool { return s.GetConnMgr().Len() == 0 })
}

// TestStopWithLiveConnectionsReturns: the course's Server.Stop called
// ClearConn, which deadlocked on the first live connection. Here Stop
// returns, every stop hook has run by then, and every client sees EOF.
func TestStopWithLiveConnectionsReturns(t *testing.T) {
	s, hooks := startChapterServer(t)
	conns := make([]net.Conn, 5)
	for i := range conns {
		conns[i] = dial(t, s)
		id, _ := readFrame(t, conns[i])
		require.Equal(t, uint32(2), id)
	}
	wait(t, "start hooks", hooks.starts, len(conns))

	within(t, "Stop with five live connections", s.Stop)
	assert.Len(t, hooks.stops, len(conns), "every stop hook has run when Stop returns")
	assert.Zero(t, s.GetConnMgr().Len())
	for _, c := range conns {
		requireClosedByServer(t, c, "Stop")
	}
}

// TestClearConnWithLiveConnectionsReturns calls ClearConn directly, as a
// program may: it returns, stops every connection, and the server goes on
// accepting.
func TestClearConnWithLiveConnectionsReturns(t *testing.T) {
	s, hooks := startChapterServer(t)
	conns := make([]net.Conn, 3)
	for i := range conns {
		conns[i] = dial(t, s)
		readFrame(t, conns[i])
	}
	wait(t, "start hooks", hooks.starts, len(conns))

	within(t, "ClearConn", s.GetConnMgr().ClearConn)
	for _, c := range conns {
		requireClosedByServer(t, c, "ClearConn")
	}
	wait(t, "stop hooks", hooks.stops, len(conns))
	eventually(t, "the manager empty", func() bool { return s.GetConnMgr().Len() == 0 })

	conn := dial(t, s)
	id, _ := readFrame(t, conn)
	assert.Equal(t, uint32(2), id, "the server still serves")
}

// clearRouter calls ClearConn from a handler: the manager's lock must not
// be held by anything that waits for this handler.
type clearRouter struct{ znet.BaseRouter }

func (clearRouter) Handle(req ziface.IRequest) {
	req.GetConnection().(*znet.Connection).TcpServer.GetConnMgr().ClearConn()
}

func TestClearConnFromAHandler(t *testing.T) {
	s := startServer(t, clearRouter{})
	a, b := dial(t, s), dial(t, s)
	eventually(t, "both connections in the manager", func() bool { return s.GetConnMgr().Len() == 2 })
	_, err := a.Write(frame(1, "clear"))
	require.NoError(t, err)
	requireClosedByServer(t, a, "ClearConn from a handler")
	requireClosedByServer(t, b, "ClearConn from a handler")
	eventually(t, "the manager empty", func() bool { return s.GetConnMgr().Len() == 0 })
}
