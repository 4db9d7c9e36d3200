package znet

import (
	"errors"
	"io"
	"log/slog"

	"zinx/v1.0-epoll/ziface"
)

// This file is where the engine meets the course's server: the engine
// calls these methods (engineHandler) as connections come and go and frames
// arrive, on its acceptor and event loops, which must never block.

// admission is track's verdict on a new connection.
type admission int

const (
	admitted admission = iota
	full               // MaxConn connections are live
	stopping           // Stop has begun
)

// onAccept runs on the acceptor goroutine for each new socket: the MaxConn
// check happens here, before the socket is registered with any loop.
func (s *Server) onAccept(ec *conn) bool {
	c, why := s.track(ec)
	switch why {
	case admitted:
		s.logRefusals(&s.refused, false) // a quiet spell may end with this: say how many were turned away
		ec.ctx = c
		return true
	case full:
		s.refuse(&s.refused)
	}
	return false
}

// track wraps a new connection and adds it to the manager so that Stop can
// stop it, and counts it in the wait group until its stop hook has run. It
// refuses once MaxConn connections are in the manager, and once Stop has
// begun.
//
// The MaxConn check and the Add happen under s.mu, and only track adds, so
// no two accepts can both take the last slot; a slot frees only when a
// connection leaves the manager, after its stop hook. So the number of
// connections between their start and stop hooks never exceeds MaxConn.
func (s *Server) track(ec *conn) (*Connection, admission) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == stopped {
		return nil, stopping
	}
	if s.connMgr.Len() >= s.config.MaxConn {
		return nil, full
	}
	c := newConnection(s, ec, s.nextConnID(), s.msgHandler)
	s.connMgr.Add(c)
	s.wg.Add(1)
	return c, admitted
}

// nextConnID returns the next id no live connection has. The counter is a
// uint32, as the course's ConnID is, so after 2³² accepts it wraps to ids a
// long-lived connection may still hold; the course would then overwrite
// that connection's entry in the manager. Skipping live ids ends quickly,
// since at most MaxConn are live. The caller holds s.mu.
func (s *Server) nextConnID() uint32 {
	for {
		id := s.nextID
		s.nextID++
		if !s.connMgr.has(id) {
			return id
		}
	}
}

// onOpen runs on the loop once the connection is registered: the start hook,
// if one is set, becomes the first task on the connection's worker, ahead of
// any request.
func (s *Server) onOpen(ec *conn) {
	if hook := s.onConnStart.Load(); hook != nil && *hook != nil {
		c := ec.ctx
		s.submit(c, &hookRequest{conn: c}) // false needs no pause: the backlog keeps the order (submit)
	}
}

// onFrame runs on the loop for each whole frame. A heartbeat is answered
// here and goes no further; anything else becomes a request holding its
// own copy of the payload (payload itself aliases the loop's read buffer),
// cut from the loop's blocks (readalloc.go) or, with RequestPoolMode, from
// the burst's arena (requestpool.go). The requests of one read are linked into entries
// of up to maxBurst (burst.go), each queued with one send: when the next
// request no longer fits in the loop's burst, and at the end of the read
// (onFramesEnd). With no pool, queuing an entry runs it, on the loop: its
// replies still leave together, when its last request is released.
func (s *Server) onFrame(ec *conn, msgID uint32, payload []byte) {
	c := ec.ctx
	if c.isClosed() {
		return // a handler or hook stopped it: frames already read are not run
	}
	if id := s.config.HeartbeatMsgID; id != 0 && msgID == id {
		frame, err := s.dataPack.Pack(NewMsgPackage(msgID, payload))
		if err == nil {
			_ = ec.queue(frame)
		}
		return
	}
	b := ec.batch()
	if !b.takes(len(payload), s.dataPack.limit()) {
		s.queueBurst(b)
	}
	b.add(s.newRequest(ec, b, msgID, payload))
}

// newRequest builds the request for a frame that joins burst b: from the
// loop's blocks, or, with RequestPoolMode, from the burst's arena.
func (s *Server) newRequest(ec *conn, b *burst, msgID uint32, payload []byte) *Request {
	if !s.config.RequestPoolMode {
		return ec.allocator().request(ec.ctx, msgID, payload)
	}
	if b.arena == nil {
		b.arena = newRequestArena()
	}
	return b.arena.request(ec.ctx, msgID, payload)
}

// onFramesEnd runs on the loop once the frames of a read have all been
// through onFrame: it queues what the loop's burst holds.
func (s *Server) onFramesEnd(ec *conn) { s.queueBurst(ec.batch()) }

// queueBurst queues the requests in b as one entry, if there are any. If
// the worker's queue is full, their connection's loop stops reading it until
// the backlog has drained: TCP flow control then pushes back on the client,
// as a blocked reader did in v0.9.
func (s *Server) queueBurst(b *burst) {
	n := b.n
	first := b.take()
	if first == nil {
		return
	}
	c := first.conn
	c.ec.hold(n) // each request is released once the pool has run or dropped it
	if !s.submit(c, first) {
		c.ec.pause()
	}
}

// onClose runs on the loop once the connection is closed: sends fail from
// now on. The stop hook, if one is set, becomes the connection's last task,
// after every request it queued, and the connection leaves the manager once
// it has run. Without a hook it leaves at once: requests still queued for it
// are skipped by the workers.
func (s *Server) onClose(ec *conn, reason error) {
	c := ec.ctx
	s.logClose(c, reason)
	if hook := s.onConnStop.Load(); hook != nil && *hook != nil {
		s.submit(c, &hookRequest{conn: c, stop: true}) // false needs no pause: the connection is closed
		return
	}
	s.connExited(c)
}

// onDrop runs for a connection onAccept admitted that no loop could open
// (the engine logged why): it leaves the manager at once, so that Stop does
// not wait for it. Neither hook runs: the start hook never did, so there is
// nothing for a stop hook to end.
func (s *Server) onDrop(ec *conn) { s.connExited(ec.ctx) }

// connExited removes a connection whose stop hook has run from the manager:
// this frees its MaxConn slot.
func (s *Server) connExited(c *Connection) {
	s.connMgr.Remove(c)
	s.wg.Done()
}

// logClose says why a connection ended, at a level that matches whose doing it
// was. The policy, from v0.5 on (v0.1's echo logs a connection's whole life at
// DEBUG): WARN is for what an operator should look into: a frame over the
// limit (the limit is too small for a real client, or someone is sending this
// port something that is not Zinx frames), a client that does not read its
// replies (the engine logged it when the outbound cap was hit). A clean close,
// leaving mid-frame, a reset, an idle timeout happen all day on a public port
// and are INFO. Stop closing the connection is the server's own plan: DEBUG.
func (s *Server) logClose(c *Connection, reason error) {
	// The attributes v0.5 to v0.9 put on every line of a connection's
	// logger; a connection here keeps no logger of its own (see newConnection).
	id := slog.Group("", slog.Uint64("conn_id", uint64(c.ConnID)), slog.Any("remote", c.RemoteAddr()))
	switch {
	case reason == nil:
		s.log.Debug("connection closed by Stop", id)
	case errors.Is(reason, io.EOF):
		s.log.Info("client closed the connection", id)
	case errors.Is(reason, io.ErrUnexpectedEOF):
		s.log.Info("client left in the middle of a frame", id)
	case errors.Is(reason, ErrPacketTooLarge):
		s.log.Warn("closing connection: frame too large", id, "err", reason)
	case errors.Is(reason, errOutboundFull):
		// the engine logged it at WARN, with the bytes queued
	case errors.Is(reason, errIdle):
		s.log.Info("closing connection: idle", id, "max_idle_s", s.config.MaxIdle)
	case isPeerGone(reason):
		s.log.Info("client reset the connection", id, "err", reason)
	default:
		s.log.Warn("closing connection: read or write failed", id, "err", reason)
	}
}

// hookRequest is a start or stop hook, queued on the connection's worker as
// if it were a request, so that it runs in order with the requests.
type hookRequest struct {
	conn *Connection
	stop bool
}

func (h *hookRequest) GetConnection() ziface.IConnection { return h.conn }
func (h *hookRequest) GetData() []byte                   { return nil }
func (h *hookRequest) GetMsgID() uint32                  { return 0 }

// run calls the hook. After the stop hook the connection leaves the manager.
func (h *hookRequest) run() {
	s := h.conn.server
	if !h.stop {
		s.CallOnConnStart(h.conn)
		return
	}
	s.CallOnConnStop(h.conn)
	s.connExited(h.conn)
}
