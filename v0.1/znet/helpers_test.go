package znet_test

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"zinx/v0.1/znet"
)

// waitLimit bounds every wait in these tests. It is a failure deadline, never
// a pause: nothing waits for it unless something is already wrong.
const waitLimit = 5 * time.Second

// startServer starts a server on a free loopback port and stops it when the
// test ends; options given override the address.
func startServer(t testing.TB, opts ...znet.Option) *znet.Server {
	t.Helper()
	s := znet.NewServer("test", append([]znet.Option{znet.WithAddr("127.0.0.1:0")}, opts...)...).(*znet.Server)
	require.NoError(t, s.Start())
	t.Cleanup(func() { within(t, "Stop", s.Stop) })
	return s
}

// dial connects to s and closes the connection when the test ends.
func dial(t testing.TB, s *znet.Server) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.Addr().String(), waitLimit)
	require.NoError(t, err)
	require.NoError(t, conn.SetDeadline(time.Now().Add(waitLimit)))
	t.Cleanup(func() { conn.Close() })
	return conn
}

// echo writes msg and reads back exactly len(msg) bytes.
func echo(t testing.TB, conn net.Conn, msg []byte) []byte {
	t.Helper()
	_, err := conn.Write(msg)
	require.NoError(t, err)
	got := make([]byte, len(msg))
	_, err = io.ReadFull(conn, got)
	require.NoError(t, err)
	return got
}

// within runs f in a goroutine and fails the test if it has not returned
// within waitLimit.
func within(t testing.TB, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(waitLimit):
		t.Fatalf("%s did not return within %v", what, waitLimit)
	}
}
