package znet

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A burst of 16 frames, all read in by one read, costs three allocations:
// a block of one Request (nothing was buffered yet when the first was
// needed), a block for the other 15, and one chunk for all 16 payloads. And
// once the burst is used up, the reader holds no chunk through the next,
// possibly long, read.
func TestReaderAllocatesPerBurstAndHoldsNothingIdle(t *testing.T) {
	dp := NewDataPackWithLimit(0)
	var burst []byte
	for i := range 16 {
		var err error
		burst, err = dp.appendFrame(burst, 1, bytes.Repeat([]byte{byte('a' + i)}, 64))
		require.NoError(t, err)
	}
	src := bytes.NewReader(burst)
	r := bufio.NewReader(src)
	c := &Connection{}
	alloc := &readAlloc{r: r}

	readBurst := func() {
		src.Reset(burst)
		r.Reset(src)
		*alloc = readAlloc{r: r}
		for range 16 {
			req := alloc.request(c)
			require.NoError(t, dp.readMsgInto(r, &req.msg, alloc))
		}
	}
	assert.Equal(t, 3.0, testing.AllocsPerRun(20, readBurst),
		"allocations for a burst of 16: a Request block of 1, one of 15, one payload chunk")

	readBurst()
	alloc.request(c) // nothing buffered: the reader is about to wait for the client
	assert.Nil(t, alloc.chunk, "the payload chunk of the last burst is held through an idle wait")
}
