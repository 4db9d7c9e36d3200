// Package procfs reads what the load generator reports about a server
// process from Linux's /proc: CPU time, resident memory, threads and open
// file descriptors. Only Linux has /proc; elsewhere every call fails.
package procfs

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// ClockTick is the unit of utime and stime in /proc/PID/stat: USER_HZ, which
// Linux fixes at 100 per second on every architecture Go supports. Reading it
// properly needs sysconf(_SC_CLK_TCK), that is cgo; the value never differs.
const ClockTick = 10 * time.Millisecond

// Root is where proc is mounted. Tests point it at a fixture directory.
var Root = "/proc"

// CPUTime returns the user plus system CPU time process pid has used, all
// its threads together.
func CPUTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(filepath.Join(Root, strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, err
	}
	return ParseStatCPU(b)
}

// ParseStatCPU extracts utime+stime from the contents of /proc/PID/stat.
// The second field, the command name in parentheses, may itself hold spaces
// and parentheses, so fields are counted from the last ')'.
func ParseStatCPU(b []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("procfs: stat has no command name")
	}
	// After the name come field 3 (state) onwards; utime and stime are
	// fields 14 and 15, so the 12th and 13th here.
	f := bytes.Fields(b[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("procfs: stat has %d fields after the name, want at least 13", len(f))
	}
	utime, err1 := strconv.ParseUint(string(f[11]), 10, 64)
	stime, err2 := strconv.ParseUint(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("procfs: stat utime %q, stime %q: not numbers", f[11], f[12])
	}
	return time.Duration(utime+stime) * ClockTick, nil
}

// Status is what the load generator reads from /proc/PID/status.
type Status struct {
	RSSKiB  int64 // VmRSS: resident memory, in KiB
	Threads int64 // OS threads
}

// ReadStatus reads process pid's resident memory and thread count.
func ReadStatus(pid int) (Status, error) {
	b, err := os.ReadFile(filepath.Join(Root, strconv.Itoa(pid), "status"))
	if err != nil {
		return Status{}, err
	}
	return ParseStatus(b)
}

// ParseStatus extracts VmRSS and Threads from the contents of
// /proc/PID/status, lines of "Key:\tvalue [unit]".
func ParseStatus(b []byte) (Status, error) {
	var s Status
	var seen int
	for line := range bytes.Lines(b) {
		key, val, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		var dst *int64
		switch string(key) {
		case "VmRSS":
			dst = &s.RSSKiB
		case "Threads":
			dst = &s.Threads
		default:
			continue
		}
		f := bytes.Fields(val)
		if len(f) == 0 {
			return Status{}, fmt.Errorf("procfs: status %s has no value", key)
		}
		if len(f) > 1 && string(f[1]) != "kB" {
			return Status{}, fmt.Errorf("procfs: status %s is in %q, want kB", key, f[1])
		}
		n, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			return Status{}, fmt.Errorf("procfs: status %s: %w", key, err)
		}
		*dst = n
		seen++
	}
	if seen != 2 {
		return Status{}, fmt.Errorf("procfs: status lacks VmRSS or Threads")
	}
	return s, nil
}

// FDs returns how many file descriptors process pid has open.
func FDs(pid int) (int, error) {
	d, err := os.Open(filepath.Join(Root, strconv.Itoa(pid), "fd"))
	if err != nil {
		return 0, err
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	return len(names), err
}
