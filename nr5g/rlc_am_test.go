package nr5g

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

type amPair struct {
	s      *sim.Simulator
	pool   *packet.Pool
	pdus   rlcPdus
	tx, rx *rlcAM
	txu    rlcRecorder
	rxu    rlcRecorder
}

func newAmPair() *amPair {
	p := &amPair{s: sim.New(1, 1), pool: packet.NewPool()}
	cfg := DefaultRlcConfig()
	p.tx = newRlcAM(p.s, cfg, 4, &p.txu, &p.pdus)
	p.rx = newRlcAM(p.s, cfg, 4, &p.rxu, &p.pdus)
	return p
}

func (p *amPair) sdu(size int) uint64 {
	q := p.pool.New(size)
	p.tx.transmitSdu(q)
	return q.UID()
}

func TestRlcAmSizes(t *testing.T) {
	for _, tc := range []struct{ k, want int }{{1, 4}, {2, 6}, {3, 7}, {4, 9}} {
		require.Equal(t, tc.want, amHeaderSize(tc.k), "k=%d", tc.k)
	}
	for _, tc := range []struct{ n, want int }{{0, 2}, {1, 4}, {2, 5}, {3, 7}} {
		require.Equal(t, tc.want, statusSize(tc.n), "n=%d", tc.n)
	}
	d := DefaultRlcConfig()
	require.Equal(t, RlcAmConfig{MaxTxBufferBytes: 10240, PollRetransmitTimer: 20 * sim.Millisecond,
		ReorderingTimer: 10 * sim.Millisecond, StatusProhibitTimer: 10 * sim.Millisecond,
		BufferStatusReportTimer: 20 * sim.Millisecond}, d.Am)
	require.NoError(t, d.Validate())
}

// TestRlcAmStatusExchange: an SDU of 100 bytes goes in two PDUs (a
// 30-byte opportunity carries 26 bytes after the 4-byte header), each
// polling (PollPdu 1); the receiver delivers the SDU once, asks for a
// STATUS PDU of 4 bytes in its buffer report, builds it with ACK_SN 2 and
// no NACK, and the transmitter's buffers empty on it.
func TestRlcAmStatusExchange(t *testing.T) {
	p := newAmPair()
	uid := p.sdu(100)
	require.Equal(t, BufferStatus{TxQueue: 100}, p.txu.reports[0], "no header estimate")
	a := p.tx.txOpportunity(30)
	require.Equal(t, 30, a.size)
	require.True(t, a.poll)
	require.Equal(t, uint16(0), a.sn)
	st := p.tx.bufferStatus()
	require.Equal(t, uint32(74), st.TxQueue)
	require.Equal(t, uint32(30), st.RetxQueue, "unacknowledged PDUs count as retransmission queue")
	b := p.tx.txOpportunity(200)
	require.Equal(t, 78, b.size)
	require.Equal(t, uint8(fiNoFirstByte|fiLastByte), b.fi)

	p.rx.receivePdu(a)
	p.rx.receivePdu(b)
	require.Equal(t, []uint64{uid}, p.rxu.delivered)
	require.Equal(t, []int{100}, p.rxu.sizes)
	last := p.rxu.reports[len(p.rxu.reports)-1]
	require.Equal(t, uint32(4), last.StatusPdu)
	s := p.rx.txOpportunity(4)
	require.True(t, s.ctrl)
	require.Equal(t, uint16(2), s.ackSn)
	require.Empty(t, s.nacks)
	require.Equal(t, 2, s.size)
	require.Nil(t, p.rx.txOpportunity(100), "t-StatusProhibit: no second STATUS PDU")

	p.tx.receivePdu(s)
	require.Equal(t, uint16(2), p.tx.vtA)
	require.Equal(t, BufferStatus{}, p.tx.bufferStatus())
	require.Equal(t, uint64(1), p.tx.stats().RxStatus)
	require.Equal(t, uint64(1), p.rx.stats().TxStatus)
}

// TestRlcAmRetransmission: of three PDUs the middle one is lost; the
// receiver delivers the first SDU, holds the third, and when its
// t-Reordering (10 ms) expires requests a STATUS PDU that NACKs SN 1 with
// ACK_SN 3. The transmitter retransmits SN 1 (whole: an opportunity too
// small for it gives nothing) and the receiver delivers SDUs 2 and 3 in
// order.
func TestRlcAmRetransmission(t *testing.T) {
	p := newAmPair()
	var uids []uint64
	for range 3 {
		uids = append(uids, p.sdu(50))
	}
	var sent []*rlcPdu
	for range 3 {
		sent = append(sent, p.tx.txOpportunity(54))
	}
	require.Equal(t, []uint16{0, 1, 2}, []uint16{sent[0].sn, sent[1].sn, sent[2].sn})
	p.rx.receivePdu(sent[0])
	p.pdus.put(sent[1]) // lost
	p.rx.receivePdu(sent[2])
	require.Equal(t, uids[:1], p.rxu.delivered)
	p.rx.txOpportunity(4) // the STATUS PDU the polls asked for, taken by the MAC...
	p.s.RunUntil(11 * sim.Millisecond)
	require.Equal(t, uint64(1), p.rx.stats().Reorderings)
	s := p.rx.txOpportunity(10)
	require.NotNil(t, s, "t-StatusProhibit expired at 10 ms")
	require.Equal(t, []uint16{1}, s.nacks)
	require.Equal(t, uint16(3), s.ackSn)
	require.Equal(t, 4, s.size)
	p.tx.receivePdu(s)
	require.Equal(t, uint16(1), p.tx.vtA)
	st := p.tx.bufferStatus()
	require.Equal(t, uint32(54), st.RetxQueue)
	require.Nil(t, p.tx.txOpportunity(40), "a retransmission is not re-segmented")
	r := p.tx.txOpportunity(60)
	require.Equal(t, uint16(1), r.sn)
	require.True(t, r.retx)
	require.True(t, r.poll, "the last PDU to retransmit polls")
	p.rx.receivePdu(r)
	require.Equal(t, uids, p.rxu.delivered)
	require.Equal(t, uint64(1), p.tx.stats().TxRetx)
}

// TestRlcAmPollRetransmit: when no STATUS PDU comes back within
// t-PollRetransmit (20 ms) and nothing new is queued, every PDU not yet
// acknowledged is queued for retransmission and the next one polls.
func TestRlcAmPollRetransmit(t *testing.T) {
	p := newAmPair()
	p.sdu(50)
	p.sdu(50)
	a := p.tx.txOpportunity(54)
	b := p.tx.txOpportunity(54)
	p.pdus.put(a)
	p.pdus.put(b)
	p.s.RunUntil(19 * sim.Millisecond)
	require.Zero(t, p.tx.retxBytes)
	p.s.RunUntil(21 * sim.Millisecond)
	require.Equal(t, 108, p.tx.retxBytes)
	r := p.tx.txOpportunity(100)
	require.Equal(t, uint16(0), r.sn)
	require.True(t, r.poll)
	p.rx.receivePdu(r)
	require.Len(t, p.rxu.delivered, 1)
}

// TestRlcAmWindowAndBuffer: the transmission buffer drops an SDU that does
// not fit (10 KiB) and an opportunity below 7 bytes carries no new data.
func TestRlcAmWindowAndBuffer(t *testing.T) {
	p := newAmPair()
	for range 10 {
		p.sdu(1024)
	}
	p.sdu(1)
	require.Equal(t, uint64(1), p.tx.stats().TxDrops)
	require.Nil(t, p.tx.txOpportunity(6))
	require.Equal(t, []RlcEvent{RlcDrop}, p.txu.events)
	require.NotNil(t, p.tx.txOpportunity(7))
	require.Equal(t, []RlcEvent{RlcDrop, RlcTx}, p.txu.events)
	p.tx.release()
	require.Equal(t, BufferStatus{}, p.tx.bufferStatus())
}

// TestRlcAmOverTheAir: 200 downlink datagrams of 500 bytes, one every
// 2 ms, at MCS 28 (fixed) over a 20 MHz carrier whose DL SINR is a little
// low for it (the UL at 30 dB). With RLC UM at 4.7 dB blocks that fail
// all four HARQ transmissions lose their datagrams (6%); with RLC AM at
// 5 dB blocks still fail all four, but STATUS PDUs NACK them and the gNB's
// RLC retransmits them: every datagram arrives.
func TestRlcAmOverTheAir(t *testing.T) {
	for _, tc := range []struct {
		mode     RlcMode
		sinrDb   float64
		received int
	}{{RlcUM, 4.7, 94000}, {RlcAM, 5, 100000}} {
		tn := newTestNet(t, 1, 20e6, tc.sinrDb, func(c *NetworkConfig) {
			c.Gnb.Rlc.Mode = tc.mode
			c.Gnb.Scheduler.FixedMcsDl, c.Gnb.Scheduler.StartingMcsDl = true, 28
		})
		tn.ch.SetSINR(tn.ue.Radio(), tn.g.Radio(), 30)
		tn.s.RunUntil(50 * sim.Millisecond)
		for k := range 200 {
			require.NoError(t, tn.down.SendTo(500, tn.ue.UE().Address(), 5000))
			tn.s.RunUntil(50*sim.Millisecond + sim.Time(k+1)*2*sim.Millisecond)
		}
		tn.s.RunUntil(2 * sim.Second)
		lost := 0
		for _, tr := range tn.tbs {
			if tr.Dir == Downlink && tr.Corrupted && tr.RV == MaxHarqRetx {
				lost++
			}
		}
		require.Positive(t, lost, "%v: blocks lost after HARQ", tc.mode)
		require.Equal(t, tc.received, tn.ueRx, "%v", tc.mode)
		gs, _, ok := tn.g.BearerStats(tn.ue.RNTI(), 1)
		require.True(t, ok)
		us, _, _ := tn.ue.BearerStats(1)
		if tc.mode == RlcAM {
			require.Positive(t, gs.TxRetx)
			require.Positive(t, us.TxStatus)
			require.Equal(t, us.TxStatus, gs.RxStatus)
		} else {
			require.Zero(t, us.TxPdus, "RLC UM sends nothing back")
		}
	}
}

// TestRlcModeFor: NrGnbRrc::GetRlcType's mapping, PER_BASED choosing AM
// for 5QI 9 (PER 1e-6) and UM for 5QI 1 (1e-2), and the per-bearer
// override of ModeByQCI.
func TestRlcModeFor(t *testing.T) {
	c := DefaultRlcConfig()
	b9, b1 := epc.Bearer{QCI: epc.NGBRVideoTCPDefault}, epc.Bearer{QCI: epc.GBRConvVoice}
	require.Equal(t, RlcUM, c.modeFor(b9, epc.Release18))
	c.Mode = RlcPerBased
	require.Equal(t, RlcAM, c.modeFor(b9, epc.Release18))
	require.Equal(t, RlcUM, c.modeFor(b1, epc.Release18))
	c.ModeByQCI = map[epc.QCI]RlcMode{epc.GBRConvVoice: RlcAM}
	require.Equal(t, RlcAM, c.modeFor(b1, epc.Release18))
	require.NoError(t, c.Validate())
	c.ModeByQCI[epc.NGBRIMS] = RlcPerBased
	require.ErrorContains(t, c.Validate(), "ModeByQCI[5]")
	require.Equal(t, "PER_BASED", RlcPerBased.String())
}
