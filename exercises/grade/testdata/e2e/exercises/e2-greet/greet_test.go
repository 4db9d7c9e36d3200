package greet

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestGreet(t *testing.T) {
	if got := Greet("zinx"); got != "hello, zinx" {
		t.Errorf("Greet(%q) = %q, want %q", "zinx", got, "hello, zinx")
	}
}
