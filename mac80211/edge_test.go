package mac80211

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/spectrum"
)

// ns3EdgeOfRange is what ns-3 3.37 logs (PhyEntity NS_LOG at debug level:
// "rate=54000000, SNR(dB)=..., PER=..., size=...") for the 54 Mb/s frames of
// NetRL's Wi-Fi scenario (20 dBm, LogDistance exponent 3 with 46.6777 dB at
// 1 m, 7 dB noise figure, table-based error model) at the edge of range:
// the 64-byte MPDU of the ARP reply and the 128-byte MPDU of a 64-byte UDP
// payload. Measured with a traced copy of bench/ns3/netrl-wifi.cc, 10 ms
// steps, RngRun=2 (bench/ns3/RESULTS.md section 7).
var ns3EdgeOfRange = []struct {
	d, rssiDbm, snrDb, perArp, perData float64
}{
	{50, -77.6468, 16.3192, 0.360978, 0.530314},
	{51, -77.9048, 16.0612, 0.488973, 0.677894},
	{52, -78.1578, 15.8082, 0.635748, 0.818087},
	{53, -78.406, 15.56, 0.763256, 0.912078},
	{54, -78.6495, 15.3165, 0.859394, 0.963503},
	{55, -78.8886, 15.0774, 0.927987, 0.9882},
	{56, -79.1233, 14.8426, 0.964062, 0.996348},
}

// TestEdgeOfRangeErrorRatesMatchNs3 checks, frame by frame, the quantities
// that decide delivery at the edge of NetRL's Wi-Fi range: the PHY reports
// ns-3's RSSI and SNR, and the DATA-field PER it applies to the ARP reply
// and to a data frame equals the one ns-3 3.37 logs (ns-3 prints 6
// significant digits). There is no threshold between 53 and 54 m: the
// preamble is detected (RSSI above -82 dBm, SNR above 4 dB), the SIGNAL
// field has PER 0 and the SNR is inside the MCS 6 table, so the PER grows
// smoothly. (A run whose 4 ARP requests x 7 reply transmissions all fail
// delivers nothing: probability perArp^28, 1.4 % at 54 m, 12 % at 55 m.)
func TestEdgeOfRangeErrorRatesMatchNs3(t *testing.T) {
	em := DefaultErrorRateModel()
	m := OfdmRate54Mbps
	perOf := func(snrDb float64, size int) float64 {
		return 1 - em.ChunkSuccessRate(m, spectrum.DbToRatio(snrDb), ns3ChunkBits(m.DataRate(), PayloadDuration(size, m)))
	}
	for _, tc := range ns3EdgeOfRange {
		pc := DefaultPhyConfig()
		pc.TxPowerDbm = 20
		n := newPhyNet(t, DefaultMediumConfig(), pc, mobility.Vector{}, mobility.Vector{X: tc.d})
		n.sendAt(0, sim.Millisecond, testFrame(64, m))
		n.s.Run()
		r := n.recs[1]
		require.NotEmpty(t, r.events, "%v m", tc.d)
		last := r.events[len(r.events)-1]
		require.Equal(t, "rxend", last.kind, "%v m: the frame is detected and its SIGNAL field decoded", tc.d)
		assert.InDelta(t, tc.rssiDbm, last.info.RSSIDbm, 5e-5, "%v m RSSI", tc.d)
		assert.InDelta(t, tc.snrDb, last.info.SNRDb, 5e-5, "%v m SNR", tc.d)
		assert.InDelta(t, tc.perArp, perOf(last.info.SNRDb, 64), 1e-6, "%v m ARP reply PER", tc.d)
		assert.InDelta(t, tc.perData, perOf(last.info.SNRDb, 128), 1e-6, "%v m data PER", tc.d)
		// The SIGNAL field (6 Mb/s) never fails here.
		assert.Equal(t, 1.0, em.ChunkSuccessRate(SignalMode, spectrum.DbToRatio(last.info.SNRDb),
			ns3ChunkBits(SignalMode.DataRate(), SignalDuration)), "%v m", tc.d)
	}
}

// TestEdgeOfRangeArpReplySuccessRate draws the 64-byte ARP reply through
// the PHY at 54 m many times: the fraction received is ns-3's 1 - PER =
// 0.140606, the chance that one of the 28 transmissions of an ARP exchange
// gets through.
func TestEdgeOfRangeArpReplySuccessRate(t *testing.T) {
	const frames = 4000
	pc := DefaultPhyConfig()
	pc.TxPowerDbm = 20
	n := newPhyNet(t, DefaultMediumConfig(), pc, mobility.Vector{}, mobility.Vector{X: 54})
	for i := range frames {
		n.sendAt(0, sim.Time(i+1)*sim.Millisecond, testFrame(64, OfdmRate54Mbps))
	}
	n.s.Run()
	p := 1 - 0.859394
	got := float64(n.recs[1].rxOk) / frames
	assert.InDelta(t, p, got, 4.5*math.Sqrt(p*(1-p)/frames))
	c := n.phys[1].Counters()
	assert.Equal(t, uint64(frames), c.RxOk+c.Drops[RxDropPayloadFailed], "every loss is a DATA-field loss")
	assert.Zero(t, c.Drops[RxDropHeaderFailed]+c.Drops[RxDropPreambleNotDetected])
}
