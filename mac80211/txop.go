package mac80211

import (
	"math/rand/v2"

	"github.com/netgym/netgym/sim"
)

// accessStatus is a Txop's state with respect to channel access, as ns-3's
// Txop::ChannelAccessStatus.
type accessStatus uint8

const (
	accessNotRequested accessStatus = iota
	accessRequested
	accessGranted
)

// queuedMPDU is a frame waiting in a Txop's queue, with the time it entered.
type queuedMPDU struct {
	frame    Frame
	enqueued sim.Time
	attempts int // transmissions so far
}

// macQueue is a FIFO of MPDUs with a size limit and a maximum sojourn time,
// as ns-3's WifiMacQueue (MaxSize 500 packets, MaxDelay 500 ms, DropPolicy
// DROP_NEWEST). It is a ring buffer: enqueue and dequeue do not allocate once
// it has grown to its working size.
type macQueue struct {
	items    []queuedMPDU
	head, n  int
	maxSize  int      // 0: unlimited
	maxDelay sim.Time // 0: unlimited
}

func (q *macQueue) len() int { return q.n }

func (q *macQueue) push(it queuedMPDU) bool {
	if q.maxSize > 0 && q.n >= q.maxSize {
		return false
	}
	if q.n == len(q.items) {
		// From one entry (120 bytes), doubling: a station of a large
		// network holds one frame at a time in each FIFO (its data, and
		// after association no management frame at all), and 10,000 of
		// them with room for four in both FIFOs kept 0.9 KB per node
		// (wifi-grid -infra).
		grown := make([]queuedMPDU, max(1, 2*len(q.items)))
		for i := 0; i < q.n; i++ {
			grown[i] = q.items[(q.head+i)%len(q.items)]
		}
		q.items, q.head = grown, 0
	}
	q.items[(q.head+q.n)%len(q.items)] = it
	q.n++
	return true
}

// front returns the head of the queue, or nil if it is empty.
func (q *macQueue) front() *queuedMPDU {
	if q.n == 0 {
		return nil
	}
	return &q.items[q.head]
}

func (q *macQueue) pop() queuedMPDU {
	it := q.items[q.head]
	q.items[q.head] = queuedMPDU{}
	q.head = (q.head + 1) % len(q.items)
	q.n--
	if q.n == 0 && len(q.items) > shrinkQueueAt {
		// Drained after a burst (association, a saturated period): give
		// the array back rather than keep its peak for good.
		q.items, q.head = nil, 0
	}
	return it
}

// shrinkQueueAt: a drained queue whose array holds more entries than this
// lets it go.
const shrinkQueueAt = 64

// expired reports whether the head has stayed maxDelay or longer: its
// expiry time (enqueue time + maxDelay) is not after now, as ns-3 3.37
// WifiMacQueueContainer::DoExtractExpiredMpdus (expiryTime <= now), which
// Txop::HasFramesToTransmit reaches through WipeAllExpiredMpdus.
func (q *macQueue) expired(now sim.Time) bool {
	return q.maxDelay > 0 && q.n > 0 && now-q.items[q.head].enqueued >= q.maxDelay
}

// removeAt removes the i-th queued MPDU (0 = head), shifting the ones
// behind it.
func (q *macQueue) removeAt(i int) queuedMPDU {
	n := len(q.items)
	it := q.items[(q.head+i)%n]
	for j := i; j < q.n-1; j++ {
		q.items[(q.head+j)%n] = q.items[(q.head+j+1)%n]
	}
	q.items[(q.head+q.n-1)%n] = queuedMPDU{}
	q.n--
	return it
}

// txQueue is a Txop's queue as ns-3 3.37's WifiMacQueue with its FCFS
// scheduler serves a non-QoS station: management frames wait in their own
// FIFO and always go first (priority 0 in FcfsWifiQueueScheduler::
// DoNotifyEnqueue), data frames in arrival order; one size limit covers
// both (MaxSize). When the queue is full a new data frame is dropped
// (DropNewest), and a new management frame evicts the oldest data frame
// instead (FcfsWifiQueueScheduler::HasToDropBeforeEnqueuePriv: "Management
// frames should be prioritized").
//
// The frame exchange pins the FIFO whose head it is transmitting, so that a
// management frame arriving meanwhile does not change the head until the
// exchange ends.
type txQueue struct {
	mgmt, data macQueue
	maxSize    int       // 0: unlimited
	pinned     *macQueue // whose head is on the air, nil when none
}

func newTxQueue(maxSize int, maxDelay sim.Time) txQueue {
	return txQueue{mgmt: macQueue{maxDelay: maxDelay}, data: macQueue{maxDelay: maxDelay}, maxSize: maxSize}
}

func (q *txQueue) len() int { return q.mgmt.n + q.data.n }

func (q *txQueue) full() bool { return q.maxSize > 0 && q.len() >= q.maxSize }

// next is the FIFO whose head goes next.
func (q *txQueue) next() *macQueue {
	switch {
	case q.pinned != nil:
		return q.pinned
	case q.mgmt.n > 0:
		return &q.mgmt
	}
	return &q.data
}

// front returns the MPDU that goes next, or nil.
func (q *txQueue) front() *queuedMPDU { return q.next().front() }

// pop removes the MPDU that front returned and unpins.
func (q *txQueue) pop() queuedMPDU {
	m := q.next()
	q.pinned = nil
	return m.pop()
}

func (q *txQueue) pin()   { q.pinned = q.next() }
func (q *txQueue) unpin() { q.pinned = nil }

// push queues it. A full queue makes room for a management frame by
// evicting the oldest data frame not on the air (returned, to be reported);
// otherwise push reports false and the new frame is dropped.
func (q *txQueue) push(it queuedMPDU) (evicted queuedMPDU, didEvict, ok bool) {
	dst := &q.data
	if it.frame.Header.Type.IsManagement() {
		dst = &q.mgmt
	}
	if q.full() {
		first := 0
		if q.pinned == &q.data {
			first = 1
		}
		if dst == &q.data || q.data.n <= first {
			return queuedMPDU{}, false, false
		}
		evicted, didEvict = q.data.removeAt(first), true
	}
	dst.push(it)
	return evicted, didEvict, true
}

// dropExpired removes every MPDU at the heads of the FIFOs (not on the
// air) that has stayed MaxDelay or longer, handing each to drop.
func (q *txQueue) dropExpired(now sim.Time, drop func(queuedMPDU)) {
	for _, m := range []*macQueue{&q.mgmt, &q.data} {
		if m == q.pinned {
			continue
		}
		for m.expired(now) {
			drop(m.pop())
		}
	}
}

// Txop is a DCF channel-access function: a queue of MPDUs, a contention
// window and a backoff counter, as ns-3's Txop. A MAC has one for data and
// management frames, and an AP one more for beacons.
type Txop struct {
	// The backoff state, read at every busy notification, first.
	backoffStart   sim.Time
	backoffSlots   int
	aifsn          int
	access         accessStatus
	cw             int
	cwMin, cwMax   int
	mac            *Mac
	queue          txQueue
	rng            *rand.Rand
	discardExpired func(queuedMPDU)
}

// requestAccessEvent asks for channel access for the Txop in arg (see
// accessTimeoutEvent).
func requestAccessEvent(arg any) { arg.(*Txop).requestAccess() }

func newTxop(m *Mac, name string, aifsn, cwMin, cwMax, queueSize int, maxDelay sim.Time) *Txop {
	t := new(Txop)
	initTxop(t, m, name, aifsn, cwMin, cwMax, queueSize, maxDelay)
	return t
}

// initTxop sets up t (a new Txop, or one inside its MAC) for m and draws
// its first backoff from the stream name.
func initTxop(t *Txop, m *Mac, name string, aifsn, cwMin, cwMax, queueSize int, maxDelay sim.Time) {
	*t = Txop{
		mac:   m,
		aifsn: aifsn,
		cwMin: cwMin,
		cwMax: cwMax,
		cw:    cwMin,
		queue: newTxQueue(queueSize, maxDelay),
		rng:   m.sim.Stream(name),
	}
	t.discardExpired = func(it queuedMPDU) { m.discard(it.frame, DropQueueExpired) }
	// ns-3 Txop::DoInitialize: reset CW and draw a first backoff.
	t.generateBackoff()
}

func (t *Txop) resetCw() { t.cw = t.cwMin }

// updateFailedCw doubles the window after a failure: cw = min(2(cw+1)-1,
// cwMax) (IEEE 802.11-2016 10.3.3; ns-3 Txop::UpdateFailedCw).
func (t *Txop) updateFailedCw() { t.cw = min(2*(t.cw+1)-1, t.cwMax) }

func (t *Txop) generateBackoff() {
	t.startBackoffNow(t.rng.IntN(t.cw + 1))
}

func (t *Txop) startBackoffNow(n int) {
	t.backoffSlots = n
	t.backoffStart = t.mac.sim.Now()
	if t.mac.OnBackoff != nil {
		t.mac.OnBackoff(n)
	}
}

func (t *Txop) updateBackoffSlotsNow(n int, bound sim.Time) {
	t.backoffSlots -= n
	t.backoffStart = bound
}

// hasFrames drops expired MPDUs at the head and reports whether one is
// left (ns-3 Txop::HasFramesToTransmit with WipeAllExpiredMpdus).
func (t *Txop) hasFrames() bool {
	if x := &t.mac.fex; x.inFlight && x.txop == t {
		return true // the head is on the air or awaiting its ACK: not expired
	}
	t.queue.dropExpired(t.mac.sim.Now(), t.discardExpired)
	return t.queue.len() > 0
}

// enqueue adds a frame; it reports false (and the frame is dropped) when the
// queue is full.
func (t *Txop) enqueue(f Frame) bool {
	if t.queue.full() {
		// A full queue first sheds expired MPDUs (ns-3 WifiMacQueue makes
		// room with stale packets); still full, a data frame is dropped.
		// Nothing else would change: with frames queued no backoff is
		// drawn, and the backoff countdown is brought up to date at the next
		// busy notification anyway.
		t.hasFrames()
		if t.queue.full() && !f.Header.Type.IsManagement() {
			return false
		}
	}
	cam := &t.mac.cam
	if cam.needBackoffUponAccess(t) {
		t.generateBackoff()
	}
	evicted, didEvict, ok := t.queue.push(queuedMPDU{frame: f, enqueued: t.mac.sim.Now()})
	if didEvict {
		t.mac.discard(evicted.frame, DropQueueFull)
	}
	if !ok {
		return false
	}
	t.startAccessIfNeeded()
	return true
}

func (t *Txop) startAccessIfNeeded() {
	if t.access == accessNotRequested && t.hasFrames() {
		t.mac.cam.requestAccess(t)
	}
}

func (t *Txop) requestAccess() {
	if t.access == accessNotRequested {
		t.mac.cam.requestAccess(t)
	}
}

// notifyChannelReleased ends a transmission opportunity: a new backoff is
// drawn (post-backoff), and access is requested again in a new event at the
// same time if frames remain (ns-3 Txop::NotifyChannelReleased).
func (t *Txop) notifyChannelReleased() {
	t.access = accessNotRequested
	t.generateBackoff()
	if t.hasFrames() {
		t.mac.sim.ScheduleWith(0, requestAccessEvent, t)
	}
}
