package servers

import (
	"io"
	"log/slog"
	"net"
	"slices"
	"testing"
	"time"

	"go.uber.org/goleak"

	"zinx/bench/frame"
	"zinx/bench/internal/leaktest"
	"zinx/bench/internal/version"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m, leaktest.GnetOptions()...) }

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

func TestNamesPutPeersFirstThenVersionsInOrder(t *testing.T) {
	names := Names()
	if len(names) < 5 || names[0] != "stdlib" || names[1] != "gnet" || names[2] != "gnet-routed" {
		t.Fatalf("Names() = %v, want stdlib, gnet, gnet-routed, then the versions", names)
	}
	for i := 4; i < len(names); i++ {
		if compareNames(names[i-1], names[i]) >= 0 || slices.Compare(version.Key(names[i-1]), version.Key(names[i])) > 0 {
			t.Errorf("%s is listed before %s", names[i-1], names[i])
		}
	}
	if got := version.Key("v1.0-epoll"); !slices.Equal(got, []int{1, 0}) {
		t.Errorf("version.Key(v1.0-epoll) = %v", got)
	}
	if compareNames("v0.9", "v0.10") >= 0 {
		t.Error("v0.10 sorts before v0.9")
	}
	if compareNames("v1.0-epoll", "v1.0-epoll-loop") >= 0 || compareNames("v1.0-epoll-loop", "v0.9") <= 0 {
		t.Error("a version's variant must follow it, and come after the earlier versions")
	}
	if _, err := Lookup("nope"); err == nil {
		t.Error("Lookup of an unknown name succeeded")
	}
}

// TestEveryServerEchoesFrames runs each server in this process and checks
// it answers pipelined frames, some split across writes, byte for byte, on
// several connections at once, then stops without leaving a goroutine.
func TestEveryServerEchoesFrames(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			e, _ := Lookup(name)
			s, err := e.Start("127.0.0.1:0", quiet())
			if err != nil {
				t.Fatal(err)
			}
			stopped := false
			t.Cleanup(func() {
				if !stopped {
					s.Stop()
				}
			})

			conns := make([]net.Conn, 3)
			for i := range conns {
				c, err := net.Dial("tcp", s.Addr().String())
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				conns[i] = c
			}
			for round := range 3 {
				for i, c := range conns {
					echoSplit(t, c, uint32(i), 10+round*1000)
				}
			}
			if err := s.Stop(); err != nil {
				t.Fatalf("Stop: %v", err)
			}
			stopped = true
			// Stop closed the connections: a read ends instead of blocking.
			conns[0].SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := conns[0].Read(make([]byte, 1)); err == nil || isTimeout(err) {
				t.Fatalf("read after Stop = %v, want the connection closed", err)
			}
		})
	}
}

// echoSplit sends 20 frames of size bytes in one burst but cut in three
// writes at awkward places (inside a header, inside a payload), and checks
// the 20 replies.
func echoSplit(t *testing.T, c net.Conn, id uint32, size int) {
	t.Helper()
	st := frame.NewStream(id, size)
	var burst []byte
	for range 20 {
		burst = st.AppendRequest(burst)
	}
	cuts := []int{0, 3, len(burst)/2 + 5, len(burst)}
	for i := 1; i < len(cuts); i++ {
		if _, err := c.Write(burst[cuts[i-1]:cuts[i]]); err != nil {
			t.Fatal(err)
		}
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	reply := make([]byte, st.FrameLen())
	for range 20 {
		if _, err := io.ReadFull(c, reply); err != nil {
			t.Fatalf("reading reply %d: %v", st.Answered(), err)
		}
		if err := st.Check(reply); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFramedServersCloseOnAnOversizedFrame sends a header promising more
// than MaxPayload: the framed servers close that connection and go on
// serving others. A raw echo (v0.1) has no frames to judge.
func TestFramedServersCloseOnAnOversizedFrame(t *testing.T) {
	for _, name := range Names() {
		e, _ := Lookup(name)
		if e.RawEcho {
			continue
		}
		t.Run(name, func(t *testing.T) {
			s, err := e.Start("127.0.0.1:0", quiet())
			if err != nil {
				t.Fatal(err)
			}
			defer s.Stop()
			bad, err := net.Dial("tcp", s.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer bad.Close()
			good, err := net.Dial("tcp", s.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer good.Close()

			var hdr [frame.HeaderLen]byte
			frame.PutHeader(hdr[:], MaxPayload+1, 1)
			if _, err := bad.Write(hdr[:]); err != nil {
				t.Fatal(err)
			}
			bad.SetReadDeadline(time.Now().Add(10 * time.Second))
			if n, err := bad.Read(make([]byte, 16)); err == nil || isTimeout(err) {
				t.Fatalf("read = %d bytes, %v; want the connection closed", n, err)
			}
			echoSplit(t, good, 1, 64)
		})
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}
