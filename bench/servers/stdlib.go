package servers

import (
	"bufio"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"

	"zinx/bench/frame"
)

// MaxPayload bounds a request's payload on every server. The scenarios send
// at most 4 KiB; a larger DataLen is a broken client, and closes its
// connection.
const MaxPayload = 64 << 10

func init() {
	Register(Entry{
		Name:  "stdlib",
		Kind:  Peer,
		Doc:   "plain echo: a goroutine per connection, 8 KiB bufio buffers, replies flushed once per burst",
		DocZH: "朴素 echo：每连接一个 goroutine，8 KiB 的 bufio 读写缓冲，一批请求处理完才 flush 一次",
		Start: startStdlib,
	})
}

// stdlibServer is the floor a framework should not fall far below: the
// simplest correct echo of whole frames. Each connection's goroutine reads a
// frame, writes it to a bufio.Writer, and flushes only when the reader has no
// more bytes buffered, so a burst of pipelined requests costs one write.
type stdlibServer struct {
	ln  net.Listener
	log *slog.Logger
	wg  sync.WaitGroup

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
}

func startStdlib(addr string, log *slog.Logger) (Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &stdlibServer{ln: ln, log: log, conns: map[net.Conn]struct{}{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

func (s *stdlibServer) Addr() net.Addr { return s.ln.Addr() }

func (s *stdlibServer) Stop() error {
	s.mu.Lock()
	s.closed = true
	err := s.ln.Close()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

func (s *stdlibServer) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				s.log.Error("accept failed", "err", err)
			}
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go s.serve(c)
	}
}

func (s *stdlibServer) serve(c net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		c.Close()
	}()
	r := bufio.NewReaderSize(c, ioBufferSize)
	w := bufio.NewWriterSize(c, ioBufferSize)
	var hdr [frame.HeaderLen]byte
	var payload []byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return // EOF or closed by Stop: the normal ends
		}
		n, _ := frame.ParseHeader(hdr[:])
		if n > MaxPayload {
			s.log.Warn("closing connection: frame too large", "len", n)
			return
		}
		payload = resize(payload, int(n))
		if _, err := io.ReadFull(r, payload); err != nil {
			return
		}
		w.Write(hdr[:])
		w.Write(payload)
		if r.Buffered() == 0 {
			if err := w.Flush(); err != nil {
				return
			}
		}
	}
}

// ioBufferSize is the size of each connection's bufio buffers: room for a
// whole 4 KiB frame (4,104 bytes with its header), so that the scenarios'
// largest reply leaves in one write and arrives in about one read. With
// bufio's default 4,096 bytes, each such reply took two writes and each
// request over two reads: the cost of a buffer size, not of the design
// this server stands for, and it flattered every version beside it. An
// idle connection's resident memory barely grows: the kernel backs only
// the pages of a buffer that have been written.
const ioBufferSize = 8 << 10

// resize returns b resized to n bytes, reusing its array when it is big enough.
func resize(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}
