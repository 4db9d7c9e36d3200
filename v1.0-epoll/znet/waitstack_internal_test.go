package znet

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

const testWait = 5 * time.Second

// waitBlockedIn waits until some goroutine is parked on a channel inside
// the function fn (a stack frame name such as "(*Connection).SendMsg"), or
// fails the test. It polls goroutine stacks, yielding between looks: no
// sleep stands in for the event, and the deadline only bounds a failure.
func waitBlockedIn(t testing.TB, fn string) {
	t.Helper()
	deadline := time.Now().Add(testWait)
	buf := make([]byte, 1<<20)
	for time.Now().Before(deadline) {
		n := runtime.Stack(buf, true)
		for _, g := range strings.Split(string(buf[:n]), "\n\n") {
			parked := strings.Contains(g, "[chan send") || strings.Contains(g, "[select") ||
				strings.Contains(g, "[chan receive") || strings.Contains(g, "[sync.WaitGroup.Wait") || strings.Contains(g, "[semacquire")
			if parked && strings.Contains(g, fn) {
				return
			}
		}
		runtime.Gosched()
	}
	t.Fatalf("no goroutine blocked in %s within %v", fn, testWait)
}

// waitParkedIn waits until some goroutine is parked in state (as the
// goroutine's stack header names it, such as "sync.WaitGroup.Wait") inside
// the function fn, or fails the test; see waitBlockedIn.
func waitParkedIn(t testing.TB, state, fn string) {
	t.Helper()
	deadline := time.Now().Add(testWait)
	buf := make([]byte, 1<<20)
	for time.Now().Before(deadline) {
		n := runtime.Stack(buf, true)
		for _, g := range strings.Split(string(buf[:n]), "\n\n") {
			header, _, _ := strings.Cut(g, "\n")
			if strings.Contains(header, "["+state) && strings.Contains(g, fn) {
				return
			}
		}
		runtime.Gosched()
	}
	t.Fatalf("no goroutine parked in %s inside %s within %v", state, fn, testWait)
}
