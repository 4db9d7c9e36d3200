package main

import (
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"zinx/bench/internal/leaktest"
	"zinx/bench/load"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m, leaktest.GnetOptions()...) }

// TestControlAnswersTheProbe runs the control loop and asks it what zload
// asks: the answers are plain numbers, one a connection.
func TestControlAnswersTheProbe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		control(ln)
	}()
	defer func() { ln.Close(); <-done }()

	p := load.Probe{Control: ln.Addr().String()}
	// The runtime may run a short-lived goroutine of its own at any moment,
	// so the count is compared as a difference, and retried a few times.
	const extra = 10
	var before, after int
	for range 3 {
		before, err = p.Goroutines()
		if err != nil {
			t.Fatal(err)
		}
		release := make(chan struct{})
		var started sync.WaitGroup
		var ended sync.WaitGroup
		for range extra {
			started.Add(1)
			ended.Add(1)
			go func() { started.Done(); <-release; ended.Done() }()
		}
		started.Wait()
		after, err = p.Goroutines()
		close(release)
		ended.Wait()
		if err != nil {
			t.Fatal(err)
		}
		if after-before == extra {
			break
		}
	}
	if after-before != extra || before < 2 {
		t.Errorf("goroutines went from %d to %d with %d more running", before, after, extra)
	}
	if err := p.GC(); err != nil {
		t.Errorf("GC: %v", err)
	}

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("reboot\n"))
	b := make([]byte, 16)
	n, _ := c.Read(b)
	if got, _ := strconv.Atoi(strings.TrimSpace(string(b[:n]))); got != -1 {
		t.Errorf("an unknown command got %q, want -1", b[:n])
	}
}
