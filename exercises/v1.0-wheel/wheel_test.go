package wheel

import (
	"slices"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// ms returns the fake clock's time ms milliseconds after the epoch.
func ms(n int) time.Time { return epoch.Add(time.Duration(n) * time.Millisecond) }

// advance moves the wheel to now and returns the ids fired, sorted.
func advance(w *Wheel, now time.Time) []int {
	var ids []int
	w.Advance(now, func(t *Timer) { ids = append(ids, t.ID) })
	slices.Sort(ids)
	return ids
}

// 100 ms ticks, 8 slots: one turn is 800 ms.
func newWheel() *Wheel { return New(100*time.Millisecond, 8, epoch) }

func TestFiresAtItsTickNotBefore(t *testing.T) {
	w := newWheel()
	a := &Timer{ID: 1}
	w.Add(a, ms(300))
	if got := advance(w, ms(299)); len(got) != 0 {
		t.Fatalf("fired %v before its tick", got)
	}
	if got := advance(w, ms(300)); !slices.Equal(got, []int{1}) {
		t.Fatalf("at its tick: fired %v, want [1]", got)
	}
	if got := advance(w, ms(2000)); len(got) != 0 {
		t.Fatalf("fired again: %v", got)
	}
}

func TestRoundsUpBetweenTicks(t *testing.T) {
	w := newWheel()
	w.Add(&Timer{ID: 1}, ms(250))
	if got := advance(w, ms(299)); len(got) != 0 {
		t.Fatalf("fired %v before 250 ms had passed a tick boundary", got)
	}
	if got := advance(w, ms(300)); !slices.Equal(got, []int{1}) {
		t.Fatalf("fired %v, want [1]", got)
	}
}

func TestMoreThanATurnAway(t *testing.T) {
	w := newWheel()
	w.Add(&Timer{ID: 1}, ms(2500)) // three turns on, in the same slot as 900
	w.Add(&Timer{ID: 2}, ms(900))
	if got := advance(w, ms(900)); !slices.Equal(got, []int{2}) {
		t.Fatalf("at 900 ms: fired %v, want [2] only", got)
	}
	if got := advance(w, ms(2499)); len(got) != 0 {
		t.Fatalf("before 2500 ms: fired %v", got)
	}
	if got := advance(w, ms(2500)); !slices.Equal(got, []int{1}) {
		t.Fatalf("at 2500 ms: fired %v, want [1]", got)
	}
}

func TestCancelAndMove(t *testing.T) {
	w := newWheel()
	a, b, c := &Timer{ID: 1}, &Timer{ID: 2}, &Timer{ID: 3}
	w.Add(a, ms(300))
	w.Add(b, ms(300))
	w.Add(c, ms(300))
	w.Cancel(b)
	w.Cancel(b) // twice is harmless
	w.Add(c, ms(700))
	if got := advance(w, ms(300)); !slices.Equal(got, []int{1}) {
		t.Fatalf("at 300 ms: fired %v, want [1]", got)
	}
	if got := advance(w, ms(700)); !slices.Equal(got, []int{3}) {
		t.Fatalf("at 700 ms: fired %v, want [3]", got)
	}
}

// TestFireMayChangeTheWheel: what an event loop's callback does. It
// re-adds its own timer (the connection was active) and cancels another
// timer due on the same tick.
func TestFireMayChangeTheWheel(t *testing.T) {
	w := newWheel()
	a, b := &Timer{ID: 1}, &Timer{ID: 2}
	w.Add(a, ms(100))
	w.Add(b, ms(100))
	var fired []int
	w.Advance(ms(100), func(t *Timer) {
		fired = append(fired, t.ID)
		other := a
		if t == a {
			other = b
		}
		w.Cancel(other)
		w.Add(t, ms(300))
	})
	if len(fired) != 1 {
		t.Fatalf("fired %v: the callback cancelled the other one", fired)
	}
	if got := advance(w, ms(300)); !slices.Equal(got, fired) {
		t.Fatalf("the re-added timer: fired %v, want %v", got, fired)
	}
}

// TestAddAndCancelDoNotAllocate: the timer's links are in the timer.
func TestAddAndCancelDoNotAllocate(t *testing.T) {
	w := newWheel()
	a := &Timer{ID: 1}
	allocs := testing.AllocsPerRun(1000, func() {
		w.Add(a, ms(500))
		w.Cancel(a)
	})
	if allocs != 0 {
		t.Fatalf("Add and Cancel allocate %v times; want 0", allocs)
	}
}

// FuzzWheel drives a wheel and a map of deadlines with the same adds,
// cancels and clock moves: each Advance must fire exactly the timers the
// map says are due.
func FuzzWheel(f *testing.F) {
	f.Add([]byte{0, 5, 0, 13, 2, 40, 1, 13, 2, 200})
	f.Add([]byte{0, 255, 0, 254, 2, 255, 2, 255, 2, 255})
	f.Fuzz(func(t *testing.T, ops []byte) {
		w := New(10*time.Millisecond, 16, epoch)
		var timers [8]Timer
		due := map[int]int64{} // id -> due tick, for timers in the wheel
		now := epoch
		for i := 0; i+1 < len(ops); i += 2 {
			op, arg := ops[i]%3, int(ops[i+1])
			id := arg % len(timers)
			tm := &timers[id]
			tm.ID = id
			d := time.Duration(arg*3) * time.Millisecond // up to about 5 turns
			switch op {
			case 0:
				w.Add(tm, now.Add(d))
				due[id] = max(w.dueTick(now.Add(d)), w.tickOf(now)+1)
			case 1:
				w.Cancel(tm)
				delete(due, id)
			case 2:
				now = now.Add(d)
				var want []int
				for id, tick := range due {
					if tick <= w.tickOf(now) {
						want = append(want, id)
						delete(due, id)
					}
				}
				slices.Sort(want)
				if got := advance(w, now); !slices.Equal(got, want) {
					t.Fatalf("op %d: fired %v, want %v", i/2, got, want)
				}
			}
		}
	})
}

// TestAlreadyDueFiresAtTheNextTick: a deadline the wheel has already passed
// is due at the next tick, not a turn later when its slot comes round.
func TestAlreadyDueFiresAtTheNextTick(t *testing.T) {
	w := newWheel()
	if got := advance(w, ms(300)); len(got) != 0 {
		t.Fatalf("an empty wheel fired %v", got)
	}
	w.Add(&Timer{ID: 1}, ms(100)) // two ticks in the past
	w.Add(&Timer{ID: 2}, ms(300)) // the tick the wheel is at
	if got := advance(w, ms(400)); !slices.Equal(got, []int{1, 2}) {
		t.Fatalf("at the next tick: fired %v, want [1 2]", got)
	}
}
