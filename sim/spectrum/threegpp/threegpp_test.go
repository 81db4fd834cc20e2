package threegpp

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
	"github.com/netgym/netgym/sim/spectrum/rb"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*Config)
		err  string
	}{
		{"default", func(*Config) {}, ""},
		{"scenario", func(c *Config) { c.Scenario = 0 }, "Scenario 0"},
		{"grid", func(c *Config) { c.Grid.NumRBs = 0 }, "Config.Grid: rb: Grid.NumRBs 0"},
		{"above 100 GHz", func(c *Config) { c.Grid.CenterHz = 120e9 }, "CenterHz 1.2e+11 must be in [0.5e9, 100e9]"},
		{"period", func(c *Config) { c.UpdatePeriod = -1 }, "UpdatePeriod -1ns"},
		{"stream", func(c *Config) { c.StreamName = "" }, "StreamName"},
	}
	for _, tc := range tests {
		c := DefaultConfig(propagation.UMa, grid28())
		tc.mod(&c)
		_, err := New(c, sim.New(1, 1))
		if tc.err == "" {
			require.NoError(t, err, tc.name)
		} else {
			require.ErrorContains(t, err, tc.err, tc.name)
		}
	}
	_, err := New(DefaultConfig(propagation.UMa, grid28()), nil)
	require.ErrorContains(t, err, "StreamSource")
	ch := newChannel(t, propagation.UMa, nil, true, 1)
	require.ErrorContains(t, ch.SetArray(3, nil), "SetArray(3) needs an array")
	require.Nil(t, ch.Array(3))
}

// TestCholesky checks the square roots of the correlation matrices against
// the ones ns-3.45 hard-codes (sqrtC_* of three-gpp-channel-model.cc,
// printed to 6 digits).
func TestCholesky(t *testing.T) {
	tests := []struct {
		kind corrKind
		row  int
		want []float64
	}{
		{umaLOS, 6, []float64{-0.8, 0, -0.388057, -0.367926, 0.238537, 0, 0.130931}},
		{umaNLOS, 5, []float64{-0.4, -0.174574, -0.396459, 0.392138, 0.49099, 0.507445}},
		{umiLOS, 4, []float64{-0.4, -0.11547, 0.805464, -0.23482, 0.350363, 0, 0}},
		{rmaLOS, 6, []float64{-0.17, -0.02, 0.21362, -0.14, 0.24, 0.142773, 0.909661}},
		{rmaNLOS, 5, []float64{-0.25, -0.606218, -0.240013, 0.26, -0.231685, 0.625392}},
		{inhLOS, 6, []float64{0.3, -0.057735, 0.73598, -0.348236, 0.0610847, -0.304997, 0.383375}},
		{inhNLOS, 5, []float64{0, -0.069282, 0.295397, 0.430696, 0.468462, 0.709214}},
		{umaO2I, 5, []float64{0, -0.23094, 0.16843, 0.808554, -0.220827, 0.464515}},
	}
	for _, tc := range tests {
		got := sqrtCs[tc.kind][tc.row][:len(tc.want)]
		require.InDeltaSlice(t, tc.want, got, 2e-6, "kind %d row %d", tc.kind, tc.row)
	}
	for k, c := range correlations {
		for i := range c {
			for j := range c {
				require.Equal(t, c[i][j], c[j][i], "matrix %d is symmetric", k)
			}
		}
	}
}

// TestTables spot-checks GetThreeGppTable's values at 28 GHz, 100 m.
func TestTables(t *testing.T) {
	nlos := tableFor(propagation.UMa, false, false, 28e9, 100, 1.5, 25)
	require.Equal(t, 20, nlos.numClusters)
	require.InDelta(t, -6.575220, nlos.uLgDS, 1e-6)
	require.InDelta(t, 1.334445, nlos.uLgASD, 1e-6)
	require.InDelta(t, 1.689267, nlos.uLgASA, 1e-6)
	require.InDelta(t, 1.043700, nlos.uLgZSA, 1e-6)
	require.InDelta(t, 0.69, nlos.uLgZSD, 1e-12)
	require.InDelta(t, -2.458575, nlos.offsetZOD, 1e-6)
	require.InDelta(t, 1.6297066e-9, nlos.cDS, 1e-15)
	require.Same(t, &sqrtCs[umaNLOS], nlos.sqrtC)
	los := tableFor(propagation.UMa, true, false, 28e9, 100, 1.5, 25)
	require.Equal(t, 12, los.numClusters)
	require.Equal(t, 9.0, los.uK)
	require.Same(t, &sqrtCs[umaLOS], los.sqrtC)
	o2i := tableFor(propagation.UMa, true, true, 28e9, 100, 1.5, 25)
	require.Equal(t, 11e-9, o2i.cDS)
	require.Equal(t, 0.0, o2i.uK, "O2I tables have no K-factor, even for a LOS link")
	umi := tableFor(propagation.UMiStreetCanyon, true, false, 28e9, 100, 1.5, 10)
	require.InDelta(t, -7.490976, umi.uLgDS, 1e-6)
	require.InDelta(t, 0.300474, umi.sigLgASA, 1e-6)
	umiN := tableFor(propagation.UMiStreetCanyon, false, false, 28e9, 100, 1.5, 10)
	require.InDelta(t, -1.995262, umiN.offsetZOD, 1e-6)
	require.Equal(t, 19, umiN.numClusters)
	rma := tableFor(propagation.RMa, false, false, 28e9, 100, 1.5, 35)
	require.InDelta(t, -0.018089, rma.offsetZOD, 1e-6)
	rmaL := tableFor(propagation.RMa, true, false, 28e9, 1000, 1.5, 35)
	require.Equal(t, 0.34, rmaL.uLgZSD, "ns-3.45 swaps RMa LOS's lgZSD mean and deviation")
	require.InDelta(t, 0.05, rmaL.sigLgZSD, 1e-12)
	inh := tableFor(propagation.InHOfficeOpen, false, false, 28e9, 20, 1, 3)
	require.Equal(t, 19, inh.numClusters)
	require.Equal(t, 1.08, inh.uLgZSD)
	for _, n := range []int{8, 10, 11, 12, 15, 19, 20} {
		require.NotZero(t, cNLOSAzimuth(n), n)
		require.NotZero(t, cNLOSZenith(n), n)
	}
	require.Zero(t, cNLOSZenith(14))
}

// TestLargeScaleStatistics draws many UMa links and checks that the delay
// and angle spreads follow Table 7.5-6 (log10 means and deviations) with
// its cross-correlations, and the K-factor for LOS.
func TestLargeScaleStatistics(t *testing.T) {
	const n = 3000
	var realized []float64 // log10 of the clusters' rms delay spread (NLOS)
	collect := func(los bool) (ds, asd, asa, zsa, zsd, k []float64, tab lspTable) {
		// The parameters alone (steps 4-10), drawn as the channel draws
		// them, without the coefficients.
		r := rand.New(rand.NewPCG(7, 8))
		tab = tableFor(propagation.UMa, los, false, 28e9, 100, 1.5, 25)
		cond := propagation.Condition{Los: propagation.NLOS}
		if los {
			cond.Los = propagation.LOS
		}
		var p clusterParams
		for range n {
			p.generate(tab, cond, 0, 1, mobility.Vector{Z: 25}, mobility.Vector{X: 100, Z: 1.5}, 0, r, Compat{})
			ds = append(ds, math.Log10(p.ds))
			asd = append(asd, math.Log10(p.asd))
			asa = append(asa, math.Log10(p.asa))
			zsa = append(zsa, math.Log10(p.zsa))
			zsd = append(zsd, math.Log10(p.zsd))
			k = append(k, p.kFactor)
			if !los {
				var sp, st, st2 float64
				for c := range p.reduced {
					sp += p.power[c]
					st += p.power[c] * p.delay[c]
					st2 += p.power[c] * p.delay[c] * p.delay[c]
				}
				realized = append(realized, math.Log10(math.Sqrt(st2/sp-(st/sp)*(st/sp))))
			}
		}
		return
	}
	check := func(name string, xs []float64, mu, sigma float64) {
		t.Helper()
		m, s := meanStd(xs)
		require.InDelta(t, mu, m, 0.03, "%s log-mean", name)
		require.InDelta(t, sigma, s, 0.03, "%s log-deviation", name)
	}
	ds, asd, asa, zsa, zsd, _, tab := collect(false)
	check("DS", ds, tab.uLgDS, tab.sigLgDS)
	check("ASD", asd, tab.uLgASD, tab.sigLgASD)
	check("ASA", asa, tab.uLgASA, tab.sigLgASA)
	check("ZSA", zsa, tab.uLgZSA, tab.sigLgZSA)
	check("ZSD", zsd, tab.uLgZSD, tab.sigLgZSD)
	require.InDelta(t, -6.575, tab.uLgDS, 1e-3)
	// The clusters' delays and powers realise the drawn delay spread: the
	// rms delay spread of the generated clusters has the table's
	// statistics too.
	check("realised rms DS", realized, tab.uLgDS, tab.sigLgDS)
	// Table 7.5-6, UMa NLOS: ASD vs DS 0.4, ASA vs DS 0.6, ZSD vs DS -0.5,
	// ZSD vs ASD 0.5, ZSA vs ASD -0.1 (caps and rounding allow 0.05).
	require.InDelta(t, 0.4, corr(ds, asd), 0.05)
	require.InDelta(t, 0.6, corr(ds, asa), 0.05)
	require.InDelta(t, -0.5, corr(ds, zsd), 0.05)
	require.InDelta(t, 0.5, corr(asd, zsd), 0.05)
	require.InDelta(t, -0.1, corr(asd, zsa), 0.05)

	ds, asd, asa, zsa, _, k, tab := collect(true)
	check("LOS DS", ds, tab.uLgDS, tab.sigLgDS)
	check("LOS ASD", asd, tab.uLgASD, tab.sigLgASD)
	check("LOS ZSA", zsa, tab.uLgZSA, tab.sigLgZSA)
	mk, sk := meanStd(k)
	require.InDelta(t, 9, mk, 0.2, "K-factor mean (dB)")
	require.InDelta(t, 3.5, sk, 0.15, "K-factor deviation (dB)")
	// UMa LOS: DS vs K -0.4, ASA vs DS 0.8.
	require.InDelta(t, -0.4, corr(ds, k), 0.05)
	require.InDelta(t, 0.8, corr(ds, asa), 0.05)
}

// TestClusters checks the structure of drawn parameters: delays from 0 and
// sorted, powers normalised, the sub-clusters, angles in range.
func TestClusters(t *testing.T) {
	for _, s := range []propagation.Scenario{propagation.UMa, propagation.UMiStreetCanyon, propagation.RMa, propagation.InHOfficeMixed} {
		ch := newChannel(t, s, nil, true, 3)
		for i := range 200 {
			l := bind(ch, endpoint(0, mobility.Vector{Z: 10}), endpoint(i+1, mobility.Vector{X: 5 + float64(i), Y: 3, Z: 1.5}), 0)
			p := &l.st.p
			require.LessOrEqual(t, p.reduced, p.table.numClusters)
			require.Equal(t, 0.0, p.delay[0])
			sum := 0.0
			for c := range p.reduced {
				if c > 0 {
					require.GreaterOrEqual(t, p.delay[c], p.delay[c-1])
				}
				sum += p.power[c]
			}
			require.LessOrEqual(t, sum, 1+1e-12)
			if p.cond.Los == propagation.LOS {
				// The cut is relative to the strongest power with the LOS
				// ray: K/(K+1) can remove much of the scattered power.
				require.Greater(t, sum, 0.0)
			} else {
				require.Greater(t, sum, 0.93, "at most 20 clusters of -25 dB are cut")
			}
			require.Len(t, p.delay, p.pages())
			require.InDelta(t, p.delay[p.reduced]-1.28*p.table.cDS, p.delay[min(p.c1, p.c2)], 1e-18)
			for d := range p.angle {
				for _, a := range p.angle[d] {
					require.True(t, a >= 0 && a <= 360, "angle %g", a)
					if d == zoaIdx || d == zodIdx {
						require.LessOrEqual(t, a, 180.0)
					}
				}
			}
			for _, a := range p.rayZoa {
				require.True(t, a >= 0 && a <= math.Pi)
			}
			require.Equal(t, p.pages(), l.st.m.pages)
			require.Len(t, l.st.m.h, p.pages())
		}
	}
}

// TestMeanGain: with single isotropic elements and no beamforming, the mean
// fast-fading gain over many links is 1 (0 dB): fast fading redistributes
// the pathloss model's power without adding any.
func TestMeanGain(t *testing.T) {
	for _, s := range []propagation.Scenario{propagation.UMa, propagation.UMiStreetCanyon, propagation.RMa, propagation.InHOfficeOpen} {
		ch := newChannel(t, s, nil, true, 11)
		r := rand.New(rand.NewPCG(5, 6))
		var gains []float64
		hBS := map[propagation.Scenario]float64{propagation.UMa: 25, propagation.UMiStreetCanyon: 10, propagation.RMa: 35, propagation.InHOfficeOpen: 3}[s]
		for i := range 1500 {
			d := 10 + 290*r.Float64()
			if s == propagation.InHOfficeOpen {
				d = 2 + 60*r.Float64()
			}
			a := 2 * math.Pi * r.Float64()
			l := bind(ch, endpoint(0, mobility.Vector{Z: hBS}), endpoint(i+1, mobility.Vector{X: d * math.Cos(a), Y: d * math.Sin(a), Z: 1.5}), 0)
			gains = append(gains, mean(l.RBGains(0)))
		}
		require.InDelta(t, 1.0, mean(gains), 0.05, "%v: mean gain %.3f", s, mean(gains))
	}
}

// TestLOSSplit: over many drops the channel's LOS share is the LOS
// probability, and every link's fast fading uses the condition its
// pathloss used (one shared ConditionModel).
func TestLOSSplit(t *testing.T) {
	s := sim.New(21, 1)
	pl, err := propagation.NewThreeGPP(propagation.DefaultThreeGPPConfig(propagation.UMa), s)
	require.NoError(t, err)
	cfg := DefaultConfig(propagation.UMa, grid28())
	cfg.Condition = pl.ConditionModel()
	ch, err := New(cfg, s)
	require.NoError(t, err)
	const n = 4000
	los := 0
	for i := range n {
		l := propagation.Link{Tx: endpoint(0, mobility.Vector{Z: 25}), Rx: endpoint(i+1, mobility.Vector{X: 60, Z: 1.5}), FrequencyHz: 28e9}
		pl.LinkRxPower(30, &l)
		var obj Link
		ch.Bind(&obj, &l)
		c := pl.ConditionModel().Condition(&l)
		require.Equal(t, c, obj.st.p.cond)
		if obj.st.p.cond.Los == propagation.LOS {
			los++
			require.Equal(t, 12, obj.st.p.table.numClusters)
		} else {
			require.Equal(t, 20, obj.st.p.table.numClusters)
		}
	}
	p := propagation.LOSProbability(propagation.UMa, 60, 1.5)
	require.InDelta(t, 0.5701, p, 1e-4)
	require.InDelta(t, p, float64(los)/n, 0.025)

	// The default condition model draws what a default ThreeGPP draws.
	ch2 := newChannel(t, propagation.UMa, nil, true, 21)
	for i := range 200 {
		l := propagation.Link{Tx: endpoint(0, mobility.Vector{Z: 25}), Rx: endpoint(i+1, mobility.Vector{X: 60, Z: 1.5})}
		var obj Link
		ch2.Bind(&obj, &l)
		require.Equal(t, pl.ConditionModel().Condition(&l), obj.st.p.cond)
	}
}

// TestBeamformingGain: 4 x 8 gNB and 2 x 4 UE arrays of isotropic elements
// with direct-path beams gain 10·log10(32·8) = 24.08 dB in LOS.
func TestBeamformingGain(t *testing.T) {
	gnbPos, uePos := mobility.Vector{Z: 25}, mobility.Vector{X: 80, Y: 30, Z: 1.5}
	want := db(32 * 8)
	require.InDelta(t, 24.0824, want, 1e-4)
	gain := func(ch *Channel, m Method, uePos mobility.Vector, ue int) float64 {
		t.Helper()
		bc := DefaultBeamformingConfig()
		bc.Method = m
		bf, err := NewBeamformer(ch, bc)
		require.NoError(t, err)
		gb, ub, err := bf.Add(endpoint(0, gnbPos), endpoint(ue, uePos), 0)
		require.NoError(t, err)
		require.NoError(t, ch.Array(0).SetBeam(gb))
		require.NoError(t, ch.Array(ue).SetBeam(ub))
		return mean(bind(ch, endpoint(0, gnbPos), endpoint(ue, uePos), 0).RBGains(0))
	}
	setup := func(ch *Channel, ues int) {
		require.NoError(t, ch.SetArray(0, upa(t, 4, 8, antenna.Isotropic{})))
		for u := 1; u <= ues; u++ {
			require.NoError(t, ch.SetArray(u, upa(t, 2, 4, antenna.Isotropic{})))
		}
	}

	// Without fast fading the gain is exact.
	cheap := newChannel(t, propagation.UMa, propagation.AlwaysLOS{}, false, 1)
	setup(cheap, 1)
	require.InDelta(t, want, db(gain(cheap, DirectPath, uePos, 1)), 1e-9)
	require.InDelta(t, want, db(gain(cheap, SVD, uePos, 1)), 1e-9)
	cs := db(gain(cheap, CellScan, uePos, 1))
	require.Less(t, cs, want)
	require.Greater(t, cs, want-6, "the sector codebooks lose a few dB off their beam centres")
	require.InDelta(t, 19.54, cs, 0.01)

	// With fast fading in LOS the direct path carries K/(K+1) of the power
	// through the full array gain and the clusters add some.
	const drops = 300
	ff := newChannel(t, propagation.UMa, propagation.AlwaysLOS{}, true, 2)
	setup(ff, drops)
	var dp []float64
	for u := 1; u <= drops; u++ {
		dp = append(dp, gain(ff, DirectPath, uePos, u))
	}
	require.InDelta(t, want, db(mean(dp)), 1.0, "fast-fading LOS direct-path gain %.2f dB", db(mean(dp)))

	// NLOS: the geometric direction misses the clusters; scanning finds
	// better beams. ns3-mmwave's SVD is optimal for the sum of the
	// clusters' coefficients, the channel at frequency 0: across a band at
	// 28 GHz the clusters' delays turn their phases, so it beats the
	// direct path but not a scan of the band's power.
	nl := newChannel(t, propagation.UMa, propagation.NeverLOS{}, true, 3)
	setup(nl, drops)
	var dpN, csN, svN []float64
	for u := 1; u <= drops; u++ {
		dpN = append(dpN, gain(nl, DirectPath, uePos, u))
		csN = append(csN, gain(nl, CellScan, uePos, u))
		svN = append(svN, gain(nl, SVD, uePos, u))
	}
	t.Logf("NLOS mean gains: direct path %.2f dB, cell scan %.2f dB, SVD %.2f dB", db(mean(dpN)), db(mean(csN)), db(mean(svN)))
	require.Greater(t, db(mean(csN)), db(mean(dpN))+1)
	require.Greater(t, db(mean(svN)), db(mean(dpN))+1)
	require.Less(t, db(mean(svN)), want)
}

// TestReciprocity: a link and its reverse share their channel; with the
// same beams their gains are equal.
func TestReciprocity(t *testing.T) {
	ch := newChannel(t, propagation.UMiStreetCanyon, nil, true, 4)
	require.NoError(t, ch.SetArray(0, upa(t, 4, 4, antenna.DefaultThreeGPPElement())))
	require.NoError(t, ch.SetArray(1, upa(t, 1, 2, antenna.Isotropic{})))
	a, b := endpoint(0, mobility.Vector{Z: 10}), endpoint(1, mobility.Vector{X: 40, Y: -20, Z: 1.5})
	ch.Array(0).SetBeam(antenna.NewBeam(ch.Array(0).DirectPathWeights(nil, a.Position, b.Position)))
	down := bind(ch, a, b, 0)
	up := bind(ch, b, a, sim.Millisecond)
	require.False(t, down.reverse)
	require.True(t, up.reverse)
	require.Same(t, down.st, up.st)
	require.Equal(t, uint64(1), ch.Stats().Params)
	require.InDeltaSlice(t, down.RBGains(0), up.RBGains(sim.Millisecond), 1e-12*mean(down.RBGains(0)))
	require.Equal(t, 0, down.Tx())
	require.Equal(t, 1, down.Rx())
}

// TestDeterminism: the same seed gives the same gains, bit for bit; a
// different run gives others; the order of first use does not matter.
func TestDeterminism(t *testing.T) {
	gains := func(run uint64, order []int) map[int][]float64 {
		cfg := DefaultConfig(propagation.UMa, grid28())
		ch, err := New(cfg, sim.New(9, run))
		require.NoError(t, err)
		require.NoError(t, ch.SetArray(0, upa(t, 4, 8, antenna.DefaultThreeGPPElement())))
		out := map[int][]float64{}
		for _, u := range order {
			require.NoError(t, ch.SetArray(u, upa(t, 2, 4, antenna.Isotropic{})))
			l := bind(ch, endpoint(0, mobility.Vector{Z: 25}), endpoint(u, mobility.Vector{X: 30 * float64(u), Y: 7, Z: 1.5}), 0)
			out[u] = append([]float64(nil), l.RBGains(0)...)
		}
		return out
	}
	a := gains(1, []int{1, 2, 3})
	b := gains(1, []int{3, 1, 2})
	c := gains(2, []int{1, 2, 3})
	for u := 1; u <= 3; u++ {
		require.Equal(t, a[u], b[u], "UE %d: same seed, any order, same bits", u)
		require.NotEqual(t, a[u], c[u], "UE %d: another run draws another channel", u)
	}
}

// TestDoppler: a moving endpoint turns the clusters' phases with time; a
// static link's gains are computed once.
func TestDoppler(t *testing.T) {
	ch := newChannel(t, propagation.UMa, propagation.NeverLOS{}, true, 5)
	gnb := endpoint(0, mobility.Vector{Z: 25})
	static := bind(ch, gnb, endpoint(1, mobility.Vector{X: 100, Z: 1.5}), 0)
	g0 := append([]float64(nil), static.RBGains(0)...)
	before := ch.Stats().Gains
	require.Equal(t, g0, static.RBGains(sim.Second))
	require.Equal(t, before, ch.Stats().Gains, "static: cached")

	mob := mobility.NewConstantVelocity(mobility.Vector{X: 100, Z: 1.5}, mobility.Vector{X: 30}, 0)
	ue := propagation.Endpoint{ID: 2, Position: mobility.Vector{X: 100, Z: 1.5}, Mobility: mob}
	moving := bind(ch, gnb, ue, 0)
	a := append([]float64(nil), moving.RBGains(0)...)
	b := append([]float64(nil), moving.RBGains(sim.Millisecond)...)
	require.NotEqual(t, a, b)
	// Doppler rotates cluster phases: the band's mean power barely moves.
	require.InDelta(t, mean(a), mean(b), 0.5*mean(a))
	n := ch.Stats().Gains
	moving.RBGains(sim.Millisecond)
	require.Equal(t, n, ch.Stats().Gains, "same time: cached")
	moving.RBGains(2 * sim.Millisecond)
	require.Equal(t, n+1, ch.Stats().Gains)
	// At 30 m/s and 28 GHz the maximum Doppler is 2.8 kHz: the phases come
	// back to the same values only by chance, and the gains of a coherence
	// time apart (about 1/(2 fD) = 0.18 ms) differ.
	allocs := testing.AllocsPerRun(20, func() { moving.RBGains(3 * sim.Millisecond) })
	require.Zero(t, allocs)
}

// TestUpdatePeriod: the parameters are drawn again once older than the
// update period (ns-3's ChannelParamsNeedsUpdate), not before.
func TestUpdatePeriod(t *testing.T) {
	cfg := DefaultConfig(propagation.UMa, grid28())
	cfg.UpdatePeriod = 10 * sim.Millisecond
	ch, err := New(cfg, sim.New(1, 1))
	require.NoError(t, err)
	a, b := endpoint(0, mobility.Vector{Z: 25}), endpoint(1, mobility.Vector{X: 100, Z: 1.5})
	l := bind(ch, a, b, 0)
	g0 := append([]float64(nil), l.RBGains(0)...)
	ch.Bind(l, &propagation.Link{Tx: a, Rx: b, Now: 10 * sim.Millisecond})
	require.Equal(t, uint64(1), ch.Stats().Params)
	require.Equal(t, g0, l.RBGains(10*sim.Millisecond))
	ch.Bind(l, &propagation.Link{Tx: a, Rx: b, Now: 10*sim.Millisecond + 1})
	require.Equal(t, uint64(2), ch.Stats().Params)
	require.NotEqual(t, g0, l.RBGains(10*sim.Millisecond+1))
	require.Equal(t, uint64(2), ch.Stats().Matrices)

	// A new array for an endpoint: the same parameters, a new matrix.
	require.NoError(t, ch.SetArray(1, upa(t, 2, 2, antenna.Isotropic{})))
	ch.Bind(l, &propagation.Link{Tx: a, Rx: b, Now: 11 * sim.Millisecond})
	require.Equal(t, uint64(2), ch.Stats().Params)
	require.Equal(t, uint64(3), ch.Stats().Matrices)
	require.Equal(t, 4, l.st.m.nu)
}

// TestBeamCache: beams switched back and forth reuse their long terms; a
// changed beam is recomputed; cached gains allocate nothing.
func TestBeamCache(t *testing.T) {
	ch := newChannel(t, propagation.UMa, nil, true, 6)
	gArr := upa(t, 4, 8, antenna.Isotropic{})
	require.NoError(t, ch.SetArray(0, gArr))
	gnb := endpoint(0, mobility.Vector{Z: 25})
	victim := bind(ch, gnb, endpoint(9, mobility.Vector{X: 90, Y: 40, Z: 1.5}), 0)
	beams := make([]*antenna.Beam, 3)
	for i := range beams {
		beams[i] = antenna.NewBeam(gArr.DirectPathWeights(nil, gnb.Position, mobility.Vector{X: 100, Y: float64(60 * (i - 1)), Z: 1.5}))
	}
	var first [3][]float64
	for i, b := range beams {
		require.NoError(t, gArr.SetBeam(b))
		first[i] = append([]float64(nil), victim.RBGains(0)...)
	}
	lt := ch.Stats().LongTerms
	for range 3 {
		for i, b := range beams {
			require.NoError(t, gArr.SetBeam(b))
			require.Equal(t, first[i], victim.RBGains(0))
		}
	}
	require.Equal(t, lt, ch.Stats().LongTerms, "three beams fit the cache")
	beams[1].Set(gArr.DirectPathWeights(nil, gnb.Position, mobility.Vector{X: 10, Y: 100, Z: 1.5}))
	require.NoError(t, gArr.SetBeam(beams[1]))
	require.NotEqual(t, first[1], victim.RBGains(0))
	require.Equal(t, lt+1, ch.Stats().LongTerms)
	allocs := testing.AllocsPerRun(20, func() {
		for _, b := range beams {
			_ = gArr.SetBeam(b)
			victim.RBGains(0)
		}
	})
	require.Zero(t, allocs)
	require.Nil(t, new(Link).RBGains(0))
}

// TestNS338Compat: ns-3.38's ray phases and shuffle change the channel of
// arrays, not its statistics; a single element has no phases to get wrong.
func TestNS338Compat(t *testing.T) {
	run := func(c Compat, rows, cols int) []float64 {
		cfg := DefaultConfig(propagation.UMa, grid28())
		cfg.Condition = propagation.NeverLOS{}
		cfg.Compat = c
		ch, err := New(cfg, sim.New(3, 1))
		require.NoError(t, err)
		require.NoError(t, ch.SetArray(0, upa(t, rows, cols, antenna.Isotropic{})))
		var out []float64
		for u := 1; u <= 300; u++ {
			l := bind(ch, endpoint(0, mobility.Vector{Z: 25}), endpoint(u, mobility.Vector{X: 100, Y: float64(u), Z: 1.5}), 0)
			out = append(out, mean(l.RBGains(0)))
		}
		return out
	}
	require.Equal(t, run(Compat{}, 1, 1), run(Compat{RaySinCosBug: true}, 1, 1))
	require.NotEqual(t, run(Compat{}, 4, 8), run(Compat{RaySinCosBug: true}, 4, 8))
	require.NotEqual(t, run(Compat{}, 4, 8), run(Compat{ReverseShuffle: true}, 4, 8))
	old := run(NS338Compat(), 1, 1)
	require.InDelta(t, 1.0, mean(old), 0.1)
}

// TestMissingArray: an endpoint without an array is one isotropic element.
func TestMissingArray(t *testing.T) {
	ch := newChannel(t, propagation.UMa, nil, false, 1)
	l := bind(ch, endpoint(0, mobility.Vector{Z: 25}), endpoint(1, mobility.Vector{X: 50, Z: 1.5}), 0)
	require.Equal(t, uint64(2), ch.Stats().MissingArrays)
	g := l.RBGains(0)
	require.Len(t, g, 66)
	for _, x := range g {
		require.Equal(t, 1.0, x)
	}
}

// TestCheapModelFollowsElements: without fast fading the gain is the two
// element gains along the direct path with matched beams.
func TestCheapModelFollowsElements(t *testing.T) {
	ch := newChannel(t, propagation.UMa, nil, false, 1)
	e := antenna.DefaultThreeGPPElement()
	require.NoError(t, ch.SetArray(0, upa(t, 1, 1, e)))
	require.NoError(t, ch.SetArray(1, upa(t, 1, 1, e)))
	gnb, ue := mobility.Vector{Z: 25}, mobility.Vector{X: 100, Y: 20, Z: 1.5}
	l := bind(ch, endpoint(0, gnb), endpoint(1, ue), 0)
	want := e.GainDb(antenna.DirectionTo(gnb, ue).Azimuth, antenna.DirectionTo(gnb, ue).Inclination)
	back := antenna.DirectionTo(ue, gnb)
	want += e.GainDb(back.Azimuth, back.Inclination)
	require.InDelta(t, want, db(l.RBGains(0)[0]), 1e-9)
	require.InDelta(t, 7.16-22, want, 0.01, "the UE's element faces away from the gNB: 30 dB front-back ratio")
}

func TestBeamformerConfig(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*BeamformingConfig)
		err  string
	}{
		{"default", func(*BeamformingConfig) {}, ""},
		{"method", func(c *BeamformingConfig) { c.Method = 9 }, "Method 9"},
		{"period", func(c *BeamformingConfig) { c.Period = 0 }, "Period 0s must be > 0"},
		{"oversampling", func(c *BeamformingConfig) { c.OversamplingFactor = 5 }, "OversamplingFactor 5"},
		{"iterations", func(c *BeamformingConfig) { c.SVDMaxIterations = 0 }, "SVDMaxIterations 0"},
		{"tolerance", func(c *BeamformingConfig) { c.SVDTolerance = 0 }, "SVDTolerance 0"},
	}
	ch := newChannel(t, propagation.UMa, nil, true, 1)
	for _, tc := range tests {
		c := DefaultBeamformingConfig()
		tc.mod(&c)
		_, err := NewBeamformer(ch, c)
		if tc.err == "" {
			require.NoError(t, err, tc.name)
		} else {
			require.ErrorContains(t, err, tc.err, tc.name)
		}
	}
	_, err := NewBeamformer(nil, DefaultBeamformingConfig())
	require.ErrorContains(t, err, "needs a Channel")
	require.Equal(t, "CellScanBeamforming", CellScan.String())
	require.Equal(t, "DirectPathBeamforming", DirectPath.String())
	require.Equal(t, "SvdBeamforming", SVD.String())
	require.Equal(t, "Method(7)", Method(7).String())
	bf, err := NewBeamformer(ch, DefaultBeamformingConfig())
	require.NoError(t, err)
	_, _, err = bf.Add(endpoint(0, mobility.Vector{X: 1}), endpoint(1, mobility.Vector{X: 1}), 0)
	require.ErrorContains(t, err, "CellScanBeamforming between endpoints 0 and 1 at the same position")
	require.Equal(t, 100*sim.Millisecond, bf.Config().Period)
}

// TestCellScanCodebook follows nr v4.1's loops: a 4 x 8 gNB scans 4 zenith
// steps of 45° x 8 sectors, a 2 x 4 UE 4 x 4 (its zenith loop advancing by
// the gNB's 45° step, centred by its own 90°).
func TestCellScanCodebook(t *testing.T) {
	ch := newChannel(t, propagation.UMa, propagation.AlwaysLOS{}, false, 1)
	gArr, uArr := upa(t, 4, 8, antenna.Isotropic{}), upa(t, 2, 4, antenna.Isotropic{})
	require.NoError(t, ch.SetArray(0, gArr))
	require.NoError(t, ch.SetArray(1, uArr))
	bf, err := NewBeamformer(ch, DefaultBeamformingConfig())
	require.NoError(t, err)
	gnb, ue := mobility.Vector{Z: 25}, mobility.Vector{X: 100, Z: 1.5}
	g, u, err := bf.Compute(nil, nil, endpoint(0, gnb), endpoint(1, ue), 0)
	require.NoError(t, err)
	// The UE is at azimuth 0 (sector 4 of 8: π·4/8 - π/2) and 103° from
	// the zenith (the 90°-135° wedge, centred at 112.5°).
	require.InDeltaSlice(t, realImag(gArr.DirectionalWeights(nil, 4, 112.5)), realImag(g), 1e-12)
	// Seen from the UE the gNB is at azimuth ±180° (sector 0 of 4 points
	// at -90°, sector 4 would be +90°: the UE's best is an edge sector)
	// and 77° from the zenith: the UE's wedges are centred at 45, 90, 135
	// and 180°.
	best := -1.0
	var bestU []complex128
	for z := 0.0; z < 180; z += 45 {
		for s := 0.0; s < 4; s++ {
			w := uArr.DirectionalWeights(nil, s, z+45)
			af := uArr.ArrayFactor(w, antenna.DirectionTo(ue, gnb))
			if p := cmplxAbs2(af); best < p {
				best, bestU = p, w
			}
		}
	}
	require.InDeltaSlice(t, realImag(bestU), realImag(u), 1e-12)
}

func realImag(w []complex128) []float64 {
	out := make([]float64, 0, 2*len(w))
	for _, x := range w {
		out = append(out, real(x), imag(x))
	}
	return out
}

// TestBeamformerPeriod: the beams are computed at Add and again every
// period; a moving UE is followed.
func TestBeamformerPeriod(t *testing.T) {
	s := sim.New(1, 1)
	cfg := DefaultConfig(propagation.UMa, grid28())
	cfg.FastFading = false
	ch, err := New(cfg, s)
	require.NoError(t, err)
	gArr := upa(t, 4, 8, antenna.Isotropic{})
	require.NoError(t, ch.SetArray(0, gArr))
	bc := DefaultBeamformingConfig()
	bc.Method = DirectPath
	bf, err := NewBeamformer(ch, bc)
	require.NoError(t, err)
	mob := mobility.NewConstantVelocity(mobility.Vector{X: 50, Z: 1.5}, mobility.Vector{Y: 100}, 0)
	gb, _, err := bf.Add(endpoint(0, mobility.Vector{Z: 25}), propagation.Endpoint{ID: 1, Mobility: mob}, 0)
	require.NoError(t, err)
	require.Equal(t, uint64(1), gb.Generation())
	w0 := append([]complex128(nil), gb.Weights()...)
	bf.Start(s)
	s.RunUntil(100 * sim.Millisecond)
	require.Equal(t, uint64(1), gb.Generation(), "the first run is one period after Start")
	s.RunUntil(100*sim.Millisecond + 1)
	require.Equal(t, uint64(2), gb.Generation())
	require.NotEqual(t, w0, gb.Weights())
	require.InDeltaSlice(t, realImag(gArr.DirectPathWeights(nil, mobility.Vector{Z: 25}, mobility.Vector{X: 50, Y: 10, Z: 1.5})), realImag(gb.Weights()), 1e-12)
	s.RunUntil(350 * sim.Millisecond)
	require.Equal(t, uint64(4), gb.Generation())
	bf.Stop()
	s.RunUntil(time1s)
	require.Equal(t, uint64(4), gb.Generation())
	require.NoError(t, bf.Run(s.Now()))
	require.Equal(t, uint64(5), gb.Generation())
}

const time1s = sim.Second

var _ = rb.Grid{}
