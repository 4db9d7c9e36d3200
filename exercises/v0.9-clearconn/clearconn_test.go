package clearconn

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// bound is how long a test waits for something that should happen at once.
const bound = 2 * time.Second

// returnsWithin reports whether f returns within bound. If it does not, the
// goroutine running f is stuck for good: the test fails, and says so.
func returnsWithin(t *testing.T, what string, f func()) bool {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
		return true
	case <-time.After(bound):
		t.Errorf("%s did not return within %v: a deadlock", what, bound)
		return false
	}
}

// TestClearConnReturns is Server.Stop with one live connection.
func TestClearConnReturns(t *testing.T) {
	m := NewConnManager()
	c := NewConn(1, m, nil)
	m.Add(c)
	require.True(t, returnsWithin(t, "ClearConn with one connection", m.ClearConn))
	select {
	case <-c.Stopped():
	default:
		t.Fatal("the connection was not stopped")
	}
	_, err := m.Get(1)
	assert.ErrorIs(t, err, ErrNotFound)
}

// TestClearConnStopsEveryConnection: five connections, each stop hook run
// once, the manager empty afterwards.
func TestClearConnStopsEveryConnection(t *testing.T) {
	m := NewConnManager()
	var mu sync.Mutex
	stops := map[uint32]int{}
	for id := range uint32(5) {
		m.Add(NewConn(id, m, func(c *Conn) {
			mu.Lock()
			stops[c.ID]++
			mu.Unlock()
		}))
	}
	require.True(t, returnsWithin(t, "ClearConn with five connections", m.ClearConn))
	assert.Equal(t, map[uint32]int{0: 1, 1: 1, 2: 1, 3: 1, 4: 1}, stops)
	assert.Zero(t, m.Len())
}

// TestStopHookMayUseTheManager: the chapter's stop hook may print how many
// connections are left, or look another one up.
func TestStopHookMayUseTheManager(t *testing.T) {
	m := NewConnManager()
	left := make(chan int, 3)
	for id := range uint32(3) {
		m.Add(NewConn(id, m, func(c *Conn) {
			_, _ = m.Get(c.ID)
			left <- m.Len()
		}))
	}
	require.True(t, returnsWithin(t, "ClearConn whose stop hooks call Len and Get", m.ClearConn))
	assert.Len(t, left, 3)
}

// TestLenWhileConnectionsLeave counts while connections stop and remove
// themselves. Run it with -race.
func TestLenWhileConnectionsLeave(t *testing.T) {
	m := NewConnManager()
	conns := make([]*Conn, 200)
	for i := range conns {
		conns[i] = NewConn(uint32(i), m, nil)
		m.Add(conns[i])
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for _, c := range conns {
			c.Stop()
		}
	}()
	go func() {
		defer wg.Done()
		for range 200 {
			_ = m.Len()
		}
	}()
	require.True(t, returnsWithin(t, "stopping while counting", wg.Wait))
	assert.Zero(t, m.Len())
}

// TestClearConnWhileConnectionsComeAndGo is Server.Stop racing the accept
// loop (Add) and readers that stop their own connection (Remove): ClearConn
// must read the map under the lock. Run it with -race.
func TestClearConnWhileConnectionsComeAndGo(t *testing.T) {
	m := NewConnManager()
	for id := range uint32(100) {
		m.Add(NewConn(id, m, nil))
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for id := uint32(100); id < 300; id++ {
			c := NewConn(id, m, nil)
			m.Add(c)
			c.Stop()
		}
	}()
	returnsWithin(t, "ClearConn while connections come and go", m.ClearConn)
	require.True(t, returnsWithin(t, "adding and stopping connections", wg.Wait))
	assert.Zero(t, m.Len())
}
