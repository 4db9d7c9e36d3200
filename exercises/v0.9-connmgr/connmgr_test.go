package connmgr

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// conn is a connection with an id that does nothing else.
type conn struct{ id uint32 }

func (c *conn) GetConnID() uint32 { return c.id }
func (c *conn) Stop()             {}

// bound is how long a test waits for a call that should return at once.
const bound = 2 * time.Second

// within runs f and fails the test if it has not returned within bound: a
// method that deadlocks (one that calls another while holding the lock,
// say) fails here instead of hanging the test binary.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(bound):
		t.Fatalf("%s did not return within %v: a deadlock", what, bound)
	}
}

// timed is a ConnManager whose every call must return within bound.
type timed struct {
	t *testing.T
	m *ConnManager
}

func newTimed(t *testing.T) timed { return timed{t, NewConnManager()} }

func (g timed) Add(c Conn) {
	g.t.Helper()
	within(g.t, "Add", func() { g.m.Add(c) })
}

func (g timed) Remove(c Conn) {
	g.t.Helper()
	within(g.t, "Remove", func() { g.m.Remove(c) })
}

func (g timed) Get(id uint32) (c Conn, err error) {
	g.t.Helper()
	within(g.t, "Get", func() { c, err = g.m.Get(id) })
	return c, err
}

func (g timed) Len() (n int) {
	g.t.Helper()
	within(g.t, "Len", func() { n = g.m.Len() })
	return n
}

func TestAddGetLen(t *testing.T) {
	m := newTimed(t)
	a, b := &conn{1}, &conn{2}
	m.Add(a)
	m.Add(b)
	assert.Equal(t, 2, m.Len())
	got, err := m.Get(1)
	require.NoError(t, err)
	assert.Same(t, a, got)
	got, err = m.Get(2)
	require.NoError(t, err)
	assert.Same(t, b, got)
}

func TestGetUnknownID(t *testing.T) {
	m := newTimed(t)
	m.Add(&conn{1})
	got, err := m.Get(9)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Nil(t, got)
}

func TestRemove(t *testing.T) {
	m := newTimed(t)
	a := &conn{1}
	m.Add(a)
	m.Add(&conn{2})
	m.Remove(a)
	assert.Equal(t, 1, m.Len())
	_, err := m.Get(1)
	assert.ErrorIs(t, err, ErrNotFound)
	m.Remove(a) // a second time changes nothing
	assert.Equal(t, 1, m.Len())
}

// TestRemoveLeavesANewerConnectionWithTheSameID: once ids wrap around, an
// old connection's late Remove must not drop the new holder of its id.
func TestRemoveLeavesANewerConnectionWithTheSameID(t *testing.T) {
	m := newTimed(t)
	old, newer := &conn{7}, &conn{7}
	m.Add(old)
	m.Add(newer)
	m.Remove(old)
	got, err := m.Get(7)
	require.NoError(t, err)
	assert.Same(t, newer, got)
	assert.Equal(t, 1, m.Len())
}

// TestConcurrentUse runs every method from many goroutines at once. Run it
// with -race: an unguarded map is a data race even when it does not crash.
func TestConcurrentUse(t *testing.T) {
	m := newTimed(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				c := &conn{uint32(g*1000 + i)}
				m.m.Add(c)
				_ = m.m.Len()
				if got, err := m.m.Get(c.id); err != nil || got != Conn(c) {
					t.Errorf("Get(%d) right after Add: %v, %v", c.id, got, err)
					return
				}
				m.m.Remove(c)
			}
		}()
	}
	within(t, "8 goroutines adding, getting and removing", wg.Wait)
	assert.Zero(t, m.Len())
}
