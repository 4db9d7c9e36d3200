package znet

import (
	"math"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v0.9/utils"
	"zinx/v0.9/ziface"
)

// TestFullBufferHoldsExactlyMaxMsgChanLen holds the writer inside its first
// write, as a client that never reads does once the socket's buffers are
// full. Then exactly MaxMsgChanLen more frames are accepted, the next
// SendBuffMsg waits, and Stop releases it with ErrConnClosed.
func TestFullBufferHoldsExactlyMaxMsgChanLen(t *testing.T) {
	c, _ := idleConnection(t)
	// Roomy channels: once the gate opens, the writer may flush more before
	// it sees the stop.
	out := &gatedWriter{entered: make(chan struct{}, 4096), gate: make(chan struct{}), writes: make(chan []byte, 4096)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.writeLoop(out)
	}()
	defer func() { close(out.gate); c.Stop(); <-done }()

	require.NoError(t, c.SendBuffMsg(0, []byte("held by the writer")))
	select {
	case <-out.entered:
	case <-time.After(testWait):
		t.Fatal("the writer did not start writing")
	}
	limit := int(c.server.config.MaxMsgChanLen)
	for i := range limit {
		require.NoError(t, c.SendBuffMsg(1, []byte("queued")), "frame %d fits", i)
	}
	assert.Len(t, c.msgBuffChan, limit, "the queue is full, and no bigger than MaxMsgChanLen")

	blocked := make(chan error, 1)
	go func() { blocked <- c.SendBuffMsg(1, []byte("one too many")) }()
	waitBlockedIn(t, "(*Connection).send")
	c.Stop()
	select {
	case err := <-blocked:
		assert.ErrorIs(t, err, ErrConnClosed)
	case <-time.After(testWait):
		t.Fatal("SendBuffMsg on a full queue hung after Stop")
	}
	assert.ErrorIs(t, c.SendBuffMsg(1, nil), ErrConnClosed, "a stopped connection refuses at once")
}

// TestConnIDsSkipLiveOnesAfterWrapping: the id counter is set just below
// 2³², the injectable way to run four billion accepts. Connection 0 stays
// live; after the counter wraps, the next connection must not get id 0
// (the course's would, and its manager entry would replace the live one).
func TestConnIDsSkipLiveOnesAfterWrapping(t *testing.T) {
	ids := make(chan ziface.IConnection, 4)
	cfg := utils.Defaults()
	s := NewServer(WithConfig(cfg), WithAddr("127.0.0.1:0")).(*Server)
	s.SetOnConnStart(func(conn ziface.IConnection) { ids <- conn })
	s.AddRouter(0, &BaseRouter{})
	require.NoError(t, s.Start())
	defer func() {
		stopped := make(chan struct{})
		go func() { s.Stop(); close(stopped) }()
		select {
		case <-stopped:
		case <-time.After(testWait):
			t.Error("Stop hung: a connection lost its manager entry, so nothing stopped it")
		}
	}()

	dialAndWait := func() (net.Conn, ziface.IConnection) {
		t.Helper()
		conn, err := net.Dial("tcp4", s.Addr().String())
		require.NoError(t, err)
		t.Cleanup(func() { conn.Close() })
		select {
		case c := <-ids:
			return conn, c
		case <-time.After(testWait):
			t.Fatal("no start hook")
			return nil, nil
		}
	}
	_, first := dialAndWait()
	require.Equal(t, uint32(0), first.GetConnID())

	s.mu.Lock()
	s.nextID = math.MaxUint32
	s.mu.Unlock()
	_, last := dialAndWait()
	assert.Equal(t, uint32(math.MaxUint32), last.GetConnID())
	_, wrapped := dialAndWait()
	assert.Equal(t, uint32(1), wrapped.GetConnID(), "id 0 is live: the counter skips it")

	got, err := s.GetConnMgr().Get(0)
	require.NoError(t, err)
	assert.Same(t, first, got, "the live connection keeps its entry")
	assert.Equal(t, 3, s.GetConnMgr().Len())
}
