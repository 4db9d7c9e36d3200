package znet

import (
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"zinx/v1.0-epoll/ziface"
)

// idConn is the least connection a worker pool needs: an id to pick the
// worker. Any other method would panic, and none is called.
type idConn struct {
	ziface.IConnection
	id uint32
}

func (c idConn) GetConnID() uint32 { return c.id }

// idRequest is the least request a worker pool needs: a connection to pick
// the worker by, and a message id to route on.
type idRequest struct {
	conn  idConn
	msgID uint32
}

func (r idRequest) GetConnection() ziface.IConnection { return r.conn }
func (r idRequest) GetData() []byte                   { return nil }
func (r idRequest) GetMsgID() uint32                  { return r.msgID }

// funcRouter runs f as its Handle.
type funcRouter struct {
	BaseRouter
	f func()
}

func (r funcRouter) Handle(ziface.IRequest) { r.f() }

// TestBusyWorkersCountsOnlyRunningWorkers: a worker counts as busy while it
// has tasks, and not once its queue is empty, however many runs of tasks it
// has been through (Shutdown's error names the busy ones). A worker that
// counted itself busy per run and forgot to stop fails here.
func TestBusyWorkersCountsOnlyRunningWorkers(t *testing.T) {
	mh := newMsgHandle(slog.New(slog.NewTextHandler(io.Discard, nil)), 2, 8)
	ran, started, block := make(chan struct{}), make(chan struct{}), make(chan struct{})
	mh.AddRouter(1, funcRouter{f: func() { ran <- struct{}{} }})
	mh.AddRouter(2, funcRouter{f: func() { started <- struct{}{}; <-block }})
	mh.StartWorkerPool()
	defer mh.StopWorkerPool()
	defer close(block)

	request := func(conn, msg uint32) idRequest {
		return idRequest{conn: idConn{id: conn}, msgID: msg}
	}
	receive := func(ch chan struct{}, what string) {
		t.Helper()
		select {
		case <-ch:
		case <-time.After(waitLimit):
			t.Fatalf("%s: not within %v", what, waitLimit)
		}
	}
	for i := range 5 { // five runs of one task each on worker 0
		mh.SendMsgToTaskQueue(request(0, 1))
		receive(ran, fmt.Sprint("request ", i))
		deadline := time.Now().Add(waitLimit)
		for mh.busyWorkers() != 0 {
			if time.Now().After(deadline) {
				t.Fatalf("after run %d: %d worker(s) busy, want 0", i, mh.busyWorkers())
			}
			runtime.Gosched()
		}
	}
	mh.SendMsgToTaskQueue(request(1, 2)) // worker 1, which blocks
	receive(started, "the blocking handler")
	assert.Equal(t, 1, mh.busyWorkers())
}

// TestBusyWorkersIsZeroOnceWorkersHaveStopped: a worker in the middle of a
// task when the pool is told to stop takes stopWorkers' wake-up (a nil
// task) as the end of its run, and must count itself idle then, or
// Shutdown's error names a worker that has already exited.
func TestBusyWorkersIsZeroOnceWorkersHaveStopped(t *testing.T) {
	mh := newMsgHandle(slog.New(slog.NewTextHandler(io.Discard, nil)), 1, 8)
	started, block := make(chan struct{}), make(chan struct{})
	mh.AddRouter(1, funcRouter{f: func() { started <- struct{}{}; <-block }})
	mh.StartWorkerPool()
	mh.SendMsgToTaskQueue(idRequest{conn: idConn{id: 0}, msgID: 1})
	select {
	case <-started:
	case <-time.After(waitLimit):
		t.Fatalf("the handler did not start within %v", waitLimit)
	}
	mh.stopWorkers() // the queue has room: the wake-up lands behind the running task
	close(block)
	mh.waitWorkers()
	assert.Equal(t, 0, mh.busyWorkers())
}
