package ziface

// IDataPack turns messages into frames on the wire and back: an 8-byte header
// (payload length, then message id, both uint32 little-endian) followed by
// the payload.
type IDataPack interface {
	// GetHeadLen returns the length of a frame's header: 8.
	GetHeadLen() uint32
	// Pack returns msg as one frame.
	Pack(msg IMessage) ([]byte, error)
	// Unpack decodes a frame's header. The message it returns carries the id
	// and the payload length; the caller reads the payload.
	Unpack(head []byte) (IMessage, error)
}
