package znet_test

import (
	"sync"
	"testing"
	"time"

	"zinx/v1.0-epoll/ziface"
	"zinx/v1.0-epoll/znet"
)

// hookLog records, per connection, what happened to it in order: "start",
// "handle", "stop". It also keeps the number of connections between their
// two hooks, and the most there ever were at once.
type hookLog struct {
	mu      sync.Mutex
	events  map[ziface.IConnection][]string
	live    int
	maxLive int
	starts  chan ziface.IConnection // one per start hook
	stops   chan ziface.IConnection // one per stop hook
}

func newHookLog(capacity int) *hookLog {
	return &hookLog{
		events: make(map[ziface.IConnection][]string),
		starts: make(chan ziface.IConnection, capacity),
		stops:  make(chan ziface.IConnection, capacity),
	}
}

func (h *hookLog) add(conn ziface.IConnection, what string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events[conn] = append(h.events[conn], what)
	switch what {
	case "start":
		h.live++
		h.maxLive = max(h.maxLive, h.live)
	case "stop":
		h.live--
	}
}

// install sets both hooks on s. The start hook sends message 2, as the
// chapter's DoConnectionBegin does.
func (h *hookLog) install(s *znet.Server) {
	s.SetOnConnStart(func(conn ziface.IConnection) {
		h.add(conn, "start")
		_ = conn.SendMsg(2, []byte("DoConnection BEGIN..."))
		h.starts <- conn
	})
	s.SetOnConnStop(func(conn ziface.IConnection) {
		h.add(conn, "stop")
		h.stops <- conn
	})
}

// snapshot returns a copy of every connection's events.
func (h *hookLog) snapshot() map[ziface.IConnection][]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[ziface.IConnection][]string, len(h.events))
	for c, e := range h.events {
		out[c] = append([]string(nil), e...)
	}
	return out
}

// wait receives n connections from ch, or fails the test.
func wait(t testing.TB, what string, ch chan ziface.IConnection, n int) []ziface.IConnection {
	t.Helper()
	var got []ziface.IConnection
	deadline := time.After(waitLimit)
	for len(got) < n {
		select {
		case c := <-ch:
			got = append(got, c)
		case <-deadline:
			t.Fatalf("%s: %d of %d within %v", what, len(got), n, waitLimit)
		}
	}
	return got
}

// hookRouter records each request in a hookLog and echoes it.
type hookRouter struct {
	znet.BaseRouter
	log *hookLog
}

func (r hookRouter) Handle(req ziface.IRequest) {
	r.log.add(req.GetConnection(), "handle")
	_ = req.GetConnection().SendBuffMsg(req.GetMsgID(), req.GetData())
}
