package nr5g

import (
	"math"
	"testing"

	"github.com/netgym/netgym/sim"
	"github.com/stretchr/testify/require"
)

// A single DL link at a fixed SINR, NetRL's 5G-LENA setup (mu 3, 100 MHz,
// all slots F), one first transmission per slot over all 66 RBs and the 12
// data symbols of an F slot: the UE reports the CQI of the SINR, the gNB
// maps it to an MCS, the block size follows from MCS, RBs and symbols, and
// each block is lost with its TBLER (a uniform draw at most the TBLER, as
// NrSpectrumPhy decides). The delivered bytes per slot must match the
// closed form TBS * (1 - TBLER) within four standard deviations.
func TestSingleLinkThroughput(t *testing.T) {
	cfg := DefaultPhyConfig()
	cfg.Numerology, cfg.BandwidthHz = 3, 100e6
	require.NoError(t, cfg.Validate())
	rbs, err := cfg.RbCount()
	require.NoError(t, err)
	require.Equal(t, 66, rbs)
	_, _, dataSyms, _, _ := cfg.SlotSymbols(SlotF, false)
	require.Equal(t, 12, dataSyms)

	for _, tc := range []struct {
		typ        ErrorModelType
		db, ripple float64
		mcs        int
		tbs        uint32
	}{
		// MCS from the reported CQI (LTE-MI: CQI 12 -> MCS 22, CQI 15 ->
		// MCS 28; EESM T1: CQI 5 -> MCS 6) and block sizes from
		// CalculateTbSize over 66*12 RB-symbols. The AMC tests a one-symbol
		// block, so the 12-symbol block, with more code blocks, can lose
		// more than 10% (LTE-MI at 14.3 dB: 8.5%, at 14.2 dB: 19.6%).
		{LteMi, 14.3, 0, 22, 4232},
		{LteMi, 20.1, 2, 28, 5990},
		{EesmIrT1, 3.6, 0, 6, 955},
	} {
		amc := mustAmc(t, AmcConfig{ErrorModel: tc.typ, NumRefScPerRb: 1})
		em := amc.ErrorModel()
		sinr := rippled(rbs, tc.db, tc.ripple)
		cqi, _, err := amc.CqiFeedback(sinr)
		require.NoError(t, err)
		mcs, err := amc.McsFromCqi(cqi)
		require.NoError(t, err)
		require.Equal(t, tc.mcs, mcs, tc.typ)
		tbs, err := amc.CalculateTbSize(mcs, 1, uint32(rbs*dataSyms))
		require.NoError(t, err)
		require.Equal(t, tc.tbs, tbs, tc.typ)
		r, err := em.TbDecodingStats(sinr, nil, tbs, mcs, nil)
		require.NoError(t, err)
		p := r.TBLER
		require.Greater(t, p, 0.0, "pick a SINR whose TBLER is not 0")

		rng := sim.NewStream(1, 1, "nr5g/link-test")
		const slots = 20000
		delivered := 0
		for range slots {
			if !r.Corrupted(rng.Float64()) {
				delivered += int(tbs)
			}
		}
		perSlot := float64(delivered) / slots
		want := float64(tbs) * (1 - p)
		sigma := float64(tbs) * math.Sqrt(p*(1-p)/slots)
		require.InDelta(t, want, perSlot, 4*sigma+1e-9, "%v: TBS %d TBLER %g", tc.typ, tbs, p)
		// The same in bit/s: 8000 slots per second at mu 3.
		mbps := perSlot * 8 / cfg.SlotDuration().Seconds() / 1e6
		require.InDelta(t, want*8*8000/1e6, mbps, 4*sigma*8*8000/1e6+1e-9)
	}
}
