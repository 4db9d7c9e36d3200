package ziface

// IMessage is one framed message: an id and a payload.
type IMessage interface {
	// GetDataLen returns the payload length the message's header declares.
	GetDataLen() uint32
	// GetMsgId returns the message's id.
	GetMsgId() uint32
	// GetData returns the payload.
	GetData() []byte
	// SetMsgId sets the message's id.
	SetMsgId(id uint32)
	// SetData sets the payload.
	SetData(data []byte)
	// SetDataLen sets the declared payload length.
	SetDataLen(n uint32)
}
