package znet_test

import (
	"bytes"
	"errors"
	"io"
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"zinx/v0.8/utils"
	"zinx/v0.8/znet"
)

func TestPackLayoutByteForByte(t *testing.T) {
	dp := znet.NewDataPackWithLimit(4096)
	got, err := dp.Pack(znet.NewMsgPackage(1, []byte("hi")))
	require.NoError(t, err)
	//                   DataLen = 2 (LE)        MsgID = 1 (LE)          "h"   "i"
	want := []byte{0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x68, 0x69}
	assert.Equal(t, want, got)
	assert.Equal(t, uint32(8), dp.GetHeadLen())
}

func TestPackTrustsTheDataNotTheDeclaredLength(t *testing.T) {
	dp := znet.NewDataPackWithLimit(4096)
	msg := &znet.Message{Id: 7, DataLen: 100, Data: []byte("abc")}
	got, err := dp.Pack(msg)
	require.NoError(t, err)
	assert.Equal(t, frame(7, "abc"), got, "the header must say 3 bytes, the length of Data")
}

func TestPackRefusesAPayloadOverTheLimit(t *testing.T) {
	dp := znet.NewDataPackWithLimit(4)
	_, err := dp.Pack(znet.NewMsgPackage(1, []byte("12345")))
	assert.ErrorIs(t, err, znet.ErrPacketTooLarge)

	got, err := dp.Pack(znet.NewMsgPackage(1, []byte("1234")))
	require.NoError(t, err, "a payload exactly at the limit is allowed")
	assert.Equal(t, frame(1, "1234"), got)
}

func TestZeroLimitMeansTheDefault(t *testing.T) {
	const def = utils.DefaultMaxPacketSize
	require.Equal(t, uint32(4096), uint32(def), "the course's MaxPacketSize")
	for name, dp := range map[string]*znet.DataPack{
		"DataPack{}":              {}, // the course's code builds one this way
		"NewDataPackWithLimit(0)": znet.NewDataPackWithLimit(0),
	} {
		_, err := dp.Pack(znet.NewMsgPackage(1, make([]byte, def)))
		assert.NoError(t, err, "%s: a payload at the default limit is allowed", name)
		_, err = dp.Unpack(frame(1, string(make([]byte, def)))[:8])
		assert.NoError(t, err, "%s: a header at the default limit is allowed", name)

		_, err = dp.Pack(znet.NewMsgPackage(1, make([]byte, def+1)))
		assert.ErrorIs(t, err, znet.ErrPacketTooLarge, "%s: zero is never unlimited", name)
		_, err = dp.Unpack([]byte{0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0})
		assert.ErrorIs(t, err, znet.ErrPacketTooLarge, "%s: zero is never unlimited", name)
	}
}

func TestUnpackHeader(t *testing.T) {
	dp := znet.NewDataPackWithLimit(4096)

	msg, err := dp.Unpack([]byte{0x02, 0, 0, 0, 0x01, 0, 0, 0})
	require.NoError(t, err)
	assert.Equal(t, uint32(2), msg.GetDataLen(), "DataLen comes first")
	assert.Equal(t, uint32(1), msg.GetMsgId(), "MsgID comes second")
	assert.Nil(t, msg.GetData(), "Unpack reads the header only")

	_, err = dp.Unpack([]byte{0x02, 0, 0, 0, 0x01, 0, 0})
	assert.ErrorIs(t, err, znet.ErrShortHeader)

	_, err = dp.Unpack([]byte{0x01, 0x10, 0, 0, 0x01, 0, 0, 0}) // 4097 bytes
	assert.ErrorIs(t, err, znet.ErrPacketTooLarge)
}

func TestRoundTrips(t *testing.T) {
	const limit = 4096
	dp := znet.NewDataPackWithLimit(limit)
	for _, payload := range [][]byte{{}, {'x'}, bytes.Repeat([]byte{0xab}, limit)} {
		packed, err := dp.Pack(znet.NewMsgPackage(42, payload))
		require.NoError(t, err)
		got, err := dp.ReadMsg(bytes.NewReader(packed))
		require.NoError(t, err, "payload of %d bytes", len(payload))
		assert.Equal(t, uint32(42), got.Id)
		assert.Equal(t, uint32(len(payload)), got.DataLen)
		assert.Equal(t, payload, got.Data)
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestReadMsgRefusesAnOversizeHeaderBeforeReadingThePayload(t *testing.T) {
	dp := znet.NewDataPackWithLimit(4096)
	head := []byte{0xff, 0xff, 0xff, 0xff, 0x01, 0, 0, 0} // claims 4 GiB - 1
	r := &countingReader{r: bytes.NewReader(append(head, "more bytes"...))}

	_, err := dp.ReadMsg(r)
	assert.ErrorIs(t, err, znet.ErrPacketTooLarge)
	assert.Equal(t, 8, r.n, "nothing past the header may be read")

	// Bytes, not a count of allocations: the error costs a few small ones,
	// and a count moves with the race detector and whatever else the
	// runtime allocates meanwhile. A payload would be 4 GiB.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 10 {
		_, _ = dp.ReadMsg(bytes.NewReader(head))
	}
	runtime.ReadMemStats(&after)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), "an oversize header must not allocate the payload")
}

func TestReadMsgEndOfStream(t *testing.T) {
	dp := znet.NewDataPackWithLimit(4096)

	_, err := dp.ReadMsg(bytes.NewReader(nil))
	assert.Equal(t, io.EOF, err, "a stream that ends between frames ends cleanly")

	whole := frame(1, "hello")
	for cut := 1; cut < len(whole); cut++ {
		_, err := dp.ReadMsg(bytes.NewReader(whole[:cut]))
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "a stream cut at byte %d ends inside a frame", cut)
	}
}

// twoChunks returns the bytes of stream in two reads, cut at position cut.
type twoChunks struct {
	stream []byte
	cut    int
}

func (c *twoChunks) Read(p []byte) (int, error) {
	if len(c.stream) == 0 {
		return 0, io.EOF
	}
	n := len(c.stream)
	if c.cut > 0 {
		n = c.cut
	}
	n = copy(p, c.stream[:min(n, len(c.stream))])
	c.stream = c.stream[n:]
	c.cut -= n
	return n, nil
}

func TestReadMsgSplitAtEveryByteBoundary(t *testing.T) {
	dp := znet.NewDataPackWithLimit(4096)
	want := []*znet.Message{
		znet.NewMsgPackage(1, []byte("first")),
		znet.NewMsgPackage(2, []byte{}),
		znet.NewMsgPackage(3, []byte("x")),
		znet.NewMsgPackage(math.MaxUint32, []byte("last one")),
	}
	var stream []byte
	for _, m := range want {
		stream = append(stream, frame(m.Id, string(m.Data))...)
	}

	for cut := 0; cut <= len(stream); cut++ {
		r := &twoChunks{stream: bytes.Clone(stream), cut: cut}
		for i, w := range want {
			got, err := dp.ReadMsg(r)
			require.NoError(t, err, "cut at %d, message %d", cut, i)
			assert.Equal(t, w.Id, got.Id, "cut at %d, message %d", cut, i)
			assert.Equal(t, w.Data, got.Data, "cut at %d, message %d", cut, i)
		}
		_, err := dp.ReadMsg(r)
		assert.Equal(t, io.EOF, err, "cut at %d", cut)
	}
}

// FuzzReadMsg feeds arbitrary byte streams to the decoder. Whatever arrives,
// it must not panic, must never hand out a payload over the limit, and every
// message it decodes must pack back into exactly the bytes it came from.
// `go test -fuzz=FuzzReadMsg ./v0.8/znet` explores; plain `go test` runs the seeds.
func FuzzReadMsg(f *testing.F) {
	f.Add([]byte{})
	f.Add(frame(1, "hi"))
	f.Add(append(frame(1, "sticky"), frame(2, "frames")...))
	f.Add(frame(0, ""))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})
	f.Add([]byte("GET / HTTP/1.1\r\n\r\n")) // text the course's test sent unframed
	f.Add(frame(9, "half a frame")[:10])

	const limit = 64
	dp := znet.NewDataPackWithLimit(limit)
	f.Fuzz(func(t *testing.T, stream []byte) {
		r := bytes.NewReader(stream)
		consumed := 0
		for {
			msg, err := dp.ReadMsg(r)
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, znet.ErrPacketTooLarge) {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if len(msg.Data) > limit || msg.DataLen != uint32(len(msg.Data)) {
				t.Fatalf("decoded %d bytes declaring %d, limit %d", len(msg.Data), msg.DataLen, limit)
			}
			packed, err := dp.Pack(msg)
			if err != nil {
				t.Fatalf("cannot repack a decoded message: %v", err)
			}
			if !bytes.Equal(packed, stream[consumed:consumed+len(packed)]) {
				t.Fatalf("repacked %x, read %x", packed, stream[consumed:consumed+len(packed)])
			}
			consumed += len(packed)
		}
	})
}

// FuzzPackReadMsg checks that every message within the limit survives a round trip.
func FuzzPackReadMsg(f *testing.F) {
	f.Add(uint32(0), []byte{})
	f.Add(uint32(1), []byte("hi"))
	f.Add(uint32(math.MaxUint32), bytes.Repeat([]byte{0}, 64))

	dp := znet.NewDataPackWithLimit(64)
	f.Fuzz(func(t *testing.T, id uint32, data []byte) {
		packed, err := dp.Pack(znet.NewMsgPackage(id, data))
		if len(data) > 64 {
			if !errors.Is(err, znet.ErrPacketTooLarge) {
				t.Fatalf("packed %d bytes over a limit of 64: %v", len(data), err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		msg, err := dp.ReadMsg(bytes.NewReader(packed))
		if err != nil || msg.Id != id || !bytes.Equal(msg.Data, data) {
			t.Fatalf("round trip of id %d, %x: got %+v, %v", id, data, msg, err)
		}
	})
}
