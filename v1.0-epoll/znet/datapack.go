package znet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"zinx/v1.0-epoll/utils"
	"zinx/v1.0-epoll/ziface"
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
	data := msg.GetData()
	if err := dp.checkSize(uint64(len(data))); err != nil {
		return nil, err
	}
	frame := make([]byte, 0, headLen+len(data))
	frame = binary.LittleEndian.AppendUint32(frame, uint32(len(data)))
	frame = binary.LittleEndian.AppendUint32(frame, msg.GetMsgId())
	return append(frame, data...), nil
}

// Unpack decodes a header into a message with Id and DataLen set and no
// Data. It refuses a declared length above the limit, so a caller never
// allocates for a payload it would not accept.
func (dp *DataPack) Unpack(head []byte) (ziface.IMessage, error) {
	msg, err := dp.unpack(head)
	if err != nil {
		return nil, err // a nil *Message would be a non-nil IMessage
	}
	return msg, nil
}

func (dp *DataPack) unpack(head []byte) (*Message, error) {
	if len(head) < headLen {
		return nil, fmt.Errorf("%w: got %d", ErrShortHeader, len(head))
	}
	msg := &Message{
		DataLen: binary.LittleEndian.Uint32(head[0:4]),
		Id:      binary.LittleEndian.Uint32(head[4:8]),
	}
	if err := dp.checkSize(uint64(msg.DataLen)); err != nil {
		return nil, err
	}
	return msg, nil
}

// ReadMsg reads one whole frame from r: the header, then exactly the payload
// it declares, however the bytes were split into TCP segments. It returns
// io.EOF if r ends cleanly before a frame, and io.ErrUnexpectedEOF if it ends
// inside one.
func (dp *DataPack) ReadMsg(r io.Reader) (*Message, error) {
	var head [headLen]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, err
	}
	msg, err := dp.unpack(head[:])
	if err != nil {
		return nil, err
	}
	msg.Data = make([]byte, msg.DataLen)
	if _, err := io.ReadFull(r, msg.Data); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return msg, nil
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

// frameHeader is the header of a frame of id and data, for the sends that
// write the two without packing them into one slice first. It is one
// 8-byte store: two 4-byte ones, read back at once as 8 bytes when the
// header is copied, stall the processor's store forwarding.
func frameHeader(id uint32, data []byte) (hdr [frameHeaderLen]byte) {
	binary.LittleEndian.PutUint64(hdr[:], uint64(len(data))|uint64(id)<<32)
	return hdr
}
