package znet_test

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"
)

// logRecorder is an slog.Handler that keeps every record, so a test can
// check the level and attributes of what the server logged, and wait for a
// message to appear instead of sleeping.
type logRecorder struct {
	store *recordStore
	attrs []slog.Attr // from Logger.With, added to each record
}

type recordStore struct {
	mu      sync.Mutex
	records []slog.Record
	added   chan struct{} // closed and replaced on every record: wakes waiters
}

// newLogRecorder returns a logger at DEBUG level and the recorder behind it.
func newLogRecorder() (*slog.Logger, *logRecorder) {
	h := &logRecorder{store: &recordStore{added: make(chan struct{})}}
	return slog.New(h), h
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	r = r.Clone()
	r.AddAttrs(h.attrs...)
	st := h.store
	st.mu.Lock()
	defer st.mu.Unlock()
	st.records = append(st.records, r)
	close(st.added)
	st.added = make(chan struct{})
	return nil
}

func (h *logRecorder) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &logRecorder{store: h.store, attrs: append(slices.Clip(h.attrs), attrs...)}
}

// WithGroup keeps the records flat: the server uses no groups.
func (h *logRecorder) WithGroup(string) slog.Handler { return h }

// records returns a copy of everything logged so far.
func (h *logRecorder) records() []slog.Record {
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	return slices.Clone(h.store.records)
}

// atLeast returns the records logged at level or above.
func (h *logRecorder) atLeast(level slog.Level) []slog.Record {
	var out []slog.Record
	for _, r := range h.records() {
		if r.Level >= level {
			out = append(out, r)
		}
	}
	return out
}

// waitFor returns the first record whose message is msg, waiting for it to
// be logged; it fails the test if none is within waitLimit.
func (h *logRecorder) waitFor(t testing.TB, msg string) slog.Record {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		h.store.mu.Lock()
		for _, r := range h.store.records {
			if r.Message == msg {
				h.store.mu.Unlock()
				return r
			}
		}
		added := h.store.added
		h.store.mu.Unlock()
		select {
		case <-added:
		case <-deadline:
			t.Fatalf("no %q logged within %v", msg, waitLimit)
		}
	}
}

// attr returns the value of the record's attribute key, or "" if it has none.
func attr(r slog.Record, key string) string {
	var v string
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v = a.Value.String()
			return false
		}
		return true
	})
	return v
}
