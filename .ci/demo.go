//go:build ignore

// Command demo runs one version's demo: the server on a free loopback port,
// then the client against it, both outputs merged into one, each line
// prefixed [server] or [client]. When the client is done the server gets
// SIGTERM, as if a reader had pressed Ctrl-C, and must stop cleanly. It exits
// non-zero if either side failed. .ci/demo runs it:
//
//	go run .ci/demo.go SERVER_BINARY CLIENT_BINARY
//
// Why a program and not a shell pipeline: the merged output must follow
// cause and effect. The server prints "recv from client" before it writes
// the reply that makes the client print "Recv Msg", so that is the order the
// reader must see. Two pipes, one per side, each read by its own prefixing
// process, lose that order: whichever process the scheduler runs first
// prints first, and in practice the client's line often won. Here both sides
// write into one Unix datagram socket instead. The kernel queues every
// write(2) as one datagram, in the order the writes happened, and tells the
// reader which side sent it (each side has its own bound address). One
// reader, one queue: the order on screen is the order of the writes.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"syscall"
	"time"
)

// startLimit bounds the wait for the server's [START] line, clientLimit the
// client's whole run, and stopLimit the wait for the server to exit after
// SIGTERM: a demo that hangs must fail, not keep CI waiting.
const (
	startLimit  = 10 * time.Second
	clientLimit = 60 * time.Second
	stopLimit   = 10 * time.Second
)

// portRE finds the bound port on the server's [START] log line.
var portRE = regexp.MustCompile(`\[START\].*port=([0-9]+)`)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go run .ci/demo.go SERVER_BINARY CLIENT_BINARY")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(serverBin, clientBin string) error {
	// Ctrl-C reaches the server and the client too (one process group); the
	// runner stays to report how they ended. Notify, not Ignore: an ignored
	// signal would stay ignored in the children.
	signal.Notify(make(chan os.Signal, 1), os.Interrupt)

	dir, err := os.MkdirTemp("", "zinx-demo")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	sink, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: filepath.Join(dir, "sink"), Net: "unixgram"})
	if err != nil {
		return err
	}
	defer sink.Close()
	_ = sink.SetReadBuffer(1 << 20)

	sides := map[string]*os.File{}
	for _, name := range []string{"server", "client", "end"} {
		f, err := sender(dir, name, sink.LocalAddr().(*net.UnixAddr))
		if err != nil {
			return err
		}
		defer f.Close()
		sides[name] = f
	}

	ports := make(chan string, 1)
	printed := make(chan error, 1)
	go func() { printed <- printLines(sink, ports) }()

	server := exec.Command(serverBin, "-addr", "127.0.0.1:0")
	server.Stdout, server.Stderr = sides["server"], sides["server"]
	if err := server.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- server.Wait() }()

	var port string
	select {
	case port = <-ports:
	case err := <-exited:
		finish(sides["end"], printed)
		return fmt.Errorf("the server ended (%s) before it logged its [START] line", status(err))
	case <-time.After(startLimit):
		_ = server.Process.Kill()
		<-exited
		finish(sides["end"], printed)
		return fmt.Errorf("the server did not log its [START] line within %v", startLimit)
	}

	ctx, cancel := context.WithTimeout(context.Background(), clientLimit)
	defer cancel()
	client := exec.CommandContext(ctx, clientBin, "-addr", "127.0.0.1:"+port)
	client.Stdout, client.Stderr = sides["client"], sides["client"]
	clientErr := client.Run()
	if ctx.Err() != nil {
		clientErr = fmt.Errorf("killed after %v: %v", clientLimit, clientErr)
	}

	_ = server.Process.Signal(syscall.SIGTERM)
	var serverErr error
	select {
	case serverErr = <-exited:
	case <-time.After(stopLimit):
		_ = server.Process.Kill()
		<-exited
		serverErr = fmt.Errorf("did not stop within %v of SIGTERM", stopLimit)
	}
	if err := finish(sides["end"], printed); err != nil {
		return err
	}
	if clientErr != nil || serverErr != nil {
		return fmt.Errorf("client: %v; server: %v", status(clientErr), status(serverErr))
	}
	return nil
}

// sender returns a datagram socket bound to its own name in dir and
// connected to the sink, as a file a child process can write to.
func sender(dir, name string, sink *net.UnixAddr) (*os.File, error) {
	c, err := net.DialUnix("unixgram", &net.UnixAddr{Name: filepath.Join(dir, name), Net: "unixgram"}, sink)
	if err != nil {
		return nil, err
	}
	defer c.Close() // File returns a duplicate
	_ = c.SetWriteBuffer(1 << 20)
	return c.File()
}

// finish sends the end marker, which the sink queues after everything the
// two sides wrote (both have exited), and waits until it has been read.
func finish(end *os.File, printed <-chan error) error {
	if _, err := end.Write([]byte{0}); err != nil {
		return err
	}
	return <-printed
}

// printLines prints each side's output line by line, in the order the sink
// received it, until the end marker. A write need not end a line, so each
// side keeps its unfinished line until the rest arrives. The first port on a
// server [START] line goes to ports.
func printLines(sink *net.UnixConn, ports chan<- string) error {
	buf := make([]byte, 1<<20)
	pending := map[string][]byte{}
	for {
		n, from, err := sink.ReadFromUnix(buf)
		if err != nil {
			return err
		}
		if from == nil {
			return errors.New("a datagram with no sender")
		}
		side := filepath.Base(from.Name)
		if side == "end" {
			for _, s := range []string{"server", "client"} {
				if len(pending[s]) > 0 {
					fmt.Printf("[%s] %s\n", s, pending[s])
				}
			}
			return nil
		}
		data := append(pending[side], buf[:n]...)
		for {
			i := bytes.IndexByte(data, '\n')
			if i < 0 {
				break
			}
			line := data[:i]
			fmt.Printf("[%s] %s\n", side, line)
			if m := portRE.FindSubmatch(line); side == "server" && m != nil {
				select {
				case ports <- string(m[1]):
				default:
				}
			}
			data = data[i+1:]
		}
		pending[side] = append([]byte(nil), data...)
	}
}

// status describes how a child ended.
func status(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}
