package znet

import (
	"fmt"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v1.0-epoll/utils"
	"zinx/v1.0-epoll/ziface"
)

// echoData answers each request with its own id and payload.
type echoData struct{ BaseRouter }

func (echoData) Handle(req ziface.IRequest) {
	_ = req.GetConnection().SendMsg(req.GetMsgID(), req.GetData())
}

// TestOneReadsRepliesLeaveInOneWrite: the replies to the frames of one read
// leave in one write(2), with handlers on the worker pool and on the loop
// alike. A server that wrote each reply as its handler sent it would cost a
// pipelining client a system call per request; handlers on the loop did so
// until the loop queued their requests as entries too.
func TestOneReadsRepliesLeaveInOneWrite(t *testing.T) {
	for _, pool := range []uint32{0, 2} {
		t.Run(fmt.Sprint("WorkerPoolSize=", pool), func(t *testing.T) {
			var writes atomic.Int64
			testHookWrite = func() { writes.Add(1) } // before Start: the loops and workers read it
			defer func() { testHookWrite = nil }()

			cfg := utils.Defaults()
			cfg.WorkerPoolSize = pool
			s := NewServer(WithConfig(cfg), WithAddr("127.0.0.1:0")).(*Server)
			s.AddRouter(1, echoData{})
			require.NoError(t, s.Start())
			defer s.Stop()
			conn, err := net.DialTimeout("tcp", s.Addr().String(), testDeadline)
			require.NoError(t, err)
			defer conn.Close()
			require.NoError(t, conn.SetDeadline(time.Now().Add(testDeadline)))

			const rounds = 3
			for round := range rounds {
				var burst, want []byte
				for i := range maxBurst {
					burst = appendFrame(burst, 1, fmt.Appendf(nil, "%d/%d", round, i))
				}
				want = burst // an echo answers byte for byte
				_, err := conn.Write(burst)
				require.NoError(t, err)
				got := make([]byte, len(want))
				_, err = io.ReadFull(conn, got)
				require.NoError(t, err)
				require.Equal(t, want, got)
				assert.EqualValues(t, round+1, writes.Load(),
					"the %d replies to one read must leave in one write", maxBurst)
			}
		})
	}
}
