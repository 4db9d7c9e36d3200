// Package utils holds what every package of this version shares: the
// configuration (GlobalObject, Load) and the logger.
package utils

import (
	"io"
	"log/slog"
	"os"
	"sync/atomic"
)

var logger atomic.Pointer[slog.Logger]

func init() {
	logger.Store(NewLogger(os.Stderr, slog.LevelInfo))
}

// Logger returns the logger a server uses when it is not given one of its own.
func Logger() *slog.Logger {
	return logger.Load()
}

// SetLogger replaces the default logger; nil is ignored, as WithLogger
// ignores it. Safe for concurrent use. A server takes the logger when it is
// built: SetLogger does not change one already built. Tests use it to stay
// quiet unless they run with -v.
func SetLogger(l *slog.Logger) {
	if l != nil {
		logger.Store(l)
	}
}

// NewLogger returns a text logger writing records at level or above to w.
// It leaves out the timestamp: the lines stay short enough to read beside the
// course's own output, and a reader comparing runs is not distracted by it.
func NewLogger(w io.Writer, level slog.Leveler) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{}
			}
			return a
		},
	}))
}
