// Package load drives an echo server over loopback and measures it: echo
// mode keeps requests in flight on many connections and checks every reply;
// idle mode holds many quiet connections and measures what they cost the
// server. Results are plain structs that zload prints as JSON lines.
package load

import (
	"net"
	"strconv"
	"strings"
	"time"
)

// Probe reads the server's side of a measurement. Either field may be nil
// when the server runs in this process or its pid is unknown; the figures
// that need it are then left at zero.
type Probe struct {
	// PID is the server's process id, for /proc. 0 means unknown.
	PID int
	// Control is the server's control address (see Goroutines), or "".
	Control string
}

// Goroutines asks the server's control socket for runtime.NumGoroutine.
func (p Probe) Goroutines() (int, error) { return p.ask("goroutines") }

// GC asks the server to collect garbage and return freed memory to the
// system, so that resident memory counts what is live, not what a collection
// has yet to find.
func (p Probe) GC() error {
	_, err := p.ask("gc")
	return err
}

// ask sends one command line and reads one number back.
func (p Probe) ask(cmd string) (int, error) {
	if p.Control == "" {
		return 0, nil
	}
	c, err := net.DialTimeout("tcp", p.Control, 5*time.Second)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.Write([]byte(cmd + "\n")); err != nil {
		return 0, err
	}
	var b [64]byte
	n := 0
	for n < len(b) {
		m, err := c.Read(b[n:])
		n += m
		if err != nil {
			break
		}
	}
	return strconv.Atoi(strings.TrimSpace(string(b[:n])))
}
