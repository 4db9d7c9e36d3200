package znet

import (
	"context"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"zinx/v0.9/utils"
	"zinx/v0.9/ziface"
)

// waitLimit bounds every wait in these tests: a failure deadline, never a pause.
const waitLimit = 5 * time.Second

// startBusy starts a server on a free loopback port with one connection
// whose handler is blocked on a channel rather than on its socket, as a
// stuck handler would be: closing the connection does not end it. release
// lets it go; the test defers it, in case it fails before it does.
func startBusy(t *testing.T, opts ...Option) (s *Server, release func()) {
	t.Helper()
	router := blockingRouter{started: make(chan struct{}, 1), release: make(chan struct{})}
	base := []Option{WithConfig(utils.Defaults()), WithAddr("127.0.0.1:0")}
	s = NewServer(append(base, opts...)...).(*Server)
	s.AddRouter(1, router)
	require.NoError(t, s.Start())
	conn, err := net.Dial("tcp", s.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	_, err = conn.Write([]byte{0, 0, 0, 0, 1, 0, 0, 0}) // an empty message, id 1
	require.NoError(t, err)
	select {
	case <-router.started:
	case <-time.After(waitLimit):
		t.Fatalf("the handler did not start within %v", waitLimit)
	}
	var once sync.Once
	return s, func() { once.Do(func() { close(router.release) }) }
}

// blockingRouter's Handle says it has started, then blocks until release
// is closed.
type blockingRouter struct {
	BaseRouter
	started chan struct{}
	release chan struct{}
}

func (r blockingRouter) Handle(ziface.IRequest) {
	r.started <- struct{}{}
	<-r.release
}

// returnsWithin waits for f's result, failing the test after waitLimit.
func returnsWithin(t *testing.T, what string, f func() error) error {
	t.Helper()
	res := make(chan error, 1)
	go func() { res <- f() }()
	select {
	case err := <-res:
		return err
	case <-time.After(waitLimit):
		t.Fatalf("%s did not return within %v", what, waitLimit)
		return nil
	}
}

func TestShutdownGivesUpAtTheDeadlineAndStopStillWaits(t *testing.T) {
	s, release := startBusy(t)
	defer release()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err := returnsWithin(t, "Shutdown past its deadline", func() error { return s.Shutdown(ctx) })
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "1 worker(s) still busy")
	_, dialErr := net.Dial("tcp", s.Addr().String())
	assert.Error(t, dialErr, "the listener closes even when Shutdown gives up")

	// The goroutine Shutdown gave up on is not abandoned: Stop waits for it.
	// The release comes a little later, from elsewhere, so a Stop that did
	// not wait would return first and see the connection still tracked.
	time.AfterFunc(20*time.Millisecond, release)
	within(t, "Stop after the release", s.Stop)
	assert.Zero(t, s.connMgr.Len(), "Stop returned before the busy goroutine exited")
	goleak.VerifyNone(t)
}

// within runs f and fails the test if it has not returned within waitLimit.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	require.NoError(t, returnsWithin(t, what, func() error { f(); return nil }))
}

func TestServeStopsCatchingSignalsBeforeItWaits(t *testing.T) {
	s, release := startBusy(t, WithShutdownTimeout(time.Hour)) // only release ends the wait
	defer release()

	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the first signal
	stoppedCatching := make(chan struct{})
	served := make(chan error, 1)
	go func() { served <- s.serve(ctx, func() { close(stoppedCatching) }) }()

	// A second signal must find Go's default handling, which ends the
	// process: serve must stop catching signals while the stop still waits.
	select {
	case <-stoppedCatching:
	case <-time.After(waitLimit):
		t.Fatal("serve did not stop catching signals while it waited for the stop")
	}
	select {
	case err := <-served:
		t.Fatalf("serve returned (%v) while a connection goroutine was still running", err)
	default:
	}
	release()
	select {
	case err := <-served:
		assert.NoError(t, err)
	case <-time.After(waitLimit):
		t.Fatalf("serve did not return within %v of the goroutine's release", waitLimit)
	}
	goleak.VerifyNone(t)
}

func TestServeReturnsAnErrorAfterTheGracePeriod(t *testing.T) {
	s, release := startBusy(t, WithShutdownTimeout(20*time.Millisecond))
	defer release()

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := returnsWithin(t, "serve past its grace period", func() error { return s.serve(ctx, func() {}) })
	require.ErrorIs(t, err, context.DeadlineExceeded, "so that main can exit")
	assert.Contains(t, err.Error(), "1 worker(s) still busy")

	release()
	within(t, "Stop after the release", s.Stop)
	goleak.VerifyNone(t)
}

func TestShutdownTimeoutOption(t *testing.T) {
	cfg := WithConfig(utils.Defaults())
	assert.Equal(t, DefaultShutdownTimeout, NewServer(cfg).(*Server).gracePeriod)
	assert.Equal(t, time.Second, NewServer(cfg, WithShutdownTimeout(time.Second)).(*Server).gracePeriod)
	assert.Equal(t, DefaultShutdownTimeout, NewServer(cfg, WithShutdownTimeout(0)).(*Server).gracePeriod,
		"zero means the default, as it does everywhere in this repository")
}

// TestStopWorkerPoolReturnsWithAQueueLengthOfZero: NewMsgHandle takes
// MaxWorkerTaskLen from GlobalObject unchecked, so a pool may be asked for
// queues of length 0. stopWorkers' wake-up never waits; with unbuffered
// queues it missed a worker between its check for the stop and its
// receive, and StopWorkerPool waited for ever (within 2,000 rounds here,
// most runs; under -race less often). The queues get one slot at least.
func TestStopWorkerPoolReturnsWithAQueueLengthOfZero(t *testing.T) {
	for round := range 2000 {
		mh := newMsgHandle(slog.New(slog.NewTextHandler(io.Discard, nil)), 2, 0)
		mh.StartWorkerPool()
		stopped := make(chan struct{})
		go func() {
			mh.StopWorkerPool()
			close(stopped)
		}()
		select {
		case <-stopped:
		case <-time.After(waitLimit):
			t.Fatalf("round %d: StopWorkerPool did not return within %v", round, waitLimit)
		}
	}
}

// TestStopStopsThePoolAfterTheReaders: Stop closes every connection at
// once but stops the worker pool only once every reader has left. A reader
// leaves only after the pool has run or dropped each entry it queued, so a
// pool stopped with the connections could leave an entry in a queue that
// no worker reads any more, and its reader, and Stop, waiting for ever.
// Here a stuck handler holds a worker, and its connection's reader waits
// for it: until the handler is released, the pool must not be stopping.
func TestStopStopsThePoolAfterTheReaders(t *testing.T) {
	s, release := startBusy(t)
	defer release()

	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		s.Stop()
	}()
	waitParkedIn(t, "sync.WaitGroup.Wait", "(*Connection).startReader") // the reader waits for the handler
	waitParkedIn(t, "sync.WaitGroup.Wait", "(*Server).beginStop")       // the stop waits for the reader
	assert.False(t, s.msgHandler.stopping(), "the pool is stopping while a reader still waits for it")

	release()
	select {
	case <-stopped:
	case <-time.After(waitLimit):
		t.Fatalf("Stop did not return within %v of the handler's release", waitLimit)
	}
	assert.True(t, s.msgHandler.stopping(), "Stop stops the pool once the readers have left")
	goleak.VerifyNone(t)
}
