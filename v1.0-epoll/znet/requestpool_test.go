package znet_test

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v1.0-epoll/ziface"
	"zinx/v1.0-epoll/znet"
)

// withRequestPool returns the option for a test server with RequestPoolMode
// on or off and size workers.
func withRequestPool(on bool, size uint32) znet.Option {
	cfg := testConfig()
	cfg.RequestPoolMode, cfg.WorkerPoolSize = on, size
	return znet.WithConfig(cfg)
}

// seenRouter echoes every request and remembers each Request it was given.
// Keeping them is what RequestPoolMode forbids; the test does it only to
// compare addresses, never to read them.
type seenRouter struct {
	znet.BaseRouter
	mu      *sync.Mutex
	seen    map[ziface.IRequest]int
	repeats *atomic.Int64
}

func (r seenRouter) Handle(req ziface.IRequest) {
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen[req]++; r.seen[req] > 1 {
		r.repeats.Add(1)
	}
}

// TestRequestPoolModeRecyclesRequests: with RequestPoolMode a handler is
// given Requests it has been given before, recycled from earlier entries,
// and every reply is still right; without it, never, since a handler may
// keep its request.
func TestRequestPoolModeRecyclesRequests(t *testing.T) {
	for _, pooled := range []bool{false, true} {
		for _, workers := range []uint32{0, 2} {
			t.Run(fmt.Sprintf("RequestPoolMode=%v/WorkerPoolSize=%d", pooled, workers), func(t *testing.T) {
				router := seenRouter{mu: new(sync.Mutex), seen: map[ziface.IRequest]int{}, repeats: new(atomic.Int64)}
				s := startServer(t, router, withRequestPool(pooled, workers))
				conn := dial(t, s)
				const requests = 64
				for i := range requests {
					payload := fmt.Sprint("request ", i)
					id, data := roundTrip(t, conn, 1, payload)
					require.Equal(t, uint32(1), id)
					require.Equal(t, payload, data)
				}
				if pooled {
					assert.Positive(t, router.repeats.Load(), "%d requests one after the other, and not one Request recycled", requests)
				} else {
					assert.Zero(t, router.repeats.Load(), "a Request was given out twice, though a handler may keep it")
				}
			})
		}
	}
}

// TestRequestPoolModeKeepsEveryReply: pipelined frames of many sizes, on a
// few connections at once, each answered byte for byte. An arena recycled
// while a handler of its entry still ran, or a payload moved under a request
// as the arena grew, would answer with another request's bytes.
func TestRequestPoolModeKeepsEveryReply(t *testing.T) {
	for _, workers := range []uint32{0, 2} {
		t.Run(fmt.Sprint("WorkerPoolSize=", workers), func(t *testing.T) {
			s := startServer(t, echoRouter{}, withRequestPool(true, workers))
			const conns, frames = 3, 300
			var wg sync.WaitGroup
			errs := make(chan error, conns)
			for c := range conns {
				conn := dial(t, s)
				var burst []byte
				var want []string
				for i := range frames {
					payload := fmt.Sprintf("%d/%d/", c, i) + strings.Repeat(string(rune('a'+i%26)), i*7%700)
					burst = append(burst, frame(uint32(i%testIDs), payload)...)
					want = append(want, payload)
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := conn.Write(burst); err != nil {
						errs <- err
					}
				}()
				for i, payload := range want {
					id, data := readFrame(t, conn)
					require.Equal(t, uint32(i%testIDs), id, "connection %d, reply %d", c, i)
					require.Equal(t, payload, data, "connection %d, reply %d", c, i)
				}
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
		})
	}
}

// TestRequestPoolModeRequeuedRequestKeepsItsData: a handler that queues its
// request again (SendMsgToTaskQueue) with RequestPoolMode gets it run again
// with its own data, though its entry's arena is recycled as soon as the
// entry is done: what waits in the queue is a copy.
func TestRequestPoolModeRequeuedRequestKeepsItsData(t *testing.T) {
	cfg := testConfig()
	cfg.RequestPoolMode, cfg.WorkerPoolSize, cfg.MaxWorkerTaskLen = true, 1, 16
	s := startServer(t, requeueRouter{done: new(atomic.Bool)}, znet.WithConfig(cfg))
	requireRequeuedRequestRunsAlone(t, s)
}
