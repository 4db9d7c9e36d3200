package load

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"

	"zinx/bench/frame"
	"zinx/bench/procfs"
)

// EchoConfig is one echo-mode run.
type EchoConfig struct {
	Addr     string
	Conns    int           // connections
	Depth    int           // requests in flight per connection
	Size     int           // payload bytes per request
	Warmup   time.Duration // load before measuring, not counted
	Duration time.Duration // the measured window
	Probe    Probe
	// DrainTimeout bounds the wait for the replies still owed when the
	// window ends; 0 means DefaultDrainTimeout. A reply later than this is
	// counted as lost.
	DrainTimeout time.Duration
}

// EchoResult is what an echo-mode run measured. Latencies are in
// microseconds, from a request's write to its reply's read.
type EchoResult struct {
	Mode       string  `json:"mode"`
	Conns      int     `json:"conns"`
	Depth      int     `json:"depth"`
	Size       int     `json:"size"`
	Seconds    float64 `json:"seconds"`
	Requests   int64   `json:"requests"`
	ReqPerSec  float64 `json:"req_per_s"`
	P50us      float64 `json:"p50_us"`
	P99us      float64 `json:"p99_us"`
	P999us     float64 `json:"p999_us"`
	CPUSeconds float64 `json:"server_cpu_s"`
	// LoadCPUSeconds is this process's own CPU time over the window. Near
	// Seconds × its cores, the load generator, not the server, set the pace.
	LoadCPUSeconds float64 `json:"load_cpu_s"`
	CPUPerReq      float64 `json:"cpu_per_req_us"`
	Fewest         int64   `json:"fewest"` // fewest requests any one connection completed
	Most           int64   `json:"most"`
	Errors         int     `json:"errors"`
	FirstError     string  `json:"first_error,omitempty"`
}

// phases of a run, in order. Connections count replies and latencies only
// while measuring; when draining they stop sending and collect the replies
// still owed.
const (
	warming int32 = iota
	measuring
	draining
)

// echoConn is one connection's state. Only its own goroutine touches it
// until the run is over.
type echoConn struct {
	c        net.Conn
	st       *frame.Stream
	sent     []time.Time // send times of outstanding requests, oldest first
	hist     *hdrhistogram.Histogram
	measured int64
	err      error
}

// Echo runs cfg. It fails only if it cannot start; errors on connections
// during the run are counted in the result, and the first one quoted.
func Echo(ctx context.Context, cfg EchoConfig) (EchoResult, error) {
	res := EchoResult{Mode: "echo", Conns: cfg.Conns, Depth: cfg.Depth, Size: cfg.Size}
	if cfg.Conns < 1 || cfg.Depth < 1 || cfg.Size < 0 || cfg.Duration <= 0 {
		return res, errors.New("load: echo needs conns and depth of at least 1 and a duration")
	}
	conns, err := dialAll(ctx, cfg.Addr, cfg.Conns)
	if err != nil {
		return res, err
	}
	defer closeAll(conns)

	var phase atomic.Int32
	ecs := make([]*echoConn, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		ecs[i] = &echoConn{
			c:    c,
			st:   frame.NewStream(uint32(i), cfg.Size),
			hist: hdrhistogram.New(1, int64(time.Minute/time.Microsecond), 3),
		}
		wg.Add(1)
		go func(ec *echoConn) {
			defer wg.Done()
			ec.err = ec.run(&phase, cfg.Depth)
		}(ecs[i])
	}

	// A connection notices a change of phase at its next reply, within one
	// round trip. Draining bounds every read still blocked, so a server that
	// stops answering cannot hang the run.
	drain := func() {
		phase.Store(draining)
		wait := cfg.DrainTimeout
		if wait <= 0 {
			wait = DefaultDrainTimeout
		}
		deadline := time.Now().Add(wait)
		for _, c := range conns {
			c.SetDeadline(deadline) // a write blocked on a server that stopped reading ends too
		}
	}
	if !sleep(ctx, cfg.Warmup) {
		drain()
		wg.Wait()
		return res, ctx.Err()
	}
	cpu0, cpuErr0 := serverCPU(cfg.Probe)
	self0, selfErr0 := procfs.CPUTime(os.Getpid())
	t0 := time.Now()
	phase.Store(measuring)
	ok := sleep(ctx, cfg.Duration)
	drain()
	elapsed := time.Since(t0)
	cpu1, cpuErr := serverCPU(cfg.Probe)
	self1, selfErr1 := procfs.CPUTime(os.Getpid())
	wg.Wait()
	if !ok {
		return res, ctx.Err()
	}

	all := hdrhistogram.New(1, int64(time.Minute/time.Microsecond), 3)
	res.Fewest = -1
	for _, ec := range ecs {
		all.Merge(ec.hist)
		res.Requests += ec.measured
		if res.Fewest < 0 || ec.measured < res.Fewest {
			res.Fewest = ec.measured
		}
		res.Most = max(res.Most, ec.measured)
		if ec.err != nil {
			res.Errors++
			if res.FirstError == "" {
				res.FirstError = ec.err.Error()
			}
		}
	}
	res.Seconds = elapsed.Seconds()
	res.ReqPerSec = float64(res.Requests) / res.Seconds
	res.P50us = float64(all.ValueAtQuantile(50))
	res.P99us = float64(all.ValueAtQuantile(99))
	res.P999us = float64(all.ValueAtQuantile(99.9))
	if selfErr0 == nil && selfErr1 == nil {
		res.LoadCPUSeconds = (self1 - self0).Seconds()
	}
	if cfg.Probe.PID != 0 && cpuErr0 == nil && cpuErr == nil {
		res.CPUSeconds = (cpu1 - cpu0).Seconds()
		if res.Requests > 0 {
			res.CPUPerReq = res.CPUSeconds * 1e6 / float64(res.Requests)
		}
	}
	return res, nil
}

func serverCPU(p Probe) (time.Duration, error) {
	if p.PID == 0 {
		return 0, nil
	}
	return procfs.CPUTime(p.PID)
}

// DefaultDrainTimeout is EchoConfig.DrainTimeout's default. An echo server
// on loopback answers in microseconds, or milliseconds when overloaded.
const DefaultDrainTimeout = 5 * time.Second

// run keeps depth requests in flight: it sends depth, then after each read
// checks every whole reply that arrived and sends as many new requests, in
// one write. It returns when the run drains, or at the first error.
func (ec *echoConn) run(phase *atomic.Int32, depth int) error {
	flen := ec.st.FrameLen()
	out := make([]byte, 0, depth*flen)
	in := make([]byte, max(64<<10, 2*flen))
	ec.sent = make([]time.Time, 0, depth)

	send := func(n int) error {
		out = out[:0]
		for range n {
			out = ec.st.AppendRequest(out)
		}
		now := time.Now()
		for range n {
			ec.sent = append(ec.sent, now)
		}
		_, err := ec.c.Write(out)
		return err
	}
	if err := send(depth); err != nil {
		return err
	}
	have := 0 // bytes of in holding unread replies
	for {
		if phase.Load() == draining && ec.st.Outstanding() == 0 {
			return nil
		}
		n, err := ec.c.Read(in[have:])
		if err != nil {
			return fmt.Errorf("read after %d replies, %d more owed: %w", ec.st.Answered(), ec.st.Outstanding(), err)
		}
		// The phase when the replies arrived decides whether they count.
		p := phase.Load()
		have += n
		now := time.Now()
		done, off := 0, 0
		for {
			m, err := frame.Len(in[off:have], uint32(ec.st.Size()))
			if err != nil {
				return err
			}
			if m == 0 {
				break
			}
			if err := ec.st.Check(in[off : off+m]); err != nil {
				return err
			}
			if p == measuring {
				ec.hist.RecordValue(int64(now.Sub(ec.sent[done]) / time.Microsecond))
				ec.measured++
			}
			off += m
			done++
		}
		have = copy(in, in[off:have])
		ec.sent = append(ec.sent[:0], ec.sent[done:]...)
		if done > 0 && p != draining {
			if err := send(done); err != nil {
				return err
			}
		}
	}
}

// sleep waits for d or until ctx ends, and reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
