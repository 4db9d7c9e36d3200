// Package frame is the wire format every server under test speaks, and the
// bookkeeping a load generator needs to prove each reply is the right one.
//
// A frame is an 8-byte header, DataLen then MsgID (both uint32,
// little-endian), then DataLen bytes of payload: the framing of zinx v0.5
// onwards. v0.1's raw echo returns any bytes unchanged, so it answers these
// frames too.
package frame

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// HeaderLen is the size of a frame's header.
const HeaderLen = 8

// ErrTooLarge reports a header whose DataLen is above the limit the reader set.
var ErrTooLarge = errors.New("frame: payload larger than the limit")

// PutHeader writes a header for a payload of dataLen bytes with id msgID into
// b, which must be at least HeaderLen long.
func PutHeader(b []byte, dataLen, msgID uint32) {
	binary.LittleEndian.PutUint32(b[0:4], dataLen)
	binary.LittleEndian.PutUint32(b[4:8], msgID)
}

// ParseHeader reads the header at the start of b, which must be at least
// HeaderLen long.
func ParseHeader(b []byte) (dataLen, msgID uint32) {
	return binary.LittleEndian.Uint32(b[0:4]), binary.LittleEndian.Uint32(b[4:8])
}

// Len returns the length of the whole frame at the start of buf, or 0 if buf
// does not hold all of it yet. A DataLen above maxPayload is an error: the
// stream cannot be trusted past it, so the caller should close it.
func Len(buf []byte, maxPayload uint32) (int, error) {
	if len(buf) < HeaderLen {
		return 0, nil
	}
	dataLen, _ := ParseHeader(buf)
	if dataLen > maxPayload {
		return 0, fmt.Errorf("%w: %d > %d bytes", ErrTooLarge, dataLen, maxPayload)
	}
	n := HeaderLen + int(dataLen)
	if len(buf) < n {
		return 0, nil
	}
	return n, nil
}

// EchoMsgID is the message id of every request. Zinx routes by message id
// from v0.8 on, so the servers register their echo router under this one id,
// and the sequence number travels in the payload instead.
const EchoMsgID = 1

// Stream is one connection's sequence of requests and the replies it
// expects. Request k has MsgID EchoMsgID and a payload of Size bytes: the
// first four are k, the next four the connection's id, the rest a fixed
// pattern, so a reply that belongs to another request, another connection,
// or has one byte out of place does not match. An echo server must answer
// requests in the order they were sent, so Check expects replies in that
// order. Payloads shorter than 4 bytes cannot carry k, so their order goes
// unchecked: use at least 8.
//
// A Stream is not safe for concurrent use: one goroutine sends and checks.
type Stream struct {
	connID   uint32
	want     []byte // the frame of the next expected reply, rewritten per reply
	nextSend uint32
	nextRecv uint32
}

// NewStream returns the stream of connection connID, whose requests carry
// size bytes of payload.
func NewStream(connID uint32, size int) *Stream {
	f := make([]byte, HeaderLen+size)
	for i := HeaderLen; i < len(f); i++ {
		f[i] = byte('a' + i%26)
	}
	s := &Stream{connID: connID, want: f}
	s.stamp(f, 0)
	return s
}

// Size is the payload length of every request.
func (s *Stream) Size() int { return len(s.want) - HeaderLen }

// FrameLen is the length of every request and reply frame.
func (s *Stream) FrameLen() int { return len(s.want) }

// stamp makes f (a copy of the template) the frame of request seq.
func (s *Stream) stamp(f []byte, seq uint32) {
	PutHeader(f, uint32(len(f)-HeaderLen), EchoMsgID)
	var ids [8]byte
	binary.LittleEndian.PutUint32(ids[0:4], seq)
	binary.LittleEndian.PutUint32(ids[4:8], s.connID)
	copy(f[HeaderLen:], ids[:])
}

// AppendRequest appends the next request's frame to dst.
func (s *Stream) AppendRequest(dst []byte) []byte {
	n := len(dst)
	dst = append(dst, s.want...) // the template; stamp fixes the varying bytes
	s.stamp(dst[n:], s.nextSend)
	s.nextSend++
	return dst
}

// Outstanding is how many requests have been sent and not yet answered.
func (s *Stream) Outstanding() int { return int(s.nextSend - s.nextRecv) }

// Answered is how many replies have passed Check.
func (s *Stream) Answered() uint32 { return s.nextRecv }

// Check reports whether reply, one whole frame, is byte for byte the answer
// to the oldest unanswered request, and if so counts it as answered.
func (s *Stream) Check(reply []byte) error {
	if s.nextRecv == s.nextSend {
		return fmt.Errorf("conn %d: a reply arrived with no request outstanding", s.connID)
	}
	seq := s.nextRecv
	s.stamp(s.want, seq)
	if len(reply) >= HeaderLen {
		dataLen, id := ParseHeader(reply)
		switch {
		case id != EchoMsgID:
			return fmt.Errorf("conn %d: reply %d has msg id %d, want %d", s.connID, seq, id, EchoMsgID)
		case int(dataLen) != s.Size():
			return fmt.Errorf("conn %d: reply %d has data length %d, want %d", s.connID, seq, dataLen, s.Size())
		}
	}
	if len(reply) >= HeaderLen+4 && len(s.want) >= HeaderLen+4 {
		if got := binary.LittleEndian.Uint32(reply[HeaderLen:]); got != seq {
			return fmt.Errorf("conn %d: reply %d echoes request %d: replies out of order or lost", s.connID, seq, got)
		}
	}
	if len(reply) != len(s.want) {
		return fmt.Errorf("conn %d: reply %d is %d bytes, want %d", s.connID, seq, len(reply), len(s.want))
	}
	if !bytes.Equal(reply, s.want) {
		i := 0
		for reply[i] == s.want[i] {
			i++
		}
		return fmt.Errorf("conn %d: reply %d differs from its request at byte %d", s.connID, seq, i)
	}
	s.nextRecv++
	return nil
}
