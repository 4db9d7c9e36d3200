package znet

import "testing"

func TestEchoRoundTrip(t *testing.T) {}

func TestStopWaits(t *testing.T) {}

func BenchmarkEcho(b *testing.B) {}

func FuzzReadMsg(f *testing.F) {}

// TestInAComment is not a test: only a func declaration counts.
