package znet

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDrainWritesWhatIsQueuedThenRefuses holds the writer inside a write
// with the send queue full and a sender waiting for room, then drains the
// queue, as the reader does when its client half-closes. The waiting sender
// and any later one get ErrConnClosed; every frame queued before the drain
// is written, in order; and the writer returns on its own, without Stop.
func TestDrainWritesWhatIsQueuedThenRefuses(t *testing.T) {
	c, _ := idleConnection(t)
	out, done := holdFirstWrite(t, c)
	var want []byte
	for i := range c.queue.limit {
		require.NoError(t, c.SendMsg(1, []byte("queued")), "frame %d fits", i)
		want = append(want, packed(t, c, 1, []byte("queued"))...)
	}
	waiting := make(chan error, 1)
	go func() { waiting <- c.SendMsg(2, []byte("waits for room")) }()
	waitBlockedIn(t, "(*Connection).SendMsg")

	c.queue.drain()
	close(out.gate)
	select {
	case err := <-waiting:
		assert.True(t, errors.Is(err, ErrConnClosed), "a sender waiting for room when the drain began: %v", err)
	case <-time.After(testWait):
		t.Fatal("the sender waiting for room was not released")
	}
	assert.ErrorIs(t, c.SendMsg(3, []byte("late")), ErrConnClosed, "a send after the drain began")

	assert.Equal(t, packed(t, c, 0, []byte("first")), recv(t, out.writes))
	assert.Equal(t, want, recv(t, out.writes), "every frame queued before the drain, in one last write")
	select {
	case <-done:
	case <-time.After(testWait):
		t.Fatal("the writer did not return after its last batch")
	}
	assert.False(t, c.isClosed(), "the writer returned on its own; startWriter's Stop ends the connection")
	assert.Empty(t, out.writes, "nothing after the last batch")
}
