package dispatch

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// recorder records every hook call as "<name> pre 1", "<name> handle 1"...
type recorder struct {
	name  string
	calls *[]string
}

func (r recorder) record(hook string, req *Request) {
	*r.calls = append(*r.calls, fmt.Sprintf("%s %s %d", r.name, hook, req.MsgID))
}

func (r recorder) PreHandle(req *Request)  { r.record("pre", req) }
func (r recorder) Handle(req *Request)     { r.record("handle", req) }
func (r recorder) PostHandle(req *Request) { r.record("post", req) }

// logs collects what the handler reports.
type logs []string

func (l *logs) logf(format string, args ...any) { *l = append(*l, fmt.Sprintf(format, args...)) }

// do runs DoMsgHandler and turns a panic into a failed test.
func do(t *testing.T, mh *MsgHandle, id uint32) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("DoMsgHandler panicked on message id %d: %v (a client picks the id: it must not be able to crash the server)", id, p)
		}
	}()
	mh.DoMsgHandler(&Request{ConnID: 1, MsgID: id, Data: []byte("x")})
}

func TestDispatchByMessageID(t *testing.T) {
	var calls []string
	var l logs
	mh := NewMsgHandle(l.logf)
	mh.AddRouter(0, recorder{"ping", &calls})
	mh.AddRouter(1, recorder{"hello", &calls})

	do(t, mh, 1)
	do(t, mh, 0)
	require.Equal(t, []string{
		"hello pre 1", "hello handle 1", "hello post 1",
		"ping pre 0", "ping handle 0", "ping post 0",
	}, calls, "each id goes to its own router, through PreHandle, Handle and PostHandle in order")
	assert.Empty(t, l, "nothing to report")
}

func TestUnknownIDIsReportedAndDropped(t *testing.T) {
	var calls []string
	var l logs
	mh := NewMsgHandle(l.logf)
	mh.AddRouter(0, recorder{"ping", &calls})

	do(t, mh, 7)
	require.Equal(t, logs{"api msgId = 7 is not FOUND!"}, l, "an unknown id is reported once, with the course's words")
	assert.Empty(t, calls, "and no router runs for it")

	do(t, mh, 0)
	assert.Equal(t, []string{"ping pre 0", "ping handle 0", "ping post 0"}, calls, "the next request is served as usual")
}

func TestDuplicateIDPanics(t *testing.T) {
	var calls []string
	mh := NewMsgHandle(func(string, ...any) {})
	mh.AddRouter(3, recorder{"first", &calls})

	require.PanicsWithValue(t, "repeated api , msgId = 3", func() {
		mh.AddRouter(3, recorder{"second", &calls})
	}, "a second router for the same id is a programming error, reported at once")
	do(t, mh, 3)
	assert.Equal(t, []string{"first pre 3", "first handle 3", "first post 3"}, calls, "the first router stays")
}
