package znet_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v0.5/ziface"
	"zinx/v0.5/znet"
)

func TestPingReplyByteForByte(t *testing.T) {
	s := startServer(t, echoRouter{})
	conn := dial(t, s)

	_, err := conn.Write(frame(1, "hi"))
	require.NoError(t, err)
	reply := make([]byte, 10)
	_, err = io.ReadFull(conn, reply)
	require.NoError(t, err)
	assert.Equal(t, []byte{0x02, 0, 0, 0, 0x01, 0, 0, 0, 'h', 'i'}, reply)
}

func TestStickyFramesInOneWrite(t *testing.T) {
	s := startServer(t, echoRouter{})
	conn := dial(t, s)

	var sticky []byte
	for i := range 3 {
		sticky = append(sticky, frame(uint32(i), fmt.Sprintf("msg %d", i))...)
	}
	_, err := conn.Write(sticky)
	require.NoError(t, err)
	for i := range 3 {
		id, data := readFrame(t, conn)
		assert.Equal(t, uint32(i), id)
		assert.Equal(t, fmt.Sprintf("msg %d", i), data)
	}
}

func TestHalfFramesOneByteAtATime(t *testing.T) {
	s := startServer(t, echoRouter{})
	conn := dial(t, s)
	require.NoError(t, conn.SetNoDelay(true)) // send each byte as its own segment

	for _, b := range frame(5, "in pieces") {
		_, err := conn.Write([]byte{b})
		require.NoError(t, err)
	}
	id, data := readFrame(t, conn)
	assert.Equal(t, uint32(5), id)
	assert.Equal(t, "in pieces", data)
}

func TestOversizeHeaderClosesOnlyThatConnection(t *testing.T) {
	logOpt, logs := withLogBuffer()
	s := startServer(t, echoRouter{}, logOpt)
	good := dial(t, s)
	roundTrip(t, good, 1, "before")

	bad := dial(t, s)
	head := binary.LittleEndian.AppendUint32(nil, 4097) // one over the limit
	head = binary.LittleEndian.AppendUint32(head, 1)
	_, err := bad.Write(head)
	require.NoError(t, err)
	requireClosedByServer(t, bad, "an oversize header")
	assert.Contains(t, logs.String(), "frame too large", "the server must log why it closed the connection")

	_, data := roundTrip(t, good, 2, "after")
	assert.Equal(t, "after", data, "other clients carry on")
	_, data = roundTrip(t, dial(t, s), 3, "new client")
	assert.Equal(t, "new client", data, "the server still accepts")
}

func TestUnframedTextClosesOnlyThatConnection(t *testing.T) {
	// The course's V0.5 test sent plain text: "hell" decodes as a 1.8 GB frame.
	logOpt, logs := withLogBuffer()
	s := startServer(t, echoRouter{}, logOpt)
	conn := dial(t, s)
	_, err := conn.Write([]byte("hello zinx, no header here"))
	require.NoError(t, err)
	requireClosedByServer(t, conn, "unframed text")
	assert.Contains(t, logs.String(), "frame too large")
}

func TestClientLeavingMidFrameIsLogged(t *testing.T) {
	logger, logs := newLogRecorder()
	s := startServer(t, echoRouter{}, znet.WithLogger(logger))
	conn := dial(t, s)
	_, err := conn.Write(frame(1, "cut short")[:12])
	require.NoError(t, err)
	require.NoError(t, conn.CloseWrite())
	requireClosedByServer(t, conn, "half a frame, then EOF")
	r := logs.waitFor(t, "client left in the middle of a frame")
	assert.Equal(t, slog.LevelInfo, r.Level, "the client's business, not an operator's")
}

func TestClientResetIsNotAWarning(t *testing.T) {
	logger, logs := newLogRecorder()
	s := startServer(t, echoRouter{}, znet.WithLogger(logger))
	steady := dial(t, s)
	roundTrip(t, steady, 1, "before")

	rude := dial(t, s)
	roundTrip(t, rude, 1, "hello")
	require.NoError(t, rude.SetLinger(0)) // close with RST, not FIN
	require.NoError(t, rude.Close())

	r := logs.waitFor(t, "client reset the connection")
	assert.Equal(t, slog.LevelInfo, r.Level, "a reset is the client's business")
	assert.Contains(t, attr(r, "err"), "connection reset by peer")
	assert.Empty(t, logs.atLeast(slog.LevelWarn), "nothing here is for an operator to act on")
	_, data := roundTrip(t, steady, 2, "after")
	assert.Equal(t, "after", data, "other clients carry on")
}

// recordingRouter reports each hook call on a channel, in order.
type recordingRouter struct {
	calls chan string
}

func (r recordingRouter) PreHandle(req ziface.IRequest) {
	r.calls <- "pre " + string(req.GetData())
}

func (r recordingRouter) Handle(req ziface.IRequest) {
	r.calls <- "handle " + string(req.GetData())
}

func (r recordingRouter) PostHandle(req ziface.IRequest) {
	r.calls <- "post " + string(req.GetData())
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

func TestRouterHooksRunInOrderPerRequest(t *testing.T) {
	router := recordingRouter{calls: make(chan string, 16)}
	s := startServer(t, router)
	conn := dial(t, s)

	_, err := conn.Write(append(frame(1, "a"), frame(2, "b")...))
	require.NoError(t, err)
	readFrame(t, conn)
	readFrame(t, conn)

	var got []string
	for range 6 {
		got = append(got, <-router.calls)
	}
	assert.Equal(t, []string{"pre a", "handle a", "post a", "pre b", "handle b", "post b"}, got,
		"PreHandle, Handle, PostHandle, and one request finished before the next starts")
}

func TestRequestsOfOneConnectionAreHandledInOrder(t *testing.T) {
	s := startServer(t, echoRouter{})
	conn := dial(t, s)

	var burst []byte
	for i := range 200 {
		burst = append(burst, frame(uint32(i), fmt.Sprint(i))...)
	}
	_, err := conn.Write(burst)
	require.NoError(t, err)
	for i := range 200 {
		id, data := readFrame(t, conn)
		require.Equal(t, uint32(i), id, "replies must come back in the order requests were sent")
		require.Equal(t, fmt.Sprint(i), data)
	}
}

// panicRouter panics on "boom" and echoes anything else.
type panicRouter struct {
	znet.BaseRouter
}

func (panicRouter) Handle(req ziface.IRequest) {
	if string(req.GetData()) == "boom" {
		panic("handler exploded")
	}
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

func TestHandlerPanicEndsOnlyThatConnection(t *testing.T) {
	logOpt, logs := withLogBuffer()
	s := startServer(t, panicRouter{}, logOpt)
	good := dial(t, s)
	roundTrip(t, good, 1, "before")

	victim := dial(t, s)
	_, err := victim.Write(frame(1, "boom"))
	require.NoError(t, err)
	requireClosedByServer(t, victim, "a panicking handler")
	assert.Contains(t, logs.String(), "handler exploded", "the panic must be logged")

	_, data := roundTrip(t, good, 2, "after")
	assert.Equal(t, "after", data, "the process and other clients carry on")
}

// stopRouter stops its own connection from inside the handler.
type stopRouter struct {
	znet.BaseRouter
	sendErr chan error
}

func (r stopRouter) Handle(req ziface.IRequest) {
	req.GetConnection().Stop()
	req.GetConnection().Stop() // twice is harmless
	r.sendErr <- req.GetConnection().SendMsg(1, []byte("too late"))
}

func TestHandlerCanStopItsOwnConnection(t *testing.T) {
	router := stopRouter{sendErr: make(chan error, 1)}
	s := startServer(t, router)
	conn := dial(t, s)
	_, err := conn.Write(frame(1, "stop me"))
	require.NoError(t, err)

	requireClosedByServer(t, conn, "Stop from a handler")
	assert.ErrorIs(t, <-router.sendErr, znet.ErrConnClosed)
}

// bigReplyRouter tries to send a reply over the limit, then a normal one.
type bigReplyRouter struct {
	znet.BaseRouter
	sendErr chan error
}

func (r bigReplyRouter) Handle(req ziface.IRequest) {
	r.sendErr <- req.GetConnection().SendMsg(1, bytes.Repeat([]byte("x"), 4097))
	_ = req.GetConnection().SendMsg(2, []byte("small"))
}

func TestSendMsgRefusesAnOversizeReply(t *testing.T) {
	router := bigReplyRouter{sendErr: make(chan error, 1)}
	s := startServer(t, router)
	id, data := roundTrip(t, dial(t, s), 1, "go")

	assert.ErrorIs(t, <-router.sendErr, znet.ErrPacketTooLarge)
	assert.Equal(t, uint32(2), id, "the oversize reply must not be sent")
	assert.Equal(t, "small", data, "the connection stays usable")
}

func TestConnectionAccessors(t *testing.T) {
	got := make(chan ziface.IConnection, 1)
	s := startServer(t, connRouter{got: got})
	conn := dial(t, s)
	roundTrip(t, conn, 1, "who am I")

	c := <-got
	assert.Equal(t, conn.LocalAddr().String(), c.RemoteAddr().String())
	assert.Equal(t, c.RemoteAddr().String(), c.GetTCPConnection().RemoteAddr().String())
	assert.Equal(t, uint32(0), c.GetConnID(), "the first connection gets id 0, as in the course")
	assert.True(t, strings.HasPrefix(c.(*znet.Connection).Conn.LocalAddr().String(), "127.0.0.1:"))
}

// connRouter hands the connection of each request to the test, then echoes.
type connRouter struct {
	znet.BaseRouter
	got chan ziface.IConnection
}

func (r connRouter) Handle(req ziface.IRequest) {
	select {
	case r.got <- req.GetConnection():
	default:
	}
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

// readFrameErr is readFrame for goroutines other than the test's.
func readFrameErr(conn net.Conn) (uint32, string, error) {
	head := make([]byte, 8)
	if _, err := io.ReadFull(conn, head); err != nil {
		return 0, "", err
	}
	data := make([]byte, binary.LittleEndian.Uint32(head[0:4]))
	if _, err := io.ReadFull(conn, data); err != nil {
		return 0, "", err
	}
	return binary.LittleEndian.Uint32(head[4:8]), string(data), nil
}

// restartRouter calls Start on its request's connection, then echoes.
type restartRouter struct{ znet.BaseRouter }

func (restartRouter) Handle(req ziface.IRequest) {
	req.GetConnection().Start()
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

// TestStartAgainDoesNothing: Start is exported, and a handler may call it.
// A second reader split the client's stream between two goroutines and,
// when the connection ended, counted its exit twice: the server's
// WaitGroup went negative and the process died. Later calls do nothing now.
func TestStartAgainDoesNothing(t *testing.T) {
	s := startServer(t, restartRouter{})
	conn := dial(t, s)
	for i := range 3 {
		_, data := roundTrip(t, conn, 1, fmt.Sprint("again ", i))
		assert.Equal(t, fmt.Sprint("again ", i), data)
	}
	require.NoError(t, conn.Close())
	within(t, "Stop", s.Stop)
}

// floodRouter sends 4 KiB replies to a client that reads none, until a send
// fails, and reports that error.
type floodRouter struct {
	znet.BaseRouter
	sendErr chan error
}

func (r floodRouter) Handle(req ziface.IRequest) {
	payload := make([]byte, 4000)
	for range 100_000 { // 400 MB: far past any socket buffer
		if err := req.GetConnection().SendMsg(1, payload); err != nil {
			r.sendErr <- err
			return
		}
	}
	r.sendErr <- nil
}

// requireRefused fails t unless the handler returns within waitLimit, its
// SendMsg refused with ErrConnClosed.
func (r floodRouter) requireRefused(t *testing.T) {
	t.Helper()
	select {
	case err := <-r.sendErr:
		assert.ErrorIs(t, err, znet.ErrConnClosed)
	case <-time.After(waitLimit):
		t.Fatal("the flooding handler never returned")
	}
}

// TestSendMsgCutShortByStopReturnsErrConnClosed: a SendMsg blocked in its
// write, because the client reads nothing, when the server stops: Stop
// closes the socket under the write, and the handler must get
// ErrConnClosed, as it would had Stop come first, not the socket's
// "use of closed network connection".
func TestSendMsgCutShortByStopReturnsErrConnClosed(t *testing.T) {
	router := floodRouter{sendErr: make(chan error, 1)}
	s := startServer(t, router)
	conn := dial(t, s)
	_, err := conn.Write(frame(1, "flood me"))
	require.NoError(t, err)
	waitForWriteBlockedIn(t, "(*Connection).SendMsg")
	within(t, "Stop", s.Stop)
	router.requireRefused(t)
}

// waitForWriteBlockedIn waits until a goroutine is parked in a socket write
// (IO wait) with fn on its stack, or fails the test. It looks at goroutine
// stacks, yielding between looks: the deadline only bounds a failure.
func waitForWriteBlockedIn(t *testing.T, fn string) {
	t.Helper()
	buf := make([]byte, 1<<20)
	for deadline := time.Now().Add(waitLimit); time.Now().Before(deadline); runtime.Gosched() {
		n := runtime.Stack(buf, true)
		for _, g := range strings.Split(string(buf[:n]), "\n\n") {
			if strings.Contains(g, "[IO wait") && strings.Contains(g, fn) {
				return
			}
		}
	}
	t.Fatalf("no goroutine blocked writing in %s within %v", fn, waitLimit)
}
