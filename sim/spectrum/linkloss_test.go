package spectrum

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
)

// TestLinkOnlyLoss: a link-only model (the TR 38.901 pathloss with its
// per-link condition and shadowing) goes in Config.LinkLoss; it has no
// reach, so nothing is culled even with a floor.
func TestLinkOnlyLoss(t *testing.T) {
	s := sim.New(1, 1)
	pc := propagation.DefaultThreeGPPConfig(propagation.UMa)
	pc.FrequencyHz = 28e9
	pc.ShadowingEnabled = false
	pc.Condition = propagation.AlwaysLOS{}
	pl, err := propagation.NewThreeGPP(pc, s)
	require.NoError(t, err)
	cfg := DefaultConfig()
	cfg.LinkLoss = pl
	cfg.FloorDbm = -120
	m, err := New(s, cfg, LinkModel[NoLink]{})
	require.NoError(t, err)
	_, err = m.Attach(Attachment{Mobility: mobility.NewConstantPosition(mobility.Vector{Z: 25}), TxPowerDbm: 30})
	require.NoError(t, err)
	for i := range 70 {
		_, err = m.Attach(Attachment{Mobility: mobility.NewConstantPosition(mobility.Vector{X: 10 + 5*float64(i), Z: 1.5})})
		require.NoError(t, err)
	}
	require.True(t, math.IsInf(m.CullRange(), 1))
	ds, err := m.Transmit(0)
	require.NoError(t, err)
	require.Len(t, ds, 70)
	// UMa LOS at 28 GHz, 40 m: 28 + 22·log10(d3D) + 20·log10(28).
	d3D := math.Hypot(40, 23.5)
	require.InDelta(t, 30-(28+22*math.Log10(d3D)+20*math.Log10(28)), ds[6].RxDbm, 1e-9)

	// A LinkLoss that is also a position-only model with a reach is culled
	// by that reach.
	cfg = ld3()
	cfg.Loss = nil
	cfg.LinkLoss = linkLogDistance{propagation.DefaultLogDistance()}
	m2, err := New(s, cfg, LinkModel[NoLink]{})
	require.NoError(t, err)
	_, err = m2.Attach(Attachment{Mobility: at(0, 0), TxPowerDbm: 16.0206})
	require.NoError(t, err)
	require.InDelta(t, 221.2, m2.CullRange(), 0.1, "LogDistance's reach at 16 dBm and -101 dBm")
	cfg.LinkLoss = nil
	_, err = New(s, cfg, LinkModel[NoLink]{})
	require.ErrorContains(t, err, "Config.Loss and Config.LinkLoss are nil")
}

// linkLogDistance is a model both position-only (with a reach) and
// link-aware.
type linkLogDistance struct {
	*propagation.LogDistance
}

func (m linkLogDistance) LinkRxPower(tx float64, l *propagation.Link) float64 {
	return m.RxPower(tx, l.Tx.Position, l.Rx.Position)
}
