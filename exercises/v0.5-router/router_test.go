package router

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// bound is how long a test waits for something that should happen at once.
const bound = 2 * time.Second

// holdTime is how long a test keeps a handler blocked. A Serve that does not
// wait for its handlers returns within microseconds, far inside it; the
// wait is for something that must not happen, so no event can replace it.
const holdTime = 100 * time.Millisecond

// recorder is a router that records every call as "pre 1", "handle 1",
// "post 1", and panics in the method and message named by panicAt.
type recorder struct {
	BaseRouter
	mu      sync.Mutex
	calls   []string
	panicAt string // e.g. "handle 13"
	hold    func(*Request)
}

func (r *recorder) record(hook string, req *Request) {
	call := fmt.Sprintf("%s %d", hook, req.MsgID)
	r.mu.Lock()
	r.calls = append(r.calls, call)
	r.mu.Unlock()
	if call == r.panicAt {
		panic("boom in " + hook) // no id: the error itself must name it
	}
}

func (r *recorder) PreHandle(req *Request) { r.record("pre", req) }

func (r *recorder) Handle(req *Request) {
	r.record("handle", req)
	if r.hold != nil {
		r.hold(req)
	}
}

func (r *recorder) PostHandle(req *Request) { r.record("post", req) }

func (r *recorder) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

// requests returns a closed channel holding one request per id.
func requests(conn uint32, ids ...uint32) <-chan *Request {
	ch := make(chan *Request, len(ids))
	for _, id := range ids {
		ch <- &Request{ConnID: conn, MsgID: id, Data: []byte("ping")}
	}
	close(ch)
	return ch
}

// serve runs Serve on its own goroutine and returns its result channel.
func serve(r IRouter, reqs <-chan *Request) <-chan error {
	done := make(chan error, 1)
	go func() { done <- Serve(r, reqs) }()
	return done
}

// wait waits for Serve to return.
func wait(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(bound):
		t.Fatalf("Serve did not return within %v", bound)
		return nil
	}
}

func TestServeRunsHooksInOrder(t *testing.T) {
	r := &recorder{}
	err := wait(t, serve(r, requests(1, 1, 2, 3)))
	require.NoError(t, err, "reqs was closed and nothing panicked: Serve must return nil")
	require.Equal(t, []string{
		"pre 1", "handle 1", "post 1",
		"pre 2", "handle 2", "post 2",
		"pre 3", "handle 3", "post 3",
	}, r.got(), "Serve must run PreHandle, Handle and PostHandle, in that order, and finish one request before the next; "+
		"when it returns, every call must have happened")
}

// TestServeWaitsForHandler holds Handle and checks that Serve neither takes
// the next request nor returns until Handle has finished.
func TestServeWaitsForHandler(t *testing.T) {
	entered, released := make(chan struct{}), make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(released) }) }
	t.Cleanup(release) // never leave Handle held
	r := &recorder{hold: func(req *Request) {
		if req.MsgID == 1 {
			close(entered)
			<-released
		}
	}}
	done := serve(r, requests(1, 1, 2))
	select {
	case <-entered:
	case <-time.After(bound):
		t.Fatalf("Handle was not called within %v", bound)
	}
	select {
	case <-done:
		t.Fatal("Serve returned while Handle was still running: it must finish each request before it returns")
	case <-time.After(holdTime):
	}
	require.Equal(t, []string{"pre 1", "handle 1"}, r.got(),
		"while Handle of message 1 runs, nothing else may run: not its PostHandle, not message 2")
	release()
	require.NoError(t, wait(t, done))
	require.Equal(t, []string{"pre 1", "handle 1", "post 1", "pre 2", "handle 2", "post 2"}, r.got())
}

func TestBaseRouterEmbedding(t *testing.T) {
	var ids []uint32
	r := handleOnlyRouter{ids: &ids}
	require.NoError(t, wait(t, serve(r, requests(1, 7, 8))))
	require.Equal(t, []uint32{7, 8}, ids, "Serve must call Handle once per request, in order")
}

// handleOnlyRouter embeds BaseRouter and writes only Handle: BaseRouter
// supplies PreHandle and PostHandle.
type handleOnlyRouter struct {
	BaseRouter
	ids *[]uint32
}

func (r handleOnlyRouter) Handle(req *Request) { *r.ids = append(*r.ids, req.MsgID) }

// TestPanicStaysInItsConnection makes one router method panic on message 13
// of connection 1, while connection 2 is served alongside. The panic must
// end only connection 1's Serve, with an error; connection 2 carries on.
func TestPanicStaysInItsConnection(t *testing.T) {
	for _, hook := range []string{"pre", "handle", "post"} {
		t.Run("panic in "+hook, func(t *testing.T) {
			bad := &recorder{panicAt: hook + " 13"}
			good := &recorder{panicAt: hook + " 13"} // same router, no message 13
			other := make(chan *Request)
			otherDone := serve(good, other)

			err := wait(t, serve(bad, requests(1, 1, 13, 2)))
			require.ErrorIs(t, err, ErrHandlerPanic, "a panic in %s must be recovered and returned as an error wrapping ErrHandlerPanic", hook)
			require.Regexp(t, `\b13\b`, err.Error(), "the error must name the message id")
			require.Contains(t, err.Error(), "boom in "+hook, "the error must carry the panic value")
			want := map[string][]string{
				"pre":    {"pre 1", "handle 1", "post 1", "pre 13"},
				"handle": {"pre 1", "handle 1", "post 1", "pre 13", "handle 13"},
				"post":   {"pre 1", "handle 1", "post 1", "pre 13", "handle 13", "post 13"},
			}[hook]
			require.Equal(t, want, bad.got(), "after the panic, none of message 13's remaining methods may run, and message 2 may not be taken")

			for _, id := range []uint32{3, 4} {
				select {
				case other <- &Request{ConnID: 2, MsgID: id}:
				case <-time.After(bound):
					t.Fatalf("connection 2 stopped taking requests after connection 1's panic")
				}
			}
			close(other)
			require.NoError(t, wait(t, otherDone))
			require.Equal(t, []string{"pre 3", "handle 3", "post 3", "pre 4", "handle 4", "post 4"}, good.got(),
				"the other connection must carry on")
		})
	}
}
