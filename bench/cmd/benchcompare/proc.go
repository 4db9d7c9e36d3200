package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// pinning says how to place the two processes of a measurement. With CPUs
// set, each runs under taskset on its own core with GOMAXPROCS=1, so the
// server's CPU time is its own and the load generator does not steal it.
type pinning struct {
	serverCPU, loadCPU string // "" runs unpinned
}

// command builds the command line for bin, pinned to cpu if cpu is set.
func (p pinning) command(ctx context.Context, cpu, bin string, args ...string) *exec.Cmd {
	var cmd *exec.Cmd
	if cpu != "" {
		cmd = exec.CommandContext(ctx, "taskset", append([]string{"-c", cpu, bin}, args...)...)
		cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	} else {
		cmd = exec.CommandContext(ctx, bin, args...)
	}
	dieWithParent(cmd)
	// Cancelling ctx asks politely first, then kills after WaitDelay.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// serverProc is a running benchserver.
type serverProc struct {
	cmd     *exec.Cmd
	stderr  *bytes.Buffer
	Addr    string `json:"addr"`
	Control string `json:"control"`
	PID     int    `json:"pid"`
}

// startServer starts benchserver running server name and waits for the
// line that says where it listens. taskset execs the server in its own
// process, so the pid it reports is the pid /proc knows.
func startServer(ctx context.Context, pin pinning, bin, name string) (*serverProc, error) {
	cmd := pin.command(ctx, pin.serverCPU, bin, "-server", name)
	p := &serverProc{cmd: cmd, stderr: &bytes.Buffer{}}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(out).ReadString('\n')
		line <- s
	}()
	select {
	case s := <-line:
		if err := json.Unmarshal([]byte(s), p); err != nil || p.PID == 0 {
			p.kill()
			return nil, fmt.Errorf("server %s did not start: %q %s", name, s, p.stderr)
		}
	case <-time.After(15 * time.Second):
		p.kill()
		return nil, fmt.Errorf("server %s printed no address within 15s: %s", name, p.stderr)
	}
	return p, nil
}

// stop sends SIGTERM and waits for a clean exit: the server must stop by
// itself, so a kill after the deadline is reported as a failure.
func (p *serverProc) stop() error {
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("server exited: %w: %s", err, lastLines(p.stderr.String(), 5))
		}
		return nil
	case <-time.After(20 * time.Second):
		p.cmd.Process.Kill()
		<-done
		return errors.New("server did not stop within 20s of SIGTERM; killed")
	}
}

func (p *serverProc) kill() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
}

// runLoad runs zload with args and decodes its JSON line into res. zload
// exits 1 when a check failed but still prints its result; that is returned
// as an error alongside the decoded result.
func runLoad(ctx context.Context, pin pinning, bin string, timeout time.Duration, res any, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := pin.command(ctx, pin.loadCPU, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	out := strings.TrimSpace(stdout.String())
	if out == "" {
		return fmt.Errorf("zload %s: %v: %s", strings.Join(args, " "), runErr, lastLines(stderr.String(), 5))
	}
	if err := json.Unmarshal([]byte(lastLines(out, 1)), res); err != nil {
		return fmt.Errorf("zload printed %q: %w", out, err)
	}
	if runErr != nil {
		return fmt.Errorf("zload: a check failed (%v)", runErr)
	}
	return nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
