package frame

import (
	"errors"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRequestsAreFramedByteForByte(t *testing.T) {
	s := NewStream(7, 10)
	got := s.AppendRequest([]byte("xy"))
	got = s.AppendRequest(got)
	want := []byte("xy" +
		"\x0a\x00\x00\x00" + "\x01\x00\x00\x00" + // DataLen 10, MsgID 1
		"\x00\x00\x00\x00" + "\x07\x00\x00\x00" + "qr" + // seq 0, conn 7, pattern
		"\x0a\x00\x00\x00" + "\x01\x00\x00\x00" +
		"\x01\x00\x00\x00" + "\x07\x00\x00\x00" + "qr")
	if string(got) != string(want) {
		t.Fatalf("requests\n got %q\nwant %q", got, want)
	}
	if n := s.Outstanding(); n != 2 {
		t.Fatalf("Outstanding = %d, want 2", n)
	}
}

func TestCheckAcceptsTheEchoInOrder(t *testing.T) {
	s := NewStream(3, 64)
	reqs := s.AppendRequest(nil)
	reqs = s.AppendRequest(reqs)
	n := s.FrameLen()
	for i := range 2 {
		if err := s.Check(reqs[i*n : (i+1)*n]); err != nil {
			t.Fatalf("reply %d: %v", i, err)
		}
	}
	if s.Outstanding() != 0 || s.Answered() != 2 {
		t.Fatalf("Outstanding %d, Answered %d; want 0, 2", s.Outstanding(), s.Answered())
	}
}

func TestCheckRejectsWrongReplies(t *testing.T) {
	other := NewStream(4, 64) // the same requests from another connection
	otherReq := other.AppendRequest(nil)

	cases := map[string]struct {
		reply func(first, second []byte) []byte
		want  string
	}{
		"second before first": {func(_, b []byte) []byte { return b }, "conn 3: reply 0 echoes request 1: replies out of order or lost"},
		"another msg id":      {func(a, _ []byte) []byte { r := clone(a); PutHeader(r, 64, 2); return r }, "conn 3: reply 0 has msg id 2, want 1"},
		"short payload":       {func(a, _ []byte) []byte { r := clone(a[:40]); PutHeader(r, 32, EchoMsgID); return r }, "conn 3: reply 0 has data length 32, want 64"},
		"truncated frame":     {func(a, _ []byte) []byte { return a[:40] }, "conn 3: reply 0 is 40 bytes, want 72"},
		"one byte flipped":    {func(a, _ []byte) []byte { r := clone(a); r[50] ^= 1; return r }, "conn 3: reply 0 differs from its request at byte 50"},
		"other connection":    {func(_, _ []byte) []byte { return otherReq }, "conn 3: reply 0 differs from its request at byte 12"},
		"header only":         {func(_, _ []byte) []byte { return []byte{1, 2} }, "conn 3: reply 0 is 2 bytes, want 72"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s := NewStream(3, 64)
			first := s.AppendRequest(nil)
			second := s.AppendRequest(nil)
			err := s.Check(c.reply(first, second))
			if err == nil || err.Error() != c.want {
				t.Fatalf("Check = %v, want %q", err, c.want)
			}
			if s.Answered() != 0 {
				t.Fatalf("a rejected reply was counted")
			}
		})
	}
}

func TestCheckRejectsAReplyNobodyAskedFor(t *testing.T) {
	s := NewStream(1, 8)
	req := s.AppendRequest(nil)
	if err := s.Check(req); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(req); err == nil {
		t.Fatal("a second reply to one request was accepted")
	}
}

func TestLen(t *testing.T) {
	f := make([]byte, HeaderLen+5)
	PutHeader(f, 5, 9)
	for _, c := range []struct {
		buf  []byte
		max  uint32
		want int
		err  error
	}{
		{nil, 16, 0, nil},
		{f[:7], 16, 0, nil},
		{f[:12], 16, 0, nil},
		{f, 16, 13, nil},
		{append(clone(f), 1, 2, 3), 16, 13, nil},
		{f, 5, 13, nil},
		{f, 4, 0, ErrTooLarge},
	} {
		n, err := Len(c.buf, c.max)
		if n != c.want || !errors.Is(err, c.err) {
			t.Errorf("Len(%d bytes, max %d) = %d, %v; want %d, %v", len(c.buf), c.max, n, err, c.want, c.err)
		}
	}
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }
