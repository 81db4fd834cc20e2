package mmwave

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

// amPair is a transmitting and a receiving RLC AM entity on one simulator;
// both sides' reports and the receiver's deliveries are recorded.
type amPair struct {
	p      *rlcProbe
	tx, rx *rlcAm
}

func newAmPair(t *testing.T) *amPair {
	t.Helper()
	cfg := DefaultRlcAmConfig()
	require.NoError(t, cfg.validate())
	p := newRlcProbe()
	return &amPair{p: p, tx: newRlcAm(p.hooks(), cfg), rx: newRlcAm(p.hooks(), cfg)}
}

// TestRlcAmNewPdu: new AMD PDUs take the 4-byte header budget of
// LteRlcAm::DoNotifyTxOpportunity with a poll in every PDU (ns3-mmwave's
// PollPdu 1), are kept for retransmission, and grants below 7 bytes carry
// no new data.
func TestRlcAmNewPdu(t *testing.T) {
	cases := []struct {
		name  string
		sdus  []int
		grant int
		segs  []int
		size  int
		txon  int
	}{
		{"two SDUs", []int{100, 100}, 300, []int{100, 100}, 206, 0},
		{"segment", []int{1000}, 400, []int{396}, 400, 604},
		{"too small", []int{100}, 6, nil, 0, 100},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := newAmPair(t)
			a.p.send(a.tx, c.sdus...)
			pdu := a.tx.txOpportunity(c.grant)
			if c.segs == nil {
				require.Nil(t, pdu)
				require.Equal(t, c.txon, a.tx.txonSize)
				return
			}
			require.Equal(t, c.segs, segBytes(pdu))
			require.Equal(t, c.size, pdu.size)
			require.True(t, pdu.am.poll)
			require.True(t, a.tx.pollRunning)
			require.Equal(t, c.size, a.tx.txedSize)
			require.Equal(t, c.txon, a.tx.txonSize)
			a.p.pool.releasePdu(pdu)
		})
	}
}

// TestRlcAmStatusAndRetransmission: the receiver answers a poll with a
// STATUS PDU; a lost PDU leaves a gap that t-Reordering (10 ms) turns into
// a NACK; the sender retransmits the NACKed PDU, resegmented when the grant
// is smaller, and the receiver delivers every SDU in order.
func TestRlcAmStatusAndRetransmission(t *testing.T) {
	cases := []struct {
		name      string
		retxGrant []int // grants for the retransmission of PDU 1
		segs      int   // PDUs the retransmission takes
	}{
		{"whole", []int{500}, 1},
		{"resegmented", []int{200, 200, 200}, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := newAmPair(t)
			s := a.p.s
			a.p.send(a.tx, 300, 400, 200)
			pdus := []*rlcPDU{a.tx.txOpportunity(304), a.tx.txOpportunity(404), a.tx.txOpportunity(204)}
			for i, p := range pdus {
				require.Equal(t, uint16(i), p.sn)
			}
			// PDU 1 is lost.
			a.rx.receivePdu(pdus[0])
			a.rx.receivePdu(pdus[2])
			require.Equal(t, []int{300}, a.p.delivered)
			require.True(t, a.rx.statusReq)

			// The status right away ACKs SN 0 and NACKs nothing yet
			// below VR(MS) = 1: ACK_SN 1.
			st := a.rx.txOpportunity(100)
			require.NotNil(t, st.status)
			require.Equal(t, uint16(1), st.status.ackSn)
			require.Empty(t, st.status.nacks)
			a.tx.receivePdu(st)
			require.Equal(t, uint16(1), a.tx.vtA)
			require.Equal(t, 404+204, a.tx.txedSize)

			// t-Reordering expires at 10 ms, t-StatusProhibit at 10 ms:
			// the next status NACKs SN 1 and ACKs up to 3.
			s.RunUntil(11 * sim.Millisecond)
			st = a.rx.txOpportunity(100)
			require.NotNil(t, st)
			require.Equal(t, uint16(3), st.status.ackSn)
			require.Equal(t, []uint16{1}, st.status.nacks)
			require.Equal(t, 4, st.size) // LteRlcAmHeader::PushNack: 2 bytes, then +2 for an odd NACK count, +1 for an even one
			a.tx.receivePdu(st)
			require.Equal(t, 404, a.tx.retxSize)
			require.Zero(t, a.tx.txedSize)

			n := 0
			for _, g := range c.retxGrant {
				r := a.tx.txOpportunity(g)
				require.NotNil(t, r)
				require.Equal(t, uint16(1), r.sn)
				a.rx.receivePdu(r)
				a.p.pool.releasePdu(r)
				n++
			}
			require.Equal(t, c.segs, n)
			require.Equal(t, []int{300, 400, 200}, a.p.delivered)
			require.Equal(t, uint16(3), a.rx.vrR)
			for _, p := range pdus {
				a.p.pool.releasePdu(p)
			}
			a.tx.close()
			a.rx.close()
		})
	}
}

// TestRlcAmPollRetransmit: with nothing acknowledged, t-PollRetransmit
// (20 ms) queues every unacknowledged PDU for retransmission and the
// buffer report carries them.
func TestRlcAmPollRetransmit(t *testing.T) {
	a := newAmPair(t)
	a.p.send(a.tx, 100)
	p := a.tx.txOpportunity(200)
	require.Equal(t, 104, p.size)
	a.p.pool.releasePdu(p)
	n := len(a.p.reports)
	a.p.s.RunUntil(19 * sim.Millisecond)
	require.Zero(t, a.tx.retxSize)
	a.p.s.RunUntil(21 * sim.Millisecond)
	require.Equal(t, 104, a.tx.retxSize)
	require.Greater(t, len(a.p.reports), n)
	require.Equal(t, uint32(104), a.p.reports[len(a.p.reports)-1].retxQueue)
	r := a.tx.txOpportunity(200)
	require.True(t, r.am.poll)
	require.Equal(t, 1, a.tx.txedRetx[0])
	a.p.pool.releasePdu(r)
	a.tx.close()
}
