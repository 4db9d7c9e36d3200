package znet_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"zinx/v0.1/znet"
)

func TestEchoRoundTrip(t *testing.T) {
	s := startServer(t)
	conn := dial(t, s)

	for _, msg := range []string{"hello ZINX V0.1..", "x", "\x00\xffbinary\r\n"} {
		assert.Equal(t, []byte(msg), echo(t, conn, []byte(msg)), "the echo must be byte for byte")
	}
}

func TestEchoLargerThanOneRead(t *testing.T) {
	s := startServer(t)
	conn := dial(t, s)

	// Many times the server's 512-byte buffer: it takes many reads and writes.
	msg := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	assert.Equal(t, msg, echo(t, conn, msg))
}

func TestConcurrentClientsGetTheirOwnBytes(t *testing.T) {
	const clients, rounds = 32, 20
	s := startServer(t)

	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for c := range clients {
		conn := dial(t, s)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				msg := []byte(fmt.Sprintf("client %d round %d", c, r))
				if _, err := conn.Write(msg); err != nil {
					errs <- err
					return
				}
				got := make([]byte, len(msg))
				if _, err := io.ReadFull(conn, got); err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(got, msg) {
					errs <- fmt.Errorf("client %d got %q, want %q", c, got, msg)
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

func TestServerClosesWhenClientCloses(t *testing.T) {
	s := startServer(t)
	conn := dial(t, s).(*net.TCPConn)
	echo(t, conn, []byte("ping"))

	// The client says it will send no more. The course's loop would spin on
	// EOF and never close its side; here the server closes, so we read EOF.
	require.NoError(t, conn.CloseWrite())
	n, err := conn.Read(make([]byte, 1))
	assert.Equal(t, 0, n)
	assert.ErrorIs(t, err, io.EOF, "the server must close the connection once the client has closed its side")
}

func TestClientResetMidStreamDoesNotDisturbOthers(t *testing.T) {
	s := startServer(t)
	steady := dial(t, s)
	echo(t, steady, []byte("before"))

	rude := dial(t, s).(*net.TCPConn)
	_, err := rude.Write([]byte("half a messa"))
	require.NoError(t, err)
	require.NoError(t, rude.SetLinger(0)) // close with RST, not FIN
	require.NoError(t, rude.Close())

	assert.Equal(t, []byte("after"), echo(t, steady, []byte("after")))
	fresh := dial(t, s)
	assert.Equal(t, []byte("new client"), echo(t, fresh, []byte("new client")))
}

func TestStopWithLiveConnections(t *testing.T) {
	s := znet.NewServer("test", znet.WithAddr("127.0.0.1:0")).(*znet.Server)
	require.NoError(t, s.Start())

	conns := make([]net.Conn, 5)
	for i := range conns {
		conns[i] = dial(t, s)
		echo(t, conns[i], []byte("alive"))
	}

	within(t, "Stop with live connections", s.Stop)

	for i, conn := range conns {
		_, err := conn.Read(make([]byte, 1))
		assert.ErrorIs(t, err, io.EOF, "client %d: Stop must close live connections", i)
	}
	// Stop has returned, so the accept loop and every connection goroutine
	// must already be gone.
	goleak.VerifyNone(t)

	_, err := net.Dial("tcp", s.Addr().String())
	assert.Error(t, err, "the listener must be closed after Stop")
}

func TestStopTwiceAndConcurrently(t *testing.T) {
	s := startServer(t)
	dial(t, s)

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
	s := znet.NewServer("test", znet.WithAddr("127.0.0.1:0"))
	within(t, "Stop on a server never started", s.Stop)
	assert.ErrorIs(t, s.Start(), znet.ErrServerClosed)
	assert.ErrorIs(t, s.Serve(), znet.ErrServerClosed)
}

func TestStartTwice(t *testing.T) {
	s := startServer(t)
	assert.ErrorIs(t, s.Start(), znet.ErrServerStarted)
}

func TestStartOnAddressInUse(t *testing.T) {
	taken, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()

	s := znet.NewServer("test", znet.WithAddr(taken.Addr().String()))
	err = s.Start()
	require.Error(t, err, "Start must report that the port is in use")
	assert.True(t, errors.Is(err, syscall.EADDRINUSE), "want EADDRINUSE, got %v", err)
	assert.Contains(t, err.Error(), taken.Addr().String(), "the error must name the address")
	assert.Nil(t, s.Addr())
	s.Stop()
}

func TestInvalidAddress(t *testing.T) {
	s := znet.NewServer("test", znet.WithAddr("no-port-here"))
	err := s.Start()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"no-port-here"`)
	s.Stop()
}

func TestServeReturnsAfterStop(t *testing.T) {
	s := startServer(t)
	served := make(chan error, 1)
	go func() { served <- s.Serve() }()

	conn := dial(t, s)
	echo(t, conn, []byte("serving"))
	s.Stop()

	within(t, "Serve after Stop", func() {
		assert.NoError(t, <-served)
	})
}

func TestDefaultsMatchTheCourse(t *testing.T) {
	s := znet.NewServer("[zinx V0.1]").(*znet.Server)
	assert.Equal(t, "[zinx V0.1]", s.Name)
	assert.Equal(t, "tcp4", s.IPVersion)
	assert.Equal(t, "0.0.0.0", s.IP)
	assert.Equal(t, 7777, s.Port)
	assert.Nil(t, s.Addr(), "nothing is bound before Start")
}

func TestStartErrorIsLoggedAtError(t *testing.T) {
	taken, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()

	for _, call := range []string{"Start", "Serve"} {
		t.Run(call, func(t *testing.T) {
			logger, logs := newLogRecorder()
			s := znet.NewServer("test", znet.WithAddr(taken.Addr().String()), znet.WithLogger(logger))
			defer s.Stop()
			var err error
			if call == "Start" {
				err = s.Start()
			} else {
				err = s.Serve() // returns at once: there is nothing to serve
			}
			require.ErrorIs(t, err, syscall.EADDRINUSE)

			// A program that drops the error, as the course's s.Serve() does,
			// must still tell its user why it exited.
			errs := logs.atLeast(slog.LevelError)
			require.Len(t, errs, 1, "exactly one ERROR line")
			assert.Equal(t, "[START] server cannot start", errs[0].Message)
			assert.Equal(t, err.Error(), attr(errs[0], "err"), "the line must give the reason")
		})
	}
}

func TestClientResetIsNotAWarning(t *testing.T) {
	logger, logs := newLogRecorder()
	s := startServer(t, znet.WithLogger(logger))
	rude := dial(t, s).(*net.TCPConn)
	echo(t, rude, []byte("hello"))
	require.NoError(t, rude.SetLinger(0)) // close with RST, not FIN
	require.NoError(t, rude.Close())

	r := logs.waitFor(t, "client reset the connection")
	assert.Equal(t, slog.LevelDebug, r.Level, "a reset is the client's business")
	assert.Contains(t, attr(r, "err"), "connection reset by peer")
	assert.Empty(t, logs.atLeast(slog.LevelWarn), "nothing here is for an operator to act on")
}

func TestShutdownWithNothingBusyReturnsNil(t *testing.T) {
	s := znet.NewServer("test", znet.WithAddr("127.0.0.1:0")).(*znet.Server)
	require.NoError(t, s.Start())
	conn := dial(t, s)
	echo(t, conn, []byte("alive"))

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	var err error
	within(t, "Shutdown", func() { err = s.Shutdown(ctx) })
	require.NoError(t, err, "an idle connection's goroutine ends when its socket closes")
	_, err = conn.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF, "Shutdown must close live connections")
	goleak.VerifyNone(t)
	within(t, "Stop after Shutdown", s.Stop)
}

// TestStartRefusesANetworkThatIsNotTCP: IPVersion is an exported field, and
// net.Listen takes "unix" as well; the server, which only knows TCP,
// panicked on the listener's address. Start refuses it with an error.
func TestStartRefusesANetworkThatIsNotTCP(t *testing.T) {
	s := znet.NewServer("test", znet.WithAddr("127.0.0.1:0")).(*znet.Server)
	s.IPVersion = "unix"
	err := s.Start()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "IPVersion")
}

// TestShutdownWithAnEndedContextOnAnIdleServer: Shutdown given a context
// that has already ended, as a signal's is once it has fired, on a server
// with nothing to wait for. The stop is moments from done, and Shutdown
// must say it succeeded; it reported "0 connection(s) still busy" and the
// context's error in every run.
func TestShutdownWithAnEndedContextOnAnIdleServer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 20 {
		s := startServer(t)
		require.NoError(t, s.Shutdown(ctx))
	}
}
