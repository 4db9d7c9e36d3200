package ziface

// IRequest is one message a client sent, with the connection it came on.
type IRequest interface {
	// GetConnection returns the connection the message arrived on.
	GetConnection() IConnection
	// GetData returns the message's payload.
	GetData() []byte
	// GetMsgID returns the message's id.
	GetMsgID() uint32
}
