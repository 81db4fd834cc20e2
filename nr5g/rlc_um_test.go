package nr5g

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// rlcRecorder is an rlcUser that records reports, deliveries and events.
type rlcRecorder struct {
	reports   []BufferStatus
	delivered []uint64 // uids
	sizes     []int
	events    []RlcEvent
}

func (r *rlcRecorder) rlcEvent(_ uint8, _ RlcMode, ev RlcEvent, _ *rlcPdu, _ int) {
	r.events = append(r.events, ev)
}

func (r *rlcRecorder) rlcBufferStatus(_ uint8, st BufferStatus) { r.reports = append(r.reports, st) }
func (r *rlcRecorder) rlcDeliver(_ uint8, p *packet.Packet) {
	r.delivered = append(r.delivered, p.UID())
	r.sizes = append(r.sizes, p.Size())
	p.Release()
}

type rlcPair struct {
	s      *sim.Simulator
	pool   *packet.Pool
	pdus   rlcPdus
	tx, rx *rlcUM
	txu    rlcRecorder
	rxu    rlcRecorder
}

func newRlcPair() *rlcPair {
	p := &rlcPair{s: sim.New(1, 1), pool: packet.NewPool()}
	p.tx = newRlcUM(p.s, DefaultRlcConfig(), 4, &p.txu, &p.pdus)
	p.rx = newRlcUM(p.s, DefaultRlcConfig(), 4, &p.rxu, &p.pdus)
	return p
}

func (p *rlcPair) sdu(size int) uint64 {
	q := p.pool.New(size)
	p.tx.transmitSdu(q)
	return q.UID()
}

func TestRlcHeaderSize(t *testing.T) {
	for _, tc := range []struct{ k, want int }{{0, 0}, {1, 2}, {2, 4}, {3, 5}, {4, 7}, {5, 8}} {
		require.Equal(t, tc.want, rlcHeaderSize(tc.k), "k=%d", tc.k)
	}
}

// TestRlcUmSegmentation follows NrRlcUm::DoNotifyTxOpportunity on a 94-byte
// SDU (a 64-byte datagram with IPv4, UDP and PDCP headers) and the grants
// a UE gets at MCS 0: 18 bytes (a 26-byte TB less the BSR and the
// subheader) carry a 16-byte first segment, and the rest goes in one PDU
// of 80 bytes. The receiver delivers the SDU once, whole.
func TestRlcUmSegmentation(t *testing.T) {
	p := newRlcPair()
	uid := p.sdu(94)
	require.Equal(t, BufferStatus{TxQueue: 96}, p.txu.reports[0], "94 bytes + 2 per SDU")
	for _, tc := range []struct {
		bytes, size int
		fi          uint8
		left        uint32
	}{
		{2, 0, 0, 96},                            // too small: nothing
		{18, 18, fiFirstByte | fiNoLastByte, 80}, // 16 bytes of data
		{200, 80, fiNoFirstByte | fiLastByte, 0}, // the remaining 78
		{200, 0, 0, 0},                           // empty buffer
	} {
		pdu := p.tx.txOpportunity(tc.bytes)
		if tc.size == 0 {
			require.Nil(t, pdu, "opportunity %d", tc.bytes)
			continue
		}
		require.NotNil(t, pdu)
		require.Equal(t, tc.size, pdu.size, "opportunity %d", tc.bytes)
		require.Equal(t, 2, pdu.header)
		require.Equal(t, tc.fi, pdu.fi)
		require.Equal(t, tc.left, p.tx.bufferStatus().TxQueue)
		p.rx.receivePdu(pdu)
	}
	require.Equal(t, []uint64{uid}, p.rxu.delivered)
	require.Equal(t, []int{94}, p.rxu.sizes)
	st := p.rx.stats()
	require.Equal(t, uint64(2), st.RxPdus)
	require.Equal(t, uint64(1), st.RxSdus)
}

// TestRlcUmConcatenation: three SDUs in one opportunity, with length
// indicators for the first two (header 2 + 2 + 1 = 5 bytes); an
// opportunity that leaves 2 bytes or less after an SDU takes only that SDU.
func TestRlcUmConcatenation(t *testing.T) {
	p := newRlcPair()
	a, b, c := p.sdu(40), p.sdu(50), p.sdu(60)
	pdu := p.tx.txOpportunity(1000)
	require.Equal(t, 5+150, pdu.size)
	require.Len(t, pdu.segs, 3)
	require.Equal(t, uint8(fiFirstByte|fiLastByte), pdu.fi)
	p.rx.receivePdu(pdu)
	require.Equal(t, []uint64{a, b, c}, p.rxu.delivered)

	d, e := p.sdu(40), p.sdu(40)
	pdu = p.tx.txOpportunity(44) // 42 data bytes: 40 + 2 left, no room for an LI
	require.Equal(t, 42, pdu.size)
	require.Len(t, pdu.segs, 1)
	p.rx.receivePdu(pdu)
	p.rx.receivePdu(p.tx.txOpportunity(1000))
	require.Equal(t, []uint64{a, b, c, d, e}, p.rxu.delivered)
}

// TestRlcUmTailDrop: the transmission buffer holds at most 10 KiB of PDCP
// PDUs; the next one is dropped and counted, and the buffer is reported
// after every PDU, dropped or not.
func TestRlcUmTailDrop(t *testing.T) {
	p := newRlcPair()
	for range 7 {
		p.sdu(1400) // 9800 bytes
	}
	p.sdu(1400) // 11200 > 10240: dropped
	p.sdu(400)  // 10200: fits
	st := p.tx.stats()
	require.Equal(t, uint64(8), st.TxSdus)
	require.Equal(t, uint64(1), st.TxDrops)
	require.Len(t, p.txu.reports, 9)
	require.Equal(t, uint32(10200+2*8), p.txu.reports[8].TxQueue)
}

// TestRlcUmReordering: t-Reordering holds PDUs behind a gap (HARQ
// reordering) until the missing one comes, or for 100 ms if it never
// does, then delivers what follows in order.
func TestRlcUmReordering(t *testing.T) {
	p := newRlcPair()
	var pdus []*rlcPdu
	var uids []uint64
	for range 4 {
		uids = append(uids, p.sdu(100))
		pdus = append(pdus, p.tx.txOpportunity(1000))
	}
	// SN 1 before SN 0: held, then both.
	p.rx.receivePdu(pdus[1])
	require.Empty(t, p.rxu.delivered)
	p.rx.receivePdu(pdus[0])
	require.Equal(t, uids[:2], p.rxu.delivered)
	// SN 2 lost: SN 3 waits 100 ms.
	p.rx.receivePdu(pdus[3])
	p.s.RunUntil(100*sim.Millisecond - 1)
	require.Equal(t, uids[:2], p.rxu.delivered)
	p.s.RunUntil(100*sim.Millisecond + 1)
	require.Equal(t, []uint64{uids[0], uids[1], uids[3]}, p.rxu.delivered)
	require.Equal(t, uint64(1), p.rx.stats().Reorderings)
	// The late SN 2 is outside the window now: discarded.
	p.rx.receivePdu(pdus[2])
	require.Equal(t, uint64(1), p.rx.stats().RxDiscarded)
}

// TestRlcUmLostSegment: losing the first segment of an SDU loses the SDU;
// the SDUs after it still arrive.
func TestRlcUmLostSegment(t *testing.T) {
	p := newRlcPair()
	p.sdu(100)
	second := p.sdu(30)
	first := p.tx.txOpportunity(50) // first 48 bytes of SDU 0
	rest := p.tx.txOpportunity(200) // its last 52 bytes and SDU 1
	p.pdus.put(first)               // lost
	p.rx.receivePdu(rest)
	p.s.RunUntil(200 * sim.Millisecond)
	require.Equal(t, []uint64{second}, p.rxu.delivered)
	require.Equal(t, uint64(1), p.rx.stats().RxLostSdus)
}

// TestRlcUmBsrTimer: data left after an opportunity is reported again
// every 10 ms, flagged as from the BSR timer.
func TestRlcUmBsrTimer(t *testing.T) {
	p := newRlcPair()
	p.sdu(500)
	p.rx.pdus.put(p.tx.txOpportunity(100))
	n := len(p.txu.reports)
	p.s.RunUntil(25 * sim.Millisecond)
	require.Len(t, p.txu.reports, n+2)
	require.True(t, p.txu.reports[n].ExpBsrTimer)
	require.Equal(t, uint32(402+2), p.txu.reports[n].TxQueue)
	require.Equal(t, uint32(10), p.txu.reports[n].TxHolDelay)
}

func TestBsrLevels(t *testing.T) {
	for _, tc := range []struct {
		bytes uint32
		level uint8
		back  uint32
	}{{0, 0, 0}, {1, 1, 10}, {10, 1, 10}, {11, 2, 14}, {104, 9, 142}, {5990, 21, 7587}, {150000, 30, 150000}, {150001, 31, 1200000}} {
		require.Equal(t, tc.level, BsrLevel(tc.bytes), "%d bytes", tc.bytes)
		require.Equal(t, tc.back, BsrBytes(tc.level), "level %d", tc.level)
	}
}

// TestRlcUmDiscardTracing: with EnablePdcpDiscarding an SDU arriving while
// the head of the buffer has waited longer than the discard timer (here
// the bearer's 100 ms budget, compared in whole milliseconds) is traced as
// discarded and kept, as NrRlcUm does; the UE's entities (no budget) never
// trace.
func TestRlcUmDiscardTracing(t *testing.T) {
	s := sim.New(1, 1)
	var u rlcRecorder
	var pdus rlcPdus
	pool := packet.NewPool()
	r := newRlc(s, RlcUM, DefaultRlcConfig(), 3, 100*sim.Millisecond, &u, &pdus).(*rlcUM)
	ue := newRlc(s, RlcUM, DefaultRlcConfig(), 3, 0, &u, &pdus).(*rlcUM)
	r.transmitSdu(pool.New(100))
	ue.transmitSdu(pool.New(100))
	for _, at := range []sim.Time{100*sim.Millisecond + 999*sim.Microsecond, 101 * sim.Millisecond} {
		s.RunUntil(at)
		r.transmitSdu(pool.New(100))
		ue.transmitSdu(pool.New(100))
	}
	require.Equal(t, uint64(1), r.stats().DiscardTimerHits)
	require.Equal(t, uint64(3), r.stats().TxSdus, "traced, not dropped")
	require.Zero(t, ue.stats().DiscardTimerHits)
	require.Equal(t, []RlcEvent{RlcDiscard}, u.events)
}
