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
// ends them. What follows the last whole frame (a partial frame or, if a
// dispatch paused c, every frame after that one) is copied to c.in, whose
// cap leaves room for one read beyond a frame (admit). The size limit is
// checked on the header, before a byte of the payload is kept. The loop
// never calls it on a paused c.
func (l *eventLoop) consume(c *conn, data []byte) error {
	defer l.e.cfg.handler.onFramesEnd(c)
	return l.cutFrames(c, data)
}

// cutFrames is consume without the onFramesEnd.
func (l *eventLoop) cutFrames(c *conn, data []byte) error {
	if c.in.Len() > 0 {
		rest, more, err := l.finishKept(c, data)
		if !more {
			return err
		}
		data = rest
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

// finishKept completes the frame kept in c.in from the start of data, first
// its header, then its payload, and dispatches it once whole. It returns
// what is left of data, and more false when there is nothing left to cut:
// data ran out before the frame was whole, c was closed, or err.
func (l *eventLoop) finishKept(c *conn, data []byte) (rest []byte, more bool, err error) {
	if need := frameHeaderLen - c.in.Len(); need > 0 {
		take := min(need, len(data))
		if err := c.in.Write(data[:take]); err != nil {
			return nil, false, err
		}
		data = data[take:]
		if c.in.Len() < frameHeaderLen {
			return nil, false, nil
		}
	}
	size, err := l.frameSize(c.in.Peek(frameHeaderLen))
	if err != nil {
		return nil, false, err
	}
	take := min(size-c.in.Len(), len(data))
	if err := c.in.Write(data[:take]); err != nil {
		return nil, false, err
	}
	data = data[take:]
	if c.in.Len() < size {
		return nil, false, nil
	}
	l.dispatch(c, l.contiguous(c, size))
	c.in.Reset()
	return data, l.table[c.fd] == c, nil
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
