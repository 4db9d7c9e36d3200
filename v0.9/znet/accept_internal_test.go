package znet

import (
	"context"
	"errors"
	"math"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v0.9/utils"
	"zinx/v0.9/ziface"
)

// flakyListener fails every Accept with a temporary error until it is
// closed, as a listener does while the process is out of file descriptors.
// It reports each failed attempt on failed, so a test can wait for them.
type flakyListener struct {
	net.Listener
	accepts atomic.Int32
	failed  chan struct{}
	closed  chan struct{}
}

func newFlakyListener(t *testing.T) *flakyListener {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	return &flakyListener{Listener: ln, failed: make(chan struct{}, 64), closed: make(chan struct{})}
}

func (l *flakyListener) Accept() (net.Conn, error) {
	select {
	case <-l.closed:
		return nil, net.ErrClosed
	default:
	}
	l.accepts.Add(1)
	select {
	case l.failed <- struct{}{}:
	default: // nobody is counting any more
	}
	return nil, errors.New("accept4: too many open files")
}

func (l *flakyListener) Close() error {
	close(l.closed)
	return l.Listener.Close()
}

func TestAcceptErrorsBackOffAndStopWakesTheLoop(t *testing.T) {
	s := NewServer(WithConfig(utils.Defaults()), WithAddr("127.0.0.1:0")).(*Server)
	ln := newFlakyListener(t)
	s.mu.Lock()
	s.listener, s.state = ln, running
	s.mu.Unlock()

	s.wg.Add(1)
	go s.acceptLoop(ln)

	// Wait until the loop has failed a few times in a row; the backoff is
	// what keeps this from being millions of attempts.
	for i := range 4 {
		select {
		case <-ln.failed:
		case <-time.After(5 * time.Second):
			t.Fatalf("the accept loop stopped retrying after %d attempts", i)
		}
	}

	stopped := make(chan struct{})
	go func() { s.Stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("Stop did not wake the backing-off accept loop")
	}
	// 5+10+20+40 ms of backoff before the fourth retry: a spinning loop
	// would have made far more attempts than this in the same time.
	assert.Less(t, ln.accepts.Load(), int32(20), "accept errors must back off, not spin")
}

func TestNextBackoffDoublesUpToTheCeiling(t *testing.T) {
	var got []time.Duration
	d := time.Duration(0)
	for range 10 {
		d = nextBackoff(d)
		got = append(got, d)
	}
	assert.Equal(t, minAcceptBackoff, got[0])
	assert.Equal(t, 2*minAcceptBackoff, got[1])
	assert.Equal(t, maxAcceptBackoff, got[len(got)-1])
}

func TestServeStartsAndStopsOnContextDone(t *testing.T) {
	s := NewServer(WithConfig(utils.Defaults()), WithAddr("127.0.0.1:0")).(*Server)
	s.AddRouter(0, BaseRouter{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as if SIGINT had already arrived
	stoppedCatching := false

	require.NoError(t, s.serve(ctx, func() { stoppedCatching = true }))
	assert.True(t, stoppedCatching, "serve must stop catching signals once one has arrived")
	require.NotNil(t, s.Addr(), "serve must have started the server")
	_, err := net.Dial("tcp", s.Addr().String())
	assert.Error(t, err, "serve must have stopped the server before returning")
}

// TestStopWaitsForConnectionGoroutines checks Stop's promise from the inside:
// each reader forgets its connection just before it exits, so when Stop
// returns none may be left. A Stop that did not wait would return while most
// of them were still tracked.
func TestStopWaitsForConnectionGoroutines(t *testing.T) {
	s := NewServer(WithConfig(utils.Defaults()), WithAddr("127.0.0.1:0")).(*Server)
	s.AddRouter(1, echoOnce{})
	require.NoError(t, s.Start())
	for range 20 {
		conn, err := net.Dial("tcp", s.Addr().String())
		require.NoError(t, err)
		defer conn.Close()
		_, err = conn.Write([]byte{0, 0, 0, 0, 1, 0, 0, 0}) // an empty message, id 1
		require.NoError(t, err)
		_, err = conn.Read(make([]byte, 8)) // answered: the server is tracking it
		require.NoError(t, err)
	}

	s.Stop()
	assert.Zero(t, s.connMgr.Len(), "Stop returned while readers were still running")
}

// echoOnce answers each request with an empty message of the same id.
type echoOnce struct{ BaseRouter }

func (echoOnce) Handle(req ziface.IRequest) {
	_ = req.GetConnection().SendMsg(req.GetMsgID(), nil)
}

// TestConnIDsSkipLiveOnesAfterWrapping: the id counter is set just below
// 2³², the injectable way to run four billion accepts. Connection 0 stays
// live; after the counter wraps, the next connection must not get id 0
// (the course's would, and its manager entry would replace the live one).
func TestConnIDsSkipLiveOnesAfterWrapping(t *testing.T) {
	ids := make(chan ziface.IConnection, 4)
	cfg := utils.Defaults()
	s := NewServer(WithConfig(cfg), WithAddr("127.0.0.1:0")).(*Server)
	s.SetOnConnStart(func(conn ziface.IConnection) { ids <- conn })
	s.AddRouter(0, &BaseRouter{})
	require.NoError(t, s.Start())
	defer func() {
		stopped := make(chan struct{})
		go func() { s.Stop(); close(stopped) }()
		select {
		case <-stopped:
		case <-time.After(testWait):
			t.Error("Stop hung: a connection lost its manager entry, so nothing stopped it")
		}
	}()

	dialAndWait := func() (net.Conn, ziface.IConnection) {
		t.Helper()
		conn, err := net.Dial("tcp4", s.Addr().String())
		require.NoError(t, err)
		t.Cleanup(func() { conn.Close() })
		select {
		case c := <-ids:
			return conn, c
		case <-time.After(testWait):
			t.Fatal("no start hook")
			return nil, nil
		}
	}
	_, first := dialAndWait()
	require.Equal(t, uint32(0), first.GetConnID())

	s.mu.Lock()
	s.nextID = math.MaxUint32
	s.mu.Unlock()
	_, last := dialAndWait()
	assert.Equal(t, uint32(math.MaxUint32), last.GetConnID())
	_, wrapped := dialAndWait()
	assert.Equal(t, uint32(1), wrapped.GetConnID(), "id 0 is live: the counter skips it")

	got, err := s.GetConnMgr().Get(0)
	require.NoError(t, err)
	assert.Same(t, first, got, "the live connection keeps its entry")
	assert.Equal(t, 3, s.GetConnMgr().Len())
}
