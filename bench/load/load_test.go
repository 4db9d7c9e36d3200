package load

import (
	"context"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"zinx/bench/frame"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// startEcho runs a correct echo server in this process.
func startEcho(t *testing.T) net.Addr {
	return faultyEcho(t, func(_ int, f []byte) []byte { return f })
}

func TestEchoCountsCheckedReplies(t *testing.T) {
	addr := startEcho(t)
	res, err := Echo(context.Background(), EchoConfig{
		Addr: addr.String(), Conns: 4, Depth: 8, Size: 100,
		Warmup: 20 * time.Millisecond, Duration: 200 * time.Millisecond,
		Probe: Probe{PID: os.Getpid()},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 0 {
		t.Fatalf("errors against a correct echo: %d, first: %s", res.Errors, res.FirstError)
	}
	if res.Requests <= 0 || res.Fewest <= 0 || res.Most < res.Fewest {
		t.Fatalf("requests %d, fewest %d, most %d", res.Requests, res.Fewest, res.Most)
	}
	if res.P50us <= 0 || res.P99us < res.P50us || res.P999us < res.P99us {
		t.Fatalf("latencies p50 %v, p99 %v, p99.9 %v", res.P50us, res.P99us, res.P999us)
	}
	if res.Seconds < 0.2 || res.ReqPerSec != float64(res.Requests)/res.Seconds {
		t.Fatalf("%v s, %v req/s for %d requests", res.Seconds, res.ReqPerSec, res.Requests)
	}
	// This process is the server, so its CPU time is the probe's.
	if res.CPUSeconds <= 0 || res.CPUPerReq <= 0 || res.LoadCPUSeconds <= 0 {
		t.Fatalf("server CPU %v s, %v µs per request, load CPU %v s", res.CPUSeconds, res.CPUPerReq, res.LoadCPUSeconds)
	}
}

// faultyEcho answers like an echo server, except that fault may change or
// withhold the reply to request number n (counting from 0 over all
// connections).
func faultyEcho(t *testing.T, fault func(n int, f []byte) []byte) net.Addr {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	count := 0
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				hdr := make([]byte, frame.HeaderLen)
				for {
					if _, err := io.ReadFull(c, hdr); err != nil {
						return
					}
					n, _ := frame.ParseHeader(hdr)
					f := append(hdr[:frame.HeaderLen:frame.HeaderLen], make([]byte, n)...)
					if _, err := io.ReadFull(c, f[frame.HeaderLen:]); err != nil {
						return
					}
					mu.Lock()
					k := count
					count++
					mu.Unlock()
					if f = fault(k, f); f != nil {
						c.Write(f)
					}
				}
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr()
}

func TestEchoReportsWrongAndMissingReplies(t *testing.T) {
	cases := map[string]struct {
		fault func(n int, f []byte) []byte
		want  string
	}{
		"a flipped byte": {func(n int, f []byte) []byte {
			if n == 5 {
				f[len(f)-1] ^= 0x20
			}
			return f
		}, "differs from its request at byte 71"},
		"a lost reply": {func(n int, f []byte) []byte {
			if n == 5 {
				return nil
			}
			return f
		}, "1 more owed: read tcp"},
		"a reply twice": {func(n int, f []byte) []byte {
			if n == 5 {
				return append(f, f...)
			}
			return f
		}, "a reply arrived with no request outstanding"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			addr := faultyEcho(t, c.fault)
			res, err := Echo(context.Background(), EchoConfig{
				Addr: addr.String(), Conns: 1, Depth: 1, Size: 64,
				Duration: 100 * time.Millisecond, DrainTimeout: 100 * time.Millisecond,
			})
			if err != nil {
				t.Fatal(err)
			}
			if res.Errors != 1 || !strings.Contains(res.FirstError, c.want) {
				t.Fatalf("errors %d, first %q; want 1 containing %q", res.Errors, res.FirstError, c.want)
			}
		})
	}
}

// TestEchoCountsOnlyTheMeasuredWindow: replies that arrive while warming
// up or while draining the replies still owed are checked but not counted,
// so requests/s and CPU per request cover the same window.
func TestEchoCountsOnlyTheMeasuredWindow(t *testing.T) {
	t.Run("warm-up", func(t *testing.T) {
		// Ten quick replies, all well inside the warm-up, then silence.
		addr := faultyEcho(t, func(n int, f []byte) []byte {
			if n < 10 {
				return f
			}
			return nil
		})
		res, err := Echo(context.Background(), EchoConfig{
			Addr: addr.String(), Conns: 1, Depth: 1, Size: 8,
			Warmup: 500 * time.Millisecond, Duration: 50 * time.Millisecond, DrainTimeout: 50 * time.Millisecond,
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Requests != 0 {
			t.Fatalf("counted %d requests answered before the window opened", res.Requests)
		}
	})
	t.Run("drain", func(t *testing.T) {
		// The only reply arrives after the window has closed.
		addr := faultyEcho(t, func(n int, f []byte) []byte {
			if n == 0 {
				time.Sleep(300 * time.Millisecond)
			}
			return f
		})
		res, err := Echo(context.Background(), EchoConfig{
			Addr: addr.String(), Conns: 1, Depth: 1, Size: 8,
			Duration: 100 * time.Millisecond, DrainTimeout: 5 * time.Second,
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Errors != 0 || res.Requests != 0 {
			t.Fatalf("errors %d (%s), requests %d; want the late reply checked and not counted", res.Errors, res.FirstError, res.Requests)
		}
	})
}

func TestEchoEndsWhenContextDoes(t *testing.T) {
	addr := startEcho(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Echo(ctx, EchoConfig{Addr: addr.String(), Conns: 2, Depth: 1, Size: 8, Duration: time.Hour})
	if err == nil {
		t.Fatal("a cancelled run reported success")
	}
}

// TestIdleMeasuresHeldConnections runs the server in this process, so the
// descriptors it sees are both ends of each connection.
func TestIdleMeasuresHeldConnections(t *testing.T) {
	addr := startEcho(t)
	const n = 50
	res, err := Idle(context.Background(), IdleConfig{Addr: addr.String(), Conns: n, Probe: Probe{PID: os.Getpid()}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 0 {
		t.Fatalf("errors: %d, first: %s", res.Errors, res.FirstError)
	}
	if got := res.FDsHeld - res.FDsBefore; got != 2*n {
		t.Errorf("held %d descriptors more, want %d (both ends of %d connections)", got, 2*n, n)
	}
	if !res.FDsReturned || res.FDsAfterClose > res.FDsBefore {
		t.Errorf("descriptors after close: %d, before: %d", res.FDsAfterClose, res.FDsBefore)
	}
	if res.RSSBeforeKiB <= 0 || res.ThreadsHeld <= 0 {
		t.Errorf("rss %d KiB, threads %d", res.RSSBeforeKiB, res.ThreadsHeld)
	}
}

func TestIdleNeedsAPID(t *testing.T) {
	if _, err := Idle(context.Background(), IdleConfig{Addr: "127.0.0.1:1", Conns: 1}); err == nil {
		t.Fatal("Idle without a pid succeeded")
	}
}

func TestProbeAsksTheControlSocket(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 2)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 2 {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b := make([]byte, 32)
			n, _ := c.Read(b)
			got <- string(b[:n])
			c.Write([]byte([]string{"7\n", "0\n"}[i]))
			c.Close()
		}
	}()
	p := Probe{Control: ln.Addr().String()}
	if n, err := p.Goroutines(); err != nil || n != 7 {
		t.Errorf("Goroutines = %d, %v; want 7", n, err)
	}
	if err := p.GC(); err != nil {
		t.Errorf("GC: %v", err)
	}
	<-done
	if a, b := <-got, <-got; a != "goroutines\n" || b != "gc\n" {
		t.Errorf("commands sent: %q, %q", a, b)
	}
}

func TestIdleReportsAWrongReply(t *testing.T) {
	addr := faultyEcho(t, func(n int, f []byte) []byte {
		if n == 3 {
			f[frame.HeaderLen+9] ^= 1
		}
		return f
	})
	res, err := Idle(context.Background(), IdleConfig{Addr: addr.String(), Conns: 8, Probe: Probe{PID: os.Getpid()}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 1 || !strings.Contains(res.FirstError, "differs from its request at byte 17") {
		t.Fatalf("errors %d, first %q; want 1 wrong reply", res.Errors, res.FirstError)
	}
}
