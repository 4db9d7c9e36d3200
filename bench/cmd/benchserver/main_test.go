package main

import (
	"net"
	"runtime"
	"strconv"
	"strings"
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
	want := runtime.NumGoroutine() // this test's, the control loop's among them
	if got, err := p.Goroutines(); err != nil || got != want {
		t.Errorf("Goroutines = %d, %v; want %d", got, err, want)
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
