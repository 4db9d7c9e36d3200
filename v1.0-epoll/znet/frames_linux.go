package znet

import (
	"encoding/binary"
	"fmt"
)

// Cutting frames. A read brings whatever TCP delivered: half a frame, many,
// the end of one and the start of the next. The loop cuts the whole frames
// out of it, straight from the read buffer where it can, and keeps a partial
// frame in the connection's inbound ring until the rest comes.

// consume cuts whole frames out of data, first finishing a frame begun in an
// earlier read and kept in c.in, and dispatches them; then it tells the
// handler the read's frames are done (onFramesEnd), even if a bad frame
// ends them. A trailing partial frame is copied to c.in. The size limit is
// checked on the header, before a byte of the payload is kept.
func (l *eventLoop) consume(c *conn, data []byte) error {
	defer l.e.cfg.handler.onFramesEnd(c)
	return l.cutFrames(c, data)
}

// cutFrames is consume without the onFramesEnd.
func (l *eventLoop) cutFrames(c *conn, data []byte) error {
	if c.paused {
		return c.in.Write(data)
	}
	for c.in.Len() > 0 && len(data) > 0 && !c.paused {
		need := frameHeaderLen - c.in.Len()
		if need <= 0 {
			size, err := l.frameSize(c.in.Peek(frameHeaderLen))
			if err != nil {
				return err
			}
			need = size - c.in.Len()
		}
		take := min(need, len(data))
		if err := c.in.Write(data[:take]); err != nil {
			return err
		}
		data = data[take:]
		if c.in.Len() < frameHeaderLen {
			continue
		}
		size, err := l.frameSize(c.in.Peek(frameHeaderLen))
		if err != nil {
			return err
		}
		if c.in.Len() == size {
			l.dispatch(c, l.contiguous(c, size))
			c.in.Reset()
			if l.table[c.fd] != c {
				return nil
			}
		}
	}
	for len(data) >= frameHeaderLen && !c.paused {
		size, err := l.frameSize(data[:frameHeaderLen], nil)
		if err != nil {
			return err
		}
		if len(data) < size {
			break
		}
		l.dispatch(c, data[:size])
		data = data[size:]
		if l.table[c.fd] != c {
			return nil
		}
	}
	return c.in.Write(data)
}

// frameSize reads a header, which may be split in two, and returns the
// whole frame's length.
func (l *eventLoop) frameSize(a, b []byte) (int, error) {
	var hdr [frameHeaderLen]byte
	copy(hdr[copy(hdr[:], a):], b)
	dataLen := binary.LittleEndian.Uint32(hdr[:4])
	if dataLen > l.e.cfg.maxPacket {
		return 0, fmt.Errorf("%w: %d bytes, limit %d", ErrPacketTooLarge, dataLen, l.e.cfg.maxPacket)
	}
	return frameHeaderLen + int(dataLen), nil
}

// contiguous returns the frame of size bytes at the head of c.in in one
// slice, copying it into the loop's frame buffer if it wraps.
func (l *eventLoop) contiguous(c *conn, size int) []byte {
	a, b := c.in.Peek(size)
	if len(b) == 0 {
		return a
	}
	if cap(l.frame) < size {
		l.frame = make([]byte, size)
	}
	f := l.frame[:size]
	copy(f[copy(f, a):], b)
	return f
}

// dispatchKept dispatches the whole frames in c.in until c pauses again.
func (l *eventLoop) dispatchKept(c *conn) error {
	for c.in.Len() >= frameHeaderLen && !c.paused {
		size, err := l.frameSize(c.in.Peek(frameHeaderLen))
		if err != nil {
			return err
		}
		if c.in.Len() < size {
			break
		}
		l.dispatch(c, l.contiguous(c, size))
		if l.table[c.fd] != c {
			return nil
		}
		c.in.Discard(size)
	}
	return nil
}

// dispatch hands one whole frame to the layer above, as its id and payload.
func (l *eventLoop) dispatch(c *conn, frame []byte) {
	id := binary.LittleEndian.Uint32(frame[4:8])
	l.e.cfg.handler.onFrame(c, id, frame[frameHeaderLen:])
}
