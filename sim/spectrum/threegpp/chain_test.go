package threegpp

import (
	"math"
	"math/cmplx"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
	"github.com/netgym/netgym/sim/spectrum"
	"github.com/netgym/netgym/sim/spectrum/rb"
)

// cell is a medium with TR 38.901 pathloss and this package's channel.
type cell struct {
	s   *sim.Simulator
	pl  *propagation.ThreeGPP
	ch  *Channel
	med *spectrum.Medium[Link]
}

func newCell(t testing.TB, fading bool, cond propagation.ConditionModel) *cell {
	s := sim.New(1, 1)
	pc := propagation.DefaultThreeGPPConfig(propagation.UMa)
	pc.FrequencyHz = 28e9
	pc.ShadowingEnabled = false
	pc.Condition = cond
	pl, err := propagation.NewThreeGPP(pc, s)
	require.NoError(t, err)
	cfg := DefaultConfig(propagation.UMa, grid28())
	cfg.Condition = pl.ConditionModel()
	cfg.FastFading = fading
	ch, err := New(cfg, s)
	require.NoError(t, err)
	mc := spectrum.DefaultConfig()
	mc.LinkLoss = pl
	med, err := spectrum.New(s, mc, ch.LinkModel())
	require.NoError(t, err)
	return &cell{s: s, pl: pl, ch: ch, med: med}
}

// attach attaches a static radio with an array and returns its id.
func (c *cell) attach(t testing.TB, p mobility.Vector, txDbm float64, rows, cols int) int {
	id, err := c.med.Attach(spectrum.Attachment{Mobility: mobility.NewConstantPosition(p), TxPowerDbm: txDbm})
	require.NoError(t, err)
	require.NoError(t, c.ch.SetArray(id, upa(t, rows, cols, antenna.Isotropic{})))
	return id
}

// umaLOSLoss is the UMa LOS pathloss below the breakpoint at 28 GHz (hE = 1 m:
// the UE is below 13 m).
func umaLOSLoss(gnb, ue mobility.Vector) float64 {
	return 28 + 22*math.Log10(gnb.Distance(ue)) + 20*math.Log10(28)
}

// TestChainLinkBudget: the SINR per RB through the whole chain (TR 38.901
// pathloss, the arrays' direct-path beams, the transmit PSD, noise and an
// interfering cell) equals the link budget computed by hand.
func TestChainLinkBudget(t *testing.T) {
	c := newCell(t, false, propagation.AlwaysLOS{})
	gnbPos, uePos := mobility.Vector{Z: 25}, mobility.Vector{X: 100, Z: 1.5}
	nbPos, nbUEPos := mobility.Vector{X: 300, Z: 25}, mobility.Vector{X: 300, Y: 80, Z: 1.5}
	gnb := c.attach(t, gnbPos, 30, 4, 8)
	ue := c.attach(t, uePos, 23, 2, 4)
	nb := c.attach(t, nbPos, 30, 4, 8)
	nbUE := c.attach(t, nbUEPos, 23, 2, 4)
	bc := DefaultBeamformingConfig()
	bc.Method = DirectPath
	bf, err := NewBeamformer(c.ch, bc)
	require.NoError(t, err)
	ep := func(id int, p mobility.Vector) propagation.Endpoint { return propagation.Endpoint{ID: id, Position: p} }
	for _, pair := range [][2]int{{gnb, ue}, {nb, nbUE}} {
		pos := map[int]mobility.Vector{gnb: gnbPos, ue: uePos, nb: nbPos, nbUE: nbUEPos}
		gb, ub, err := bf.Add(ep(pair[0], pos[pair[0]]), ep(pair[1], pos[pair[1]]), 0)
		require.NoError(t, err)
		require.NoError(t, c.ch.Array(pair[0]).SetBeam(gb))
		require.NoError(t, c.ch.Array(pair[1]).SetBeam(ub))
	}

	g := grid28()
	calc, err := rb.NewCalculator(g, 5)
	require.NoError(t, err)
	all := make([]int, g.NumRBs)
	for i := range all {
		all[i] = i
	}
	tx, err := g.TxPower(nil, 30, all, rb.UniformUsed, 0)
	require.NoError(t, err)
	received := func(from int) []float64 {
		ds, err := c.med.Transmit(from)
		require.NoError(t, err)
		for _, d := range ds {
			if d.Rx == ue {
				return rb.RxPower(nil, tx, d.RxW/spectrum.DbmToW(30), d.Link.RBGains(c.s.Now()))
			}
		}
		t.Fatalf("no delivery to the UE")
		return nil
	}
	slot := 125 * sim.Microsecond
	desired := rb.Signal{End: slot, PowerW: received(gnb)}
	sinr, err := calc.SINR(nil, desired, nil)
	require.NoError(t, err)
	noiseDbm := -174 + 5 + 10*math.Log10(12*120e3)
	snr := 30 - 10*math.Log10(66) - umaLOSLoss(gnbPos, uePos) + 10*math.Log10(32*8) - noiseDbm
	require.InDelta(t, 42.10, snr, 0.01)
	for r := range sinr {
		require.InDelta(t, snr, db(sinr[r]), 1e-9, "RB %d", r)
	}

	// The neighbour cell serves its own UE; its beam reaches ours off its
	// main lobe. Both arrays' gains towards our UE by hand:
	nbW := c.ch.Array(nb).Beam().Weights()
	ueW := c.ch.Array(ue).Beam().Weights()
	afNb := cmplx.Abs(c.ch.Array(nb).ArrayFactor(nbW, antenna.DirectionTo(nbPos, uePos)))
	afUE := cmplx.Abs(c.ch.Array(ue).ArrayFactor(ueW, antenna.DirectionTo(uePos, nbPos)))
	interfDbm := 30 - 10*math.Log10(66) - umaLOSLoss(nbPos, uePos) + 20*math.Log10(afNb*afUE)
	sinr, err = calc.SINR(sinr, desired, []rb.Signal{{Start: slot / 2, End: 2 * slot, PowerW: received(nb)}})
	require.NoError(t, err)
	sDbm := snr + noiseDbm
	want := 0.5*math.Pow(10, snr/10) + 0.5*math.Pow(10, (sDbm-10*math.Log10(math.Pow(10, noiseDbm/10)+math.Pow(10, interfDbm/10)))/10)
	require.InDelta(t, db(want), db(sinr[10]), 1e-9)
	require.Less(t, db(sinr[10]), snr-0.5, "the interference costs %.2f dB", snr-db(sinr[10]))
}

// TestChainObjectsPerLink: through the medium, the channel is computed
// once per link, not per slot, and per-RB gains only when beams change.
func TestChainObjectsPerLink(t *testing.T) {
	c := newCell(t, true, nil)
	gnb := c.attach(t, mobility.Vector{Z: 25}, 30, 4, 8)
	var ues []int
	for i := range 4 {
		ues = append(ues, c.attach(t, mobility.Vector{X: 50 + 40*float64(i), Y: 30, Z: 1.5}, 23, 2, 4))
	}
	bf, err := NewBeamformer(c.ch, DefaultBeamformingConfig())
	require.NoError(t, err)
	beams := map[int]*antenna.Beam{}
	for _, u := range ues {
		gb, ub, err := bf.Add(propagation.Endpoint{ID: gnb, Mobility: mobility.NewConstantPosition(mobility.Vector{Z: 25})},
			propagation.Endpoint{ID: u, Position: mobility.Vector{X: 50 + 40*float64(u-1), Y: 30, Z: 1.5}}, 0)
		require.NoError(t, err)
		beams[u] = gb
		require.NoError(t, c.ch.Array(u).SetBeam(ub))
	}
	stats := c.ch.Stats()
	require.Equal(t, uint64(4), stats.Params, "the beamformer drew the four channels")
	// 100 slots of TDMA: the gNB serves UE slot%4 with its beam; every UE
	// hears every slot.
	for slot := range 100 {
		c.s.RunUntil(sim.Time(slot) * 125 * sim.Microsecond)
		require.NoError(t, c.ch.Array(gnb).SetBeam(beams[ues[slot%4]]))
		ds, err := c.med.Transmit(gnb)
		require.NoError(t, err)
		require.Len(t, ds, 4)
		for _, d := range ds {
			require.Len(t, d.Link.RBGains(c.s.Now()), 66)
		}
	}
	after := c.ch.Stats()
	require.Equal(t, uint64(4), after.Params, "no new draw: UpdatePeriod 0")
	require.Equal(t, uint64(4), after.Matrices)
	require.Equal(t, uint64(16), after.LongTerms-stats.LongTerms, "4 links x 4 beams, once each")
	require.Equal(t, after.LongTerms, after.Gains, "static links: one per-RB computation per long term")
	require.Equal(t, uint64(4), c.med.Stats().LinkUpdates)
}
