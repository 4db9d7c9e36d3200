package znet

import (
	"errors"
	"fmt"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// poller is one epoll instance and the eventfd that wakes it. Only its owner
// (an event loop or the acceptor) calls add, del and wait; wake may be called
// from any goroutine.
type poller struct {
	epfd   int
	wakefd int
	woken  atomic.Bool // a wake is pending: later wakes need not write the eventfd
}

// wakeData marks the eventfd's events; no socket has fd -1.
const wakeData = -1

func newPoller() (*poller, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	wakefd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(epfd)
		return nil, fmt.Errorf("eventfd: %w", err)
	}
	p := &poller{epfd: epfd, wakefd: wakefd}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: wakeData}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, wakefd, &ev); err != nil {
		p.close()
		return nil, fmt.Errorf("epoll_ctl add eventfd: %w", err)
	}
	return p, nil
}

// add registers fd once, edge-triggered, for input, output and the peer's
// half-close. gen goes in the upper half of the event's data, so that an
// event can be matched to the connection it was meant for (see eventData).
func (p *poller) add(fd int, gen uint32) error {
	ev := unix.EpollEvent{
		Events: unix.EPOLLIN | unix.EPOLLOUT | unix.EPOLLRDHUP | unix.EPOLLET,
		Fd:     int32(fd),
		Pad:    int32(gen),
	}
	return unix.EpollCtl(p.epfd, unix.EPOLL_CTL_ADD, fd, &ev)
}

// addListener registers a listening socket, edge-triggered, for input.
func (p *poller) addListener(fd int) error {
	ev := unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLET, Fd: int32(fd)}
	return unix.EpollCtl(p.epfd, unix.EPOLL_CTL_ADD, fd, &ev)
}

// del deregisters fd. The kernel would drop it on close anyway; deleting
// first keeps a duplicated descriptor (there are none here, but a user's
// code might dup one) from delivering events for a closed connection.
func (p *poller) del(fd int) error {
	return unix.EpollCtl(p.epfd, unix.EPOLL_CTL_DEL, fd, nil)
}

// eventData returns the fd and the generation an event carries.
func eventData(ev *unix.EpollEvent) (fd int, gen uint32) {
	return int(ev.Fd), uint32(ev.Pad)
}

// wait blocks until an event or until timeoutMs milliseconds pass (-1: no
// limit), and returns the number of events written to events. An interrupted
// wait returns 0 events and no error.
func (p *poller) wait(events []unix.EpollEvent, timeoutMs int) (int, error) {
	n, err := unix.EpollWait(p.epfd, events, timeoutMs)
	if errors.Is(err, unix.EINTR) {
		return 0, nil
	}
	return n, err
}

// wake makes the owner's wait return. It writes the eventfd only if no wake
// is pending, so a burst of wakes costs one syscall.
func (p *poller) wake() {
	if p.woken.CompareAndSwap(false, true) {
		var one = [8]byte{1}
		_, _ = unix.Write(p.wakefd, one[:]) // EAGAIN means the counter is already non-zero: the owner wakes anyway
	}
}

// drainWake is called by the owner when the eventfd is readable. It clears
// the pending flag before the owner looks at its queues: a wake that comes
// after the clear writes the eventfd again, and one that came before it has
// already queued its work, which the owner is about to see. Clearing after
// the queues were drained would lose the first and leave its work waiting.
func (p *poller) drainWake() {
	var buf [8]byte
	_, _ = unix.Read(p.wakefd, buf[:])
	p.woken.Store(false)
}

func (p *poller) close() {
	unix.Close(p.wakefd)
	unix.Close(p.epfd)
}
