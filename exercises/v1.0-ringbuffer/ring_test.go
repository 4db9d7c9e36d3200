package ring

import (
	"bytes"
	"errors"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// contents returns the unread bytes, through Peek.
func contents(r *Ring) []byte {
	a, b := r.Peek(r.Len())
	return append(append([]byte{}, a...), b...)
}

func TestWriteThenPeek(t *testing.T) {
	r := New(100)
	if err := r.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if got := contents(r); string(got) != "hello" || r.Len() != 5 {
		t.Fatalf("after writing hello: %q, Len %d", got, r.Len())
	}
	r.Discard(2)
	if got := contents(r); string(got) != "llo" {
		t.Fatalf("after Discard(2): %q, want llo", got)
	}
}

// TestWrapsInsteadOfGrowing: a ring that is written and read in turn must
// reuse its buffer by wrapping around, not grow it or move the bytes.
func TestWrapsInsteadOfGrowing(t *testing.T) {
	r := New(100)
	_ = r.Write([]byte("abcdef")) // 8-byte buffer
	r.Discard(5)                  // "f" at index 5
	if err := r.Write([]byte("ghij")); err != nil {
		t.Fatal(err)
	}
	if r.Size() != 8 {
		t.Fatalf("Size = %d: 5 unread bytes fit in 8, the ring should wrap, not grow", r.Size())
	}
	a, b := r.Peek(5)
	if string(a) != "fgh" || string(b) != "ij" {
		t.Fatalf("Peek = %q, %q; want \"fgh\" then \"ij\" (the part that wrapped)", a, b)
	}
}

// TestPeekDoesNotCopy: Peek's slices are the ring's own bytes (a parser
// reads a frame in place), so a byte written through them is in the ring.
func TestPeekDoesNotCopy(t *testing.T) {
	r := New(100)
	_ = r.Write([]byte("hello"))
	a, _ := r.Peek(2)
	a[0] = 'j'
	if got := string(contents(r)); got != "jello" {
		t.Fatalf("after writing through Peek's slice: %q, want \"jello\": Peek must not copy", got)
	}

	r.Discard(3)                  // "lo" left, at index 3 of an 8-byte buffer
	_ = r.Write([]byte("abcdef")) // wraps after "abc"
	a, b := r.Peek(8)
	if string(a) != "loabc" || string(b) != "def" {
		t.Fatalf("Peek = %q, %q; want \"loabc\" then \"def\" (the part that wrapped)", a, b)
	}
	a[0], b[0] = 'L', 'D'
	if got := string(contents(r)); got != "LoabcDef" {
		t.Fatalf("after writing through both of Peek's slices: %q, want \"LoabcDef\": Peek must not copy", got)
	}
}

// TestGrowsKeepingOrder: growing a wrapped ring keeps the bytes in order.
func TestGrowsKeepingOrder(t *testing.T) {
	r := New(100)
	_ = r.Write([]byte("abcdef"))
	r.Discard(5)
	_ = r.Write([]byte("ghij")) // wrapped
	if err := r.Write([]byte("klmnop")); err != nil {
		t.Fatal(err)
	}
	if got := string(contents(r)); got != "fghijklmnop" {
		t.Fatalf("contents = %q, want fghijklmnop", got)
	}
	if r.Size() != 16 {
		t.Fatalf("Size = %d, want 16: double until the bytes fit", r.Size())
	}
}

func TestCapRefusesAndKeepsWhatItHad(t *testing.T) {
	r := New(10)
	if err := r.Write([]byte("0123456789")); err != nil {
		t.Fatalf("exactly the cap: %v", err)
	}
	if err := r.Write([]byte("x")); !errors.Is(err, ErrFull) {
		t.Fatalf("past the cap: err = %v, want ErrFull", err)
	}
	if got := string(contents(r)); got != "0123456789" {
		t.Fatalf("a refused Write changed the ring: %q", got)
	}
}

// FuzzRing drives a ring and a bytes.Buffer with the same writes and
// discards; they must always agree.
func FuzzRing(f *testing.F) {
	f.Add([]byte{5, 3, 7, 7, 2, 30, 9, 1, 40, 40})
	f.Add([]byte{200, 100, 255, 255, 1, 200})
	f.Fuzz(func(t *testing.T, ops []byte) {
		r := New(300)
		var ref bytes.Buffer
		var next byte
		for i, op := range ops {
			n := int(op)
			if i%2 == 0 {
				p := make([]byte, n)
				for j := range p {
					next++
					p[j] = next
				}
				err := r.Write(p)
				if ref.Len()+n > 300 {
					if !errors.Is(err, ErrFull) {
						t.Fatalf("op %d: Write past the cap: err = %v", i, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("op %d: %v", i, err)
				}
				ref.Write(p)
			} else {
				r.Discard(n)
				ref.Next(n)
			}
			if r.Len() != ref.Len() || !bytes.Equal(contents(r), ref.Bytes()) {
				t.Fatalf("op %d: the ring holds %d bytes, bytes.Buffer %d, or they differ", i, r.Len(), ref.Len())
			}
			if s := r.Size(); s&(s-1) != 0 {
				t.Fatalf("op %d: Size %d is not a power of two", i, s)
			}
		}
	})
}
