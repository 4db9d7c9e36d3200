package znet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
)

// TestEngineEchoSplitAndMerged sends frames cut at every possible place and
// several frames in one write; every echo must come back byte for byte.
func TestEngineEchoSplitAndMerged(t *testing.T) {
	h := newEchoHandler()
	e := startTestEngine(t, engineConfig{handler: h, loops: 2})
	var stream []byte
	for i := 0; i < 50; i++ {
		stream = appendFrame(stream, uint32(i), bytes.Repeat([]byte{byte(i)}, i*7))
	}
	for _, chunk := range []int{1, 3, 8, 9, 100, len(stream)} {
		t.Run(fmt.Sprint("chunk ", chunk), func(t *testing.T) {
			c := dial(t, e)
			go func() {
				for p := stream; len(p) > 0; {
					n := min(chunk, len(p))
					if _, err := c.Write(p[:n]); err != nil {
						return
					}
					p = p[n:]
				}
			}()
			got := make([]byte, len(stream))
			if _, err := io.ReadFull(c, got); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, stream) {
				t.Fatal("echo differs from what was sent")
			}
		})
	}
}

// TestEngineReadBurstOverBudget: one write of 1 MiB of 64-byte frames with a
// 4 KiB read budget. Stopping the burst at the budget must not stall the
// connection: the loop comes back to it without a new edge.
func TestEngineReadBurstOverBudget(t *testing.T) {
	h := newEchoHandler()
	e := startTestEngine(t, engineConfig{handler: h, loops: 1, readBudget: 4 << 10})
	var stream []byte
	for len(stream) < 1<<20 {
		stream = appendFrame(stream, 1, make([]byte, 56))
	}
	c := dial(t, e)
	go func() { _, _ = c.Write(stream) }()
	got := make([]byte, len(stream))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatalf("echo stalled: %v", err)
	}
	if !bytes.Equal(got, stream) {
		t.Fatal("echo differs from what was sent")
	}
}

// TestEngineFrameTooLarge: a header over MaxPacketSize closes that
// connection with the reason; another connection carries on.
func TestEngineFrameTooLarge(t *testing.T) {
	h := newEchoHandler()
	e := startTestEngine(t, engineConfig{handler: h, maxPacket: 100})
	good, bad := dial(t, e), dial(t, e)
	if _, err := bad.Write(appendFrame(nil, 1, make([]byte, 101))); err != nil {
		t.Fatal(err)
	}
	if err := h.nextReason(t); !errors.Is(err, ErrPacketTooLarge) {
		t.Fatalf("closed for %v, want %v", err, ErrPacketTooLarge)
	}
	expectEOF(t, bad)
	want := appendFrame(nil, 2, make([]byte, 100))
	if _, err := good.Write(want); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(want))
	if _, err := io.ReadFull(good, got); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("the other connection: %v", err)
	}
}

// TestEngineHalfClose: a client sends N frames and shuts its side down; it
// gets all N replies, then EOF.
func TestEngineHalfClose(t *testing.T) {
	h := newEchoHandler()
	e := startTestEngine(t, engineConfig{handler: h})
	c := dial(t, e)
	const n = 100
	var stream []byte
	for i := 0; i < n; i++ {
		stream = appendFrame(stream, uint32(i), []byte("ping"))
	}
	if _, err := c.Write(stream); err != nil {
		t.Fatal(err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		id, _, err := readFrame(c)
		if err != nil || id != uint32(i) {
			t.Fatalf("reply %d: id %d, err %v", i, id, err)
		}
	}
	expectEOF(t, c)
	if err := h.nextReason(t); err != io.EOF {
		t.Fatalf("half-close closed with %v, want io.EOF", err)
	}
}

// TestEngineResetMidFrame: a client that resets in the middle of a frame
// closes only its own connection.
func TestEngineResetMidFrame(t *testing.T) {
	h := newEchoHandler()
	e := startTestEngine(t, engineConfig{handler: h})
	other := dial(t, e)
	c := dial(t, e)
	h.nextOpen(t)
	h.nextOpen(t)
	if _, err := c.Write(appendFrame(nil, 1, make([]byte, 50))[:20]); err != nil {
		t.Fatal(err)
	}
	_ = c.SetLinger(0)
	c.Close()
	h.nextReason(t)
	want := appendFrame(nil, 3, []byte("still here"))
	if _, err := other.Write(want); err != nil {
		t.Fatal(err)
	}
	if _, p, err := readFrame(other); err != nil || string(p) != "still here" {
		t.Fatalf("the other connection: %q, %v", p, err)
	}
}

// TestEngineSendFromManyGoroutines: 8 goroutines send on one connection at
// once; every frame parses and each goroutine's frames arrive in its order.
func TestEngineSendFromManyGoroutines(t *testing.T) {
	h := newEchoHandler()
	e := startTestEngine(t, engineConfig{handler: h})
	c := dial(t, e)
	sc := h.nextOpen(t)
	const senders, each = 8, 2000
	var wg sync.WaitGroup
	for g := 0; g < senders; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				p := []byte(fmt.Sprintf("%d", i))
				send := sc.send
				if i%2 == 1 {
					send = func(p []byte) error { return sc.sendQueued(p, nil) }
				}
				if err := send(appendFrame(nil, uint32(g), p)); err != nil {
					t.Errorf("sender %d: %v", g, err)
					return
				}
			}
		}()
	}
	next := make([]int, senders)
	for n := 0; n < senders*each; n++ {
		id, p, err := readFrame(c)
		if err != nil {
			t.Fatalf("after %d frames: %v", n, err)
		}
		if id >= senders || string(p) != fmt.Sprint(next[id]) {
			t.Fatalf("frame %d: sender %d sent %q, want %d", n, id, p, next[id])
		}
		next[id]++
	}
	wg.Wait()
}

// TestEngineSlowReaderHitsOutboundCap: a client with a small receive buffer
// reads nothing while the server sends; the socket fills, the rest waits in
// the outbound ring, and past the cap the connection closes with the reason.
func TestEngineSlowReaderHitsOutboundCap(t *testing.T) {
	h := newEchoHandler()
	e := startTestEngine(t, engineConfig{handler: h, maxOut: 256 << 10})
	d := net.Dialer{Control: smallRcvBuf}
	nc, err := d.Dial("tcp", e.addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	sc := h.nextOpen(t)
	chunk := appendFrame(nil, 1, make([]byte, 4000))
	var sendErr error
	for i := 0; i < 100000 && sendErr == nil; i++ { // 400 MB at most: far past any socket buffer
		sendErr = sc.send(chunk)
	}
	if !errors.Is(sendErr, errOutboundFull) {
		t.Fatalf("send: %v, want %v", sendErr, errOutboundFull)
	}
	if err := h.nextReason(t); !errors.Is(err, errOutboundFull) {
		t.Fatalf("closed for %v, want %v", err, errOutboundFull)
	}
	if err := sc.send(chunk); !errors.Is(err, ErrConnClosed) {
		t.Fatalf("send after close: %v, want %v", err, ErrConnClosed)
	}
}

// TestEngineSlowReaderGetsEverything: a client that reads nothing at first,
// then everything, gets every byte in order: what the socket would not take
// waited in the outbound ring until EPOLLOUT.
func TestEngineSlowReaderGetsEverything(t *testing.T) {
	h := newEchoHandler()
	e := startTestEngine(t, engineConfig{handler: h, maxOut: 16 << 20})
	d := net.Dialer{Control: smallRcvBuf}
	nc, err := d.Dial("tcp", e.addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	sc := h.nextOpen(t)
	const frames = 2500 // 10 MB
	for i := 0; i < frames; i++ {
		p := bytes.Repeat([]byte{byte(i)}, 4000)
		if err := sc.send(appendFrame(nil, uint32(i), p)); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	sc.mu.Lock()
	queued := sc.out.Len()
	sc.mu.Unlock()
	if queued == 0 {
		t.Fatal("the socket took 10 MB at once: the test did not exercise the outbound ring")
	}
	_ = nc.SetDeadline(deadline())
	for i := 0; i < frames; i++ {
		id, p, err := readFrame(nc)
		if err != nil || id != uint32(i) || len(p) != 4000 || p[0] != byte(i) {
			t.Fatalf("frame %d: id %d, %d bytes, err %v", i, id, len(p), err)
		}
	}
}

// TestEngineIPv6Loopback: the listener and the peer's address also work
// for IPv6 (the engine builds its own sockets, so nothing comes for free
// from the net package).
func TestEngineIPv6Loopback(t *testing.T) {
	if ln, err := net.Listen("tcp6", "[::1]:0"); err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	} else {
		ln.Close()
	}
	h := newEchoHandler()
	e, err := startEngine(engineConfig{addr: "[::1]:0", handler: h, log: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer e.stop()
	c, err := net.DialTimeout("tcp", e.addr().String(), testDeadline)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(deadline())
	sc := h.nextOpen(t)
	if got, want := sc.remoteAddr().String(), c.LocalAddr().String(); got != want {
		t.Fatalf("the server sees the client at %s, want %s", got, want)
	}
	if _, err := c.Write(appendFrame(nil, 6, []byte("six"))); err != nil {
		t.Fatal(err)
	}
	if id, p, err := readFrame(c); err != nil || id != 6 || string(p) != "six" {
		t.Fatalf("echo over IPv6: %d %q %v", id, p, err)
	}
}
