package znet

import (
	"bytes"
	"errors"
	"testing"
)

// ringContents reads every unread byte of r through Peek.
func ringContents(r *ringBuffer) []byte {
	a, b := r.Peek(r.Len())
	return append(append([]byte{}, a...), b...)
}

func TestRingBuffer(t *testing.T) {
	seq := func(n int, from byte) []byte {
		p := make([]byte, n)
		for i := range p {
			p[i] = from + byte(i)
		}
		return p
	}
	tests := []struct {
		name     string
		max      int
		steps    func(r *ringBuffer) error
		want     []byte
		wantCap  int
		wantFull bool
	}{
		{name: "empty holds no buffer", steps: func(r *ringBuffer) error { return nil }, want: []byte{}, wantCap: 0},
		{name: "write then read", steps: func(r *ringBuffer) error { return r.Write([]byte("hello")) },
			want: []byte("hello"), wantCap: ringMinSize},
		{name: "discard all gives the buffer back", steps: func(r *ringBuffer) error {
			_ = r.Write([]byte("hello"))
			r.Discard(5)
			return nil
		}, want: []byte{}, wantCap: 0},
		{name: "wrap around the end", steps: func(r *ringBuffer) error {
			_ = r.Write(make([]byte, ringMinSize-3))
			r.Discard(ringMinSize - 5) // head near the end, 2 bytes left
			return r.Write(seq(10, 'a'))
		}, want: append([]byte{0, 0}, seq(10, 'a')...), wantCap: ringMinSize},
		{name: "growth keeps order across a wrap", steps: func(r *ringBuffer) error {
			_ = r.Write(make([]byte, ringMinSize-3))
			r.Discard(ringMinSize - 5)
			return r.Write(seq(ringMinSize, 1))
		}, want: append([]byte{0, 0}, seq(ringMinSize, 1)...), wantCap: 2 * ringMinSize},
		{name: "cap refuses and keeps what it had", max: 6000, steps: func(r *ringBuffer) error {
			_ = r.Write(seq(5000, 0))
			return r.Write(seq(1001, 0))
		}, want: seq(5000, 0), wantCap: 2 * ringMinSize, wantFull: true},
		{name: "cap allows exactly max", max: 6000, steps: func(r *ringBuffer) error {
			_ = r.Write(seq(5000, 0))
			return r.Write(seq(1000, 0))
		}, want: append(seq(5000, 0), seq(1000, 0)...), wantCap: 2 * ringMinSize},
		{name: "two parts, the wrap between them", steps: func(r *ringBuffer) error {
			_ = r.Write(make([]byte, ringMinSize-3))
			r.Discard(ringMinSize - 5) // head near the end, 2 bytes left
			// The header fills the ring to its end; the payload starts at 0.
			return r.WriteTwo(seq(3, 'h'), seq(8, 'a'))
		}, want: append([]byte{0, 0, 'h', 'i', 'j'}, seq(8, 'a')...), wantCap: ringMinSize},
		{name: "two parts refused together past the cap", max: 6000, steps: func(r *ringBuffer) error {
			_ = r.Write(seq(5000, 0))
			return r.WriteTwo(seq(8, 0), seq(993, 0)) // the header alone would fit
		}, want: seq(5000, 0), wantCap: 2 * ringMinSize, wantFull: true},
		{name: "partial discard", steps: func(r *ringBuffer) error {
			_ = r.Write([]byte("abcdef"))
			r.Discard(2)
			r.Discard(0)
			r.Discard(-1)
			return nil
		}, want: []byte("cdef"), wantCap: ringMinSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &ringBuffer{max: int32(tt.max)}
			err := tt.steps(r)
			if tt.wantFull != errors.Is(err, errRingFull) || (!tt.wantFull && err != nil) {
				t.Fatalf("err = %v, want full %v", err, tt.wantFull)
			}
			if got := ringContents(r); !bytes.Equal(got, tt.want) {
				t.Fatalf("contents = %q, want %q", got, tt.want)
			}
			if r.Len() != len(tt.want) {
				t.Fatalf("Len = %d, want %d", r.Len(), len(tt.want))
			}
			if r.Cap() != tt.wantCap {
				t.Fatalf("Cap = %d, want %d", r.Cap(), tt.wantCap)
			}
		})
	}
}

// TestRingBufferPeek: Peek hands out the unread bytes as two slices when
// they wrap around the end of the buffer, the second empty when they do
// not, and fewer than asked when the ring holds fewer; it consumes nothing.
func TestRingBufferPeek(t *testing.T) {
	r := &ringBuffer{}
	_ = r.Write(make([]byte, ringMinSize-2))
	r.Discard(ringMinSize - 4)        // 2 zero bytes left, 4 before the end
	_ = r.Write([]byte("0123456789")) // wraps after "01"
	for _, tc := range []struct {
		n    int
		a, b string
	}{
		{2, "\x00\x00", ""},
		{4, "\x00\x0001", ""},
		{10, "\x00\x0001", "234567"}, // across the wrap
		{12, "\x00\x0001", "23456789"},
		{13, "\x00\x0001", "23456789"}, // past the end: what there is
		{0, "", ""},
	} {
		a, b := r.Peek(tc.n)
		if string(a) != tc.a || string(b) != tc.b {
			t.Errorf("Peek(%d) = %q, %q; want %q, %q", tc.n, a, b, tc.a, tc.b)
		}
	}
	if r.Len() != 12 {
		t.Fatalf("Peek consumed bytes: Len = %d", r.Len())
	}
}

// peekCopy returns a copy of the first n unread bytes, wrapped or not.
func peekCopy(r *ringBuffer, n int) []byte {
	a, b := r.Peek(n)
	return append(append([]byte(nil), a...), b...)
}

// FuzzRingBuffer drives a ring and a bytes.Buffer with the same writes,
// discards and reads, and wants them to agree after every step.
func FuzzRingBuffer(f *testing.F) {
	f.Add([]byte{10, 200, 3, 255, 0, 77, 9, 128})
	f.Add([]byte{255, 255, 255, 255, 1, 2, 3})
	f.Add([]byte{100, 10, 100, 20, 5, 30}) // the tail wraps at step 3, the head at step 5
	f.Fuzz(func(t *testing.T, ops []byte) {
		r := &ringBuffer{max: 5 * ringMinSize}
		var ref bytes.Buffer
		var fill byte
		for i, op := range ops {
			n := int(op) * 37 // up to ~9 KiB per step: wraps and growth
			switch i % 3 {
			case 0, 1:
				p := make([]byte, n)
				for j := range p {
					fill++
					p[j] = fill
				}
				var err error
				if i%3 == 0 {
					err = r.Write(p)
				} else {
					err = r.WriteTwo(p[:n/3], p[n/3:]) // a header and its payload, both or neither
				}
				if ref.Len()+n > int(r.max) {
					if !errors.Is(err, errRingFull) {
						t.Fatalf("step %d: write past the cap: err = %v", i, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("step %d: write: %v", i, err)
				}
				ref.Write(p)
			case 2:
				want := ref.Next(n)
				if got := peekCopy(r, n); !bytes.Equal(got, want) {
					t.Fatalf("step %d: Peek disagrees with bytes.Buffer", i)
				}
				r.Discard(n)
			}
			if r.Len() != ref.Len() || !bytes.Equal(ringContents(r), ref.Bytes()) {
				t.Fatalf("step %d: ring holds %d bytes, reference %d, or contents differ", i, r.Len(), ref.Len())
			}
			if r.Len() == 0 && r.Cap() != 0 {
				t.Fatalf("step %d: an empty ring kept its buffer", i)
			}
		}
	})
}

// TestRingBufferReusesGrownBuffers: a frame a little over ringMinSize (a
// full 4 KiB payload and its header) doubles the ring's buffer; once the ring
// is empty that buffer goes back to the pool for its size, so the next such
// frame does not allocate one again, and a ring that needs only a small
// buffer still gets a small one. Past ringPooledMax nothing is pooled.
func TestRingBufferReusesGrownBuffers(t *testing.T) {
	pass := func(size int) func() {
		frame := make([]byte, size)
		var r ringBuffer
		return func() {
			_ = r.Write(frame)
			r.Discard(len(frame))
		}
	}
	// AllocsPerRun rounds down: the race detector's pools drop some Puts, and
	// still fewer than one pass in two allocates.
	if n := testing.AllocsPerRun(100, pass(ringMinSize+8)); n != 0 {
		t.Errorf("a frame just over ringMinSize: %v allocations per pass, want 0: a doubled buffer must be reused once the ring is empty", n)
	}
	if n := testing.AllocsPerRun(20, pass(2*ringPooledMax)); n == 0 {
		t.Errorf("a frame over ringPooledMax: no allocation per pass: such a buffer must be left to the garbage collector, not pooled")
	}

	var r ringBuffer
	_ = r.Write(make([]byte, 10))
	if r.Cap() != ringMinSize {
		t.Errorf("a small write got a buffer of %d bytes, want the smallest, %d", r.Cap(), ringMinSize)
	}
	if first, last := ringPoolIndex(ringMinSize), ringPoolIndex(ringPooledMax); first != 0 || last != ringPoolSizes-1 {
		t.Errorf("pool indexes %d..%d, want 0..%d", first, last, ringPoolSizes-1)
	}
}

// BenchmarkRingBuffer writes and discards a 64-byte frame on a ring that
// empties between frames, the steady state of a connection: the buffer goes
// to the pool and back without allocating.
func BenchmarkRingBuffer(b *testing.B) {
	var r ringBuffer
	frame := make([]byte, 64)
	hdr := make([]byte, 8)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = r.Write(frame)
		a, b := r.Peek(len(hdr)) // a frame header, as frameSize reads it
		copy(hdr[copy(hdr, a):], b)
		r.Discard(len(frame))
	}
}

// BenchmarkRingBufferWrap keeps the ring half full, so reads and writes wrap.
func BenchmarkRingBufferWrap(b *testing.B) {
	r := ringBuffer{}
	_ = r.Write(make([]byte, ringMinSize/2))
	frame := make([]byte, 100)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = r.Write(frame)
		r.Discard(len(frame))
	}
}
