package split

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// maxPacketSize is the limit the tests decode with.
const maxPacketSize = 4096

type frame struct {
	id   uint32
	data string
}

// frames has an empty payload, a 1-byte payload and one longer than a
// typical first Read.
var frames = []frame{
	{1, "hi"},
	{2, ""},
	{3, "x"},
	{0xfffffffe, strings.Repeat("zinx", 75)},
	{5, "hello, zinx"},
}

// pack encodes fs back to back: DataLen, then MsgID, little-endian, then Data.
func pack(fs []frame) []byte {
	var b []byte
	for _, f := range fs {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(f.data)))
		b = binary.LittleEndian.AppendUint32(b, f.id)
		b = append(b, f.data...)
	}
	return b
}

// ends returns the offsets in pack(fs) at which a frame ends.
func ends(fs []frame) []int {
	var out []int
	off := 0
	for _, f := range fs {
		off += HeadLen + len(f.data)
		out = append(out, off)
	}
	return out
}

// expect decodes r and requires exactly want, then the error wantEnd.
// how says how the stream was delivered, for the failure messages.
func expect(t *testing.T, r io.Reader, want []frame, wantEnd error, how string) {
	t.Helper()
	for i, w := range want {
		msg, err := ReadMessage(r, maxPacketSize)
		require.NoError(t, err, "frame #%d, %s: a frame that arrives in pieces must still decode; keep reading until the header and the payload are complete", i+1, how)
		require.NotNil(t, msg, "frame #%d, %s", i+1, how)
		require.Equal(t, w.id, msg.Id, "Id of frame #%d, %s: decode the header only once all 8 of its bytes have arrived", i+1, how)
		require.Equal(t, uint32(len(w.data)), msg.DataLen, "DataLen of frame #%d, %s: decode the header only once all 8 of its bytes have arrived", i+1, how)
		require.Equal(t, w.data, string(msg.Data), "Data of frame #%d, %s: it must be the whole payload", i+1, how)
	}
	msg, err := ReadMessage(r, maxPacketSize)
	if wantEnd == io.EOF {
		require.ErrorIs(t, err, io.EOF, "at the end of the stream, %s: a stream that ends between two frames gives io.EOF", how)
	} else {
		require.ErrorIs(t, err, wantEnd, "at the end of the stream, %s: a stream that ends inside a frame gives io.ErrUnexpectedEOF, not a frame and not io.EOF", how)
	}
	require.Nil(t, msg, "at the end of the stream, %s: there is no further frame, so the message must be nil", how)
}

func TestStickyPackets(t *testing.T) {
	stream := pack(frames)
	require.Equal(t, []byte{0x02, 0, 0, 0, 0x01, 0, 0, 0, 'h', 'i'}, stream[:10], "the wire format: DataLen, then MsgID, little-endian, then Data")
	expect(t, bytes.NewReader(stream), frames, io.EOF, "with all the frames in one buffer")
}

func TestHalfPacketsAtEveryCut(t *testing.T) {
	stream := pack(frames)
	for k := 1; k < len(stream); k++ {
		r := io.MultiReader(bytes.NewReader(stream[:k]), bytes.NewReader(stream[k:]))
		expect(t, r, frames, io.EOF, fmt.Sprintf("with the stream delivered in two pieces cut at byte %d", k))
	}
}

func TestOneByteAtATime(t *testing.T) {
	stream := pack(frames)
	expect(t, iotest.OneByteReader(bytes.NewReader(stream)), frames, io.EOF, "with the stream delivered one byte per Read")
}

func TestDataTogetherWithEOF(t *testing.T) {
	stream := pack(frames)
	r := iotest.DataErrReader(iotest.OneByteReader(bytes.NewReader(stream)))
	expect(t, r, frames, io.EOF, "with the last byte delivered together with io.EOF")
}

func TestStreamEndsAtEveryByte(t *testing.T) {
	stream := pack(frames)
	boundaries := ends(frames)
	for k := 0; k < len(stream); k++ {
		var whole []frame
		for i, end := range boundaries {
			if end <= k {
				whole = frames[:i+1]
			}
		}
		wantEnd := io.ErrUnexpectedEOF
		if k == 0 || (len(whole) > 0 && boundaries[len(whole)-1] == k) {
			wantEnd = io.EOF
		}
		expect(t, bytes.NewReader(stream[:k]), whole, wantEnd, fmt.Sprintf("with the stream cut off after byte %d", k))
	}
}

// trap is a reader that must not be read.
type trap struct{ read bool }

func (r *trap) Read([]byte) (int, error) {
	r.read = true
	return 0, errors.New("trap: this payload must not be read")
}

func TestOversizeHeaderIsRefusedUnread(t *testing.T) {
	for _, dataLen := range []uint32{maxPacketSize + 1, 0xffffffff} {
		head := binary.LittleEndian.AppendUint32(nil, dataLen)
		head = binary.LittleEndian.AppendUint32(head, 1)
		payload := &trap{}
		msg, err := ReadMessage(io.MultiReader(bytes.NewReader(head), payload), maxPacketSize)
		require.ErrorIs(t, err, ErrTooLarge, "DataLen %d is over the limit %d: ReadMessage must return ErrTooLarge", dataLen, maxPacketSize)
		require.Nil(t, msg, "on error ReadMessage must return a nil message")
		require.False(t, payload.read, "DataLen %d is over the limit: refuse the header before reading (or allocating) the payload", dataLen)
	}
}

func TestZeroLimitMeansDefault(t *testing.T) {
	frame := binary.LittleEndian.AppendUint32(nil, DefaultMaxPacketSize)
	frame = binary.LittleEndian.AppendUint32(frame, 9)
	frame = append(frame, bytes.Repeat([]byte{'z'}, DefaultMaxPacketSize)...)
	msg, err := ReadMessage(bytes.NewReader(frame), 0)
	require.NoError(t, err, "a max packet size of 0 means DefaultMaxPacketSize (4096): a 4096-byte payload is allowed")
	require.Equal(t, uint32(9), msg.Id)
	require.Len(t, msg.Data, DefaultMaxPacketSize)

	head := binary.LittleEndian.AppendUint32(nil, DefaultMaxPacketSize+1)
	head = binary.LittleEndian.AppendUint32(head, 1)
	payload := &trap{}
	msg, err = ReadMessage(io.MultiReader(bytes.NewReader(head), payload), 0)
	require.ErrorIs(t, err, ErrTooLarge, "a max packet size of 0 means DefaultMaxPacketSize (4096), never \"unlimited\" as in the course")
	require.Nil(t, msg)
	require.False(t, payload.read, "refuse the header before reading (or allocating) the payload")
}
