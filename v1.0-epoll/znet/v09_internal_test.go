package znet

import (
	"math"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v1.0-epoll/utils"
	"zinx/v1.0-epoll/ziface"
)

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
	defer s.Stop()

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
