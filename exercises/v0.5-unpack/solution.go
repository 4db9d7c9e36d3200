//go:build solution

// Package unpack is the exercise "Unpack with a bound" (course chapter 5, V0.5).
//
// A frame is an 8-byte header, then the payload:
//
//	| DataLen uint32, little-endian | MsgID uint32, little-endian | Data (DataLen bytes) |
//
// The course's release archives decoded the id first, and a MaxPacketSize of 0
// switched the size check off, so an 8-byte header could make the caller
// allocate 4 GiB for the payload. Here a limit of 0 means the default limit.
package unpack

import (
	"encoding/binary"
	"errors"
)

// HeadLen is the length of a frame header in bytes.
const HeadLen = 8

// DefaultMaxPacketSize is the limit Unpack applies when it is given 0: a limit
// of 0 means "the default", never "unlimited".
const DefaultMaxPacketSize = 4096

// Errors returned by Unpack; compare them with errors.Is.
var (
	// ErrShortHeader means the header is shorter than HeadLen bytes.
	ErrShortHeader = errors.New("unpack: header shorter than 8 bytes")
	// ErrTooLarge means DataLen is larger than the max packet size.
	ErrTooLarge = errors.New("unpack: payload larger than the max packet size")
)

// Message is a decoded frame header; the caller reads the payload into Data.
type Message struct {
	// Id is the message id (MsgID on the wire).
	Id uint32
	// DataLen is the payload length in bytes.
	DataLen uint32
	// Data is the payload; Unpack leaves it nil.
	Data []byte
}

// Unpack decodes the header at the start of head (bytes after the first
// HeadLen are ignored). It checks the header against maxPacketSize before
// anything is allocated for the payload: DataLen may be at most
// maxPacketSize, or DefaultMaxPacketSize if maxPacketSize is 0. On error the
// message is nil.
func Unpack(head []byte, maxPacketSize uint32) (*Message, error) {
	if maxPacketSize == 0 {
		maxPacketSize = DefaultMaxPacketSize // 0 is "the default", never "unlimited"
	}
	if len(head) < HeadLen {
		return nil, ErrShortHeader
	}
	dataLen := binary.LittleEndian.Uint32(head[0:4])
	if dataLen > maxPacketSize {
		return nil, ErrTooLarge
	}
	return &Message{
		DataLen: dataLen,
		Id:      binary.LittleEndian.Uint32(head[4:8]),
	}, nil
}
