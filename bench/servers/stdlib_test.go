package servers

import (
	"bytes"
	"io"
	"net"
	"testing"

	"zinx/bench/frame"
)

// writeCounter counts the writes a server makes on its connection.
type writeCounter struct {
	net.Conn
	writes int
}

func (w *writeCounter) Write(p []byte) (int, error) {
	w.writes++
	return w.Conn.Write(p)
}

// TestStdlibRepliesToA4KiBFrameInOneWrite: the plain echo is the floor the
// versions are held to, so its largest scenario's reply must not pay for a
// buffer too small to hold it.
func TestStdlibRepliesToA4KiBFrameInOneWrite(t *testing.T) {
	client, server := net.Pipe()
	counted := &writeCounter{Conn: server}
	s := &stdlibServer{log: quiet(), conns: map[net.Conn]struct{}{}}
	s.wg.Add(1)
	go s.serve(counted)

	req := make([]byte, frame.HeaderLen+4096)
	frame.PutHeader(req, 4096, frame.EchoMsgID)
	copy(req[frame.HeaderLen:], bytes.Repeat([]byte{7}, 4096))
	if _, err := client.Write(req); err != nil {
		t.Fatal(err)
	}
	reply := make([]byte, len(req))
	if _, err := io.ReadFull(client, reply); err != nil {
		t.Fatal(err)
	}
	client.Close()
	s.wg.Wait() // serve has returned: counted.writes is settled
	if !bytes.Equal(reply, req) {
		t.Fatal("the reply is not the request")
	}
	if counted.writes != 1 {
		t.Fatalf("a 4 KiB reply took %d writes, want 1", counted.writes)
	}
}
