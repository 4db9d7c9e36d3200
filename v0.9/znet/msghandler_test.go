package znet_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v0.9/ziface"
	"zinx/v0.9/znet"
)

// replyRouter answers every request with its own fixed id and text.
type replyRouter struct {
	znet.BaseRouter
	id   uint32
	text string
}

func (r replyRouter) Handle(req ziface.IRequest) {
	_ = req.GetConnection().SendMsg(r.id, []byte(r.text))
}

// startRouted starts a server with the course's two routes: id 0 answers
// "ping", id 1 answers "hello".
func startRouted(t *testing.T, opts ...znet.Option) *znet.Server {
	t.Helper()
	s := newServer(opts...)
	s.AddRouter(0, replyRouter{id: 0, text: "ping"})
	s.AddRouter(1, replyRouter{id: 1, text: "hello"})
	require.NoError(t, s.Start())
	t.Cleanup(func() { within(t, "Stop", s.Stop) })
	return s
}

func TestDispatchByMessageID(t *testing.T) {
	s := startRouted(t)
	conn := dial(t, s)
	for _, want := range []struct {
		id   uint32
		text string
	}{{0, "ping"}, {1, "hello"}, {1, "hello"}, {0, "ping"}} {
		id, text := roundTrip(t, conn, want.id, "x")
		assert.Equal(t, want.id, id)
		assert.Equal(t, want.text, text, "message id %d goes to its own router", want.id)
	}
}

func TestUnknownIDIsLoggedAndDroppedAndTheConnectionGoesOn(t *testing.T) {
	logOpt, logs := withLogBuffer()
	s := startRouted(t, logOpt)
	conn := dial(t, s)

	// The unknown id and a known one in one write: the first is dropped, the
	// second answered, so the next frame back must be the second's reply.
	_, err := conn.Write(append(frame(7, "nobody home"), frame(1, "x")...))
	require.NoError(t, err)
	id, text := readFrame(t, conn)
	assert.Equal(t, uint32(1), id)
	assert.Equal(t, "hello", text)
	assert.Contains(t, logs.String(), "api msgId = 7 is not FOUND!")
}

func TestDuplicateIDPanicsAtOnce(t *testing.T) {
	s := newServer()
	s.AddRouter(3, echoRouter{})
	assert.PanicsWithValue(t, "repeated api , msgId = 3", func() { s.AddRouter(3, echoRouter{}) })
	s.Stop()
}

func TestAddRouterNilPanicsAtOnce(t *testing.T) {
	s := newServer()
	assert.PanicsWithValue(t, "zinx: AddRouter(3, nil): a router is required", func() { s.AddRouter(3, nil) })
	s.Stop()
}

func TestAddRouterAfterStartIsRefused(t *testing.T) {
	s := startRouted(t)
	conn := dial(t, s)

	// Traffic flows on the connection while another goroutine tries to add a
	// route: the attempt must panic, never write the map readers use (-race
	// watches), and the running routes must be untouched.
	refused := make(chan any, 1)
	go func() {
		defer func() { refused <- recover() }()
		s.AddRouter(2, echoRouter{})
	}()
	for i := range 50 {
		_, text := roundTrip(t, conn, uint32(i%2), "x")
		require.Contains(t, []string{"ping", "hello"}, text)
	}
	var p any
	within(t, "the late AddRouter", func() { p = <-refused })
	assert.Contains(t, fmt.Sprint(p), "after the server started")

	// And id 2 stays unknown: the reply to the frame after it is id 0's.
	_, err := conn.Write(append(frame(2, "late"), frame(0, "x")...))
	require.NoError(t, err)
	id, text := readFrame(t, conn)
	assert.Equal(t, uint32(0), id)
	assert.Equal(t, "ping", text)
}
