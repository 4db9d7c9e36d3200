package znet_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"zinx/v0.8/utils"
	"zinx/v0.8/ziface"
	"zinx/v0.8/znet"
)

// waitLimit bounds every wait in these tests. It is a failure deadline, never
// a pause: nothing waits for it unless something is already wrong.
const waitLimit = 5 * time.Second

// testConfig is the configuration every test server starts from, so that no
// conf/zinx.json or $ZINX_CONFIG on the machine can change a test.
func testConfig() utils.GlobalObj {
	cfg := utils.Defaults()
	cfg.Name = "test"
	return cfg
}

// newServer builds a server on a free loopback port; options given later
// override the test configuration.
func newServer(opts ...znet.Option) *znet.Server {
	base := []znet.Option{znet.WithConfig(testConfig()), znet.WithAddr("127.0.0.1:0")}
	return znet.NewServer(append(base, opts...)...).(*znet.Server)
}

// testIDs is how many message ids addRoutes registers: tests may send any
// id below it and reach the router they passed.
const testIDs = 256

// addRoutes registers router for every message id below testIDs.
func addRoutes(s *znet.Server, router ziface.IRouter) {
	for id := range uint32(testIDs) {
		s.AddRouter(id, router)
	}
}

// startServer starts a server that sends every id below testIDs to router,
// and stops it when the test ends.
func startServer(t testing.TB, router ziface.IRouter, opts ...znet.Option) *znet.Server {
	t.Helper()
	s := newServer(opts...)
	addRoutes(s, router)
	require.NoError(t, s.Start())
	t.Cleanup(func() { within(t, "Stop", s.Stop) })
	return s
}

// echoRouter replies to every request with its own id and data.
type echoRouter struct {
	znet.BaseRouter
}

func (echoRouter) Handle(req ziface.IRequest) {
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

// dial connects to s and closes the connection when the test ends.
func dial(t testing.TB, s *znet.Server) *net.TCPConn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.Addr().String(), waitLimit)
	require.NoError(t, err)
	require.NoError(t, conn.SetDeadline(time.Now().Add(waitLimit)))
	t.Cleanup(func() { conn.Close() })
	return conn.(*net.TCPConn)
}

// frame builds a frame by hand, independently of DataPack, so the tests check
// the wire format rather than DataPack against itself.
func frame(id uint32, data string) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(data)))
	b = binary.LittleEndian.AppendUint32(b, id)
	return append(b, data...)
}

// readFrame reads one frame by hand and returns its id and payload.
func readFrame(t testing.TB, r io.Reader) (uint32, string) {
	t.Helper()
	head := make([]byte, 8)
	_, err := io.ReadFull(r, head)
	require.NoError(t, err, "reading a reply header")
	data := make([]byte, binary.LittleEndian.Uint32(head[0:4]))
	_, err = io.ReadFull(r, data)
	require.NoError(t, err, "reading a reply payload")
	return binary.LittleEndian.Uint32(head[4:8]), string(data)
}

// roundTrip sends one frame and reads one reply.
func roundTrip(t testing.TB, conn net.Conn, id uint32, data string) (uint32, string) {
	t.Helper()
	_, err := conn.Write(frame(id, data))
	require.NoError(t, err)
	return readFrame(t, conn)
}

// requireClosedByServer reads until the server closes the connection.
func requireClosedByServer(t testing.TB, conn net.Conn, why string) {
	t.Helper()
	_, err := io.Copy(io.Discard, conn)
	require.NoError(t, err, "%s: the server should close the connection (EOF), not leave it hanging", why)
}

// requireClosedOrReset reads until the server closes the connection, by a
// clean close or by a reset (what closing a socket with unread input sends).
func requireClosedOrReset(t testing.TB, conn net.Conn, why string) {
	t.Helper()
	_, err := io.Copy(io.Discard, conn)
	if err != nil && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("%s: the server should close the connection, not leave it hanging: %v", why, err)
	}
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

// logBuffer collects a server's log so a test can check the reason it gave.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// withLogBuffer returns an option that logs into a fresh buffer.
func withLogBuffer() (znet.Option, *logBuffer) {
	b := &logBuffer{}
	return znet.WithLogger(utils.NewLogger(b, slog.LevelDebug)), b
}
