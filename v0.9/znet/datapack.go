package znet

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"zinx/v0.9/utils"
	"zinx/v0.9/ziface"
)

// A frame on the wire is an 8-byte header, then the payload:
//
//	| DataLen uint32 LE | MsgID uint32 LE | Data (DataLen bytes) |
//
// This is the order the course's text teaches and learners' clients use.
const headLen = 8

// ErrPacketTooLarge is returned for a payload above the packet size limit,
// both by Pack and when a header declares one.
var ErrPacketTooLarge = errors.New("zinx: packet too large")

// ErrShortHeader is returned by Unpack for fewer than 8 bytes.
var ErrShortHeader = errors.New("zinx: header shorter than 8 bytes")

// DataPack implements ziface.IDataPack with a payload size limit. It holds
// no state besides the limit, so one DataPack can serve many connections.
// The zero value, DataPack{} as the course's code writes it, is ready to use
// with the default limit, utils.DefaultMaxPacketSize.
type DataPack struct {
	maxPacketSize uint32 // 0 means utils.DefaultMaxPacketSize
}

// NewDataPack returns a DataPack limited to utils.GlobalObject.MaxPacketSize,
// as the course's is. Servers use their own configuration's limit instead.
func NewDataPack() *DataPack {
	return NewDataPackWithLimit(utils.GlobalObject.MaxPacketSize)
}

// NewDataPackWithLimit returns a DataPack that refuses payloads larger than
// maxPacketSize bytes. A limit of 0 means the default limit,
// utils.DefaultMaxPacketSize, as in a zero DataPack: never unlimited.
func NewDataPackWithLimit(maxPacketSize uint32) *DataPack {
	return &DataPack{maxPacketSize: maxPacketSize}
}

// GetHeadLen returns the header length: 8.
func (dp *DataPack) GetHeadLen() uint32 { return headLen }

// Pack returns msg as one frame. The header's length is len(msg.GetData()):
// the course wrote msg.GetDataLen(), so a message whose DataLen disagreed
// with its Data produced a frame that desynchronised the stream.
func (dp *DataPack) Pack(msg ziface.IMessage) ([]byte, error) {
	return dp.appendFrame(nil, msg.GetMsgId(), msg.GetData())
}

// appendFrame appends the frame of a message with id and data to dst. Pack
// calls it with a nil dst, and it allocates exactly one slice, the frame;
// the send queue appends SendMsg's frames to its buffer with it, so a reply
// costs no Message on the way. On an error dst is not returned.
func (dp *DataPack) appendFrame(dst []byte, id uint32, data []byte) ([]byte, error) {
	if err := dp.checkSize(uint64(len(data))); err != nil {
		return nil, err
	}
	if dst == nil {
		dst = make([]byte, 0, headLen+len(data))
	}
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(data)))
	dst = binary.LittleEndian.AppendUint32(dst, id)
	return append(dst, data...), nil
}

// Unpack decodes a header into a message with Id and DataLen set and no
// Data. It refuses a declared length above the limit, so a caller never
// allocates for a payload it would not accept.
func (dp *DataPack) Unpack(head []byte) (ziface.IMessage, error) {
	msg := &Message{}
	if err := dp.decodeHead(head, msg); err != nil {
		return nil, err // a nil *Message would be a non-nil IMessage
	}
	return msg, nil
}

// decodeHead sets msg's Id and DataLen from a frame's header.
func (dp *DataPack) decodeHead(head []byte, msg *Message) error {
	if len(head) < headLen {
		return fmt.Errorf("%w: got %d", ErrShortHeader, len(head))
	}
	msg.DataLen = binary.LittleEndian.Uint32(head[0:4])
	msg.Id = binary.LittleEndian.Uint32(head[4:8])
	return dp.checkSize(uint64(msg.DataLen))
}

// ReadMsg reads one whole frame from r: the header, then exactly the payload
// it declares, however the bytes were split into TCP segments. It returns
// io.EOF if r ends cleanly before a frame, and io.ErrUnexpectedEOF if it ends
// inside one.
func (dp *DataPack) ReadMsg(r io.Reader) (*Message, error) {
	msg := &Message{}
	if err := dp.readMsgInto(r, msg, nil); err != nil {
		return nil, err
	}
	return msg, nil
}

// readMsgInto is ReadMsg into a Message the caller provides, with the
// payload's bytes from alloc (or a new slice if alloc is nil). From a
// *bufio.Reader, as every connection reads, the header is decoded where it
// lies in the buffer, so the only allocation is the payload.
func (dp *DataPack) readMsgInto(r io.Reader, msg *Message, alloc *readAlloc) error {
	if br, ok := r.(*bufio.Reader); ok {
		head, err := br.Peek(headLen)
		if err != nil {
			if len(head) > 0 && errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		if err := dp.decodeHead(head, msg); err != nil {
			return err
		}
		br.Discard(headLen) // cannot fail: Peek has just buffered these bytes
	} else {
		var head [headLen]byte
		if _, err := io.ReadFull(r, head[:]); err != nil {
			return err
		}
		if err := dp.decodeHead(head[:], msg); err != nil {
			return err
		}
	}
	if alloc != nil {
		msg.Data = alloc.payload(msg.DataLen)
	} else {
		msg.Data = make([]byte, msg.DataLen)
	}
	if _, err := io.ReadFull(r, msg.Data); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	return nil
}

// limit is the payload limit in force. Zero stands for the default so that
// a DataPack{} literal works, as the course's does; a bound that switched
// off at zero would switch off by accident, in a literal that left it out.
func (dp *DataPack) limit() uint32 {
	if dp.maxPacketSize == 0 {
		return utils.DefaultMaxPacketSize
	}
	return dp.maxPacketSize
}

func (dp *DataPack) checkSize(n uint64) error {
	if limit := dp.limit(); n > uint64(limit) {
		return fmt.Errorf("%w: %d bytes, the limit is %d", ErrPacketTooLarge, n, limit)
	}
	return nil
}
