package etstall

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeSocket is a socket's receive side as the kernel keeps it: bytes that
// arrived and have not been read, and whether the peer's FIN came after them.
type fakeSocket struct {
	data []byte
	fin  bool
	err  error // returned once the data is read, instead of EOF
}

func (s *fakeSocket) Read(p []byte) (int, error) {
	if len(s.data) == 0 {
		switch {
		case s.err != nil:
			return 0, s.err
		case s.fin:
			return 0, io.EOF
		}
		return 0, ErrAgain
	}
	n := copy(p, s.data)
	s.data = s.data[n:]
	return n, nil
}

// harness is a Conn on a fakeSocket, with what it handed on.
type harness struct {
	sock   *fakeSocket
	conn   *Conn
	frames []string
	closes int
}

func newHarness(bufSize int) *harness {
	h := &harness{sock: &fakeSocket{}}
	h.conn = NewConn(h.sock, bufSize,
		func(p []byte) { h.frames = append(h.frames, string(p)) },
		func() { h.closes++ })
	return h
}

// arrive is the kernel receiving bytes (and perhaps the FIN after them),
// then the edge the loop is told of: one call of OnReadable.
func (h *harness) arrive(t *testing.T, data []byte, fin bool) {
	t.Helper()
	h.sock.data = append(h.sock.data, data...)
	h.sock.fin = h.sock.fin || fin
	if err := h.conn.OnReadable(); err != nil {
		t.Fatalf("OnReadable: %v", err)
	}
}

func frame(payload string) []byte {
	return append(binary.LittleEndian.AppendUint32(nil, uint32(len(payload))), payload...)
}

// TestABurstLargerThanTheBufferIsReadInOneEdge: 1 MiB arrives at once,
// read through a 4 KiB buffer. Only one edge announces it.
func TestABurstLargerThanTheBufferIsReadInOneEdge(t *testing.T) {
	h := newHarness(4096)
	var burst []byte
	want := 0
	for len(burst) < 1<<20 {
		burst = append(burst, frame(fmt.Sprintf("frame %d", want))...)
		want++
	}
	h.arrive(t, burst, false)
	if len(h.frames) != want {
		t.Fatalf("got %d of %d frames from one edge: the rest is stuck in the socket, and no edge will come for it", len(h.frames), want)
	}
	if len(h.sock.data) != 0 {
		t.Fatalf("%d bytes left unread", len(h.sock.data))
	}
}

// TestFramesThenFINInOneEdge: a client sends its last requests and closes
// its side at once; the bytes and the FIN arrive before the loop wakes, and
// it hears of them once. The connection must hand on the frames and close.
func TestFramesThenFINInOneEdge(t *testing.T) {
	h := newHarness(4096)
	h.arrive(t, append(frame("last"), frame("words")...), true)
	if fmt.Sprint(h.frames) != "[last words]" {
		t.Fatalf("frames = %q, want [last words]", h.frames)
	}
	if h.closes != 1 {
		t.Fatal("the FIN came with the frames, and no edge will come for it again: the connection never closes, and its descriptor leaks")
	}
}

// TestFINInItsOwnEdge: the FIN arrives later, with an edge of its own.
func TestFINInItsOwnEdge(t *testing.T) {
	h := newHarness(4096)
	h.arrive(t, frame("hello"), false)
	if h.closes != 0 {
		t.Fatal("closed before the FIN")
	}
	h.arrive(t, nil, true)
	if fmt.Sprint(h.frames) != "[hello]" || h.closes != 1 {
		t.Fatalf("frames %q, closes %d; want [hello] and 1", h.frames, h.closes)
	}
}

// TestAFrameSplitAcrossEdges: half a frame, then the rest.
func TestAFrameSplitAcrossEdges(t *testing.T) {
	h := newHarness(8)
	f := frame("split across two edges")
	h.arrive(t, f[:10], false)
	if len(h.frames) != 0 {
		t.Fatalf("a frame handed on before it was whole: %q", h.frames)
	}
	h.arrive(t, f[10:], false)
	if fmt.Sprint(h.frames) != "[split across two edges]" {
		t.Fatalf("frames = %q", h.frames)
	}
}

// TestAReadErrorCloses: a reset closes the connection and is returned.
func TestAReadErrorCloses(t *testing.T) {
	h := newHarness(4096)
	reset := errors.New("connection reset by peer")
	h.sock.err = reset
	h.sock.data = frame("before the reset")
	if err := h.conn.OnReadable(); !errors.Is(err, reset) {
		t.Fatalf("OnReadable = %v, want the reset", err)
	}
	if h.closes != 1 || len(h.frames) != 1 {
		t.Fatalf("closes %d, frames %q; want 1 and the frame before the reset", h.closes, h.frames)
	}
}
