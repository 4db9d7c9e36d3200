package load

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// dialers is how many connections are dialled at once: enough to open
// 10,000 in a second or two, few enough not to overflow the server's accept
// backlog.
const dialers = 32

// dialAll opens n connections to addr. On failure it closes those it opened.
func dialAll(ctx context.Context, addr string, n int) ([]net.Conn, error) {
	conns := make([]net.Conn, n)
	errs := make([]error, dialers)
	var wg sync.WaitGroup
	d := net.Dialer{Timeout: 10 * time.Second}
	for w := range dialers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += dialers {
				c, err := d.DialContext(ctx, "tcp", addr)
				if err != nil {
					errs[w] = fmt.Errorf("load: dial connection %d of %d: %w", i+1, n, err)
					return
				}
				conns[i] = c
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		closeAll(conns)
		return nil, err
	}
	return conns, nil
}

// closeAll closes every connection in conns that is open.
func closeAll(conns []net.Conn) {
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
}
