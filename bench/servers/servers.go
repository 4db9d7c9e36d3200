// Package servers holds every echo server the load tool measures, by name:
// the peers (a plain goroutine-per-connection echo, gnet, and gnet doing
// zinx's per-message work) and one
// adapter per built zinx version. Each answers a frame (see package frame)
// with the same frame.
//
// Adding a version is one file, such as zinx_v10.go registering "v1.0-epoll"
// in an init function, with an echo router built the way that version's
// chapter writes routers. benchserver, zload and the comparison pick it up
// from the registry; nothing else changes.
package servers

import (
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"

	"zinx/bench/internal/version"
)

// Server is an echo server that is running.
type Server interface {
	// Addr is the address it listens on.
	Addr() net.Addr
	// Stop closes the listener and every connection, and returns once every
	// goroutine the server started has exited.
	Stop() error
}

// Kind says what a server is there for.
type Kind int

const (
	// Peer is a reference point: the plain echo and the gnet servers.
	Peer Kind = iota
	// Version is a zinx version under test.
	Version
)

// Start starts a server listening on addr ("127.0.0.1:0" for any free port).
// log receives only what an operator should see: the servers run with their
// per-connection chatter turned off.
type Start func(addr string, log *slog.Logger) (Server, error)

// Entry is one registered server.
type Entry struct {
	Name  string
	Kind  Kind
	Doc   string // one line for the report: what this server is
	DocZH string // the same line in Chinese, for the Chinese report
	// RawEcho marks a server that echoes bytes, not frames: it answers
	// frames unchanged but cannot refuse a bad one.
	RawEcho bool
	Start   Start
}

var registry = map[string]Entry{}

// Register adds a server. It panics on a duplicate name, which is a
// programming error caught the first time the package runs.
func Register(e Entry) {
	if _, dup := registry[e.Name]; dup {
		panic("servers: " + e.Name + " registered twice")
	}
	registry[e.Name] = e
}

// Lookup returns the server named name.
func Lookup(name string) (Entry, error) {
	e, ok := registry[name]
	if !ok {
		return Entry{}, fmt.Errorf("servers: no server %q (have %s)", name, strings.Join(Names(), ", "))
	}
	return e, nil
}

// Names lists every server: the peers in a fixed order (the plain echo,
// gnet, gnet-routed), then the zinx versions oldest first.
func Names() []string {
	var names []string
	for n := range registry {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		ea, eb := registry[a], registry[b]
		if ea.Kind != eb.Kind {
			return int(ea.Kind) - int(eb.Kind)
		}
		return compareNames(a, b)
	})
	return names
}

// compareNames orders the peers as Names says, versions by their numbers, so
// that v0.10 would follow v0.9, and a version's variants (v1.0-epoll-loop)
// after the version.
func compareNames(a, b string) int {
	rank := map[string]int{"stdlib": 0, "gnet": 1, "gnet-routed": 2}
	ra, aok := rank[a]
	rb, bok := rank[b]
	if aok && bok {
		return ra - rb
	}
	if c := slices.Compare(version.Key(a), version.Key(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// stopper adapts a zinx server, whose Stop returns nothing, to Server.
type stopper struct {
	s interface {
		Addr() net.Addr
		Stop()
	}
}

func (s stopper) Addr() net.Addr { return s.s.Addr() }
func (s stopper) Stop() error    { s.s.Stop(); return nil }
