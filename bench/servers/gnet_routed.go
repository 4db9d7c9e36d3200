package servers

import (
	"log/slog"

	"github.com/panjf2000/gnet/v2"

	"zinx/bench/frame"
)

func init() {
	Register(Entry{
		Name:  "gnet-routed",
		Kind:  Peer,
		Doc:   "gnet v2 doing zinx's per-message work: each frame decoded, its handler found by id, its reply packed; one Write per read",
		DocZH: "gnet v2 做 zinx 的逐消息工作：每帧解码、按消息 ID 找处理函数、逐条打包回复；每次读到数据只 Write 一次",
		Start: startGnetRouted,
	})
}

// gnetRoutedServer is gnet doing what a zinx request costs beyond moving
// bytes: each frame decoded into a message, its handler looked up by id in
// a map and called, and the handler packing its reply, header and all.
// What it leaves out is what zinx promises on top: a request a handler may
// keep, and a send that is safe from any goroutine (gnet's Write is safe
// only on the loop). Beside gnet, which echoes a read's whole frames with
// one copy, it shows what the per-message work costs; beside
// v1.0-epoll-reuse, what those promises cost.
type gnetRoutedServer struct {
	*gnetServer
	routes map[uint32]routedHandler
	// replies collects one read's replies. The server runs one event loop,
	// and Write copies what the socket does not take at once, so a single
	// buffer serves every connection.
	replies []byte
}

// routedMsg is one decoded frame. data points into gnet's inbound buffer
// and is valid only until the handler returns.
type routedMsg struct {
	id   uint32
	data []byte
}

// routedHandler answers m by appending its reply frames to out. m is passed
// by value: a pointer handed to a function looked up at run time escapes,
// and would cost an allocation per frame that zinx's recycled requests do
// not pay.
type routedHandler func(out []byte, m routedMsg) []byte

func startGnetRouted(addr string, log *slog.Logger) (Server, error) {
	s := &gnetRoutedServer{
		gnetServer: newGnetServer(log),
		routes:     map[uint32]routedHandler{frame.EchoMsgID: echoRouted},
	}
	return s.run(s, addr)
}

func echoRouted(out []byte, m routedMsg) []byte {
	var hdr [frame.HeaderLen]byte
	frame.PutHeader(hdr[:], uint32(len(m.data)), m.id)
	return append(append(out, hdr[:]...), m.data...)
}

func (s *gnetRoutedServer) OnTraffic(c gnet.Conn) gnet.Action {
	buf, _ := c.Peek(-1)
	s.replies = s.replies[:0]
	n := 0
	for {
		m, err := frame.Len(buf[n:], MaxPayload)
		if err != nil {
			s.log.Warn("closing connection: frame too large", "err", err)
			return gnet.Close
		}
		if m == 0 {
			break
		}
		_, id := frame.ParseHeader(buf[n:])
		h, ok := s.routes[id]
		if !ok {
			s.log.Warn("closing connection: no handler", "msg_id", id)
			return gnet.Close
		}
		s.replies = h(s.replies, routedMsg{id: id, data: buf[n+frame.HeaderLen : n+m]})
		n += m
	}
	if n == 0 {
		return gnet.None
	}
	if _, err := c.Write(s.replies); err != nil {
		return gnet.Close
	}
	c.Discard(n)
	return gnet.None
}
