package servers

import (
	"testing"

	"github.com/panjf2000/gnet/v2"

	"zinx/bench/frame"
)

// fakeGnetConn is the part of a gnet connection OnTraffic uses: an inbound
// buffer to peek at and discard from, and writes it records.
type fakeGnetConn struct {
	gnet.Conn // nil: calling any other method panics
	in        []byte
	written   int
}

func (c *fakeGnetConn) Peek(int) ([]byte, error)    { return c.in, nil }
func (c *fakeGnetConn) Discard(n int) (int, error)  { c.in = c.in[n:]; return n, nil }
func (c *fakeGnetConn) Write(p []byte) (int, error) { c.written += len(p); return len(p), nil }

// TestGnetRoutedAllocatesNothingPerFrame: gnet-routed stands for gnet doing
// zinx's per-message work, no more; an allocation per frame would charge it
// for garbage zinx's recycled requests do not make, and flatter zinx.
func TestGnetRoutedAllocatesNothingPerFrame(t *testing.T) {
	s := &gnetRoutedServer{gnetServer: newGnetServer(quiet()), routes: map[uint32]routedHandler{frame.EchoMsgID: echoRouted}}
	st := frame.NewStream(1, 64)
	var burst []byte
	for range 16 {
		burst = st.AppendRequest(burst)
	}
	c := &fakeGnetConn{}
	allocs := testing.AllocsPerRun(100, func() {
		c.in = burst
		if s.OnTraffic(c) != gnet.None {
			t.Fatal("OnTraffic closed the connection")
		}
	})
	if allocs != 0 {
		t.Fatalf("%.0f allocations per read of 16 frames, want 0", allocs)
	}
	if len(c.in) != 0 || c.written != 101*len(burst) {
		t.Fatalf("left %d bytes, wrote %d; want every frame answered", len(c.in), c.written)
	}
}
