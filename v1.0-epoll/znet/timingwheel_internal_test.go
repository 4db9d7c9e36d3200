package znet

import (
	"sort"
	"testing"
	"time"
)

// wheelItem is what the wheel's tests time: an id and its node.
type wheelItem struct {
	id   int
	node wheelNode[wheelItem]
}

var wheelEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// at returns the fake clock's time ms milliseconds after the epoch.
func at(ms int) time.Time { return wheelEpoch.Add(time.Duration(ms) * time.Millisecond) }

func advance(w *timingWheel[wheelItem], now time.Time) []int {
	var fired []int
	w.Advance(now, func(it *wheelItem) { fired = append(fired, it.id) })
	sort.Ints(fired)
	return fired
}

func TestTimingWheel(t *testing.T) {
	// 100 ms ticks, 8 slots: one turn is 800 ms.
	type step struct {
		add     map[int]int // id -> due, in ms
		refresh map[int]int
		cancel  []int
		now     int // advance to, in ms
		want    []int
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"fires at its tick, not before", []step{
			{add: map[int]int{1: 300}, now: 299, want: nil},
			{now: 300, want: []int{1}},
			{now: 2000, want: nil},
		}},
		{"rounds up between ticks", []step{
			{add: map[int]int{1: 250}, now: 299, want: nil},
			{now: 300, want: []int{1}},
		}},
		{"already due fires on the next tick", []step{
			{now: 500},
			{add: map[int]int{1: 100}, now: 599, want: nil},
			{now: 600, want: []int{1}},
		}},
		{"more than a turn away", []step{
			{add: map[int]int{1: 2500, 2: 800}, now: 800, want: []int{2}},
			{now: 1600, want: nil},
			{now: 2499, want: nil},
			{now: 2500, want: []int{1}},
		}},
		{"refresh moves later, never earlier", []step{
			{add: map[int]int{1: 300, 2: 300}, refresh: map[int]int{1: 900, 2: 100}, now: 300, want: []int{2}},
			{now: 899, want: nil},
			{now: 900, want: []int{1}},
		}},
		{"cancel", []step{
			{add: map[int]int{1: 300, 2: 300}, cancel: []int{1}, now: 1000, want: []int{2}},
		}},
		{"a jump of many turns fires everything due", []step{
			{add: map[int]int{1: 300, 2: 5000, 3: 90000}, now: 10000, want: []int{1, 2}},
			{now: 89999, want: nil},
			{now: 90000, want: []int{3}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newTimingWheel[wheelItem](100*time.Millisecond, 8, wheelEpoch)
			items := map[int]*wheelItem{}
			for i, s := range tt.steps {
				for id, due := range s.add {
					it := &wheelItem{id: id}
					items[id] = it
					w.Add(&it.node, it, at(due))
				}
				for id, due := range s.refresh {
					w.Refresh(&items[id].node, at(due))
				}
				for _, id := range s.cancel {
					w.Cancel(&items[id].node)
				}
				got := advance(w, at(s.now))
				if len(got) != len(s.want) || (len(got) > 0 && !equalInts(got, s.want)) {
					t.Fatalf("step %d: advancing to %d ms fired %v, want %v", i, s.now, got, s.want)
				}
			}
			if w.Len() != 0 {
				t.Fatalf("%d nodes left in the wheel", w.Len())
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestTimingWheelFireMayChangeTheWheel: the callback re-adds its own node
// (what the loop does for a connection that was active since it was added)
// and cancels another node due on the same tick.
func TestTimingWheelFireMayChangeTheWheel(t *testing.T) {
	w := newTimingWheel[wheelItem](100*time.Millisecond, 4, wheelEpoch)
	a, b := &wheelItem{id: 1}, &wheelItem{id: 2}
	w.Add(&a.node, a, at(100))
	w.Add(&b.node, b, at(100))
	var fired []int
	w.Advance(at(100), func(it *wheelItem) {
		fired = append(fired, it.id)
		other := a
		if it == a {
			other = b
		}
		w.Cancel(&other.node)
		w.Add(&it.node, it, at(300))
	})
	if len(fired) != 1 || w.Len() != 1 {
		t.Fatalf("fired %v with %d left; want one fired, re-added, the other cancelled", fired, w.Len())
	}
	if got := advance(w, at(300)); len(got) != 1 || got[0] != fired[0] {
		t.Fatalf("re-added node: fired %v, want [%d]", got, fired[0])
	}
}

func TestTimingWheelTimeout(t *testing.T) {
	w := newTimingWheel[wheelItem](time.Second, 8, wheelEpoch)
	if got := w.Timeout(at(0)); got != -1 {
		t.Fatalf("empty wheel: Timeout = %v, want -1", got)
	}
	it := &wheelItem{}
	w.Add(&it.node, it, at(5000))
	if got := w.Timeout(at(1300)); got != 700*time.Millisecond {
		t.Fatalf("Timeout = %v, want 700ms to the next tick", got)
	}
}

// FuzzTimingWheel drives a wheel and a map of deadlines with the same adds,
// refreshes, cancels and clock moves; each advance must fire exactly the
// nodes the map says are due.
func FuzzTimingWheel(f *testing.F) {
	f.Add([]byte{0, 5, 1, 3, 3, 20, 2, 1, 3, 200})
	f.Add([]byte{0, 255, 0, 1, 3, 255, 3, 255, 3, 255})
	f.Fuzz(func(t *testing.T, ops []byte) {
		const tick = 10 * time.Millisecond
		w := newTimingWheel[wheelItem](tick, 16, wheelEpoch)
		var items [8]wheelItem
		due := map[int]int64{} // id -> due tick, for nodes in the wheel
		now := wheelEpoch
		for i := 0; i+1 < len(ops); i += 2 {
			op, arg := ops[i]%4, int(ops[i+1])
			id := arg % len(items)
			it := &items[id]
			it.id = id
			d := time.Duration(arg*3) * time.Millisecond // up to ~5 turns
			switch op {
			case 0:
				w.Add(&it.node, it, now.Add(d))
				// A node already due fires on the next tick.
				due[id] = max(w.dueTick(now.Add(d)), w.tickOf(now)+1)
			case 1:
				if old, ok := due[id]; ok {
					w.Refresh(&it.node, now.Add(d))
					if e := w.dueTick(now.Add(d)); e > old {
						due[id] = e
					}
				}
			case 2:
				w.Cancel(&it.node)
				delete(due, id)
			case 3:
				now = now.Add(d)
				target := w.tickOf(now)
				var want []int
				for id, e := range due {
					if e <= target {
						want = append(want, id)
						delete(due, id)
					}
				}
				sort.Ints(want)
				if got := advance(w, now); !equalInts(got, want) {
					t.Fatalf("op %d: advance to tick %d fired %v, want %v", i/2, target, got, want)
				}
			}
			if w.Len() != len(due) {
				t.Fatalf("op %d: wheel holds %d, reference %d", i/2, w.Len(), len(due))
			}
		}
	})
}

// BenchmarkTimingWheelAddCancel is the cost of timing one connection and
// forgetting it: no allocation, a few list stores.
func BenchmarkTimingWheelAddCancel(b *testing.B) {
	w := newTimingWheel[wheelItem](time.Second, 64, wheelEpoch)
	items := make([]wheelItem, 1024)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		it := &items[i&1023]
		w.Add(&it.node, it, wheelEpoch.Add(time.Duration(i&63)*time.Second))
		w.Cancel(&it.node)
	}
}

// BenchmarkTimingWheelRefresh is the per-read cost: one store.
func BenchmarkTimingWheelRefresh(b *testing.B) {
	w := newTimingWheel[wheelItem](time.Second, 64, wheelEpoch)
	it := &wheelItem{}
	w.Add(&it.node, it, wheelEpoch.Add(time.Second))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.Refresh(&it.node, wheelEpoch.Add(time.Duration(i)*time.Millisecond))
	}
}
