package znet

// What the external tests (package znet_test) may see of the inside.

// WaitBlockedIn is waitBlockedIn, for the external tests.
var WaitBlockedIn = waitBlockedIn

// WaitParkedIn is waitParkedIn, for the external tests.
var WaitParkedIn = waitParkedIn

// MaxBurst is how many requests of one read a queue entry may hold.
const MaxBurst = maxBurst

// QueueLen returns how many entries wait in worker's queue.
func (s *Server) QueueLen(worker int) int {
	return len(s.msgHandler.TaskQueue[worker])
}

// StopConn stops the live connection with id, as a handler holding it could.
func (s *Server) StopConn(id uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		if c.ConnID == id {
			c.Stop()
		}
	}
}

// ConnCount returns how many connections still have a reader running.
func (s *Server) ConnCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}
