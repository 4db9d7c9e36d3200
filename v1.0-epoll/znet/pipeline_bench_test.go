package znet_test

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The pipelined load of the chapters' numbers: many connections, each
// keeping several 64-byte requests in flight, against this version's echo
// router (one queue entry's replies leave in one write when the entry is
// released) with the default pool and with a pool of 0, and against two
// plain goroutine-per-connection echo servers that differ only in when they
// flush a bufio.Writer: once per burst of requests, or after every reply.
//
//	go test -run '^$' -bench Pipelined -count 5 ./v1.0-epoll/znet
//
// Besides ns/op (one op is one request), each run reports:
//
//	req/s       requests answered per second, over all connections
//	fair-share  when the first connection has all its replies, the fewest
//	            replies any connection has, over the mean: 1 is perfectly
//	            even, 0 is a connection that starved
//	stall-ms    the longest any connection waited between two replies
const (
	pipeConns   = 100
	pipeDepth   = 16
	pipePayload = 64
)

func BenchmarkPipelined(b *testing.B) {
	b.Run("v1.0-epoll-SendMsg", func(b *testing.B) {
		s := startServer(b, echoRouter{})
		runPipelined(b, s.Addr().String())
	})
	b.Run("v1.0-epoll-SendMsg-pool=0", func(b *testing.B) {
		s := startServer(b, echoRouter{}, withPool(0, 1))
		runPipelined(b, s.Addr().String())
	})
	b.Run("plain-flush-per-burst", func(b *testing.B) {
		runPipelined(b, startPlainEcho(b, false))
	})
	b.Run("plain-flush-per-reply", func(b *testing.B) {
		runPipelined(b, startPlainEcho(b, true))
	})
}

// runPipelined has each of pipeConns connections send its share of b.N
// requests, keeping pipeDepth in flight, checks every reply, and reports the
// metrics.
func runPipelined(b *testing.B, addr string) {
	conns := make([]net.Conn, pipeConns)
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	quota := max((b.N+pipeConns-1)/pipeConns, pipeDepth)
	run := &pipeRun{done: make([]atomic.Int64, pipeConns)}
	stalls := make([]time.Duration, pipeConns)
	errs := make(chan error, pipeConns)
	var wg sync.WaitGroup

	b.ResetTimer()
	start := time.Now()
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			stalls[i], err = run.client(c, i, quota)
			if err != nil {
				errs <- fmt.Errorf("connection %d: %w", i, err)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}

	b.ReportMetric(float64(quota*pipeConns)/elapsed.Seconds(), "req/s")
	b.ReportMetric(run.fairShare, "fair-share")
	b.ReportMetric(float64(slices.Max(stalls))/float64(time.Millisecond), "stall-ms")
}

// pipeRun is what the clients of one run share.
type pipeRun struct {
	done      []atomic.Int64 // replies each connection has received
	firstOnce sync.Once
	fairShare float64 // set by the first connection to finish
}

// finished records the fairness at the moment the first connection has
// received all its replies: a server that shares its time evenly has brought
// every other connection close to the same count; one that starves some has
// left them far behind. Measuring then, not at the end, keeps the late
// connections from catching up once the early ones have gone quiet.
func (p *pipeRun) finished() {
	p.firstOnce.Do(func() {
		fewest, total := p.done[0].Load(), int64(0)
		for i := range p.done {
			n := p.done[i].Load()
			fewest = min(fewest, n)
			total += n
		}
		p.fairShare = float64(fewest) / (float64(total) / float64(len(p.done)))
	})
}

// client sends quota requests on c, keeping up to pipeDepth in flight: after
// each read it sends as many new requests as replies arrived, in one write.
// It returns the longest wait between two replies.
func (p *pipeRun) client(c net.Conn, id, quota int) (stall time.Duration, err error) {
	if err := c.SetDeadline(time.Now().Add(time.Minute)); err != nil {
		return 0, err
	}
	const frameLen = 8 + pipePayload
	req := make([]byte, frameLen)
	binary.LittleEndian.PutUint32(req[0:4], pipePayload)
	binary.LittleEndian.PutUint32(req[4:8], 1)
	out := make([]byte, 0, pipeDepth*frameLen)
	unsent := quota
	send := func(n int) error {
		n = min(n, unsent)
		if n == 0 {
			return nil
		}
		unsent -= n
		out = out[:0]
		for range n {
			out = append(out, req...)
		}
		_, err := c.Write(out)
		return err
	}

	last := time.Now()
	if err := send(pipeDepth); err != nil {
		return 0, err
	}
	r := bufio.NewReaderSize(c, 64<<10)
	reply := make([]byte, frameLen)
	for received := 0; received < quota; {
		got := 0
		for got == 0 || r.Buffered() >= frameLen {
			if _, err := io.ReadFull(r, reply); err != nil {
				return stall, err
			}
			if string(reply[:8]) != string(req[:8]) {
				return stall, fmt.Errorf("reply header %x, want %x", reply[:8], req[:8])
			}
			got++
		}
		now := time.Now()
		stall = max(stall, now.Sub(last))
		last = now
		received += got
		p.done[id].Add(int64(got))
		if err := send(got); err != nil {
			return stall, err
		}
	}
	p.finished()
	return stall, nil
}

// startPlainEcho starts the baseline: a goroutine per connection that reads
// frames through a bufio.Reader and writes each back through a bufio.Writer,
// flushing after every reply, or only once no more request bytes are
// buffered, so that a burst of pipelined requests costs one write(2). It is
// stopped, and its goroutines waited for, when the benchmark ends.
func startPlainEcho(b *testing.B, flushEachReply bool) string {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
	)
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
				plainEcho(c, flushEachReply)
			}()
		}
	}()
	b.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

func plainEcho(c net.Conn, flushEachReply bool) {
	r, w := bufio.NewReader(c), bufio.NewWriter(c)
	frame := make([]byte, 8+pipePayload)
	for {
		if _, err := io.ReadFull(r, frame[:8]); err != nil {
			return
		}
		n := binary.LittleEndian.Uint32(frame[0:4])
		if n != pipePayload {
			return // only the benchmark's requests are expected
		}
		if _, err := io.ReadFull(r, frame[8:]); err != nil {
			return
		}
		if _, err := w.Write(frame); err != nil {
			return
		}
		if flushEachReply || r.Buffered() == 0 {
			if err := w.Flush(); err != nil {
				return
			}
		}
	}
}
