package znet

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A loop's requests cost two allocations per reqBlockLen of them when
// their payloads are small: a block of Requests and a chunk their payloads
// share. A payload over smallPayload gets an allocation of its own, and the
// chunk is not spent on it.
func TestLoopAllocatesRequestsInBlocks(t *testing.T) {
	c := &Connection{}
	small, big := bytes.Repeat([]byte{'s'}, 64), bytes.Repeat([]byte{'b'}, smallPayload+1)
	var a readAlloc
	fill := func(payload []byte) func() {
		return func() {
			a = readAlloc{}
			for range reqBlockLen {
				a.request(c, 7, payload)
			}
		}
	}
	assert.Equal(t, 2.0, testing.AllocsPerRun(20, fill(small)),
		"allocations for %d small requests: one Request block, one payload chunk", reqBlockLen)
	assert.Equal(t, float64(1+reqBlockLen), testing.AllocsPerRun(20, fill(big)),
		"allocations for %d big requests: one Request block, and one per payload", reqBlockLen)
	assert.Nil(t, a.chunk, "a big payload must not take a chunk")

	a = readAlloc{}
	r := a.request(c, 7, []byte("abc"))
	require.Equal(t, "abc", string(r.GetData()))
	assert.Equal(t, uint32(7), r.GetMsgID())
	assert.Equal(t, uint32(3), r.msg.DataLen)
	assert.Equal(t, 3, cap(r.GetData()), "an append to the data must copy, not write into the next payload")
}
