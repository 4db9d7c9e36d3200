package znet_test

import (
	"bytes"
	"io"
	"testing"
	"time"

	"zinx/v1.0-epoll/znet"
)

// BenchmarkPingRoundTrip measures one client's request-reply latency over
// loopback: a 64-byte framed request, answered by a router with a framed echo.
func BenchmarkPingRoundTrip(b *testing.B) {
	s := startServer(b, echoRouter{})
	conn := dial(b, s)
	if err := conn.SetDeadline(time.Time{}); err != nil { // the run may outlast waitLimit
		b.Fatal(err)
	}
	req := frame(1, string(make([]byte, 64)))
	reply := make([]byte, len(req))

	b.SetBytes(int64(len(req)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := conn.Write(req); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(conn, reply); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPack measures framing a 64-byte payload.
func BenchmarkPack(b *testing.B) {
	dp := znet.NewDataPackWithLimit(4096)
	msg := znet.NewMsgPackage(1, make([]byte, 64))
	b.ReportAllocs()
	for range b.N {
		if _, err := dp.Pack(msg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadMsg measures decoding 64-byte frames from a stream.
func BenchmarkReadMsg(b *testing.B) {
	dp := znet.NewDataPackWithLimit(4096)
	one := frame(1, string(make([]byte, 64)))
	stream := bytes.Repeat(one, 1024)
	r := bytes.NewReader(stream)

	b.SetBytes(int64(len(one)))
	b.ReportAllocs()
	for range b.N {
		if r.Len() == 0 {
			r.Reset(stream)
		}
		if _, err := dp.ReadMsg(r); err != nil {
			b.Fatal(err)
		}
	}
}
