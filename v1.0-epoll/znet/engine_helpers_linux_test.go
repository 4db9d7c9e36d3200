package znet

import (
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testDeadline bounds every wait in the engine's tests.
const testDeadline = 5 * time.Second

// echoHandler echoes every frame from the loop, as an inline handler would,
// and reports opens and closes.
type echoHandler struct {
	mu      sync.Mutex
	opened  []*conn
	reasons chan error                       // one per closed connection
	opens   chan *conn                       // one per opened connection
	frame   func(*conn, uint32, []byte) bool // if set and it returns true, the frame is not echoed
	drops   atomic.Int32                     // onDrop calls
}

func newEchoHandler() *echoHandler {
	return &echoHandler{reasons: make(chan error, 1024), opens: make(chan *conn, 1024)}
}

func (h *echoHandler) onAccept(c *conn) bool { return true }

func (h *echoHandler) onOpen(c *conn) {
	h.mu.Lock()
	h.opened = append(h.opened, c)
	h.mu.Unlock()
	select {
	case h.opens <- c:
	default:
	}
}

func (h *echoHandler) onFrame(c *conn, id uint32, payload []byte) {
	if h.frame != nil && h.frame(c, id, payload) {
		return
	}
	_ = c.queue(appendFrame(nil, id, payload))
}

func (h *echoHandler) onDrop(c *conn) { h.drops.Add(1) }

func (h *echoHandler) onFramesEnd(*conn) {}

func (h *echoHandler) onClose(c *conn, reason error) {
	select {
	case h.reasons <- reason:
	default:
	}
}

// nextReason waits for the next connection to close and returns its reason.
func (h *echoHandler) nextReason(t *testing.T) error {
	t.Helper()
	select {
	case err := <-h.reasons:
		return err
	case <-time.After(testDeadline):
		t.Fatal("no connection closed before the deadline")
		return nil
	}
}

func (h *echoHandler) nextOpen(t *testing.T) *conn {
	t.Helper()
	select {
	case c := <-h.opens:
		return c
	case <-time.After(testDeadline):
		t.Fatal("no connection opened before the deadline")
		return nil
	}
}

// startTestEngine starts an engine on 127.0.0.1:0 and stops it when the
// test ends.
func startTestEngine(t *testing.T, cfg engineConfig) *engine {
	t.Helper()
	cfg.addr = "127.0.0.1:0"
	if cfg.log == nil {
		cfg.log = slog.New(slog.NewTextHandler(io.Discard, nil))
		if testing.Verbose() {
			cfg.log = slog.Default()
		}
	}
	e, err := startEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.stop)
	return e
}

func dial(t *testing.T, e *engine) *net.TCPConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", e.addr().String(), testDeadline)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(testDeadline))
	return c.(*net.TCPConn)
}

func appendFrame(dst []byte, id uint32, payload []byte) []byte {
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(payload)))
	dst = binary.LittleEndian.AppendUint32(dst, id)
	return append(dst, payload...)
}

// readFrame reads one frame from r.
func readFrame(r io.Reader) (id uint32, payload []byte, err error) {
	var hdr [frameHeaderLen]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	payload = make([]byte, binary.LittleEndian.Uint32(hdr[:4]))
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, err
	}
	return binary.LittleEndian.Uint32(hdr[4:]), payload, nil
}

// expectEOF reads c to its end and fails on anything but a clean EOF or a
// reset.
func expectEOF(t *testing.T, c net.Conn) {
	t.Helper()
	var b [1]byte
	n, err := c.Read(b[:])
	if n != 0 || (err != io.EOF && !isReset(err)) {
		t.Fatalf("want the server to close: read %d bytes, err %v", n, err)
	}
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && !op.Timeout()
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
