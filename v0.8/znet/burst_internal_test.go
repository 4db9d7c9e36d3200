package znet

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBurstEndsWhereTheBufferedFramesEnd reads frames the way the reader
// does and asks after each whether to queue the burst: only when the next
// frame is not all buffered, its payload would pass the limit, or maxBurst
// requests are in.
func TestBurstEndsWhereTheBufferedFramesEnd(t *testing.T) {
	dp := NewDataPack()
	stream := func(frames int, tail []byte) *bufio.Reader {
		var b []byte
		for range frames {
			var err error
			b, err = dp.appendFrame(b, 1, []byte("payload"))
			require.NoError(t, err)
		}
		r := bufio.NewReader(bytes.NewReader(append(b, tail...)))
		_, err := r.Peek(1) // one read brings it all in, as one from a socket would
		require.NoError(t, err)
		return r
	}
	readInto := func(r *bufio.Reader, b *burst) {
		req := &Request{}
		require.NoError(t, dp.readMsgInto(r, &req.msg, nil))
		b.add(req)
	}

	half, err := dp.appendFrame(nil, 1, []byte("half of it"))
	require.NoError(t, err)
	r, b := stream(3, half[:len(half)/2]), &burst{}
	for i := range 3 {
		readInto(r, b)
		assert.Equal(t, i == 2, b.full(r, 4096), "after frame %d of 3, with half a frame behind them", i+1)
	}
	r, b = stream(3, half[:3]), &burst{} // not even the next header
	for range 3 {
		readInto(r, b)
	}
	assert.True(t, b.full(r, 4096), "a partial header is not a frame")

	r, b = stream(4, nil), &burst{} // payloads of 7 bytes: two fit in 14
	readInto(r, b)
	assert.False(t, b.full(r, 14), "a second payload fits the limit")
	readInto(r, b)
	assert.True(t, b.full(r, 14), "a third would pass it")

	r, b = stream(maxBurst+4, nil), &burst{}
	for i := range maxBurst {
		readInto(r, b)
		assert.Equal(t, i == maxBurst-1, b.full(r, 4096), "after frame %d, with more buffered", i+1)
	}
	first := b.take()
	n := 0
	for req := first; req != nil; req = req.next {
		n++
	}
	assert.Equal(t, maxBurst, n, "take returns the requests linked in order")
	assert.Nil(t, b.take(), "and leaves the burst empty")
}
