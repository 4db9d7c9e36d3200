package znet_test

import (
	"io"
	"testing"
	"time"
)

// BenchmarkEchoRoundTrip measures one client's request-reply latency over
// loopback: write 64 bytes, read the 64-byte echo.
func BenchmarkEchoRoundTrip(b *testing.B) {
	s := startServer(b)
	conn := dial(b, s)
	if err := conn.SetDeadline(time.Time{}); err != nil { // the run may outlast waitLimit
		b.Fatal(err)
	}
	msg := make([]byte, 64)
	buf := make([]byte, len(msg))

	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := conn.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(conn, buf); err != nil {
			b.Fatal(err)
		}
	}
}
