package pool

import (
	"fmt"
	"runtime"
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

// holdTime is how long a test watches for something that must not happen,
// such as a Submit returning while its queue is full; no event can stand
// in for it.
const holdTime = 100 * time.Millisecond

// events records what the handlers do, in order, from any goroutine.
type events struct {
	mu  sync.Mutex
	log []string
	ch  chan string
}

func newEvents() *events { return &events{ch: make(chan string, 4096)} }

func (e *events) add(s string) {
	e.mu.Lock()
	e.log = append(e.log, s)
	e.mu.Unlock()
	e.ch <- s
}

// next waits for the next event.
func (e *events) next(t *testing.T) string {
	t.Helper()
	select {
	case s := <-e.ch:
		return s
	case <-time.After(bound):
		t.Fatalf("no handler event within %v", bound)
		return ""
	}
}

func TestEachConnectionKeepsItsOrder(t *testing.T) {
	const conns, perConn = 6, 200
	var mu sync.Mutex
	seen := make(map[uint32][]int)
	var done sync.WaitGroup
	done.Add(conns * perConn)
	p := NewPool(3, 8, func(r *Request) {
		defer done.Done()
		runtime.Gosched() // let others overtake, if anything lets them
		var n int
		fmt.Sscan(string(r.Data), &n)
		mu.Lock()
		seen[r.ConnID] = append(seen[r.ConnID], n)
		mu.Unlock()
	})
	defer p.Stop()

	var submitters sync.WaitGroup
	for c := range uint32(conns) {
		submitters.Add(1)
		go func() { // one reader per connection, as a server has
			defer submitters.Done()
			for i := range perConn {
				p.Submit(&Request{ConnID: c, Data: []byte(fmt.Sprint(i))})
			}
		}()
	}
	waitGroup(t, &submitters, "every Submit returned")
	waitGroup(t, &done, "every request handled")

	mu.Lock()
	defer mu.Unlock()
	for c := range uint32(conns) {
		want := make([]int, perConn)
		for i := range want {
			want[i] = i
		}
		require.Equal(t, want, seen[c], "connection %d's requests must run in the order they were submitted", c)
	}
}

// gated returns a handler that records "start X" and "end X" and holds the
// request whose data is "block" until release is closed.
func gated(e *events, release <-chan struct{}) func(*Request) {
	return func(r *Request) {
		e.add(fmt.Sprintf("start %d %s", r.ConnID, r.Data))
		if string(r.Data) == "block" {
			<-release
		}
		e.add(fmt.Sprintf("end %d %s", r.ConnID, r.Data))
	}
}

func TestWorkerIsConnIDModuloSize(t *testing.T) {
	e, release := newEvents(), make(chan struct{})
	p := NewPool(3, 8, gated(e, release))
	defer p.Stop()
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()

	p.Submit(&Request{ConnID: 0, Data: []byte("block")})
	require.Equal(t, "start 0 block", e.next(t))
	p.Submit(&Request{ConnID: 3, Data: []byte("same worker")}) // 3 % 3 == 0
	p.Submit(&Request{ConnID: 1, Data: []byte("other worker")})
	require.Equal(t, "start 1 other worker", e.next(t), "connection 1 has a worker of its own: it runs while worker 0 is held")
	require.Equal(t, "end 1 other worker", e.next(t))

	close(release)
	assert.Equal(t, []string{"end 0 block", "start 3 same worker", "end 3 same worker"},
		[]string{e.next(t), e.next(t), e.next(t)},
		"connection 3 shares worker 0 with connection 0: it must wait for it")
}

func TestFullQueueMakesSubmitWait(t *testing.T) {
	e, release := newEvents(), make(chan struct{})
	p := NewPool(1, 2, gated(e, release))
	defer p.Stop()

	p.Submit(&Request{ConnID: 0, Data: []byte("block")})
	require.Equal(t, "start 0 block", e.next(t))
	p.Submit(&Request{ConnID: 0, Data: []byte("q1")}) // the queue holds two
	p.Submit(&Request{ConnID: 0, Data: []byte("q2")})

	submitted := make(chan struct{})
	go func() {
		defer close(submitted)
		p.Submit(&Request{ConnID: 0, Data: []byte("q3")})
	}()
	select {
	case <-submitted:
		close(release)
		t.Fatal("Submit returned while the worker's queue was full: it must wait, or memory has no bound")
	case <-time.After(holdTime):
	}

	close(release)
	select {
	case <-submitted:
	case <-time.After(bound):
		t.Fatalf("Submit still waiting %v after the queue drained", bound)
	}
	var got []string
	for range 7 {
		got = append(got, e.next(t))
	}
	assert.Equal(t, []string{"end 0 block", "start 0 q1", "end 0 q1", "start 0 q2", "end 0 q2", "start 0 q3", "end 0 q3"},
		got, "nothing dropped, nothing reordered")
}

func TestStopWaitsForTheWorkers(t *testing.T) {
	e, release := newEvents(), make(chan struct{})
	p := NewPool(2, 4, gated(e, release))
	p.Submit(&Request{ConnID: 1, Data: []byte("block")})
	require.Equal(t, "start 1 block", e.next(t))

	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		p.Stop()
	}()
	select {
	case <-stopped:
		close(release)
		t.Fatal("Stop returned while a worker was still running a request")
	case <-time.After(holdTime):
	}
	close(release)
	select {
	case <-stopped:
	case <-time.After(bound):
		t.Fatalf("Stop did not return within %v of the request finishing", bound)
	}
	goleak.VerifyNone(t) // Stop has returned: no worker may be left
}

func waitGroup(t *testing.T, wg *sync.WaitGroup, what string) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * bound):
		t.Fatalf("%s: not within %v", what, 5*bound)
	}
}
