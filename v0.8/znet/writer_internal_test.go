package znet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v0.8/utils"
)

const testWait = 5 * time.Second

// idleConnection returns a connection over a real loopback socket whose
// reader and writer are not running, and the client's end. The test starts
// what it needs.
func idleConnection(t *testing.T) (*Connection, *net.TCPConn) {
	t.Helper()
	s := NewServer(WithConfig(utils.Defaults()), WithAddr("127.0.0.1:0")).(*Server)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	client, err := net.Dial("tcp4", ln.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { client.Close() })
	server, err := ln.Accept()
	require.NoError(t, err)
	c := newConnection(s, server.(*net.TCPConn), 0, s.msgHandler)
	t.Cleanup(c.Stop)
	return c, client.(*net.TCPConn)
}

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

// waitClosed fails the test unless c stops within testWait.
func waitClosed(t *testing.T, c *Connection, why string) {
	t.Helper()
	select {
	case <-c.closed:
	case <-time.After(testWait):
		t.Fatalf("%s: the connection did not stop within %v", why, testWait)
	}
}

// TestSendMsgWhenTheWriterHasGone is the course's hang, as a regression
// test. The course's SendMsg sent on an unbuffered channel with no other
// case, so once the writer had exited it blocked forever. Here no writer
// runs at all: the queue fills, the next SendMsg waits, and Stop must
// release it with ErrConnClosed.
func TestSendMsgWhenTheWriterHasGone(t *testing.T) {
	c, _ := idleConnection(t)
	for i := range msgChanLen {
		require.NoError(t, c.SendMsg(1, []byte("queued")), "frame %d fits in the queue", i)
	}
	blocked := make(chan error, 1)
	go func() { blocked <- c.SendMsg(1, []byte("one too many")) }()
	waitBlockedIn(t, "(*Connection).SendMsg")

	c.Stop()
	select {
	case err := <-blocked:
		assert.ErrorIs(t, err, ErrConnClosed)
	case <-time.After(testWait):
		t.Fatal("SendMsg on a full queue hung after Stop: the course's bug")
	}
	assert.ErrorIs(t, c.SendMsg(1, []byte("after")), ErrConnClosed, "a stopped connection refuses at once")
}

// TestWriteErrorStopsTheConnection resets the client's end and keeps
// sending. Only the writer runs, so only a failed write can stop the
// connection, and SendMsg must then say so.
func TestWriteErrorStopsTheConnection(t *testing.T) {
	c, client := idleConnection(t)
	require.NoError(t, client.SetLinger(0)) // Close sends RST
	require.NoError(t, client.Close())

	c.server.wg.Add(1)
	go c.startWriter()
	// The first writes may still succeed into the socket's buffer; the RST
	// makes a later one fail. Bounded: the queue holds msgChanLen frames, so
	// the loop ends by an error long before it runs out.
	sent := make(chan error, 1)
	go func() {
		for range 100_000 {
			if err := c.SendMsg(1, bytes.Repeat([]byte("x"), 1024)); err != nil {
				sent <- err
				return
			}
		}
		sent <- nil
	}()
	select {
	case err := <-sent:
		assert.ErrorIs(t, err, ErrConnClosed)
	case <-time.After(testWait):
		c.Stop() // release the sender before failing
		t.Fatal("SendMsg kept waiting after the write failed: the writer left without stopping the connection")
	}
	waitClosed(t, c, "a write error")
	c.server.wg.Wait() // the writer has exited
}

// gatedWriter records every write and can hold the first one until the
// test opens the gate.
type gatedWriter struct {
	entered chan struct{} // receives once per write, as it begins
	gate    chan struct{} // the first write waits for this to close
	writes  chan []byte   // a copy of each write's bytes
}

func (w *gatedWriter) Write(p []byte) (int, error) {
	w.entered <- struct{}{}
	if len(w.writes) == 0 {
		<-w.gate
	}
	w.writes <- bytes.Clone(p)
	return len(p), nil
}

// runWriter runs c's writer loop into out on a goroutine of its own and
// returns a channel closed when the loop returns.
func runWriter(c *Connection, out io.Writer) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.writeLoop(out)
	}()
	return done
}

// holdFirstWrite runs c's writer into a gatedWriter, sends frame 0 and
// returns once the writer is inside its write of it: what c sends from
// then on queues behind that write.
func holdFirstWrite(t *testing.T, c *Connection) (*gatedWriter, <-chan struct{}) {
	t.Helper()
	out := &gatedWriter{entered: make(chan struct{}, 16), gate: make(chan struct{}), writes: make(chan []byte, 16)}
	done := runWriter(c, out)
	require.NoError(t, c.SendMsg(0, []byte("first")))
	select {
	case <-out.entered:
	case <-time.After(testWait):
		t.Fatal("the writer did not write the first frame")
	}
	return out, done
}

// TestWriterCoalescesFramesQueuedDuringAWrite holds the writer inside its
// first write, queues five frames meanwhile, and expects those five to
// leave in the next single write.
func TestWriterCoalescesFramesQueuedDuringAWrite(t *testing.T) {
	c, _ := idleConnection(t)
	out, done := holdFirstWrite(t, c)
	var want []byte
	for i := range 5 {
		data := []byte{'a' + byte(i)}
		require.NoError(t, c.SendMsg(uint32(i+1), data))
		want = append(want, packed(t, c, uint32(i+1), data)...)
	}
	close(out.gate)

	assert.Equal(t, packed(t, c, 0, []byte("first")), recv(t, out.writes))
	assert.Equal(t, want, recv(t, out.writes), "five frames queued during a write leave in one write")
	c.Stop()
	<-done
	assert.Empty(t, out.writes, "no third write")
}

func packed(t *testing.T, c *Connection, id uint32, data []byte) []byte {
	t.Helper()
	b, err := c.server.dataPack.Pack(NewMsgPackage(id, data))
	require.NoError(t, err)
	return b
}

func recv(t *testing.T, ch chan []byte) []byte {
	t.Helper()
	select {
	case b := <-ch:
		return b
	case <-time.After(testWait):
		t.Fatal("no write")
		return nil
	}
}

// TestSendMsgRefusesAfterStopEvenWithRoom: with room in the queue, a stopped
// connection must still refuse, or frames would pile up for nobody.
func TestSendMsgRefusesAfterStopEvenWithRoom(t *testing.T) {
	c, _ := idleConnection(t)
	c.Stop()
	for range msgChanLen {
		if err := c.SendMsg(1, nil); !errors.Is(err, ErrConnClosed) {
			t.Fatalf("SendMsg after Stop: got %v, want ErrConnClosed", err)
		}
	}
	assert.Zero(t, c.queue.count)
}

// TestSendMsgWaitingForRoomGoesOnOnceTheWriterTakes fills the queue with no
// writer running, so the next SendMsg waits; starting the writer must let
// it through, and every frame must leave in the order it was sent.
func TestSendMsgWaitingForRoomGoesOnOnceTheWriterTakes(t *testing.T) {
	c, client := idleConnection(t)
	var want []byte
	for i := range msgChanLen {
		data := []byte(fmt.Sprint(i))
		require.NoError(t, c.SendMsg(1, data))
		want = append(want, packed(t, c, 1, data)...)
	}
	blocked := make(chan error, 1)
	go func() { blocked <- c.SendMsg(1, []byte("waited")) }()
	waitBlockedIn(t, "(*Connection).SendMsg")
	want = append(want, packed(t, c, 1, []byte("waited"))...)

	c.server.wg.Add(1)
	go c.startWriter()
	select {
	case err := <-blocked:
		require.NoError(t, err)
	case <-time.After(testWait):
		t.Fatal("SendMsg still waiting after the writer emptied the queue")
	}
	require.NoError(t, client.SetReadDeadline(time.Now().Add(testWait)))
	got := make([]byte, len(want))
	_, err := io.ReadFull(client, got)
	require.NoError(t, err)
	assert.Equal(t, want, got, "every frame, in the order sent")
	c.Stop()
	c.server.wg.Wait()
}

// heldWriter holds every write until the test lets it go, and records what
// the write's bytes are by then.
type heldWriter struct {
	entered chan struct{} // receives as each write begins
	proceed chan struct{} // each write waits for one value
	writes  chan []byte   // a copy of each write's bytes, taken as it returns
}

func (w *heldWriter) Write(p []byte) (int, error) {
	w.entered <- struct{}{}
	<-w.proceed
	w.writes <- bytes.Clone(p)
	return len(p), nil
}

// TestWriterTokenWithNothingQueuedKeepsBuffersApart: a wake-up with nothing
// queued (no sender makes one today, but the writer must not depend on it)
// must leave the writer and the queue with two arrays, or the queue packs
// the next frames into the array being written: here frame 3 would
// overwrite frame 2 during its write.
func TestWriterTokenWithNothingQueuedKeepsBuffersApart(t *testing.T) {
	c, _ := idleConnection(t)
	out := &heldWriter{entered: make(chan struct{}, 4), proceed: make(chan struct{}), writes: make(chan []byte, 4)}
	done := runWriter(c, out)
	defer func() { c.Stop(); <-done }()
	enter := func(what string) {
		t.Helper()
		select {
		case <-out.entered:
		case <-time.After(testWait):
			t.Fatalf("the writer did not write %s", what)
		}
	}

	require.NoError(t, c.SendMsg(1, []byte("one")))
	enter("frame 1")
	out.proceed <- struct{}{}
	assert.Equal(t, packed(t, c, 1, []byte("one")), recv(t, out.writes))

	c.queue.wake() // a token with nothing queued
	deadline := time.Now().Add(testWait)
	for len(c.queue.ready) > 0 {
		require.True(t, time.Now().Before(deadline), "the writer did not take the token")
		runtime.Gosched()
	}
	waitBlockedIn(t, "writeLoop") // done with it, and waiting again

	require.NoError(t, c.SendMsg(2, []byte("two")))
	enter("frame 2")
	require.NoError(t, c.SendMsg(3, []byte("333"))) // while frame 2 is being written
	out.proceed <- struct{}{}
	assert.Equal(t, packed(t, c, 2, []byte("two")), recv(t, out.writes), "frame 2 as it was queued")
	enter("frame 3")
	out.proceed <- struct{}{}
	assert.Equal(t, packed(t, c, 3, []byte("333")), recv(t, out.writes))
}
