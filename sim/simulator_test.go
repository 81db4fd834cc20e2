package sim

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestTimeConversions(t *testing.T) {
	tests := []struct {
		name string
		got  Time
		want Time
		str  string
	}{
		{"seconds", Seconds(1.5), 1_500_000_000, "1.5s"},
		{"milliseconds", Milliseconds(0.25), 250_000, "250µs"},
		{"microseconds", Microseconds(34), 34_000, "34µs"},
		{"rounding", Seconds(1e-9 * 2.6), 3, "3ns"},
		{"zero", 0, 0, "0s"},
		{"units", 2*Second + 5*Millisecond, 2_005_000_000, "2.005s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.got)
			assert.Equal(t, tc.str, tc.got.String())
		})
	}
	assert.InDelta(t, 1.5, Seconds(1.5).Seconds(), 0)
	assert.InDelta(t, 0.25, Milliseconds(0.25).Milliseconds(), 0)
	assert.InDelta(t, 34.0, Microseconds(34).Microseconds(), 0)
}

func TestEventsRunInTimeOrderWithFIFOTies(t *testing.T) {
	s := New(1, 1)
	var got []int
	rec := func(i int) func() { return func() { got = append(got, i) } }
	s.Schedule(30, rec(3))
	s.Schedule(10, rec(1))
	s.Schedule(20, rec(20))
	s.Schedule(20, rec(21)) // same time: after 20
	s.Schedule(20, rec(22))
	s.Schedule(0, rec(0))
	s.Run()
	assert.Equal(t, []int{0, 1, 20, 21, 22, 3}, got)
	assert.Equal(t, Time(30), s.Now())
	assert.Equal(t, uint64(6), s.EventCount())
	assert.Equal(t, 0, s.Pending())
}

func TestZeroDelayFromInsideEventRunsAfterCurrentTies(t *testing.T) {
	s := New(1, 1)
	var got []string
	s.Schedule(5, func() {
		got = append(got, "a")
		s.Schedule(0, func() { got = append(got, "a-child") })
	})
	s.Schedule(5, func() { got = append(got, "b") })
	s.Run()
	assert.Equal(t, []string{"a", "b", "a-child"}, got)
}

func TestCancelAndIsPending(t *testing.T) {
	s := New(1, 1)
	ran := map[string]bool{}
	a := s.Schedule(10, func() { ran["a"] = true })
	b := s.Schedule(10, func() { ran["b"] = true })
	far := s.Schedule(Second, func() { ran["far"] = true })
	assert.True(t, s.IsPending(a))
	assert.True(t, s.IsPending(far))
	assert.True(t, s.Cancel(b))
	assert.False(t, s.Cancel(b), "second cancel")
	assert.False(t, s.IsPending(b))
	assert.True(t, s.Cancel(far))
	assert.False(t, s.Cancel(EventID{}), "zero id")
	assert.True(t, EventID{}.IsZero())
	assert.Equal(t, Time(10), a.Time())
	s.Run()
	assert.Equal(t, map[string]bool{"a": true}, ran)
	assert.False(t, s.IsPending(a), "executed event is not pending")
	assert.False(t, s.Cancel(a), "cancel after run")
	assert.Equal(t, Time(10), s.Now(), "cancelled far event does not advance the clock")
}

func TestCancelFromInsideEvent(t *testing.T) {
	s := New(1, 1)
	ran := false
	var later EventID
	s.Schedule(1, func() { assert.True(t, s.Cancel(later)) })
	later = s.Schedule(2, func() { ran = true })
	s.Run()
	assert.False(t, ran)
}

func TestRunUntilHalfOpenAndResumable(t *testing.T) {
	s := New(1, 1)
	var got []Time
	for _, at := range []Time{5, 10, 15, 20} {
		s.Schedule(at, func() { got = append(got, s.Now()) })
	}
	s.RunUntil(10)
	assert.Equal(t, []Time{5}, got, "event at t=10 is outside [0,10)")
	assert.Equal(t, Time(10), s.Now())
	s.RunUntil(10) // no-op
	s.RunUntil(3)  // no-op: earlier than now
	assert.Equal(t, Time(10), s.Now())
	assert.Equal(t, []Time{5}, got)
	// Scheduling at now after a window ends runs in the next window.
	id, err := s.ScheduleAt(10, func() { got = append(got, -s.Now()) })
	require.NoError(t, err)
	assert.True(t, s.IsPending(id))
	s.RunUntil(16)
	assert.Equal(t, []Time{5, 10, -10, 15}, got)
	assert.Equal(t, Time(16), s.Now())
	s.RunUntil(100)
	assert.Equal(t, []Time{5, 10, -10, 15, 20}, got)
	assert.Equal(t, Time(100), s.Now())
}

func TestRunUntilWithEmptyQueueAdvancesClock(t *testing.T) {
	s := New(1, 1)
	s.RunUntil(Second)
	assert.Equal(t, Second, s.Now())
	s.Schedule(Millisecond, func() {})
	s.RunUntil(2 * Second)
	assert.Equal(t, uint64(1), s.EventCount())
}

func TestStopInsideEventPausesAndResumes(t *testing.T) {
	s := New(1, 1)
	var got []Time
	for _, at := range []Time{1, 2, 3, 4} {
		s.Schedule(at, func() {
			got = append(got, s.Now())
			if s.Now() == 2 {
				s.Stop()
			}
		})
	}
	s.RunUntil(10)
	assert.Equal(t, []Time{1, 2}, got)
	assert.Equal(t, Time(2), s.Now(), "Now stays at the stopping event's time")
	s.Stop() // outside a run: no effect on the next run
	s.Run()
	assert.Equal(t, []Time{1, 2, 3, 4}, got)
	assert.Equal(t, Time(4), s.Now())
}

func TestScheduleErrorsAndPanics(t *testing.T) {
	s := New(1, 1)
	s.RunUntil(100)
	_, err := s.ScheduleAt(99, func() {})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "before now")
	_, err = s.ScheduleAtWith(200, nil, nil)
	require.Error(t, err)
	assert.PanicsWithValue(t, "sim: Schedule with negative delay -5ns at 100ns (a bug in model code)", func() {
		s.Schedule(-5, func() {})
	})
	s.Schedule(1, func() { s.Run() })
	assert.Panics(t, func() { s.Run() }, "re-entrant Run")
}

func TestScheduleWithPassesArgument(t *testing.T) {
	s := New(1, 1)
	type counter struct{ n int }
	c := &counter{}
	inc := func(a any) { a.(*counter).n++ }
	for i := range 5 {
		s.ScheduleWith(Time(i), inc, c)
	}
	_, err := s.ScheduleAtWith(7, inc, c)
	require.NoError(t, err)
	s.Run()
	assert.Equal(t, 6, c.n)
}

// TestQueueAgainstReference drives the queue with a random mix of schedules
// (near, far, equal times, zero delays), cancels and run windows, spanning
// many bucket-width and ring-size rebuilds, and checks every executed event
// against a sorted reference list.
func TestQueueAgainstReference(t *testing.T) {
	type ref struct {
		at  Time
		seq int
	}
	for _, scale := range []float64{1, 1e3, 1e6, 1e9} {
		s := New(7, 1)
		rng := s.Stream("test")
		var pending []ref
		ids := map[int]EventID{}
		var executed []ref
		seq := 0
		var schedule func()
		schedule = func() {
			seq++
			my := seq
			var d Time
			switch rng.IntN(5) {
			case 0:
				d = 0
			case 1:
				d = Time(rng.IntN(3))
			case 2:
				d = Time(rng.ExpFloat64() * scale)
			case 3:
				d = Time(rng.ExpFloat64() * scale * 1000) // far future
			default:
				d = Time(rng.ExpFloat64() * scale * 10)
			}
			at := s.Now() + d
			ids[my] = s.Schedule(d, func() {
				executed = append(executed, ref{s.Now(), my})
				if rng.IntN(100) < 97 {
					schedule()
				}
				if rng.IntN(10) == 0 && s.Pending() < 4000 {
					schedule()
				}
			})
			pending = append(pending, ref{at, my})
		}
		for range 2000 {
			schedule()
		}
		for round := 0; round < 200 && s.Pending() > 0; round++ {
			// cancel a few random pending events
			for range 3 {
				if len(pending) == 0 {
					break
				}
				i := rng.IntN(len(pending))
				p := pending[i]
				if p.at >= s.Now() && s.IsPending(ids[p.seq]) {
					require.True(t, s.Cancel(ids[p.seq]))
					require.False(t, s.IsPending(ids[p.seq]))
					pending = slices.Delete(pending, i, i+1)
				}
			}
			end := s.Now() + Time(rng.ExpFloat64()*scale*50) + 1
			before := len(executed)
			s.RunUntil(end)
			require.Equal(t, end, s.Now())
			// reference: all pending with at < end, sorted by (at, seq)
			slices.SortFunc(pending, func(a, b ref) int {
				if c := cmp.Compare(a.at, b.at); c != 0 {
					return c
				}
				return cmp.Compare(a.seq, b.seq)
			})
			ran := executed[before:]
			// Events scheduled during this window are in pending already
			// (schedule appends), so the reference is the prefix with at < end.
			var want []ref
			var rest []ref
			for _, p := range pending {
				if p.at < end {
					want = append(want, p)
				} else {
					rest = append(rest, p)
				}
			}
			require.Equal(t, want, ran, "scale %v round %d", scale, round)
			pending = rest
			require.Equal(t, len(pending), s.Pending())
		}
		assert.Greater(t, s.EventCount(), uint64(10000))
		assert.Greater(t, s.queue.rebuilds, 0, "test must exercise rebuilds (scale %v)", scale)
	}
}

// trace runs a small random model and hashes every (time, event) pair.
func trace(seed, run uint64) uint64 {
	s := New(seed, run)
	h := fnv.New64a()
	var buf [16]byte
	type node struct {
		id  uint64
		rng interface{ ExpFloat64() float64 }
	}
	var fire func(any)
	fire = func(a any) {
		n := a.(*node)
		binary.LittleEndian.PutUint64(buf[:8], uint64(s.Now()))
		binary.LittleEndian.PutUint64(buf[8:], n.id)
		h.Write(buf[:])
		s.ScheduleWith(Time(math.Round(n.rng.ExpFloat64()*1e5)), fire, n)
	}
	for i := range uint64(20) {
		n := &node{id: i, rng: s.Stream("node-" + string(rune('a'+i)))}
		s.ScheduleWith(0, fire, n)
	}
	s.RunUntil(100 * Millisecond)
	return h.Sum64()
}

func TestDeterminism(t *testing.T) {
	a, b := trace(1, 1), trace(1, 1)
	assert.Equal(t, a, b, "same seed and run give the same trace")
	assert.NotEqual(t, a, trace(1, 2), "another run gives another trace")
	assert.NotEqual(t, a, trace(2, 1), "another seed gives another trace")
}

func TestParallelSimulatorsAreIndependent(t *testing.T) {
	want := trace(3, 1)
	results := make(chan uint64, 8)
	for range 8 {
		go func() { results <- trace(3, 1) }()
	}
	for range 8 {
		assert.Equal(t, want, <-results)
	}
}

func TestStreamsAreIndependentAndReproducible(t *testing.T) {
	s := New(1, 1)
	a1 := s.Stream("a")
	first := []uint64{a1.Uint64(), a1.Uint64(), a1.Uint64()}

	// Creating and drawing from other streams does not change stream "a".
	s2 := New(1, 1)
	other := s2.Stream("b")
	for range 100 {
		other.Uint64()
	}
	a2 := s2.Stream("a")
	assert.Equal(t, first, []uint64{a2.Uint64(), a2.Uint64(), a2.Uint64()})

	assert.NotEqual(t, first[0], New(1, 1).Stream("b").Uint64(), "different names differ")
	assert.NotEqual(t, first[0], New(1, 2).Stream("a").Uint64(), "different runs differ")
	assert.NotEqual(t, first[0], New(2, 1).Stream("a").Uint64(), "different seeds differ")
	assert.Equal(t, first[0], NewStream(1, 1, "a").Uint64())
}

func TestGonumDistributionsDrawFromStreams(t *testing.T) {
	s := New(1, 1)
	const n = 200000
	dists := []struct {
		name string
		rand func() float64
		mean float64
		tol  float64
	}{
		{"uniform", distuv.Uniform{Min: 2, Max: 4, Src: s.Stream("u")}.Rand, 3, 0.01},
		{"exponential", distuv.Exponential{Rate: 0.5, Src: s.Stream("e")}.Rand, 2, 0.02},
		{"normal", distuv.Normal{Mu: -1, Sigma: 2, Src: s.Stream("n")}.Rand, -1, 0.02},
		{"lognormal", distuv.LogNormal{Mu: 0, Sigma: 0.5, Src: s.Stream("l")}.Rand, math.Exp(0.125), 0.01},
	}
	for _, d := range dists {
		t.Run(d.name, func(t *testing.T) {
			sum := 0.0
			for range n {
				sum += d.rand()
			}
			assert.InDelta(t, d.mean, sum/n, d.tol)
		})
	}
	// Reproducible: the same stream name gives the same variates.
	x := distuv.Normal{Mu: 0, Sigma: 1, Src: New(5, 1).Stream("n")}
	y := distuv.Normal{Mu: 0, Sigma: 1, Src: New(5, 1).Stream("n")}
	for range 10 {
		assert.Equal(t, x.Rand(), y.Rand())
	}
}

// An event scheduled later under a reserved sequence number takes the place
// it would have had if scheduled at the reservation, among events at its
// time; Happened tells, at any point, whether it would have run.
func TestReservedSequenceNumbers(t *testing.T) {
	s := New(1, 1)
	var got []string
	rec := func(name string) func(any) { return func(any) { got = append(got, name) } }
	s.ScheduleAtWith(10, rec("before"), nil)
	r1 := s.ReserveSeq() // stands for an event at 10
	r2 := s.ReserveSeq() // stands for an event at 20
	s.ScheduleAtWith(10, rec("after"), nil)
	s.ScheduleAtWith(20, rec("after20"), nil)
	var happened []bool
	s.ScheduleAtWith(5, func(any) {
		happened = append(happened, s.Happened(10, r1), s.Happened(4, r2), s.Happened(5, 0), s.Happened(5, r1))
		// Scheduled at 5, run in r1's place at 10.
		s.ScheduleReserved(10, r1, rec("reserved10"), nil)
	}, nil)
	s.ScheduleAtWith(10, func(any) {
		happened = append(happened, s.Happened(10, r1), s.Happened(20, r2))
	}, nil)
	s.RunUntil(15)
	// Between runs: nothing ran at 15.
	happened = append(happened, s.Happened(15, 1), s.Happened(10, r2))
	s.ScheduleReserved(20, r2, rec("reserved20"), nil)
	s.Run()
	assert.Equal(t, []string{"before", "reserved10", "after", "reserved20", "after20"}, got)
	// In the event at 5 (scheduled after the reservations): r1 at 10 not
	// yet; anything at 4 yes; at 5, seq 0 and r1 (both before its own)
	// yes. In the last event at 10 (scheduled after r1): r1 yes, r2 at 20
	// no. Between runs at 15: nothing at 15, everything at 10.
	assert.Equal(t, []bool{false, true, true, true, true, false, false, true}, happened)
	s2 := New(1, 1)
	s2.ScheduleAtWith(5, func(any) {}, nil)
	late := s2.ReserveSeq()
	s2.ScheduleAtWith(5, func(any) {
		happened = append(happened[:0], s2.Happened(5, late), s2.Happened(5, late+5))
	}, nil)
	s2.Run()
	// At 5, in an event scheduled after the reservation: yes; a sequence
	// number after the running event's: no.
	assert.Equal(t, []bool{true, false}, happened)
	assert.Equal(t, uint64(7), s.EventCount())
}

func TestScheduleReservedMisuse(t *testing.T) {
	tests := []struct {
		name string
		call func(s *Simulator, reserved uint64)
	}{
		{"nil function", func(s *Simulator, r uint64) { s.ScheduleReserved(10, r, nil, nil) }},
		{"zero seq", func(s *Simulator, _ uint64) { s.ScheduleReserved(10, 0, func(any) {}, nil) }},
		{"seq never reserved", func(s *Simulator, r uint64) { s.ScheduleReserved(10, r+5, func(any) {}, nil) }},
		{"in the past", func(s *Simulator, r uint64) { s.ScheduleReserved(1, r, func(any) {}, nil) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(1, 1)
			r := s.ReserveSeq()
			s.RunUntil(5)
			assert.Panics(t, func() { tc.call(s, r) })
		})
	}
}

// Cancelling every event of ring slots leaves no array in them: a wide
// ring whose slots kept the arrays of cancelled timers grew to megabytes in
// a long run (each slot its own array).
func TestCancelledSlotsGiveArraysBack(t *testing.T) {
	s := New(1, 1)
	const n = 5000
	ids := make([]EventID, 0, n)
	for i := range n {
		ids = append(ids, s.ScheduleWith(Time(1000+i*300), func(any) {}, nil))
	}
	for _, id := range ids {
		require.True(t, s.Cancel(id))
	}
	held := 0
	for i := range s.queue.ring {
		held += cap(s.queue.ring[i].ev)
	}
	require.Zero(t, held)
	require.LessOrEqual(t, s.queue.spareEvents, max(minSpareEvents, 2*n))
	require.Zero(t, s.Pending())
	s.Run()
	require.Zero(t, s.EventCount())
}

// A burst of events scheduled out of time order into the current bucket
// (a thousand transmissions at one instant, each with arrivals spread over
// the next microsecond) splits the bucket into finer ones rather than
// shifting a sorted array on every insertion; the order stays (time, seq).
func TestBurstIntoCurrentBucketSplitsIt(t *testing.T) {
	s := New(1, 1)
	r := s.StreamFor("test/burst", 0)
	type rec struct {
		at  Time
		seq int
	}
	var got, want []rec
	n := 0
	// live counts the events scheduled and not yet run: Pending must
	// agree at every event, splits included.
	live := 1
	var wrong []string
	check := func() {
		live--
		if p := s.Pending(); p != live && len(wrong) < 5 {
			wrong = append(wrong, fmt.Sprintf("at %v: Pending %d, %d events left", s.Now(), p, live))
		}
	}
	s.ScheduleAtWith(1_000_000, func(any) {
		check()
		for range 300 { // 300 senders at one instant
			live++
			s.ScheduleWith(0, func(any) {
				check()
				for range 200 { // 200 arrivals each within 3 us
					d := Time(r.IntN(3000))
					k := rec{s.Now() + d, n}
					n++
					want = append(want, k)
					live++
					s.ScheduleWith(d, func(any) { check(); got = append(got, k) }, nil)
				}
			}, nil)
		}
	}, nil)
	s.Run()
	slices.SortStableFunc(want, func(a, b rec) int { return cmp.Compare(a.at, b.at) })
	require.Len(t, got, 60000)
	require.Equal(t, want, got)
	require.Positive(t, s.queue.rebuilds)
	require.Less(t, s.queue.shift, uint(initialShift))
	require.Empty(t, wrong, "the pending count after a split")
	require.Zero(t, s.Pending())
}

// QueueBytes counts the queue's arrays: the empty ring to start with, at
// least an event's size per pending event, and after a run no more than
// the spare arrays the queue keeps (minSpareEvents events) besides the ring.
func TestQueueBytes(t *testing.T) {
	ev, bk := int(unsafe.Sizeof(event{})), int(unsafe.Sizeof(bucket{}))
	s := New(1, 1)
	empty := (1<<initialRingBits)*bk + (1<<initialRingBits)/64*8
	require.Equal(t, empty, s.QueueBytes())
	nop := func() {}
	for i := range 1000 {
		s.Schedule(Time(i)*Microsecond, nop)
	}
	near := s.QueueBytes()
	// 1,000 events 1 us apart in buckets 4.096 us wide: 244 ring slots
	// of 4 or 5 events, each slot's array of firstArray entries. Counting
	// an array twice, or the ring's slots without their arrays, fails.
	buckets := int((999*Microsecond)>>initialShift) + 1
	require.Equal(t, 244, buckets)
	require.Equal(t, empty+buckets*firstArray*ev, near)
	for i := range 10 {
		s.Schedule(3600*Second+Time(i)*Second, nop) // the far tier
	}
	require.GreaterOrEqual(t, s.QueueBytes(), near+10*ev+bk)
	require.Equal(t, 1010, s.Pending())
	s.Run()
	require.Zero(t, s.Pending())
	after := s.QueueBytes()
	require.GreaterOrEqual(t, after, empty)
	require.LessOrEqual(t, after, empty+2*minSpareEvents*ev, "spare arrays are bounded")
}

// A dense stream of near events (bursts a few dozen nanoseconds apart)
// beside timers far ahead (1,000 re-armed every 100 ms, as the packet
// sources of a grid): the far timers are beyond any ring the queue could
// grow to, so it must not grow its ring for them (2^16 slots, 2 MB, with
// none of them held) but keep it near the size the near events need.
func TestQueueRingIgnoresDistantTimers(t *testing.T) {
	s := New(1, 1)
	rng := s.Stream("test")
	var timer func()
	timer = func() { s.Schedule(100*Millisecond+Time(rng.IntN(1000)), timer) }
	for range 1000 {
		s.Schedule(Time(rng.IntN(int(100*Millisecond))), timer)
	}
	var burst func()
	burst = func() {
		for range 8 {
			s.Schedule(Time(20+rng.IntN(200)), func() {})
		}
		s.Schedule(Time(100+rng.IntN(100)), burst)
	}
	s.Schedule(0, burst)
	s.RunUntil(20 * Millisecond)
	require.Greater(t, s.EventCount(), uint64(500000))
	ring := (1 << maxRingBits) * int(unsafe.Sizeof(bucket{}))
	require.Less(t, s.QueueBytes(), ring/4, "the ring stays well below its largest size")
}

// The ring still grows for events that a larger ring would hold: a hold
// model whose events are re-armed uniformly within a spread needs far more
// slots than the first 256 to keep the far tier small. With 200,000 events
// over 50 ms of the initial 4 us buckets, about 2% of the pushes fall within
// twice the ring's span; a rule counting only those left the ring at 256
// slots and nearly every event in the far tier.
func TestQueueRingGrowsForNearEvents(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		spread Time
		until  Time
	}{
		{"100000 over 10 ms", 100000, 10 * Millisecond, 50 * Millisecond},
		{"200000 over 50 ms", 200000, 50 * Millisecond, 50 * Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(1, 1)
			rng := s.Stream("test")
			var hold func()
			hold = func() { s.Schedule(Time(rng.IntN(int(tc.spread))), hold) }
			for range tc.n {
				s.Schedule(Time(rng.IntN(int(tc.spread))), hold)
			}
			s.RunUntil(tc.until)
			require.Greater(t, s.EventCount(), uint64(tc.n)+uint64(tc.n)/2)
			require.Greater(t, len(s.queue.ring), 1<<(initialRingBits+4))
			require.Greater(t, s.queue.nearN, s.queue.n/2, "most events in the ring")
		})
	}
}

// ReserveSeqs(n) takes the same n numbers as n calls of ReserveSeq, and
// the numbers after them are the same.
func TestReserveSeqs(t *testing.T) {
	a, b := New(1, 1), New(1, 1)
	a.ScheduleAtWith(3, func(any) {}, nil)
	b.ScheduleAtWith(3, func(any) {}, nil)
	first := a.ReserveSeqs(3)
	want := []uint64{b.ReserveSeq(), b.ReserveSeq(), b.ReserveSeq()}
	assert.Equal(t, want, []uint64{first, first + 1, first + 2})
	assert.Equal(t, b.ReserveSeq(), a.ReserveSeq())
	next := a.ReserveSeqs(0)
	assert.Equal(t, next, a.ReserveSeq(), "zero reserves nothing")
}
