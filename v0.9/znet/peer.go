package znet

import (
	"errors"
	"syscall"
)

// isPeerGone reports whether err says the client ended the connection
// abruptly rather than with a clean close: it reset the connection
// (ECONNRESET: killed, crashed, or closed with unread data), the server wrote
// after it had gone (EPIPE), it gave up while the connection was still being
// set up (ECONNABORTED), or it vanished and TCP keepalive gave up on it
// (ETIMEDOUT). On a public port these happen all day and are the client's
// business, so they are logged as the end of a connection, not as warnings.
func isPeerGone(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNABORTED) ||
		errors.Is(err, syscall.ETIMEDOUT)
}
