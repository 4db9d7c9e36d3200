//go:build !solution

// Package split is the exercise "Half and sticky packets" (course chapter 5, V0.5).
//
// TCP is a byte stream: one Read may return half a frame (a "half packet") or
// the end of one frame and the start of the next ("sticky packets"). A frame
// is an 8-byte header, then the payload:
//
//	| DataLen uint32, little-endian | MsgID uint32, little-endian | Data (DataLen bytes) |
package split

import (
	"encoding/binary"
	"errors"
	"io"
)

// HeadLen is the length of a frame header in bytes.
const HeadLen = 8

// DefaultMaxPacketSize is the limit ReadMessage applies when it is given 0:
// a limit of 0 means "the default", never "unlimited".
const DefaultMaxPacketSize = 4096

// ErrTooLarge means DataLen is larger than the max packet size; compare
// with errors.Is.
var ErrTooLarge = errors.New("split: payload larger than the max packet size")

// Message is one decoded frame.
type Message struct {
	// Id is the message id (MsgID on the wire).
	Id uint32
	// DataLen is the payload length in bytes.
	DataLen uint32
	// Data is the payload, DataLen bytes.
	Data []byte
}

// ReadMessage reads exactly one frame from r, however r splits the bytes.
// DataLen may be at most maxPacketSize (DefaultMaxPacketSize if it is 0); an
// oversized header is refused before any of its payload is read.
//
// At the end of the stream it returns io.EOF if the stream ended between two
// frames, and io.ErrUnexpectedEOF if it ended inside a frame.
func ReadMessage(r io.Reader, maxPacketSize uint32) (*Message, error) {
	if maxPacketSize == 0 {
		maxPacketSize = DefaultMaxPacketSize // 0 is "the default", never "unlimited"
	}
	head := make([]byte, HeadLen)
	// TODO(learner): one Read returns what has arrived, maybe less than asked
	// for. Read the whole header and the whole payload, however many Reads
	// that takes, and tell a clean end of stream from one inside a frame.
	if _, err := r.Read(head); err != nil {
		return nil, err
	}
	msg := &Message{
		DataLen: binary.LittleEndian.Uint32(head[0:4]),
		Id:      binary.LittleEndian.Uint32(head[4:8]),
	}
	if msg.DataLen > maxPacketSize {
		return nil, ErrTooLarge
	}
	msg.Data = make([]byte, msg.DataLen)
	if _, err := r.Read(msg.Data); err != nil {
		return nil, err
	}
	return msg, nil
}
