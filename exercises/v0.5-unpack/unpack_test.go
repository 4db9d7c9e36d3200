package unpack

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestUnpack(t *testing.T) {
	tests := []struct {
		name    string
		head    []byte
		max     uint32
		wantLen uint32
		wantID  uint32
		wantErr error
		why     string
	}{
		{
			name: "the course's example", head: []byte{0x02, 0, 0, 0, 0x01, 0, 0, 0}, max: 4096,
			wantLen: 2, wantID: 1,
			why: "the header is DataLen first, then MsgID, both little-endian: 02 00 00 00 01 00 00 00 is DataLen 2, Id 1 (the course's archives decoded the id first)",
		},
		{
			name: "payload bytes after the header are ignored", head: []byte{0x02, 0, 0, 0, 0x01, 0, 0, 0, 'h', 'i'}, max: 4096,
			wantLen: 2, wantID: 1,
			why: "only the first 8 bytes are the header",
		},
		{
			name: "every byte counts", head: []byte{0x04, 0x03, 0x02, 0x01, 0x08, 0x07, 0x06, 0x05}, max: 0x7fffffff,
			wantLen: 0x01020304, wantID: 0x05060708,
			why: "both fields are little-endian: the first byte is the least significant",
		},
		{
			name: "empty payload", head: []byte{0, 0, 0, 0, 0x07, 0, 0, 0}, max: 1,
			wantLen: 0, wantID: 7,
			why: "a frame may have no payload",
		},
		{
			name: "DataLen equal to the limit", head: []byte{0x00, 0x10, 0, 0, 0x01, 0, 0, 0}, max: 4096,
			wantLen: 4096, wantID: 1,
			why: "DataLen may be equal to maxPacketSize",
		},
		{
			name: "DataLen one over the limit", head: []byte{0x01, 0x10, 0, 0, 0x01, 0, 0, 0}, max: 4096,
			wantErr: ErrTooLarge,
			why:     "DataLen 4097 is over maxPacketSize 4096: return ErrTooLarge before the caller allocates anything",
		},
		{
			name: "a 4 GiB header", head: []byte{0xff, 0xff, 0xff, 0xff, 0x01, 0, 0, 0}, max: 4096,
			wantErr: ErrTooLarge,
			why:     "DataLen 0xffffffff must be refused: otherwise 8 bytes from a client make the server allocate 4 GiB",
		},
		{
			name: "a big id is not a big payload", head: []byte{0x02, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}, max: 4096,
			wantLen: 2, wantID: 0xffffffff,
			why: "the size check is on DataLen (the first 4 bytes), not on the id",
		},
		{
			name: "zero limit means the default", head: []byte{0x02, 0, 0, 0, 0x01, 0, 0, 0}, max: 0,
			wantLen: 2, wantID: 1,
			why: "a max packet size of 0 means the default limit, DefaultMaxPacketSize (4096)",
		},
		{
			name: "zero limit, DataLen equal to the default", head: []byte{0x00, 0x10, 0, 0, 0x01, 0, 0, 0}, max: 0,
			wantLen: 4096, wantID: 1,
			why: "a max packet size of 0 means DefaultMaxPacketSize (4096), and DataLen may be equal to it",
		},
		{
			name: "zero limit, DataLen one over the default", head: []byte{0x01, 0x10, 0, 0, 0x01, 0, 0, 0}, max: 0,
			wantErr: ErrTooLarge,
			why:     "a max packet size of 0 means DefaultMaxPacketSize (4096), never \"unlimited\" as in the course: 4097 is too large",
		},
		{
			name: "zero limit, a 4 GiB header", head: []byte{0xff, 0xff, 0xff, 0xff, 0x01, 0, 0, 0}, max: 0,
			wantErr: ErrTooLarge,
			why:     "with a limit of 0 the course allocated 4 GiB here; 0 means DefaultMaxPacketSize (4096)",
		},
		{
			name: "7 bytes", head: []byte{0x02, 0, 0, 0, 0x01, 0, 0}, max: 4096,
			wantErr: ErrShortHeader,
			why:     "a header shorter than 8 bytes is ErrShortHeader",
		},
		{
			name: "4 bytes", head: []byte{0x02, 0, 0, 0}, max: 4096,
			wantErr: ErrShortHeader,
			why:     "a header shorter than 8 bytes is ErrShortHeader",
		},
		{
			name: "empty", head: []byte{}, max: 4096,
			wantErr: ErrShortHeader,
			why:     "a header shorter than 8 bytes is ErrShortHeader",
		},
		{
			name: "nil", head: nil, max: 4096,
			wantErr: ErrShortHeader,
			why:     "a header shorter than 8 bytes is ErrShortHeader",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head := append([]byte(nil), tt.head...)
			msg, err := Unpack(head, tt.max)
			defer func() {
				assert.True(t, bytes.Equal(tt.head, head), "Unpack must not modify the header")
			}()
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr, "Unpack([% x], %d): %s", tt.head, tt.max, tt.why)
				require.Nil(t, msg, "on error Unpack must return a nil message")
				return
			}
			require.NoError(t, err, "Unpack([% x], %d): %s", tt.head, tt.max, tt.why)
			require.NotNil(t, msg)
			require.Equal(t, tt.wantLen, msg.DataLen, "DataLen of [% x]: %s", tt.head, tt.why)
			require.Equal(t, tt.wantID, msg.Id, "Id of [% x]: %s", tt.head, tt.why)
			require.Nil(t, msg.Data, "Unpack decodes the header only: Data stays nil until the caller reads DataLen bytes")
		})
	}
}
