package znet_test

import (
	"encoding/binary"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v1.0-epoll/ziface"
	"zinx/v1.0-epoll/znet"
)

// serverSide returns the server's connection for the client that just
// connected, as its start hook saw it.
func serverSide(t *testing.T, starts chan ziface.IConnection) ziface.IConnection {
	t.Helper()
	return wait(t, "start hook", starts, 1)[0]
}

// startPushServer starts a server whose start hook hands each connection to
// the test, so the test can push to it.
func startPushServer(t *testing.T, opts ...znet.Option) (*znet.Server, chan ziface.IConnection) {
	t.Helper()
	starts := make(chan ziface.IConnection, 16)
	s := newServer(opts...)
	s.SetOnConnStart(func(conn ziface.IConnection) { starts <- conn })
	addRoutes(s, echoRouter{})
	require.NoError(t, s.Start())
	t.Cleanup(func() { within(t, "Stop", s.Stop) })
	return s, starts
}

// TestSendBuffMsgRacingStopNeverPanics: 32 goroutines push with SendBuffMsg
// and SendMsg while the connection, then the server, stop. The course's
// SendBuffMsg sent on a channel Stop closed: a panic. Every sender must
// return, with nil or ErrConnClosed.
func TestSendBuffMsgRacingStopNeverPanics(t *testing.T) {
	s, starts := startPushServer(t)
	client := dial(t, s)
	conn := serverSide(t, starts)
	go func() { _, _ = io.Copy(io.Discard, client) }()

	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for g := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100_000 { // bounded; the stop ends it long before
				send := conn.SendBuffMsg
				if (g+i)%2 == 0 {
					send = conn.SendMsg
				}
				if err := send(1, []byte("push")); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	conn.Stop()
	within(t, "Stop", s.Stop)
	within(t, "every sender returning", wg.Wait)
	close(errs)
	for err := range errs {
		assert.ErrorIs(t, err, znet.ErrConnClosed)
	}
}

// TestClientThatNeverReads: a pusher fills the buffer of a client that
// reads nothing; past the outbound cap (MaxMsgChanLen frames of
// MaxPacketSize) the connection is closed and the pusher gets
// ErrConnClosed; another client is served all along. v1.0-epoll: in v0.9
// the pusher waited on the full queue until Stop released it; a send here
// never waits, so the cap closes the connection instead.
func TestClientThatNeverReads(t *testing.T) {
	cfg := testConfig()
	cfg.MaxMsgChanLen = 16
	s, starts := startPushServer(t, znet.WithConfig(cfg))
	dial(t, s) // never reads
	stuck := serverSide(t, starts)

	pushed := make(chan error, 1)
	go func() {
		payload := []byte(strings.Repeat("x", 4000))
		for range 1_000_000 { // bounded: the socket buffers and 16 frames fill long before
			if err := stuck.SendBuffMsg(1, payload); err != nil {
				pushed <- err
				return
			}
		}
		pushed <- nil
	}()
	other := dial(t, s)
	serverSide(t, starts)
	id, data := roundTrip(t, other, 1, "not slowed")
	assert.Equal(t, uint32(1), id)
	assert.Equal(t, "not slowed", data)

	select {
	case err := <-pushed:
		assert.ErrorIs(t, err, znet.ErrConnClosed, "the cap stops the connection")
	case <-time.After(waitLimit):
		t.Fatal("the pusher was never refused: the outbound buffer has no cap")
	}
	within(t, "Stop", s.Stop)
}

// TestSendMsgAndSendBuffMsgKeepOneGoroutinesOrder: frames one goroutine
// sends, alternating between the two calls, arrive in the order sent. The
// course's writer took from two channels, whichever was ready.
func TestSendMsgAndSendBuffMsgKeepOneGoroutinesOrder(t *testing.T) {
	s, starts := startPushServer(t)
	client := dial(t, s)
	conn := serverSide(t, starts)

	const frames = 2000
	sent := make(chan error, 1)
	go func() {
		for i := range uint32(frames) {
			send := conn.SendMsg
			if i%2 == 1 {
				send = conn.SendBuffMsg
			}
			if err := send(1, binary.LittleEndian.AppendUint32(nil, i)); err != nil {
				sent <- err
				return
			}
		}
		sent <- nil
	}()
	for i := range uint32(frames) {
		_, data := readFrame(t, client)
		require.Equal(t, i, binary.LittleEndian.Uint32([]byte(data)), "frame %d out of order", i)
	}
	require.NoError(t, <-sent)
}

// TestConnectionReachesItsServer: a handler finds its server's manager and
// itself in it through TcpServer, the course's back-reference.
func TestConnectionReachesItsServer(t *testing.T) {
	found := make(chan bool, 1)
	s := startServer(t, routerFunc(func(req ziface.IRequest) {
		c := req.GetConnection().(*znet.Connection)
		got, err := c.TcpServer.GetConnMgr().Get(c.GetConnID())
		found <- err == nil && got == ziface.IConnection(c)
		_ = c.SendMsg(1, nil)
	}))
	conn := dial(t, s)
	roundTrip(t, conn, 1, "")
	assert.True(t, <-found)
}

// routerFunc is a router made of one Handle function.
type routerFunc func(ziface.IRequest)

func (f routerFunc) PreHandle(ziface.IRequest)  {}
func (f routerFunc) Handle(req ziface.IRequest) { f(req) }
func (f routerFunc) PostHandle(ziface.IRequest) {}
