package znet_test

import (
	"bufio"
	"bytes"
	"io"
	"sync"
	"testing"
	"time"
)

// BenchmarkPipelined is issue 8's load in one process: 100 connections,
// each sending bursts of 16 framed 64-byte requests in one write and
// reading the 16 echoes before the next burst. ns/op is wall time per
// request, client included; for the server's own CPU per request, pin the
// server with the load tool in bench/ (see docs/v0.8.md).
func BenchmarkPipelined(b *testing.B) {
	for _, pool := range []uint32{0, 10} {
		b.Run(map[uint32]string{0: "pool=0", 10: "pool=10"}[pool], func(b *testing.B) {
			benchPipelined(b, pool, 100, 16)
		})
	}
}

func benchPipelined(b *testing.B, pool uint32, conns, depth int) {
	s := startServer(b, echoRouter{}, withPool(pool, 1024))
	burst := bytes.Repeat(frame(1, string(make([]byte, 64))), depth)
	bursts := max(b.N/(conns*depth), 1)

	clients := make([]io.ReadWriter, conns)
	for i := range clients {
		conn := dial(b, s)
		if err := conn.SetDeadline(time.Time{}); err != nil {
			b.Fatal(err)
		}
		clients[i] = struct {
			io.Reader
			io.Writer
		}{bufio.NewReader(conn), conn}
	}

	b.SetBytes(int64(len(burst) / depth))
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replies := make([]byte, len(burst))
			for range bursts {
				if _, err := c.Write(burst); err != nil {
					errs <- err
					return
				}
				if _, err := io.ReadFull(c, replies); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}
