package znet

import (
	"bytes"
	"fmt"
	"net"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"zinx/v1.0-epoll/utils"
	"zinx/v1.0-epoll/ziface"
)

// BenchmarkReadPath measures what the server does in user space for one
// pipelined request, with the kernel taken out: the loop's work on one read
// of maxBurst 64-byte frames (cut them, build requests, run the echo router
// on the loop, queue the replies) and the one write of the replies, made to
// /dev/null. One op is one request.
//
// The load tool measures the whole server, but on a shared machine its CPU
// per request moves by a fifth from run to run, mostly in the kernel's TCP
// work; this is the part the framework's code decides, steady enough to
// compare two versions of it with benchstat:
//
//	go test -run '^$' -bench ReadPath -count 10 ./v1.0-epoll/znet
//
// RequestPoolMode=true prices the course's promise that a handler may keep
// its request: the same path with requests recycled (requestpool.go).
func BenchmarkReadPath(b *testing.B) {
	for _, pooled := range []bool{false, true} {
		b.Run(fmt.Sprint("RequestPoolMode=", pooled), func(b *testing.B) { benchmarkReadPath(b, pooled) })
	}
}

func benchmarkReadPath(b *testing.B, requestPoolMode bool) {
	cfg := utils.Defaults()
	cfg.WorkerPoolSize = 0 // handlers on the loop: the path runs on the benchmark's goroutine
	cfg.RequestPoolMode = requestPoolMode
	s := NewServer(WithConfig(cfg), WithAddr("127.0.0.1:0")).(*Server)
	s.AddRouter(1, echoData{})
	opened := make(chan ziface.IConnection, 1)
	s.SetOnConnStart(func(c ziface.IConnection) { opened <- c })
	if err := s.Start(); err != nil {
		b.Fatal(err)
	}
	defer s.Stop()
	client, err := net.DialTimeout("tcp", s.Addr().String(), testDeadline)
	if err != nil {
		b.Fatal(err)
	}
	defer client.Close()
	var ec *conn
	select {
	case c := <-opened: // the hook ran on the loop after it registered the connection
		ec = c.(*Connection).ec
	case <-time.After(testDeadline):
		b.Fatal("the server did not open the connection")
	}

	// The client never sends, so the loop leaves ec alone while the
	// benchmark drives it: the benchmark's goroutine stands in for the loop.
	// For the duration the descriptor's number points at /dev/null, so that
	// the reply write costs a system call but no TCP; the socket stays open,
	// and registered, through a duplicate, and gets its number back after.
	restore := redirectToDevNull(b, ec.fd)
	defer restore()

	var read []byte
	for i := range maxBurst {
		read = appendFrame(read, 1, bytes.Repeat([]byte{byte('a' + i)}, 64))
	}
	l := ec.loop
	b.ReportAllocs()
	b.SetBytes(int64(len(read) / maxBurst))
	b.ResetTimer()
	for i := 0; i < b.N; i += maxBurst {
		ec.busy.Add(1) // as read does around a burst
		if err := l.consume(ec, read); err != nil {
			b.Fatal(err)
		}
		ec.busy.Add(-1)
		if !l.flush(ec) {
			b.Fatal("the connection closed")
		}
	}
}

// redirectToDevNull points descriptor number fd at /dev/null and returns
// the function that gives fd its file back.
func redirectToDevNull(b *testing.B, fd int) (restore func()) {
	saved, err := unix.Dup(fd)
	if err != nil {
		b.Fatal(err)
	}
	null, err := unix.Open("/dev/null", unix.O_WRONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer unix.Close(null)
	if err := unix.Dup3(null, fd, unix.O_CLOEXEC); err != nil {
		b.Fatal(err)
	}
	return func() {
		if err := unix.Dup3(saved, fd, unix.O_CLOEXEC); err != nil {
			panic(fmt.Sprint("cannot give the socket its descriptor back: ", err))
		}
		unix.Close(saved)
	}
}
