package znet_test

import (
	"bufio"
	"encoding/binary"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v1.0-epoll/znet"
)

// TestSendBuffMsgFromManyGoroutinesAllArrive is the lost wake-up pitfall's
// test (the pitfalls table of docs/v1.0-epoll.md) through the API: 8
// goroutines push 20,000 frames each with SendBuffMsg, which only queues and
// asks the loop to write, while the loop is also busy echoing a second
// client. A wake lost between a producer and the loop clearing its flag
// would leave frames in the ring until the deadline; every frame must
// arrive, each goroutine's in its order.
func TestSendBuffMsgFromManyGoroutinesAllArrive(t *testing.T) {
	cfg := testConfig()
	cfg.MaxMsgChanLen = 1 << 16 // room for the whole push: this test is about wake-ups, not the cap
	s, starts := startPushServer(t, znet.WithConfig(cfg))
	client := dial(t, s)
	conn := serverSide(t, starts)
	busy := dial(t, s)
	serverSide(t, starts)

	const producers, each = 8, 20000
	stopBusy := make(chan struct{})
	var busyWG sync.WaitGroup
	busyWG.Add(1)
	go func() { // keeps the loop turning, with requests of its own
		defer busyWG.Done()
		for {
			select {
			case <-stopBusy:
				return
			default:
			}
			if _, err := busy.Write(frame(1, "spin")); err != nil {
				return
			}
			if _, _, err := readFrameErr(busy); err != nil {
				return
			}
		}
	}()
	defer func() { close(stopBusy); busyWG.Wait() }()

	var wg sync.WaitGroup
	for g := range uint32(producers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range uint32(each) {
				if err := conn.SendBuffMsg(g, binary.LittleEndian.AppendUint32(nil, i)); err != nil {
					t.Errorf("producer %d, frame %d: %v", g, i, err)
					return
				}
			}
		}()
	}
	r := bufio.NewReader(client)
	next := make([]uint32, producers)
	for n := range producers * each {
		if n%1024 == 0 {
			// A lost wake stalls the frames: the deadline is on a stall, not
			// on the whole push, which a loaded machine may take longer over.
			require.NoError(t, client.SetReadDeadline(time.Now().Add(waitLimit)))
		}
		id, data := readFrame(t, r)
		require.Less(t, id, uint32(producers), "frame %d", n)
		require.Equal(t, next[id], binary.LittleEndian.Uint32([]byte(data)), "producer %d's frames out of order", id)
		next[id]++
	}
	wg.Wait()
	for g, n := range next {
		assert.Equal(t, uint32(each), n, "producer %d", g)
	}
}
