package znet_test

import (
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v1.0-epoll/ziface"
	"zinx/v1.0-epoll/znet"
)

// fakeConn is the least IConnection a manager needs. Its Stop does what
// the course's Connection.Stop did: it removes itself from the manager.
type fakeConn struct {
	id      uint32
	mgr     ziface.IConnManager
	stopped chan struct{}
	once    sync.Once
}

func newFakeConn(id uint32, mgr ziface.IConnManager) *fakeConn {
	return &fakeConn{id: id, mgr: mgr, stopped: make(chan struct{})}
}

func (c *fakeConn) Start() {}
func (c *fakeConn) Stop() {
	c.once.Do(func() { close(c.stopped) })
	c.mgr.Remove(c) // the course's Stop called Remove: under ClearConn's lock, a deadlock
}
func (c *fakeConn) GetTCPConnection() *net.TCPConn   { return nil }
func (c *fakeConn) GetConnID() uint32                { return c.id }
func (c *fakeConn) RemoteAddr() net.Addr             { return nil }
func (c *fakeConn) SendMsg(uint32, []byte) error     { return nil }
func (c *fakeConn) SendBuffMsg(uint32, []byte) error { return nil }

func TestConnManagerAddGetRemoveLen(t *testing.T) {
	m := znet.NewConnManager()
	a, b := newFakeConn(1, m), newFakeConn(2, m)
	m.Add(a)
	m.Add(b)
	assert.Equal(t, 2, m.Len())

	got, err := m.Get(1)
	require.NoError(t, err)
	assert.Same(t, a, got)
	_, err = m.Get(3)
	assert.ErrorIs(t, err, znet.ErrConnNotFound)

	m.Remove(a)
	assert.Equal(t, 1, m.Len())
	_, err = m.Get(1)
	assert.ErrorIs(t, err, znet.ErrConnNotFound)
	m.Remove(a) // twice is harmless
	assert.Equal(t, 1, m.Len())
}

// TestConnManagerRemoveLeavesANewerConnectionWithTheSameID: a stale Remove
// must not drop the connection that now holds the id.
func TestConnManagerRemoveLeavesANewerConnectionWithTheSameID(t *testing.T) {
	m := znet.NewConnManager()
	old, newer := newFakeConn(7, m), newFakeConn(7, m)
	m.Add(old)
	m.Add(newer)
	m.Remove(old)
	got, err := m.Get(7)
	require.NoError(t, err)
	assert.Same(t, newer, got)
}

// TestClearConnWhoseStopCallsRemoveReturns is the course's deadlock as a
// regression test: its ClearConn held the write lock while calling Stop,
// and Stop called Remove, which waited for that lock forever.
func TestClearConnWhoseStopCallsRemoveReturns(t *testing.T) {
	m := znet.NewConnManager()
	conns := make([]*fakeConn, 5)
	for i := range conns {
		conns[i] = newFakeConn(uint32(i), m)
		m.Add(conns[i])
	}
	within(t, "ClearConn", m.ClearConn)
	for _, c := range conns {
		select {
		case <-c.stopped:
		default:
			t.Fatalf("connection %d was not stopped", c.id)
		}
	}
	assert.Zero(t, m.Len(), "each Stop removed its connection")
}

// TestConnManagerIsSafeForConcurrentUse runs every method at once; the race
// detector catches the course's Len, which read the map without the lock.
func TestConnManagerIsSafeForConcurrentUse(t *testing.T) {
	m := znet.NewConnManager()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				c := newFakeConn(uint32(g*1000+i), m)
				m.Add(c)
				_ = m.Len()
				_, _ = m.Get(c.id)
				if i%50 == 0 {
					m.ClearConn()
				}
				m.Remove(c)
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, m.Len())
}
