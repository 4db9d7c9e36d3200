package load

import (
	"fmt"
	"syscall"
)

// RaiseFDLimit lifts the soft limit on open descriptors to the hard limit:
// 10,000 idle connections need more than the usual 1,024, on both ends. Go
// does this at start-up since 1.19; doing it here as well keeps the tool
// honest and makes a failure visible.
func RaiseFDLimit() error {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return fmt.Errorf("load: read the descriptor limit: %w", err)
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			return fmt.Errorf("load: raise the descriptor limit to %d: %w", l.Max, err)
		}
	}
	return nil
}
