package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"zinx/bench/frame"
	"zinx/bench/procfs"
)

// IdleConfig is one idle-mode run.
type IdleConfig struct {
	Addr  string
	Conns int
	Probe Probe // PID is required: the figures come from /proc
}

// IdleResult is what holding Conns idle connections cost the server: the
// difference between before they opened and after each had echoed once,
// divided by Conns. Memory is measured after the server collected garbage.
type IdleResult struct {
	Mode              string  `json:"mode"`
	Conns             int     `json:"conns"`
	RSSBeforeKiB      int64   `json:"rss_before_kib"`
	RSSAfterKiB       int64   `json:"rss_after_kib"`
	KiBPerConn        float64 `json:"kib_per_conn"`
	FDsBefore         int     `json:"fds_before"`
	FDsHeld           int     `json:"fds_held"`
	FDsAfterClose     int     `json:"fds_after_close"`
	FDsReturned       bool    `json:"fds_returned"`
	ThreadsBefore     int64   `json:"threads_before"`
	ThreadsHeld       int64   `json:"threads_held"`
	GoroutinesBefore  int     `json:"goroutines_before"`
	GoroutinesHeld    int     `json:"goroutines_held"`
	GoroutinesPerConn float64 `json:"goroutines_per_conn"`
	Errors            int     `json:"errors"`
	FirstError        string  `json:"first_error,omitempty"`
}

// snapshot is the server's state at one moment.
type snapshot struct {
	rss, threads int64
	fds          int
	goroutines   int
}

func takeSnapshot(p Probe) (snapshot, error) {
	if err := p.GC(); err != nil {
		return snapshot{}, fmt.Errorf("load: server control: %w", err)
	}
	g, err := p.Goroutines()
	if err != nil {
		return snapshot{}, fmt.Errorf("load: server control: %w", err)
	}
	st, err := procfs.ReadStatus(p.PID)
	if err != nil {
		return snapshot{}, err
	}
	fds, err := procfs.FDs(p.PID)
	if err != nil {
		return snapshot{}, err
	}
	return snapshot{rss: st.RSSKiB, threads: st.Threads, fds: fds, goroutines: g}, nil
}

// fdReturnTimeout bounds the wait for the server to close its side of every
// connection once the client has closed its own.
const fdReturnTimeout = 10 * time.Second

// Idle runs cfg: it opens cfg.Conns connections, echoes one request on each
// (so the server has surely set each up), measures, closes them all and
// waits for the server's descriptor count to return to where it began.
func Idle(ctx context.Context, cfg IdleConfig) (IdleResult, error) {
	res := IdleResult{Mode: "idle", Conns: cfg.Conns}
	if cfg.Conns < 1 || cfg.Probe.PID == 0 {
		return res, errors.New("load: idle needs conns of at least 1 and the server's pid")
	}
	before, err := takeSnapshot(cfg.Probe)
	if err != nil {
		return res, err
	}
	conns, err := dialAll(ctx, cfg.Addr, cfg.Conns)
	if err != nil {
		return res, err
	}
	defer closeAll(conns)
	errs := echoOnce(conns)
	for _, e := range errs {
		if e != nil {
			res.Errors++
			if res.FirstError == "" {
				res.FirstError = e.Error()
			}
		}
	}
	held, err := takeSnapshot(cfg.Probe)
	if err != nil {
		return res, err
	}
	closeAll(conns)

	n := float64(cfg.Conns)
	res.RSSBeforeKiB, res.RSSAfterKiB = before.rss, held.rss
	res.KiBPerConn = float64(held.rss-before.rss) / n
	res.FDsBefore, res.FDsHeld = before.fds, held.fds
	res.ThreadsBefore, res.ThreadsHeld = before.threads, held.threads
	res.GoroutinesBefore, res.GoroutinesHeld = before.goroutines, held.goroutines
	res.GoroutinesPerConn = float64(held.goroutines-before.goroutines) / n

	// The server closes its side when it reads EOF, in its own time: poll its
	// descriptor count until it is back, within a deadline.
	deadline := time.Now().Add(fdReturnTimeout)
	for {
		res.FDsAfterClose, err = procfs.FDs(cfg.Probe.PID)
		if err != nil {
			return res, err
		}
		if res.FDsAfterClose <= before.fds {
			res.FDsReturned = true
			break
		}
		if time.Now().After(deadline) || !sleep(ctx, 20*time.Millisecond) {
			break
		}
	}
	return res, nil
}

// echoOnce sends one request on every connection and checks its reply,
// several connections at a time.
func echoOnce(conns []net.Conn) []error {
	errs := make([]error, len(conns))
	var wg sync.WaitGroup
	for w := range dialers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(conns); i += dialers {
				st := frame.NewStream(uint32(i), 64)
				c := conns[i]
				c.SetDeadline(time.Now().Add(10 * time.Second))
				if _, err := c.Write(st.AppendRequest(nil)); err != nil {
					errs[i] = err
					continue
				}
				reply := make([]byte, st.FrameLen())
				if _, err := io.ReadFull(c, reply); err != nil {
					errs[i] = fmt.Errorf("conn %d: %w", i, err)
					continue
				}
				errs[i] = st.Check(reply)
				c.SetDeadline(time.Time{})
			}
		}()
	}
	wg.Wait()
	return errs
}
