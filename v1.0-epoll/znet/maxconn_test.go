package znet_test

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v1.0-epoll/ziface"
	"zinx/v1.0-epoll/znet"
)

// withMaxConn is the test configuration with MaxConn n.
func withMaxConn(n int) znet.Option {
	cfg := testConfig()
	cfg.MaxConn = n
	return znet.WithConfig(cfg)
}

// admittedOrRefused dials s and reports whether the server served the
// connection (its first frame is the start hook's) or refused it (closed
// it at once). The connection is returned open if it was served.
func admittedOrRefused(s *znet.Server) (net.Conn, bool, error) {
	conn, err := net.DialTimeout("tcp", s.Addr().String(), waitLimit)
	if err != nil {
		return nil, false, err
	}
	if err := conn.SetDeadline(time.Now().Add(waitLimit)); err != nil {
		conn.Close()
		return nil, false, err
	}
	head := make([]byte, 8)
	if _, err := io.ReadFull(conn, head); err != nil {
		conn.Close()
		if errors.Is(err, io.EOF) || isReset(err) {
			return nil, false, nil // refused: closed before it sent anything
		}
		return nil, false, err
	}
	if _, err := io.ReadFull(conn, make([]byte, len("DoConnection BEGIN..."))); err != nil {
		conn.Close()
		return nil, false, err
	}
	return conn, true, nil
}

// isReset reports a reset: closing a socket with unread input sends one.
func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET)
}

// refusedInLogs adds up the "refused" counts of the refusal lines.
func refusedInLogs(t *testing.T, rec *logRecorder) (lines, refused int) {
	t.Helper()
	for _, r := range rec.atLeast(slog.LevelWarn) {
		n, err := strconv.Atoi(attr(r, "refused"))
		require.NoError(t, err, "a WARN line that is not about refusals: %q", r.Message)
		lines++
		refused += n
	}
	return lines, refused
}

// TestMaxConnUnderAConnectStorm: MaxConn = 3 against 60 clients connecting
// at once. Exactly 3 are served, the rest are closed at once, and the log
// accounts for every refusal in a line or two, not 57. When the 3 leave,
// later clients are served.
func TestMaxConnUnderAConnectStorm(t *testing.T) {
	const maxConn, clients = 3, 60
	logger, rec := newLogRecorder()
	s, hooks := startChapterServer(t, withMaxConn(maxConn), znet.WithLogger(logger))

	type result struct {
		conn   net.Conn
		served bool
		err    error
	}
	results := make(chan result, clients)
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, served, err := admittedOrRefused(s)
			results <- result{conn, served, err}
		}()
	}
	wg.Wait()
	close(results)
	var served []net.Conn
	refused := 0
	for r := range results {
		require.NoError(t, r.err)
		if r.served {
			served = append(served, r.conn)
		} else {
			refused++
		}
	}
	assert.Len(t, served, maxConn, "exactly MaxConn clients are served while none leaves")
	assert.Equal(t, clients-maxConn, refused)

	for _, c := range served {
		c.Close()
	}
	wait(t, "stop hooks", hooks.stops, maxConn)
	eventually(t, "the slots freeing", func() bool { return s.GetConnMgr().Len() == 0 })
	later, ok, err := admittedOrRefused(s)
	require.NoError(t, err)
	require.True(t, ok, "a client that comes after the others left is served")
	later.Close()

	within(t, "Stop", s.Stop)
	lines, logged := refusedInLogs(t, rec)
	assert.Equal(t, refused, logged, "every refusal is counted in the log")
	assert.LessOrEqual(t, lines, 3, "a burst of refusals is a line or two, not one per client")
	for _, r := range rec.atLeast(slog.LevelWarn) {
		assert.Equal(t, strconv.Itoa(maxConn), attr(r, "max_conn"))
	}
	hooks.mu.Lock()
	defer hooks.mu.Unlock()
	assert.LessOrEqual(t, hooks.maxLive, maxConn)
}

// TestMaxConnUnderChurn: 60 clients each keep trying until served, do a
// round trip and leave. The number of connections between their start and
// stop hooks never exceeds MaxConn, and every client is served in the end.
func TestMaxConnUnderChurn(t *testing.T) {
	const maxConn, clients, attempts = 3, 60, 20000
	s, hooks := startChapterServer(t, withMaxConn(maxConn))

	errs := make(chan error, clients)
	for i := range clients {
		go func() {
			for range attempts {
				conn, ok, err := admittedOrRefused(s)
				if err != nil {
					errs <- err
					return
				}
				if !ok {
					continue
				}
				defer conn.Close()
				if _, err := conn.Write(frame(0, "hello")); err != nil {
					errs <- err
					return
				}
				_, err = io.ReadFull(conn, make([]byte, 8+len("ping...ping...ping")))
				errs <- err
				return
			}
			errs <- errors.New("client " + strconv.Itoa(i) + " was never served")
		}()
	}
	for range clients {
		select {
		case err := <-errs:
			require.NoError(t, err)
		case <-time.After(4 * waitLimit):
			t.Fatal("clients not done in time")
		}
	}
	wait(t, "stop hooks", hooks.stops, clients)
	hooks.mu.Lock()
	defer hooks.mu.Unlock()
	assert.LessOrEqual(t, hooks.maxLive, maxConn, "never more than MaxConn connections between their hooks")
	assert.Equal(t, clients, len(hooks.events), "each client served exactly once")
}

// TestSlotFreesOnlyAfterTheStopHook: with MaxConn 1, a client leaves while
// its stop hook is held. Until the hook returns, its slot is still taken:
// a second client is refused. Once it returns, a third is served.
func TestSlotFreesOnlyAfterTheStopHook(t *testing.T) {
	s := newServer(withMaxConn(1))
	hold := make(chan struct{})
	inStop := make(chan struct{}, 1)
	s.SetOnConnStart(func(conn ziface.IConnection) { _ = conn.SendMsg(2, []byte("DoConnection BEGIN...")) })
	s.SetOnConnStop(func(ziface.IConnection) {
		inStop <- struct{}{}
		<-hold
	})
	addRoutes(s, echoRouter{})
	require.NoError(t, s.Start())
	t.Cleanup(func() { within(t, "Stop", s.Stop) })

	first, ok, err := admittedOrRefused(s)
	require.NoError(t, err)
	require.True(t, ok)
	first.Close()
	select {
	case <-inStop:
	case <-time.After(waitLimit):
		t.Fatal("the stop hook did not run")
	}

	_, ok, err = admittedOrRefused(s)
	require.NoError(t, err)
	assert.False(t, ok, "the slot is still taken while the stop hook runs")

	close(hold)
	eventually(t, "the slot freeing", func() bool { return s.GetConnMgr().Len() == 0 })
	third, ok, err := admittedOrRefused(s)
	require.NoError(t, err)
	require.True(t, ok, "served once the stop hook has returned")
	third.Close()
}
