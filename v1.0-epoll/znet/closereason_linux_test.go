package znet

import "testing"

// onClose's reason is nil when the connection was ended by close, as
// engineHandler says, not io.EOF: the peer did not leave, this side shut the
// socket down, and the server logs the two differently.
func TestEngineCloseReasonIsNilAfterClose(t *testing.T) {
	h := newEchoHandler()
	e := startTestEngine(t, engineConfig{handler: h, loops: 1})
	client := dial(t, e)
	h.nextOpen(t).close()
	if err := h.nextReason(t); err != nil {
		t.Fatalf("closed by close: reason %v, want nil", err)
	}
	expectEOF(t, client)
}
