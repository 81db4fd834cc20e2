package mmwave

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

// rlcProbe connects RLC entities to a simulator and records what they
// report and deliver.
type rlcProbe struct {
	s         *sim.Simulator
	pool      pduPool
	reports   []bufferStatus
	reportAt  []sim.Time
	delivered []int // sizes of delivered SDUs
	dropped   uint64
}

func newRlcProbe() *rlcProbe { return &rlcProbe{s: sim.New(1, 1)} }

func (p *rlcProbe) hooks() rlcHooks {
	return rlcHooks{
		s: p.s, pool: &p.pool, lcid: 3,
		report: func(b bufferStatus) {
			p.reports = append(p.reports, b)
			p.reportAt = append(p.reportAt, p.s.Now())
		},
		deliver: func(x *sdu) { p.delivered = append(p.delivered, x.size) },
		dropped: &p.dropped,
	}
}

// send queues SDUs of the given sizes.
func (p *rlcProbe) send(e rlcEntity, sizes ...int) {
	for _, n := range sizes {
		e.transmitSdu(p.pool.newSdu(nil, n, p.s.Now()))
	}
}

func segBytes(p *rlcPDU) []int {
	var out []int
	for _, sg := range p.segs {
		out = append(out, sg.bytes)
	}
	return out
}

// TestRlcUmTxOpportunity: LteRlcUmLowLat::DoNotifyTxOpportunity's
// segmentation and concatenation with LteRlcHeader's sizes (2 fixed bytes,
// then 2 and 1 bytes of E/LI per further element).
func TestRlcUmTxOpportunity(t *testing.T) {
	cases := []struct {
		name     string
		sdus     []int
		grants   []int
		segs     [][]int
		sizes    []int
		leftover int
	}{
		{"three SDUs concatenated", []int{100, 100, 100}, []int{500}, [][]int{{100, 100, 100}}, []int{305}, 0},
		{"one SDU segmented", []int{1000}, []int{400, 700}, [][]int{{398}, {602}}, []int{400, 604}, 0},
		{"second SDU segmented", []int{100, 1000}, []int{300}, [][]int{{100, 196}}, []int{300}, 804},
		{"no room left for a third header", []int{100, 100, 100}, []int{206}, [][]int{{100, 100}}, []int{204}, 100},
		{"SDU above the 11-bit LI goes alone", []int{3000, 100}, []int{4000}, [][]int{{3000}}, []int{3002}, 100},
		{"grant of 2 bytes carries nothing", []int{100}, []int{2}, [][]int{nil}, []int{0}, 100},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newRlcProbe()
			cfg := DefaultRlcUmConfig()
			r := newRlcUm(p.hooks(), cfg, true)
			p.send(r, c.sdus...)
			for i, g := range c.grants {
				pdu := r.txOpportunity(g)
				if c.segs[i] == nil {
					require.Nil(t, pdu)
					continue
				}
				require.NotNil(t, pdu)
				require.Equal(t, c.segs[i], segBytes(pdu))
				require.Equal(t, c.sizes[i], pdu.size)
				require.Equal(t, uint16(i), pdu.sn)
				p.pool.releasePdu(pdu)
			}
			require.Equal(t, c.leftover, r.txBufSize)
		})
	}
}

// TestRlcUmBufferStatus: the buffer is reported on an SDU unless a report
// is pending (m_bsrReported: no transmission since), with 2 header bytes
// per SDU; the ReportBufferStatusTimer reports again after a transmission
// and then every 10 ms while data waits; a full buffer drops.
func TestRlcUmBufferStatus(t *testing.T) {
	p := newRlcProbe()
	cfg := DefaultRlcUmConfig()
	cfg.MaxTxBufferSize = 2500
	r := newRlcUm(p.hooks(), cfg, true)
	p.send(r, 1000)
	require.Len(t, p.reports, 1)
	require.Equal(t, uint32(1002), p.reports[0].txQueue)
	p.send(r, 1000, 1000) // pending report: none; the third SDU is dropped
	require.Len(t, p.reports, 1)
	require.Equal(t, uint64(1), p.dropped)
	require.Equal(t, 2000, r.txBufSize)

	// A transmission clears the pending flag; the timer (20 ms after the
	// last SDU or transmission) reports the rest.
	p.s.Schedule(5*sim.Millisecond, func() { p.pool.releasePdu(r.txOpportunity(500)) })
	p.s.RunUntil(24 * sim.Millisecond)
	require.Len(t, p.reports, 1)
	p.s.RunUntil(26 * sim.Millisecond)
	require.Len(t, p.reports, 2)
	require.Equal(t, 25*sim.Millisecond, p.reportAt[1])
	require.Equal(t, uint32(1502+2*2), p.reports[1].txQueue)
	require.Equal(t, uint32(25000), p.reports[1].txHolDelayMicros)
	// ExpireRbsTimer does not set m_bsrReported: every 10 ms re-arm
	// reports again while data waits.
	p.s.RunUntil(60 * sim.Millisecond)
	require.Equal(t, []sim.Time{0, 25 * sim.Millisecond, 35 * sim.Millisecond, 45 * sim.Millisecond, 55 * sim.Millisecond}, p.reportAt)
	require.Equal(t, uint32(55000), p.reports[4].txHolDelayMicros)

	// SendBsrWhenPacketTx reports right after a transmission.
	p = newRlcProbe()
	cfg.SendBsrWhenPacketTx = true
	r = newRlcUm(p.hooks(), cfg, true)
	p.send(r, 1000)
	p.pool.releasePdu(r.txOpportunity(600))
	require.Len(t, p.reports, 2)
	require.Equal(t, uint32(402+2), p.reports[1].txQueue)
}

// TestRlcUmReceive: in-order PDUs deliver whole SDUs, segments are
// reassembled; a PDU out of order waits for the missing SN or for
// t-Reordering, after which the SDU with a lost segment is discarded.
func TestRlcUmReceive(t *testing.T) {
	build := func(sizes []int, grants []int) (*rlcProbe, []*rlcPDU) {
		p := newRlcProbe()
		tx := newRlcUm(p.hooks(), DefaultRlcUmConfig(), true)
		p.send(tx, sizes...)
		var pdus []*rlcPDU
		for _, g := range grants {
			pdus = append(pdus, tx.txOpportunity(g))
		}
		return p, pdus
	}
	cases := []struct {
		name      string
		sizes     []int
		grants    []int
		order     []int // PDUs received, by index
		early     []int // delivered before t-Reordering
		delivered []int // delivered in the end
	}{
		{"in order with segments", []int{300, 500, 200}, []int{400, 400, 400}, []int{0, 1, 2}, []int{300, 500, 200}, []int{300, 500, 200}},
		{"reordered", []int{300, 500, 200}, []int{400, 400, 400}, []int{1, 0, 2}, []int{300, 500, 200}, []int{300, 500, 200}},
		{"lost middle PDU", []int{300, 500, 200}, []int{400, 400, 400}, []int{0, 2}, []int{300}, []int{300, 200}},
		{"lost first PDU", []int{300, 500, 200}, []int{400, 400, 400}, []int{1, 2}, nil, []int{200}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, pdus := build(c.sizes, c.grants)
			rx := newRlcUm(p.hooks(), DefaultRlcUmConfig(), true)
			for _, i := range c.order {
				rx.receivePdu(pdus[i])
			}
			require.Equal(t, c.early, p.delivered)
			p.s.RunUntil(200 * sim.Millisecond)
			require.Equal(t, c.delivered, p.delivered)
			for _, x := range pdus {
				p.pool.releasePdu(x)
			}
			rx.close()
		})
	}
}
