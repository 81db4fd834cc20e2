package mac80211

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// twoSenders saturates a receiver at 30 m from two senders placed at xa and
// xb (receiver at x = 30), 12 Mb/s data, 1000-byte MSDUs, for 5 s, and
// returns the goodput in Mb/s. rtsThreshold 0 protects every frame.
func twoSenders(t *testing.T, xa, xb float64, rtsThreshold int) float64 {
	s := sim.New(1, 1)
	medium, err := NewMedium(s, DefaultMediumConfig())
	require.NoError(t, err)
	var macs packet.MacAllocator
	pool := packet.NewPool()
	mk := func(x float64) *Mac {
		phy, err := NewPhy(s, DefaultPhyConfig())
		require.NoError(t, err)
		require.NoError(t, medium.Attach(phy, mobility.NewConstantPosition(mobility.Vector{X: x})))
		cfg := DefaultMacConfig()
		cfg.Address = macs.Allocate()
		cfg.Rate = NewConstantRate(OfdmRate12Mbps, OfdmRate6Mbps)
		cfg.RtsCtsThreshold = rtsThreshold
		m, err := NewAdhocMac(s, phy, cfg)
		require.NoError(t, err)
		return m
	}
	r := mk(30)
	bytes := 0
	r.SetReceiveCallback(func(msdu *packet.Packet, _, _ packet.Mac48) { bytes += msdu.PayloadSize() })
	llc := &LLCSNAPHeader{EtherType: 0x0800}
	for _, x := range []float64{xa, xb} {
		m := mk(x)
		send := func() {
			p := pool.New(1000)
			p.Push(llc)
			_ = m.Send(p, r.Address())
		}
		refill := func(*Frame) { send() }
		m.OnTxOk = refill
		m.OnDrop = func(*Frame, DropReason) { send() }
		s.Schedule(0, func() { send(); send() })
	}
	s.RunUntil(5 * sim.Second)
	return float64(bytes*8) / 5 / 1e6
}

// TestHiddenTerminalsAndRtsCts: two senders that hear each other share the
// medium through carrier sense; hidden from each other (60 m apart, each
// 30 m from the receiver: -84 dBm, below the -82 dBm preamble detection and
// CCA thresholds) their frames collide at the receiver and goodput
// drops (binary exponential backoff keeps it from collapsing entirely);
// RTS/CTS, whose CTS both hear, recovers a good part of it: collisions then
// cost a 52 us RTS instead of a 700 us data frame. Measured (seed 1): 8.94,
// 4.15 and 5.91 Mb/s.
func TestHiddenTerminalsAndRtsCts(t *testing.T) {
	visible := twoSenders(t, 25, 35, 65535) // 10 m apart
	hidden := twoSenders(t, 0, 60, 65535)
	protected := twoSenders(t, 0, 60, 0)
	t.Logf("goodput: visible %.2f, hidden %.2f, hidden with RTS/CTS %.2f Mb/s", visible, hidden, protected)
	assert.Less(t, hidden, 0.6*visible, "hidden terminals must lose throughput")
	assert.Greater(t, protected, 1.25*hidden, "RTS/CTS must recover part of it")
	assert.Less(t, protected, visible, "RTS/CTS costs overhead")
}
