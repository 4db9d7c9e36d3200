package connmgr

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// conn is a connection with an id that does nothing else.
type conn struct{ id uint32 }

func (c *conn) GetConnID() uint32 { return c.id }
func (c *conn) Stop()             {}

func TestAddGetLen(t *testing.T) {
	m := NewConnManager()
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
	m := NewConnManager()
	m.Add(&conn{1})
	got, err := m.Get(9)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Nil(t, got)
}

func TestRemove(t *testing.T) {
	m := NewConnManager()
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
	m := NewConnManager()
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
	m := NewConnManager()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				c := &conn{uint32(g*1000 + i)}
				m.Add(c)
				_ = m.Len()
				if got, err := m.Get(c.id); err != nil || got != Conn(c) {
					t.Errorf("Get(%d) right after Add: %v, %v", c.id, got, err)
					return
				}
				m.Remove(c)
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, m.Len())
}
