package maxconn

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

// within fails the test if f has not returned within bound.
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
		t.Fatalf("%s did not return within %v: a deadlock?", what, bound)
	}
}

// record counts the hooks: per id, what ran in order, and how many
// connections were between their two hooks at most.
type record struct {
	mu      sync.Mutex
	events  map[uint32][]string
	live    int
	maxLive int
}

func newRecord() *record { return &record{events: make(map[uint32][]string)} }

func (r *record) start(id uint32) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events[id] = append(r.events[id], "start")
	r.live++
	r.maxLive = max(r.maxLive, r.live)
}

func (r *record) stop(id uint32) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events[id] = append(r.events[id], "stop")
	r.live--
}

func TestOpenUpToMaxConn(t *testing.T) {
	r := newRecord()
	c := New(2, r.start, r.stop)
	a, ok := c.Open()
	require.True(t, ok)
	b, ok := c.Open()
	require.True(t, ok)
	assert.NotEqual(t, a, b)
	_, ok = c.Open()
	assert.False(t, ok, "a third connection is refused")
	assert.Equal(t, 2, c.Len())
	c.Close(a)
	_, ok = c.Open()
	assert.True(t, ok, "a slot frees when a connection closes")
}

// TestMaxConnUnderAStorm: 40 goroutines open and close as fast as they can.
// The number of connections between their two hooks never exceeds
// maxConn, and every hook pair is start then stop.
func TestMaxConnUnderAStorm(t *testing.T) {
	const maxConn = 3
	r := newRecord()
	c := New(maxConn, r.start, r.stop)
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3000 {
				if id, ok := c.Open(); ok {
					c.Close(id)
				}
			}
		}()
	}
	within(t, "the storm", wg.Wait)
	r.mu.Lock()
	defer r.mu.Unlock()
	assert.LessOrEqual(t, r.maxLive, maxConn, "more than maxConn connections at once")
	assert.Zero(t, r.live)
	assert.Zero(t, c.Len())
}

// TestCloseFromManyGoroutinesRunsOnStopOnce: the reader, the writer and
// Stop may all close one connection at once.
func TestCloseFromManyGoroutinesRunsOnStopOnce(t *testing.T) {
	r := newRecord()
	c := New(1, r.start, r.stop)
	id, ok := c.Open()
	require.True(t, ok)
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Close(id)
		}()
	}
	within(t, "ten Closes", wg.Wait)
	c.Close(id)
	c.Close(12345) // never opened
	r.mu.Lock()
	defer r.mu.Unlock()
	assert.Equal(t, []string{"start", "stop"}, r.events[id])
}

// TestOnStartMayCloseItsConnection: a start hook that rejects its client
// calls Close from inside onStart. onStop must still run once, after
// onStart has returned, and nothing may deadlock.
func TestOnStartMayCloseItsConnection(t *testing.T) {
	r := newRecord()
	var c *Conns
	c = New(1, func(id uint32) {
		c.Close(id)
		r.start(id) // still inside onStart: onStop must not have run yet
	}, r.stop)
	var id uint32
	within(t, "Open", func() {
		var ok bool
		id, ok = c.Open()
		assert.True(t, ok)
	})
	r.mu.Lock()
	assert.Equal(t, []string{"start", "stop"}, r.events[id])
	r.mu.Unlock()
	assert.Zero(t, c.Len(), "its slot is free again")
}

// TestSlotFreesAfterOnStop: while onStop runs, the connection still holds
// its slot.
func TestSlotFreesAfterOnStop(t *testing.T) {
	inStop, release := make(chan struct{}), make(chan struct{})
	var releaseOnce sync.Once
	free := func() { releaseOnce.Do(func() { close(release) }) }
	defer free() // a failing test still lets onStop, and Close, return
	c := New(1, func(uint32) {}, func(uint32) {
		close(inStop)
		<-release
	})
	id, ok := c.Open()
	require.True(t, ok)
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		c.Close(id)
	}()
	select {
	case <-inStop:
	case <-time.After(bound):
		t.Fatalf("Close did not run onStop within %v", bound)
	}
	within(t, "Open while onStop runs (no lock may be held during a hook)", func() { _, ok = c.Open() })
	assert.False(t, ok, "the slot is still taken while onStop runs")
	free()
	within(t, "Close", func() { <-closed })
	_, ok = c.Open()
	assert.True(t, ok)
}

// TestHooksMayUseConns: hooks call Len, as a stop hook that logs the count
// does. No lock may be held while a hook runs.
func TestHooksMayUseConns(t *testing.T) {
	var c *Conns
	var lens []int
	c = New(2, func(uint32) { lens = append(lens, c.Len()) }, func(uint32) { lens = append(lens, c.Len()) })
	within(t, "Open and Close", func() {
		id, _ := c.Open()
		c.Close(id)
	})
	assert.Equal(t, []int{1, 1}, lens)
}

// TestIDsSkipOpenOnesAfterWrapping: after 2³² Opens the counter wraps; an
// id still open must not be given out again.
func TestIDsSkipOpenOnesAfterWrapping(t *testing.T) {
	c := New(3, func(uint32) {}, func(uint32) {})
	first, ok := c.Open()
	require.True(t, ok)
	require.Equal(t, uint32(0), first)
	c.mu.Lock()
	c.next = 1<<32 - 1 // as if four billion connections had come and gone
	c.mu.Unlock()
	last, _ := c.Open()
	assert.Equal(t, uint32(1<<32-1), last)
	wrapped, ok := c.Open()
	require.True(t, ok)
	assert.Equal(t, uint32(1), wrapped, "id 0 is still open")
}
