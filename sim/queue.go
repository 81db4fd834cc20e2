package sim

import (
	"math/bits"
	"unsafe"

	"github.com/google/btree"
)

// event is one scheduled call, stored by value in the queue.
type event struct {
	at  Time
	seq uint64 // global scheduling order: breaks ties FIFO and identifies the event
	fn  func(any)
	arg any
}

func eventLess(a, b *event) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return a.seq < b.seq
}

// bucket holds the unsorted events whose times share one key (time >> shift).
type bucket struct {
	key int64
	ev  []event
}

func bucketLess(a, b *bucket) bool { return a.key < b.key }

// eventQueue is a priority queue of events ordered by (time, seq), built as a
// calendar of time buckets in front of a google/btree.
//
// Time is cut into buckets of 2^shift nanoseconds; an event's key is
// time >> shift. Three tiers hold the pending events:
//
//   - the current bucket (key curKey), sorted and consumed from its head;
//   - the near future, keys in (curKey, curKey+len(ring)): a ring of
//     unsorted buckets indexed directly by key, with a bitmap of the
//     non-empty slots;
//   - the far future: a google/btree of unsorted buckets ordered by key.
//
// Scheduling is an append to a ring slot (or, for far events, a btree lookup);
// popping reads the current bucket, and a drained bucket is replaced by the
// next non-empty key (bitmap scan, compared with the btree minimum), merged
// and sorted. The bucket width and the ring size adapt to the event density so
// that a bucket holds a few events and few events go far. A plain btree of
// events costs O(log n) pointer-chasing per operation; this costs O(1)
// expected per event plus one small sort per bucket, which is what makes it
// several times faster.
//
// The queue keeps the invariant curKey <= key(now): a bucket is made current
// only when its start time is before the end of the run window, so an event
// scheduled at or after now never falls before the current bucket.
type eventQueue struct {
	shift  uint
	cur    []event // sorted; cur[head:] are the pending events of bucket curKey
	head   int
	curKey int64

	ring   []bucket // slot key&mask holds near-future key `key`, unsorted
	mask   int64
	bitmap []uint64 // bit i set: ring[i] non-empty
	nearN  int      // events in the ring

	far   *btree.BTreeG[*bucket]
	probe bucket
	spare []*bucket

	// arrays are event arrays of emptied buckets, lent to the next bucket
	// that needs one (spareEvents counts their capacity). A ring slot does
	// not keep its array once drained: a wide ring (up to 2^16 slots)
	// whose slots each kept the capacity of the largest burst they ever
	// held would grow without bound (a transmission heard by hundreds of
	// radios puts hundreds of arrivals into one bucket).
	arrays      [][][]event // by size class: arrays[c] have capacity >= 2^c
	spareEvents int

	n int // pending events

	// adaptation
	popped      int // events popped since the last check
	loads       int // buckets loaded since the last check
	farNear     int // pushes into the far tier since the last check that the grown ring would hold
	sinceResize int
	rebuilds    int
	scratch     []event

	// now is the simulator's clock (rebuild needs it); splitting guards
	// splitCurrent against itself.
	now       *Time
	splitting bool
}

const (
	initialShift    = 12 // 4.096 us buckets to start with
	initialRingBits = 8
	maxRingBits     = 16
	maxShift        = 50
	adaptEvery      = 4096
	targetOccupancy = 16 // events per bucket aimed at
	maxOccupancy    = 64
	minOccupancy    = 8
)

func newEventQueue() eventQueue {
	q := eventQueue{curKey: -1, far: btree.NewG[*bucket](16, bucketLess)}
	q.reshape(initialShift, initialRingBits)
	return q
}

func (q *eventQueue) reshape(shift uint, ringBits int) {
	q.shift = shift
	size := 1 << ringBits
	if len(q.ring) != size {
		q.ring = make([]bucket, size)
		q.bitmap = make([]uint64, (size+63)/64)
	}
	q.mask = int64(size - 1)
}

func (q *eventQueue) key(t Time) int64 { return int64(t) >> q.shift }

func (q *eventQueue) len() int { return q.n }

// push inserts e, which must not be earlier than the current bucket.
func (q *eventQueue) push(e event) {
	q.n++
	k := q.key(e.at)
	switch {
	case k < q.curKey:
		panic("sim: internal error: event scheduled before the current bucket")
	case k == q.curKey:
		q.insertCurrent(e)
	case k-q.curKey <= q.mask:
		i := k & q.mask
		b := &q.ring[i]
		if len(b.ev) == 0 {
			b.key = k
			q.bitmap[i>>6] |= 1 << (i & 63)
		}
		if len(b.ev) == cap(b.ev) {
			b.ev = q.grow(b.ev, 1)
		}
		b.ev = append(b.ev, e)
		q.nearN++
	default:
		q.pushFar(k, e)
	}
}

func (q *eventQueue) pushFar(k int64, e event) {
	// No overflow: curKey is -1 only before the first load, with shift
	// initialShift, and at least 0 after it.
	if k-q.curKey < 1<<q.growBits() {
		q.farNear++ // the ring adapt would grow to would have held it
	}
	q.probe.key = k
	b, ok := q.far.Get(&q.probe)
	if !ok {
		if n := len(q.spare); n > 0 {
			b = q.spare[n-1]
			q.spare = q.spare[:n-1]
		} else {
			b = &bucket{}
		}
		b.key = k
		q.far.ReplaceOrInsert(b)
	}
	if len(b.ev) == cap(b.ev) {
		b.ev = q.grow(b.ev, 1)
	}
	b.ev = append(b.ev, e)
}

// Limits of the spare arrays: they are kept by size class (capacity
// 2^c), at most maxSpare per class and max(minSpareEvents, 2*pending)
// events in all; beyond that an emptied array is left to the garbage
// collector.
const (
	maxSpare       = 1024
	minSpareEvents = 1 << 14
	firstArray     = 8 // capacity of a bucket's first array
)

// grow returns the events of s in an array with room for at least extra
// more: a spare array of the smallest size class that fits, otherwise a
// new one at least twice as large; s's array becomes spare.
func (q *eventQueue) grow(s []event, extra int) []event {
	need := max(2*len(s), len(s)+extra, firstArray)
	c := bits.Len(uint(need - 1)) // smallest class with 2^c >= need
	var out []event
	for ; c < len(q.arrays); c++ {
		if n := len(q.arrays[c]); n > 0 {
			out = q.arrays[c][n-1]
			q.arrays[c][n-1] = nil
			q.arrays[c] = q.arrays[c][:n-1]
			q.spareEvents -= cap(out)
			break
		}
	}
	if out == nil {
		out = make([]event, 0, 1<<bits.Len(uint(need-1)))
	}
	out = append(out, s...)
	clear(s)
	q.release(s)
	return out
}

// footprint returns the bytes held by the queue's own arrays, by their
// capacity: the current bucket, the ring (slots, bitmap and each slot's
// events), the far buckets, the spare buckets and arrays, and the
// scratch array. The objects the events point to (their arguments) and
// the far tier's btree nodes are not counted.
func (q *eventQueue) footprint() int {
	const ev, bk = int(unsafe.Sizeof(event{})), int(unsafe.Sizeof(bucket{}))
	n := cap(q.cur)*ev + cap(q.scratch)*ev + cap(q.ring)*bk + cap(q.bitmap)*8
	for i := range q.ring {
		n += cap(q.ring[i].ev) * ev
	}
	q.far.Ascend(func(b *bucket) bool {
		n += bk + cap(b.ev)*ev
		return true
	})
	for _, b := range q.spare {
		n += bk + cap(b.ev)*ev
	}
	for _, class := range q.arrays {
		for _, a := range class {
			n += cap(a) * ev
		}
	}
	return n
}

// release makes the emptied array s spare (its entries must be zero).
func (q *eventQueue) release(s []event) {
	if cap(s) == 0 || q.spareEvents+cap(s) > max(minSpareEvents, 2*q.n) {
		return
	}
	c := bits.Len(uint(cap(s))) - 1 // 2^c <= cap
	for len(q.arrays) <= c {
		q.arrays = append(q.arrays, nil)
	}
	if len(q.arrays[c]) >= maxSpare {
		return
	}
	q.arrays[c] = append(q.arrays[c], s[:0])
	q.spareEvents += cap(s)
}

// insertCurrent places e into the sorted current bucket after every event
// that precedes it. Scheduled events carry the largest seq so far, so the
// common case (e is not earlier than the last one) is an append.
func (q *eventQueue) insertCurrent(e event) {
	if len(q.cur) == cap(q.cur) {
		// Grow through the spare arrays: append would allocate a new
		// array on every burst and leave the old one to the collector.
		q.cur = q.grow(q.cur, 1)
	}
	last := len(q.cur) - 1
	if last < q.head || !eventLess(&e, &q.cur[last]) {
		q.cur = append(q.cur, e)
		return
	}
	lo, hi := q.head, last
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if eventLess(&q.cur[mid], &e) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if len(q.cur)-lo > splitMoves && q.splitCurrent() {
		// The rebuild counted the pending events again, without e
		// (push counted it, then called here): push counts it once more.
		q.push(e)
		return
	}
	q.cur = append(q.cur, event{})
	copy(q.cur[lo+1:], q.cur[lo:])
	q.cur[lo] = e
}

// splitMoves is the number of events an insertion into the current bucket
// may shift before the bucket is split into finer ones.
const splitMoves = 256

// splitCurrent rebuilds the queue with buckets narrow enough that the
// current bucket's pending events spread over about pending/targetOccupancy
// of them, and reports whether it did. A burst (a thousand stations
// transmitting at one instant, each scheduling hundreds of arrivals within
// the next microsecond) otherwise piles into one wide bucket kept sorted by
// insertion: quadratic. Nothing changes if the bucket cannot be split (its
// events share one time, or the buckets are 1 ns wide already).
func (q *eventQueue) splitCurrent() bool {
	pending := len(q.cur) - q.head
	if q.splitting || q.now == nil || q.shift == 0 || pending < 2*targetOccupancy {
		return false
	}
	span := int64(q.cur[len(q.cur)-1].at - q.cur[q.head].at)
	width := span * targetOccupancy / int64(pending)
	shift := uint(max(bits.Len64(uint64(width))-1, 0))
	if shift >= q.shift {
		return false
	}
	ringBits := clampRingBits(max(bits.Len64(uint64(q.mask)), q.spanRingBits()))
	q.splitting = true
	q.rebuild(*q.now, shift, ringBits)
	q.splitting = false
	return true
}

// spanRingBits is the ring size (in bits) that spans the keys of the
// pending events with room for a long tail: about 4n/targetOccupancy slots.
func (q *eventQueue) spanRingBits() int { return bits.Len(uint(4 * q.n / targetOccupancy)) }

// growBits is the ring size (in bits) that adapt grows the ring to when
// many events go far: twice the current ring, or the ring spanning the
// pending events if that is larger (spanRingBits), within maxRingBits.
func (q *eventQueue) growBits() int {
	return clampRingBits(max(bits.Len64(uint64(q.mask))+1, q.spanRingBits()))
}

// clampRingBits bounds a ring size to [initialRingBits, maxRingBits].
func clampRingBits(b int) int { return max(initialRingBits, min(b, maxRingBits)) }

// nextKey returns the smallest key holding pending events after the current
// bucket.
func (q *eventQueue) nextKey() (int64, bool) {
	best, ok := int64(0), false
	if q.nearN > 0 {
		start := (q.curKey + 1) & q.mask
		w := int(start >> 6)
		word := q.bitmap[w] &^ (1<<(start&63) - 1)
		nw := len(q.bitmap)
		for i := 0; i <= nw; i++ {
			if word != 0 {
				slot := int64(w<<6 + bits.TrailingZeros64(word))
				best, ok = q.ring[slot].key, true
				break
			}
			w++
			if w == nw {
				w = 0
			}
			word = q.bitmap[w]
			if i == nw-1 { // wrapped around to the start word: only bits below start
				word &= 1<<(start&63) - 1
			}
		}
	}
	if m, has := q.far.Min(); has && (!ok || m.key < best) {
		best, ok = m.key, true
	}
	return best, ok
}

// peekBefore returns the earliest pending event if a bucket that may hold an
// event earlier than limit exists; it returns nil when nothing is pending
// before limit. The pointer is valid until the next queue operation.
func (q *eventQueue) peekBefore(limit Time) *event {
	if q.head < len(q.cur) {
		return &q.cur[q.head]
	}
	k, ok := q.nextKey()
	if !ok || Time(k<<q.shift) >= limit {
		return nil
	}
	q.load(k)
	return &q.cur[q.head]
}

// load makes key k, the next non-empty key, the current bucket.
func (q *eventQueue) load(k int64) {
	q.cur = q.cur[:0] // pop zeroed the consumed entries
	q.head = 0
	q.curKey = k
	i := k & q.mask
	if b := &q.ring[i]; len(b.ev) > 0 && b.key == k {
		// The slot's array becomes current; the drained current array
		// (its entries zeroed by the pops) becomes spare.
		old := q.cur
		q.cur, b.ev = b.ev, nil
		q.release(old)
		q.nearN -= len(q.cur)
		q.bitmap[i>>6] &^= 1 << (i & 63)
	}
	if m, has := q.far.Min(); has && m.key == k {
		q.far.DeleteMin()
		if len(q.cur) == 0 {
			old := q.cur
			q.cur, m.ev = m.ev, nil
			q.release(old)
		} else {
			if len(q.cur)+len(m.ev) > cap(q.cur) {
				q.cur = q.grow(q.cur, len(m.ev))
			}
			q.cur = append(q.cur, m.ev...)
			clear(m.ev)
			q.release(m.ev)
			m.ev = nil
		}
		q.spare = append(q.spare, m)
	}
	sortEvents(q.cur)
	q.loads++
}

// find locates the pending event (at, seq): in the current bucket (slice
// cur) or in a ring or far bucket, and its index there.
func (q *eventQueue) find(at Time, seq uint64) (b *bucket, i int, ok bool) {
	k := q.key(at)
	if k == q.curKey {
		for j := q.head; j < len(q.cur); j++ {
			if q.cur[j].seq == seq {
				return nil, j, true
			}
		}
		return nil, 0, false
	}
	if k < q.curKey {
		return nil, 0, false
	}
	if k-q.curKey <= q.mask {
		if r := &q.ring[k&q.mask]; r.key == k {
			for j := range r.ev {
				if r.ev[j].seq == seq {
					return r, j, true
				}
			}
		}
	}
	q.probe.key = k
	if f, has := q.far.Get(&q.probe); has {
		for j := range f.ev {
			if f.ev[j].seq == seq {
				return f, j, true
			}
		}
	}
	return nil, 0, false
}

// remove cancels the event (at, seq) and reports whether it was pending.
// An emptied far bucket leaves the btree at once, so that nextKey never
// returns an empty key.
func (q *eventQueue) remove(at Time, seq uint64) bool {
	b, i, ok := q.find(at, seq)
	if !ok {
		return false
	}
	q.n--
	if b == nil {
		copy(q.cur[i:], q.cur[i+1:])
		q.cur[len(q.cur)-1] = event{}
		q.cur = q.cur[:len(q.cur)-1]
		return true
	}
	last := len(b.ev) - 1
	b.ev[i] = b.ev[last]
	b.ev[last] = event{}
	b.ev = b.ev[:last]
	if slot := b.key & q.mask; b == &q.ring[slot] {
		q.nearN--
		if last == 0 {
			q.bitmap[slot>>6] &^= 1 << (slot & 63)
			// Emptied by cancellation: the slot gives its array back,
			// as a drained one does (a wide ring whose slots kept the
			// arrays of cancelled timers held megabytes).
			q.release(b.ev)
			b.ev = nil
		}
	} else if last == 0 {
		q.far.Delete(b)
		q.spare = append(q.spare, b)
	}
	return true
}

// adapt keeps about targetOccupancy events per bucket and few events in the
// far tier, by rebuilding the queue with a new bucket width or ring size when
// the buckets drained lately were too full or too empty, or too many events
// went far. A rebuild costs O(n) and happens at most once per max(n,
// adaptEvery) pops, so its cost is amortised to O(1) per event.
func (q *eventQueue) adapt(now Time) {
	popped, loads, farNear := q.popped, q.loads, q.farNear
	q.popped, q.loads, q.farNear = 0, 0, 0
	q.sinceResize += popped
	if loads == 0 || q.sinceResize < q.n {
		return
	}
	avg := popped / loads
	shift := int(q.shift)
	switch {
	case avg > maxOccupancy:
		shift -= bits.Len(uint(avg/targetOccupancy)) - 1
	case avg < minOccupancy:
		shift += bits.Len(uint(targetOccupancy/max(avg, 1))) - 1
	}
	shift = max(0, min(shift, maxShift))
	// The ring should span the keys of the pending events, about
	// n/occupancy buckets, with room for a long tail: grow it (to
	// growBits) when many events went to the far tier where the grown
	// ring would have held them. Far events beyond that (timers 100 ms
	// ahead of buckets of a few dozen nanoseconds) stay in the far tier:
	// growing for them would take memory (up to 2^maxRingBits slots) and
	// cache and hold none of them. (Counting only the far events within
	// twice the ring would starve a ring left small by the initial
	// shape: 200,000 events spread over 50 ms of 4 us buckets put about
	// 2% of their pushes there, and the ring would stay at 256 slots.)
	oldBits := bits.Len64(uint64(q.mask))
	ringBits := oldBits
	if farNear > popped/32 {
		ringBits = q.growBits()
	}
	if uint(shift) == q.shift && ringBits == oldBits {
		return
	}
	q.rebuild(now, uint(shift), ringBits)
}

// rebuild redistributes every pending event into buckets 2^shift ns wide and
// a ring of 2^ringBits slots; now is the current time.
func (q *eventQueue) rebuild(now Time, shift uint, ringBits int) {
	all := append(q.scratch[:0], q.cur[q.head:]...)
	clear(q.cur)
	q.cur = q.cur[:0]
	q.head = 0
	for i := range q.ring {
		b := &q.ring[i]
		all = append(all, b.ev...)
		clear(b.ev)
		q.release(b.ev)
		b.ev = nil
	}
	clear(q.bitmap)
	q.nearN = 0
	for {
		b, ok := q.far.DeleteMin()
		if !ok {
			break
		}
		all = append(all, b.ev...)
		clear(b.ev)
		q.release(b.ev)
		b.ev = nil
		q.spare = append(q.spare, b)
	}
	q.reshape(shift, ringBits)
	// The current bucket becomes now's, so that curKey <= key(now) holds;
	// pending events in it are inserted in order.
	q.curKey = q.key(now)
	q.n = 0
	for _, e := range all {
		q.push(e)
	}
	q.sinceResize = 0
	q.rebuilds++
	clear(all)
	q.scratch = all[:0]
	if cap(all) > max(minSpareEvents, 4*q.n) {
		q.scratch = nil // a burst's size, not needed again
	}
}

// sortEvents sorts events by (at, seq): insertion sort for short runs,
// quicksort with a median-of-three pivot above. Specialised to event so that
// comparisons inline (the generic sort's indirect calls cost more than the
// comparisons themselves on buckets this small).
func sortEvents(a []event) {
	// Buckets are often filled in order (a burst of arrivals scheduled
	// with growing delays): one pass finds that out.
	sorted := true
	for i := 1; i < len(a); i++ {
		if eventLess(&a[i], &a[i-1]) {
			sorted = false
			break
		}
	}
	if sorted {
		return
	}
	for len(a) > 16 {
		m := len(a) / 2
		last := len(a) - 1
		if eventLess(&a[m], &a[0]) {
			a[m], a[0] = a[0], a[m]
		}
		if eventLess(&a[last], &a[0]) {
			a[last], a[0] = a[0], a[last]
		}
		if eventLess(&a[last], &a[m]) {
			a[last], a[m] = a[m], a[last]
		}
		// a[0] <= a[m] <= a[last]; partition a[1:last] around a[m].
		pivot := a[m]
		i, j := 1, last-1
		for {
			for eventLess(&a[i], &pivot) {
				i++
			}
			for eventLess(&pivot, &a[j]) {
				j--
			}
			if i >= j {
				break
			}
			a[i], a[j] = a[j], a[i]
			i++
			j--
		}
		// Recurse into the smaller side, loop on the larger.
		if j+1 < len(a)-j-1 {
			sortEvents(a[:j+1])
			a = a[j+1:]
		} else {
			sortEvents(a[j+1:])
			a = a[:j+1]
		}
	}
	for i := 1; i < len(a); i++ {
		e := a[i]
		j := i
		for j > 0 && eventLess(&e, &a[j-1]) {
			a[j] = a[j-1]
			j--
		}
		a[j] = e
	}
}
