package mac80211

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// rawNet is a medium with ad-hoc MACs driven directly (no IP), for tests of
// the DCF paths.
type rawNet struct {
	s      *sim.Simulator
	medium *Medium
	macs   []*Mac
	pool   *packet.Pool
	addrs  packet.MacAllocator
	// got[i] lists the payload sizes MAC i delivered, in order
	got [][]int
}

func newRawNet(t *testing.T, edit func(*MacConfig), xs ...float64) *rawNet {
	t.Helper()
	s := sim.New(1, 1)
	medium, err := NewMedium(s, DefaultMediumConfig())
	require.NoError(t, err)
	n := &rawNet{s: s, medium: medium, pool: packet.NewPool(), got: make([][]int, len(xs))}
	for i, x := range xs {
		phy, err := NewPhy(s, DefaultPhyConfig())
		require.NoError(t, err)
		require.NoError(t, medium.Attach(phy, mobility.NewConstantPosition(mobility.Vector{X: x})))
		cfg := DefaultMacConfig()
		cfg.Address = n.addrs.Allocate()
		if edit != nil {
			edit(&cfg)
		}
		m, err := NewAdhocMac(s, phy, cfg)
		require.NoError(t, err)
		m.SetReceiveCallback(func(msdu *packet.Packet, src, _ packet.Mac48) {
			for _, o := range n.macs {
				if o.Address() == src { // not from the jammer
					n.got[i] = append(n.got[i], msdu.PayloadSize())
				}
			}
		})
		n.macs = append(n.macs, m)
	}
	return n
}

// send queues an MSDU of size payload bytes (plus LLC/SNAP) from MAC i to
// dst now.
func (n *rawNet) send(i int, dst packet.Mac48, size int) error {
	p := n.pool.New(size)
	p.Push(&LLCSNAPHeader{EtherType: 0x0800})
	err := n.macs[i].Send(p, dst)
	if err != nil {
		p.Release()
	}
	return err
}

// jam puts a PHY with no MAC at x that sends, at time at, a broadcast data
// frame with the largest MSDU (2304 bytes) at 6 Mb/s, 3.136 ms on the air:
// every MAC in range defers for its duration. It returns the duration.
func (n *rawNet) jam(t *testing.T, x float64, at sim.Time) sim.Time {
	t.Helper()
	phy, err := NewPhy(n.s, DefaultPhyConfig())
	require.NoError(t, err)
	require.NoError(t, n.medium.Attach(phy, mobility.NewConstantPosition(mobility.Vector{X: x})))
	f := &Frame{Header: MACHeader{Type: FrameData, Addr1: packet.BroadcastMac48, Addr2: n.addrs.Allocate()},
		MSDU: n.pool.New(MTU + LLCSNAPSize), Mode: OfdmRate6Mbps}
	_, err = n.s.ScheduleAt(at, func() { phy.Send(f) })
	require.NoError(t, err)
	return FrameDuration(f.Size(), f.Mode)
}

// TestDuplicateDetection: the receiver's first k ACKs are lost (it sends
// them at -100 dBm), so the sender retransmits the same MPDU with the Retry
// bit and the same sequence number; the receiver acknowledges every copy
// and delivers the MSDU once (IEEE 802.11-2016 10.3.2.11; ns-3
// MacRxMiddle::IsDuplicate). With every ACK lost the sender gives up after
// RetryLimit (7) transmissions; the MSDU was still delivered once.
func TestDuplicateDetection(t *testing.T) {
	for _, lost := range []int{0, 1, 3, 6, 7} {
		t.Run("lost="+strconv.Itoa(lost), func(t *testing.T) {
			n := newRawNet(t, nil, 0, 10)
			a, b := n.macs[0], n.macs[1]
			power := b.Phy().Config().TxPowerDbm
			acks := 0
			b.OnTx = func(f *Frame) {
				require.Equal(t, FrameACK, f.Header.Type)
				acks++
				p := power
				if acks <= lost {
					p = -100
				}
				require.NoError(t, b.Phy().SetTxPowerDbm(p))
			}
			var sent []txRec
			a.OnTx = func(f *Frame) { sent = append(sent, recordTx(0, f, n.s.Now())) }
			failed := 0
			a.OnTxFailed = func(*Frame) { failed++ }
			var drops []DropReason
			a.OnDrop = func(_ *Frame, r DropReason) { drops = append(drops, r) }

			require.NoError(t, n.send(0, b.Address(), 500))
			n.s.RunUntil(100 * sim.Millisecond)

			tx := min(lost+1, 7)
			require.Len(t, sent, tx)
			for i, r := range sent {
				assert.Equal(t, sent[0].seq, r.seq, "transmission %d keeps the sequence number", i)
				assert.Equal(t, i > 0, r.retry, "transmission %d Retry bit", i)
			}
			assert.Equal(t, tx, acks, "every copy is acknowledged")
			assert.Equal(t, []int{500}, n.got[1], "delivered once")
			assert.Equal(t, uint64(tx-1), b.Counters.RxDuplicates)
			assert.Equal(t, uint64(1), b.Counters.RxData)
			assert.Equal(t, uint64(tx), a.Counters.TxData)
			assert.Equal(t, uint64(tx-1), a.Counters.TxRetries)
			assert.Equal(t, min(lost, 7), failed)
			if lost >= 7 {
				assert.Equal(t, []DropReason{DropRetryLimit}, drops)
				assert.Zero(t, a.Counters.TxOk)
			} else {
				assert.Empty(t, drops)
				assert.Equal(t, uint64(1), a.Counters.TxOk)
			}

			// the next MSDU has the next sequence number and is not a
			// duplicate
			require.NoError(t, n.send(0, b.Address(), 600))
			n.s.RunUntil(200 * sim.Millisecond)
			require.Len(t, sent, tx+1)
			assert.Equal(t, (sent[0].seq+1)&0xfff, sent[tx].seq)
			assert.False(t, sent[tx].retry)
			assert.Equal(t, []int{500, 600}, n.got[1])
			assert.Equal(t, uint64(tx-1), b.Counters.RxDuplicates)
		})
	}
}

// TestIsDuplicate checks the rule itself: a duplicate is a frame with the
// Retry bit whose sequence number equals the last one received from the
// same transmitter.
func TestIsDuplicate(t *testing.T) {
	x := packet.Mac48{0, 0, 0, 0, 0, 1}
	y := packet.Mac48{0, 0, 0, 0, 0, 2}
	h := func(from packet.Mac48, seq uint16, retry bool) MACHeader {
		return MACHeader{Type: FrameData, Addr2: from, Seq: seq, Retry: retry}
	}
	tests := []struct {
		name  string
		seq   []MACHeader
		dups  []bool
		total uint64
	}{
		{"first frame with Retry is new", []MACHeader{h(x, 7, true)}, []bool{false}, 0},
		{"retransmission", []MACHeader{h(x, 7, false), h(x, 7, true), h(x, 7, true)}, []bool{false, true, true}, 2},
		{"same number without Retry (wrap-around)", []MACHeader{h(x, 7, false), h(x, 7, false)}, []bool{false, false}, 0},
		{"other number with Retry", []MACHeader{h(x, 7, false), h(x, 8, true)}, []bool{false, false}, 0},
		{"per transmitter", []MACHeader{h(x, 7, false), h(y, 7, true), h(x, 7, true)}, []bool{false, false, true}, 1},
		{"older number forgotten", []MACHeader{h(x, 7, false), h(x, 8, false), h(x, 7, true)}, []bool{false, false, false}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newRawNet(t, nil, 0).macs[0]
			for i := range tc.seq {
				assert.Equal(t, tc.dups[i], m.isDuplicate(&tc.seq[i]), "frame %d", i)
			}
			assert.Equal(t, tc.total, m.Counters.RxDuplicates)
		})
	}
}

func TestSequenceNumberWraps(t *testing.T) {
	m := newRawNet(t, nil, 0).macs[0]
	m.seq = 4094
	assert.Equal(t, []uint16{4094, 4095, 0, 1}, []uint16{m.nextSeq(), m.nextSeq(), m.nextSeq(), m.nextSeq()})
}

// TestQueueFullDropsNewest: with MaxQueueSize 5, ten MSDUs queued at once
// keep the first five and drop the five newest with DropQueueFull (ns-3
// 3.37 FcfsWifiQueueScheduler DropPolicy DropNewest). The head stays queued
// while it is on the air and awaiting its ACK, as in ns-3's WifiMacQueue, so
// it still counts.
func TestQueueFullDropsNewest(t *testing.T) {
	n := newRawNet(t, func(c *MacConfig) { c.MaxQueueSize = 5 }, 0, 10)
	a, b := n.macs[0], n.macs[1]
	var dropped []int
	a.OnDrop = func(f *Frame, r DropReason) {
		assert.Equal(t, DropQueueFull, r)
		dropped = append(dropped, f.MSDU.PayloadSize())
	}
	var errs []error
	for i := range 10 {
		errs = append(errs, n.send(0, b.Address(), 100+i))
	}
	assert.Equal(t, []error{nil, nil, nil, nil, nil, ErrQueueFull, ErrQueueFull, ErrQueueFull, ErrQueueFull, ErrQueueFull}, errs)
	assert.Equal(t, 5, a.QueueLen())
	assert.Equal(t, []int{105, 106, 107, 108, 109}, dropped)
	assert.Equal(t, uint64(5), a.Counters.Drops)

	onAir := 0
	a.OnTx = func(f *Frame) {
		if onAir++; onAir == 1 {
			assert.Equal(t, 5, a.QueueLen(), "the head on the air is still queued")
			assert.ErrorIs(t, n.send(0, b.Address(), 110), ErrQueueFull)
		}
	}
	n.s.RunUntil(50 * sim.Millisecond)
	assert.Equal(t, []int{100, 101, 102, 103, 104}, n.got[1])
	assert.Equal(t, []int{105, 106, 107, 108, 109, 110}, dropped)
	assert.Zero(t, a.QueueLen())
	assert.Equal(t, uint64(5), a.Counters.TxOk)
	assert.Equal(t, uint64(6), a.Counters.Drops)
	for i := range 5 {
		require.NoError(t, n.send(0, b.Address(), 200+i), "room again")
	}
}

// TestQueueDelayExpiry: a jammer holds the medium for 3.136 ms from t = 0;
// ten MSDUs are queued at 0.1 ms with MaxQueueDelay 1 ms. They expire
// together (DropQueueExpired), either when the sender gets the medium or,
// if another MSDU is queued first, then: queueing checks the queue too
// (ns-3 3.37 Txop::Queue -> NeedBackoffUponAccess -> HasFramesToTransmit ->
// WipeAllExpiredMpdus). Two later MSDUs, queued at 3 ms, go: both are sent
// before 3.8 ms.
func TestQueueDelayExpiry(t *testing.T) {
	tests := []struct {
		name  string
		later sim.Time // when five more MSDUs are queued (0: never)
		// when the ten expire: at the later enqueue, or (0) at access
		expireAt sim.Time
	}{
		{"at channel access", 0, 0},
		{"at the next enqueue", 3 * sim.Millisecond, 3 * sim.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := newRawNet(t, func(c *MacConfig) { c.MaxQueueDelay = sim.Millisecond }, 0, 10)
			a, b := n.macs[0], n.macs[1]
			busy := n.jam(t, 5, 0)
			require.Equal(t, 3136*sim.Microsecond, busy)
			var expired []int
			var at []sim.Time
			a.OnDrop = func(f *Frame, r DropReason) {
				assert.Equal(t, DropQueueExpired, r)
				expired = append(expired, f.MSDU.PayloadSize())
				at = append(at, n.s.Now())
			}
			var firstTx sim.Time
			a.OnTx = func(*Frame) {
				if firstTx == 0 {
					firstTx = n.s.Now()
				}
			}
			n.s.Schedule(100*sim.Microsecond, func() {
				for i := range 10 {
					require.NoError(t, n.send(0, b.Address(), 100+i))
				}
			})
			var wantGot []int
			if tc.later > 0 {
				n.s.Schedule(tc.later, func() {
					for i := range 2 {
						require.NoError(t, n.send(0, b.Address(), 200+i))
					}
				})
				wantGot = []int{200, 201}
			}
			n.s.RunUntil(50 * sim.Millisecond)
			assert.Equal(t, []int{100, 101, 102, 103, 104, 105, 106, 107, 108, 109}, expired)
			require.Len(t, at, 10)
			for _, t1 := range at {
				assert.Equal(t, at[0], t1, "all at once")
			}
			if tc.expireAt > 0 {
				assert.Equal(t, tc.expireAt, at[0])
				assert.Greater(t, firstTx, busy)
			} else {
				// access: DIFS (the jammer's frame was received) plus the
				// backoff after the end of the jammer's frame
				assert.Greater(t, at[0], busy+DIFS-Slot)
				assert.LessOrEqual(t, at[0], busy+DIFS+15*Slot+sim.Microsecond)
				assert.Zero(t, firstTx, "nothing was left to send")
			}
			assert.Equal(t, wantGot, n.got[1])
			assert.Equal(t, uint64(10), a.Counters.Drops)
			assert.Equal(t, uint64(len(wantGot)), a.Counters.TxData)
		})
	}
}

// TestQueueFullWipesExpired: a full queue first drops its expired MSDUs to
// make room for a new one (ns-3 3.37 Txop::Queue -> NeedBackoffUponAccess ->
// HasFramesToTransmit -> WipeAllExpiredMpdus), and an MSDU expires when it
// has waited exactly MaxQueueDelay (WifiMacQueueContainer::
// DoExtractExpiredMpdus: expiry time <= now). The jammer keeps the sender
// off the medium until 3.136 ms; MaxQueueDelay is 2 ms.
func TestQueueFullWipesExpired(t *testing.T) {
	n := newRawNet(t, func(c *MacConfig) {
		c.MaxQueueSize = 5
		c.MaxQueueDelay = 2 * sim.Millisecond
	}, 0, 10)
	a, b := n.macs[0], n.macs[1]
	n.jam(t, 5, 0)
	type drop struct {
		size int
		r    DropReason
		at   sim.Time
	}
	var drops []drop
	a.OnDrop = func(f *Frame, r DropReason) { drops = append(drops, drop{f.MSDU.PayloadSize(), r, n.s.Now()}) }
	var errs []error
	n.s.Schedule(100*sim.Microsecond, func() {
		for i := range 5 {
			errs = append(errs, n.send(0, b.Address(), 100+i))
		}
	})
	n.s.Schedule(600*sim.Microsecond, func() { errs = append(errs, n.send(0, b.Address(), 300)) })
	n.s.Schedule(2100*sim.Microsecond, func() { errs = append(errs, n.send(0, b.Address(), 400)) })
	n.s.RunUntil(50 * sim.Millisecond)

	assert.Equal(t, []error{nil, nil, nil, nil, nil, ErrQueueFull, nil}, errs)
	want := []drop{{300, DropQueueFull, 600 * sim.Microsecond}}
	for i := range 5 {
		want = append(want, drop{100 + i, DropQueueExpired, 2100 * sim.Microsecond})
	}
	assert.Equal(t, want, drops)
	assert.Equal(t, []int{400}, n.got[1])
}

// TestMacQueue checks the ring buffer: FIFO order across growth and
// wrap-around, the size limit, and the expiry boundary.
func TestMacQueue(t *testing.T) {
	q := macQueue{maxSize: 40, maxDelay: 10}
	next, want := 0, 0
	for round := range 20 {
		for range 1 + round%7 {
			room := q.len() < 40
			ok := q.push(queuedMPDU{frame: Frame{Header: MACHeader{Seq: uint16(next)}}, enqueued: sim.Time(next)})
			require.Equal(t, room, ok)
			if ok {
				next++
			}
		}
		for range round % 5 {
			if q.len() == 0 {
				break
			}
			require.Equal(t, uint16(want), q.front().frame.Header.Seq)
			require.Equal(t, uint16(want), q.pop().frame.Header.Seq)
			want++
		}
	}
	assert.Equal(t, next-want, q.len())
	for q.len() > 0 {
		require.Equal(t, uint16(want), q.pop().frame.Header.Seq)
		want++
	}
	assert.Nil(t, q.front())

	full := macQueue{maxSize: 2}
	assert.True(t, full.push(queuedMPDU{}))
	assert.True(t, full.push(queuedMPDU{}))
	assert.False(t, full.push(queuedMPDU{}))
	unlimited := macQueue{}
	for range 1000 {
		require.True(t, unlimited.push(queuedMPDU{}))
	}

	e := macQueue{maxDelay: 10}
	assert.False(t, e.expired(100), "empty")
	e.push(queuedMPDU{enqueued: 5})
	assert.False(t, e.expired(14))
	assert.True(t, e.expired(15), "expired after exactly MaxQueueDelay")
	never := macQueue{}
	never.push(queuedMPDU{enqueued: 0})
	assert.False(t, never.expired(sim.MaxTime))
}

// PhyRxStart runs in ns-3 3.37's order: the frame exchange's RX-start
// indication first (PhyEntity::DoStartReceivePayload fires the
// PhyRxPayloadBegin trace, FrameExchangeManager::RxStartIndication), the
// channel access second (StartReceivePayload's SwitchToRx, then
// NotifyRxStartNow). Waiting for an ACK, the indication resets the ACK
// timeout and restarts the access timer of a Txop asking for access on
// what the channel access knew before the reception: the timer is set for
// the end of that Txop's backoff as if the medium stayed idle (it fires
// during the reception, finds the medium busy and is set again), not
// after the reception, as the other order would set it.
func TestRxStartOrder(t *testing.T) {
	n := newRawNet(t, nil, 0)
	m := n.macs[0]
	other := newTxop(m, "test/other", 2, 15, 1023, 10, 0)
	m.cam.txops = append(m.cam.txops, other)
	start, rxEnd := sim.Millisecond, sim.Millisecond+200*sim.Microsecond
	var timer sim.Time
	_, err := n.s.ScheduleAt(start, func() {
		m.fex.setTimer(timerWaitAck, 50*sim.Microsecond)
		other.backoffStart, other.backoffSlots = 0, 3
		other.access = accessRequested
		m.PhyRxStart(rxEnd)
		require.False(t, m.cam.accessTimeout.IsZero())
		timer = m.cam.accessTimeout.Time()
	})
	require.NoError(t, err)
	n.s.RunUntil(start + 1)
	// SIFS after the ACK timeout's reset, AIFSN 2 slots, 3 backoff slots.
	require.Equal(t, start+SIFS+5*Slot, timer)
	require.Equal(t, rxEnd, m.cam.lastRxEnd)
	require.Equal(t, start, m.cam.lastAckTimeoutEnd)
}
