package znet_test

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v1.0-epoll/ziface"
	"zinx/v1.0-epoll/znet"
)

// The loop cuts payloads from shared chunks (readalloc.go) and SendMsg
// copies replies into the connection's outbound ring or packs them on the
// stack (conn.sendMsg). These tests hold both to the contracts a handler
// relies on: its request's data is its own, for as long as it keeps it, and
// SendMsg has copied data by the time it returns.

// keepRouter keeps every request's data, appends to it as a careless
// handler might, and echoes it.
type keepRouter struct {
	znet.BaseRouter
	mu   *sync.Mutex
	kept *[][]byte
}

func (r keepRouter) Handle(req ziface.IRequest) {
	data := req.GetData()
	_ = append(data, '!') // must not write into the next request's payload
	r.mu.Lock()
	*r.kept = append(*r.kept, data)
	r.mu.Unlock()
	_ = req.GetConnection().SendMsg(req.GetMsgID(), data)
}

// payloadOf is request i's payload: sizes from 0 to past the small-payload
// bound, so that requests share chunks, cross from one chunk to the next,
// and sometimes get an allocation of their own.
func payloadOf(i int) string {
	return strings.Repeat(string(rune('a'+i%26)), (i*37)%700)
}

func TestHandlerMayKeepRequestData(t *testing.T) {
	var mu sync.Mutex
	var kept [][]byte
	s := startServer(t, keepRouter{mu: &mu, kept: &kept}, withPool(1, 16))
	conn := dial(t, s)

	const n = 300 // about 100 KB: many chunks of payloads
	var burst []byte
	for i := range n {
		burst = append(burst, frame(uint32(i%testIDs), payloadOf(i))...)
	}
	_, err := conn.Write(burst)
	require.NoError(t, err)
	for i := range n {
		_, data := readFrame(t, conn)
		require.Equal(t, payloadOf(i), data, "reply %d", i)
	}

	// Every reply is in, so every handler has returned; the loop has gone
	// on to read (and cut from its chunks) all the later requests.
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, kept, n)
	for i, data := range kept {
		assert.Equal(t, payloadOf(i), string(data), "request %d's data, kept by its handler, changed later", i)
	}
}

// reuseRouter replies twice to each request from one buffer, which it
// overwrites as soon as SendMsg returns: the course's SendMsg contract lets
// a caller do that.
type reuseRouter struct {
	znet.BaseRouter
	buf []byte // one worker runs every handler, one at a time
}

func (r *reuseRouter) Handle(req ziface.IRequest) {
	for k := range 2 {
		r.buf = fmt.Appendf(r.buf[:0], "%s/%d", req.GetData(), k)
		_ = req.GetConnection().SendMsg(req.GetMsgID(), r.buf)
		for j := range r.buf {
			r.buf[j] = '#'
		}
	}
}

func TestSendMsgCopiesDataBeforeReturning(t *testing.T) {
	s := startServer(t, &reuseRouter{}, withPool(1, 16))
	conns := []*net.TCPConn{dial(t, s), dial(t, s)}

	const n = 200 // per connection, all sent at once: replies queue up in the outbound rings
	for c, conn := range conns {
		var burst []byte
		for i := range n {
			burst = append(burst, frame(1, fmt.Sprintf("c%d-%d", c, i))...)
		}
		_, err := conn.Write(burst)
		require.NoError(t, err)
	}
	for c, conn := range conns {
		for i := range n {
			for k := range 2 {
				_, data := readFrame(t, conn)
				require.Equal(t, fmt.Sprintf("c%d-%d/%d", c, i, k), data)
			}
		}
	}
}

// sendBuffAllocRouter measures, in its handler, what SendBuffMsg allocates
// per reply.
type sendBuffAllocRouter struct {
	znet.BaseRouter
	allocs chan<- float64
}

func (r sendBuffAllocRouter) Handle(req ziface.IRequest) {
	conn, id, data := req.GetConnection(), req.GetMsgID(), req.GetData()
	r.allocs <- testing.AllocsPerRun(50, func() { _ = conn.SendBuffMsg(id, data) })
}

// TestSendBuffMsgAllocatesNothing: the chapter 9 routers answer with
// SendBuffMsg, so its reply is packed straight into the outbound ring, as
// SendMsg's is, not into a frame of its own first.
func TestSendBuffMsgAllocatesNothing(t *testing.T) {
	allocs := make(chan float64, 1)
	s := startServer(t, sendBuffAllocRouter{allocs: allocs}, withPool(1, 16))
	conn := dial(t, s)
	_, err := conn.Write(frame(1, "ping"))
	require.NoError(t, err)
	// The replies wait in the socket until the handler has measured: the
	// client's reads allocate, and would be counted.
	assert.Zero(t, <-allocs, "allocations per SendBuffMsg")
	for range 51 { // AllocsPerRun calls once more to warm up
		_, data := readFrame(t, conn)
		require.Equal(t, "ping", data)
	}
}
