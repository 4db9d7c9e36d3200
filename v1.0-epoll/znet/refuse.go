package znet

import "time"

// refusalLogEvery is the least time between two log lines about refused
// connections. A burst of connects against a full server is one line now
// and a count later, not a line per client.
const refusalLogEvery = time.Second

// refusals is what onAccept, on the engine's acceptor goroutine, remembers
// about the connections it has refused since it last said so; beginStop
// reads it once the acceptor has exited.
type refusals struct {
	unlogged int       // refused since the last line
	lastLog  time.Time // when the last line was written
}

// refuse counts one connection refused because MaxConn connections are
// live, and logs at WARN (an operator may want a larger MaxConn, or to find
// who is connecting so much) unless a line was written less than
// refusalLogEvery ago. Each line carries how many connections it stands
// for, so the lines add up to every refusal.
func (s *Server) refuse(r *refusals) {
	r.unlogged++
	s.logRefusals(r, false)
}

// logRefusals writes the line for connections refused and not yet logged,
// if there are any and the last line is at least refusalLogEvery old, or
// if force is set: beginStop forces the last line once the acceptor has
// exited.
func (s *Server) logRefusals(r *refusals, force bool) {
	if r.unlogged == 0 {
		return
	}
	now := time.Now()
	if !force && !r.lastLog.IsZero() && now.Sub(r.lastLog) < refusalLogEvery {
		return
	}
	s.log.Warn("connections refused: MaxConn connections are live",
		"name", s.Name, "max_conn", s.config.MaxConn, "refused", r.unlogged)
	r.unlogged = 0
	r.lastLog = now
}
