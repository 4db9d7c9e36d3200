package znet_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"zinx/v0.8/utils"
	"zinx/v0.8/ziface"
	"zinx/v0.8/znet"
)

func TestNoRouterIsAnErrorAtStart(t *testing.T) {
	s := newServer()
	err := s.Start()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AddRouter")
	assert.Nil(t, s.Addr(), "nothing may be bound without a router")
	s.Stop()
}

func TestStopWithLiveConnections(t *testing.T) {
	s := newServer()
	addRoutes(s, echoRouter{})
	require.NoError(t, s.Start())

	conns := make([]net.Conn, 5)
	for i := range conns {
		conns[i] = dial(t, s)
		roundTrip(t, conns[i], 1, "alive")
	}

	within(t, "Stop with live connections", s.Stop)

	for _, conn := range conns {
		requireClosedByServer(t, conn, "Stop")
	}
	// Stop has returned, so the accept loop and every reader must be gone.
	goleak.VerifyNone(t)
	_, err := net.Dial("tcp", s.Addr().String())
	assert.Error(t, err, "the listener must be closed after Stop")
}

func TestStopTwiceAndConcurrently(t *testing.T) {
	s := startServer(t, echoRouter{})
	roundTrip(t, dial(t, s), 1, "x")

	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Stop()
		}()
	}
	within(t, "eight concurrent Stops", wg.Wait)
	within(t, "a Stop after the others", s.Stop)
	goleak.VerifyNone(t)
}

func TestStopBeforeStart(t *testing.T) {
	s := newServer()
	addRoutes(s, echoRouter{})
	within(t, "Stop on a server never started", s.Stop)
	assert.ErrorIs(t, s.Start(), znet.ErrServerClosed)
	assert.ErrorIs(t, s.Serve(), znet.ErrServerClosed)
}

func TestStartTwice(t *testing.T) {
	s := startServer(t, echoRouter{})
	assert.ErrorIs(t, s.Start(), znet.ErrServerStarted)
}

func TestStartOnAddressInUse(t *testing.T) {
	taken, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()

	s := newServer(znet.WithAddr(taken.Addr().String()))
	addRoutes(s, echoRouter{})
	err = s.Start()
	require.Error(t, err, "Start must report that the port is in use")
	assert.True(t, errors.Is(err, syscall.EADDRINUSE), "want EADDRINUSE, got %v", err)
	assert.Contains(t, err.Error(), taken.Addr().String(), "the error must name the address")
	s.Stop()
}

func TestInvalidAddress(t *testing.T) {
	s := newServer(znet.WithAddr("no-port-here"))
	addRoutes(s, echoRouter{})
	err := s.Start()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"no-port-here"`)
	s.Stop()
}

func TestServeReturnsAfterStop(t *testing.T) {
	s := startServer(t, echoRouter{})
	served := make(chan error, 1)
	go func() { served <- s.Serve() }()

	roundTrip(t, dial(t, s), 1, "serving")
	s.Stop()

	within(t, "Serve after Stop", func() {
		assert.NoError(t, <-served)
	})
}

func TestInvalidConfigurationIsAStartError(t *testing.T) {
	cfg := testConfig()
	cfg.MaxPacketSize = 0
	s := znet.NewServer(znet.WithConfig(cfg), znet.WithAddr("127.0.0.1:0"))
	s.AddRouter(0, echoRouter{})
	err := s.Start()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "MaxPacketSize")
	s.Stop()
}

func TestServersKeepTheirOwnConfiguration(t *testing.T) {
	small, large := testConfig(), testConfig()
	small.MaxPacketSize, large.MaxPacketSize = 16, 1024
	smallSrv := startServer(t, echoRouter{}, znet.WithConfig(small))
	largeSrv := startServer(t, echoRouter{}, znet.WithConfig(large))
	utils.GlobalObject.MaxPacketSize = 1 // servers took snapshots: this changes neither
	t.Cleanup(func() { utils.GlobalObject.MaxPacketSize = utils.Defaults().MaxPacketSize })

	payload := string(make([]byte, 100))
	_, got := roundTrip(t, dial(t, largeSrv), 1, payload)
	assert.Equal(t, payload, got, "the server with a 1024-byte limit accepts 100 bytes")

	conn := dial(t, smallSrv)
	_, err := conn.Write(frame(1, payload))
	require.NoError(t, err)
	requireClosedByServer(t, conn, "a 100-byte frame over a 16-byte limit")
}

func TestDefaultsComeFromTheConfiguration(t *testing.T) {
	cfg := testConfig()
	cfg.Name, cfg.Host, cfg.TcpPort = "[zinx V0.5]", "127.0.0.1", 7777
	s := znet.NewServer(znet.WithConfig(cfg)).(*znet.Server)
	assert.Equal(t, "[zinx V0.5]", s.Name)
	assert.Equal(t, "tcp4", s.IPVersion)
	assert.Equal(t, "127.0.0.1", s.IP)
	assert.Equal(t, 7777, s.Port)
}

func TestManyClientsEachGetExactlyTheirReplies(t *testing.T) {
	const clients, rounds = 32, 20
	s := startServer(t, echoRouter{})

	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for c := range clients {
		conn := dial(t, s)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				want := fmt.Sprintf("client %d round %d", c, r)
				if _, err := conn.Write(frame(uint32(r), want)); err != nil {
					errs <- err
					return
				}
				// readFrame uses require, which must not run off the test
				// goroutine; decode by hand here.
				id, got, err := readFrameErr(conn)
				if err != nil {
					errs <- err
					return
				}
				if id != uint32(r) || got != want {
					errs <- fmt.Errorf("client %d got (%d, %q), want (%d, %q)", c, id, got, r, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestStartErrorIsLoggedAtError(t *testing.T) {
	taken, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()
	badConfig := testConfig()
	badConfig.MaxPacketSize = 0
	badFile := filepath.Join(t.TempDir(), "zinx.json")
	require.NoError(t, os.WriteFile(badFile, []byte(`{"MaxPacketSize": 0}`), 0o600))

	for _, tc := range []struct {
		name string
		opts []znet.Option
		call func(ziface.IServer) error
	}{
		{"Start on a taken port", []znet.Option{znet.WithAddr(taken.Addr().String())}, ziface.IServer.Start},
		{"Serve on a taken port", []znet.Option{znet.WithAddr(taken.Addr().String())}, ziface.IServer.Serve},
		{"Serve with a refused configuration", []znet.Option{znet.WithConfig(badConfig)}, ziface.IServer.Serve},
		{"Serve with a refused configuration file", []znet.Option{znet.WithConfigFile(badFile)}, ziface.IServer.Serve},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logger, logs := newLogRecorder()
			s := newServer(append(tc.opts, znet.WithLogger(logger))...)
			addRoutes(s, echoRouter{})
			defer s.Stop()
			err := tc.call(s) // Serve returns at once: there is nothing to serve
			require.Error(t, err)

			// A program that drops the error, as the course's s.Serve() does,
			// must still tell its user why it exited.
			errs := logs.atLeast(slog.LevelError)
			require.Len(t, errs, 1, "exactly one ERROR line")
			assert.Equal(t, "[START] server cannot start", errs[0].Message)
			assert.Equal(t, err.Error(), attr(errs[0], "err"), "the line must give the reason")
			assert.NotEmpty(t, attr(errs[0], "name"), "and say which server")
		})
	}
}

func TestShutdownGivesUpOnAStuckHandlerAndEverythingExitsAfterIt(t *testing.T) {
	started, release := make(chan struct{}, 1), make(chan struct{})
	s := newServer()
	s.AddRouter(1, stuckRouter{started: started, release: release})
	require.NoError(t, s.Start())
	released := false
	defer func() {
		if !released {
			close(release) // the test failed early: let the handler go
		}
	}()
	conn := dial(t, s)
	_, err := conn.Write(frame(1, "stuck"))
	require.NoError(t, err)
	select {
	case <-started:
	case <-time.After(waitLimit):
		t.Fatal("the handler did not start")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	within(t, "Shutdown past its deadline", func() { err = s.Shutdown(ctx) })
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "1 worker(s) still busy")
	requireClosedByServer(t, conn, "Shutdown closes connections even when it gives up")

	close(release)
	released = true
	within(t, "Stop after the handler's release", s.Stop)
	goleak.VerifyNone(t)
}

// stuckRouter's Handle says it has started, then blocks until release is
// closed: stuck on something other than its own socket.
type stuckRouter struct {
	znet.BaseRouter
	started chan<- struct{}
	release <-chan struct{}
}

func (r stuckRouter) Handle(ziface.IRequest) {
	r.started <- struct{}{}
	<-r.release
}

func TestShutdownWithNothingBusyReturnsNil(t *testing.T) {
	s := newServer()
	addRoutes(s, echoRouter{})
	require.NoError(t, s.Start())
	conn := dial(t, s)
	roundTrip(t, conn, 1, "alive")

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	var err error
	within(t, "Shutdown", func() { err = s.Shutdown(ctx) })
	require.NoError(t, err, "an idle reader ends when its socket closes")
	requireClosedByServer(t, conn, "Shutdown")
	goleak.VerifyNone(t)
	within(t, "Stop after Shutdown", s.Stop)
}

// TestShutdownWithAnEndedContextOnAnIdleServer: Shutdown given a context
// that has already ended, as a signal's is once it has fired, on a server
// with nothing to wait for. The stop is moments from done, and Shutdown
// must say it succeeded; counting every worker not yet exited, it reported
// the idle workers on their way out, and the context's error, in every run.
func TestShutdownWithAnEndedContextOnAnIdleServer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 20 {
		s := startServer(t, echoRouter{})
		require.NoError(t, s.Shutdown(ctx))
	}
}

// TestStartRefusesANetworkThatIsNotTCP: IPVersion is an exported field, and
// net.Listen takes "unix" as well; the server, which only knows TCP,
// panicked on the listener's address. Start refuses it with an error.
func TestStartRefusesANetworkThatIsNotTCP(t *testing.T) {
	s := newServer()
	addRoutes(s, echoRouter{}) // so that only the network can stop Start
	s.IPVersion = "unix"
	err := s.Start()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "IPVersion")
}
