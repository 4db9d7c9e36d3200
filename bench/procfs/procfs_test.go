package procfs

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// A real line from a process whose name holds a space and a parenthesis;
// utime is 250 ticks and stime 37.
const stat = "4242 (bench (x) srv) S 1 4242 4242 0 -1 4194560 1433 0 0 0 250 37 0 0 20 0 3 0 123 1234567 890 18446744073709551615\n"

func TestParseStatCPU(t *testing.T) {
	got, err := ParseStatCPU([]byte(stat))
	if err != nil {
		t.Fatal(err)
	}
	if want := 287 * 10 * time.Millisecond; got != want {
		t.Fatalf("CPU = %v, want %v", got, want)
	}
}

func TestParseStatCPURejectsBadInput(t *testing.T) {
	for _, in := range []string{
		"",
		"4242 srv S 1",
		"4242 (srv) S 1 2 3",
		"4242 (srv) S 1 4242 4242 0 -1 4194560 1433 0 0 0 x 37 0",
	} {
		if _, err := ParseStatCPU([]byte(in)); err == nil {
			t.Errorf("ParseStatCPU(%q) succeeded", in)
		}
	}
}

const status = `Name:	benchserver
Umask:	0022
State:	S (sleeping)
VmPeak:	 1247748 kB
VmRSS:	   11520 kB
RssAnon:	    4096 kB
Threads:	5
SigQ:	0/95000
`

func TestParseStatus(t *testing.T) {
	got, err := ParseStatus([]byte(status))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Status{RSSKiB: 11520, Threads: 5}); got != want {
		t.Fatalf("status = %+v, want %+v", got, want)
	}
}

func TestParseStatusRejectsBadInput(t *testing.T) {
	for _, in := range []string{
		"",
		"VmRSS:\t12 kB\n",                  // no Threads
		"VmRSS:\t12 MB\nThreads:\t1\n",     // wrong unit
		"VmRSS:\ttwelve kB\nThreads:\t1\n", // not a number
		"VmRSS:\nThreads:\t1\n",            // no value
	} {
		if _, err := ParseStatus([]byte(in)); err == nil {
			t.Errorf("ParseStatus(%q) succeeded", in)
		}
	}
}

// TestReadersUseRoot reads a fixture tree laid out like /proc.
func TestReadersUseRoot(t *testing.T) {
	dir := t.TempDir()
	old := Root
	Root = dir
	t.Cleanup(func() { Root = old })

	p := filepath.Join(dir, "4242")
	must(t, os.MkdirAll(filepath.Join(p, "fd"), 0o755))
	must(t, os.WriteFile(filepath.Join(p, "stat"), []byte(stat), 0o644))
	must(t, os.WriteFile(filepath.Join(p, "status"), []byte(status), 0o644))
	for i := range 3 {
		must(t, os.WriteFile(filepath.Join(p, "fd", strconv.Itoa(i)), nil, 0o644))
	}

	if cpu, err := CPUTime(4242); err != nil || cpu != 2870*time.Millisecond {
		t.Errorf("CPUTime = %v, %v", cpu, err)
	}
	if s, err := ReadStatus(4242); err != nil || s.RSSKiB != 11520 {
		t.Errorf("ReadStatus = %+v, %v", s, err)
	}
	if n, err := FDs(4242); err != nil || n != 3 {
		t.Errorf("FDs = %d, %v; want 3", n, err)
	}
	if _, err := CPUTime(1); err == nil {
		t.Error("CPUTime of a missing process succeeded")
	}
}

// TestSelf reads this test process: the real /proc has the layout parsed.
func TestSelf(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc here")
	}
	pid := os.Getpid()
	if _, err := CPUTime(pid); err != nil {
		t.Error(err)
	}
	s, err := ReadStatus(pid)
	if err != nil || s.RSSKiB <= 0 || s.Threads <= 0 {
		t.Errorf("ReadStatus = %+v, %v", s, err)
	}
	before, err := FDs(pid)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(os.DevNull)
	must(t, err)
	defer f.Close()
	if after, _ := FDs(pid); after != before+1 {
		t.Errorf("FDs went from %d to %d after opening one file", before, after)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
