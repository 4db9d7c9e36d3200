package znet

// Message implements ziface.IMessage. Its exported fields are the course's:
// a client reading a reply fills Data itself after Unpack.
type Message struct {
	// Id is the message id routers dispatch on.
	Id uint32
	// DataLen is the payload length: what the header declared on a received
	// message, len(Data) on one built by NewMsgPackage. Pack ignores it and
	// writes len(Data).
	DataLen uint32
	// Data is the payload.
	Data []byte
}

// NewMsgPackage returns a message with id and payload data.
func NewMsgPackage(id uint32, data []byte) *Message {
	return &Message{Id: id, DataLen: uint32(len(data)), Data: data}
}

// GetDataLen returns the declared payload length.
func (m *Message) GetDataLen() uint32 { return m.DataLen }

// GetMsgId returns the message id.
func (m *Message) GetMsgId() uint32 { return m.Id }

// GetData returns the payload.
func (m *Message) GetData() []byte { return m.Data }

// SetMsgId sets the message id.
func (m *Message) SetMsgId(id uint32) { m.Id = id }

// SetData sets the payload.
func (m *Message) SetData(data []byte) { m.Data = data }

// SetDataLen sets the declared payload length.
func (m *Message) SetDataLen(n uint32) { m.DataLen = n }
