package znet

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

const testWait = 5 * time.Second

// waitBlockedIn waits until some goroutine is parked on a channel, a
// select, a WaitGroup or a lock inside the function fn (a stack frame name
// such as "(*Connection).SendMsg"), or fails the test.
func waitBlockedIn(t testing.TB, fn string) {
	t.Helper()
	waitForStack(t, fn, "blocked", "chan send", "chan receive", "select", "sync.WaitGroup.Wait", "semacquire")
}

// waitParkedIn waits until some goroutine is parked in state (as the
// goroutine's stack header names it, such as "sync.WaitGroup.Wait") inside
// the function fn, or fails the test.
func waitParkedIn(t testing.TB, state, fn string) {
	t.Helper()
	waitForStack(t, fn, "parked in "+state, state)
}

// waitForStack waits until some goroutine whose stack header names one of
// states has fn on its stack. It polls goroutine stacks, yielding between
// looks: no sleep stands in for the event, and the deadline only bounds a
// failure, which the message reports as "no goroutine <what> in fn".
func waitForStack(t testing.TB, fn, what string, states ...string) {
	t.Helper()
	deadline := time.Now().Add(testWait)
	buf := make([]byte, 1<<20)
	for time.Now().Before(deadline) {
		n := runtime.Stack(buf, true)
		for _, g := range strings.Split(string(buf[:n]), "\n\n") {
			header, _, _ := strings.Cut(g, "\n")
			for _, state := range states {
				if strings.Contains(header, "["+state) && strings.Contains(g, fn) {
					return
				}
			}
		}
		runtime.Gosched()
	}
	t.Fatalf("no goroutine %s in %s within %v", what, fn, testWait)
}
