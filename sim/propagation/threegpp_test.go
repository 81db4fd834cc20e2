package propagation

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
)

// link3 returns a link from endpoint txID at (0, 0, zTx) to rxID at
// (d2D, 0, zRx).
func link3(txID int, zTx float64, rxID int, zRx, d2D float64) *Link {
	return &Link{
		Tx: Endpoint{ID: txID, Position: mobility.Vector{Z: zTx}},
		Rx: Endpoint{ID: rxID, Position: mobility.Vector{X: d2D, Z: zRx}},
	}
}

// newDeterministic returns a ThreeGPP model without shadowing and with the
// given condition model.
func newDeterministic(t testing.TB, s Scenario, f float64, cond ConditionModel, mut func(*ThreeGPPConfig)) *ThreeGPP {
	t.Helper()
	cfg := DefaultThreeGPPConfig(s)
	cfg.FrequencyHz = f
	cfg.ShadowingEnabled = false
	cfg.Condition = cond
	if mut != nil {
		mut(&cfg)
	}
	m, err := NewThreeGPP(cfg, sim.New(1, 1))
	require.NoError(t, err)
	return m
}

type warnCounts map[WarningReason]uint64

// TestThreeGPPPathloss checks every scenario and condition against values
// computed by hand from TR 38.901 Table 7.4.1-1 as ns-3.45 codes it
// (three-gpp-propagation-loss-model.cc). fc is in GHz, distances in m,
// c = 3e8 m/s unless said otherwise; d3D = sqrt(d2D² + (hBS-hUT)²).
func TestThreeGPPPathloss(t *testing.T) {
	const exactC = 299792458.0
	tests := []struct {
		name     string
		s        Scenario
		f        float64 // Hz
		zTx, zRx float64
		d2D      float64
		cond     ConditionModel
		c        float64 // speed of light; 0: default 3e8
		want     float64 // dB
		warns    warnCounts
	}{
		// UMa with NetRL's geometry: hBS = 3 m (outside the standard's
		// 25 m: one WarnBSHeight per call), hUT = 1.5 m, fc = 28 GHz.
		// hUT < 13 m so hE = 1 m and d'BP = 4·(3-1)·(1.5-1)·28e9/3e8 =
		// 373.333 m (373.592 m with c = 299792458).
		// d2D = 100: d3D = 100.01125, PL1 = 28 + 22·log10(100.01125) +
		// 20·log10(28) = 28 + 44.00107 + 28.94316.
		{"UMa NetRL LOS 100 m (PL1)", UMa, 28e9, 3, 1.5, 100, AlwaysLOS{}, 0, 100.9442353848, warnCounts{WarnBSHeight: 1}},
		// d2D = 373 <= 373.333: PL1 = 28 + 22·log10(373.003) + 28.94316.
		{"UMa NetRL LOS 373 m (PL1, below d'BP)", UMa, 28e9, 3, 1.5, 373, AlwaysLOS{}, 0, 113.5208321837, warnCounts{WarnBSHeight: 1}},
		// d2D = 374 > 373.333: PL2 = 28 + 40·log10(374.003) + 28.94316 -
		// 9·log10(373.333² + 1.5²).
		{"UMa NetRL LOS 374 m (PL2, above d'BP)", UMa, 28e9, 3, 1.5, 374, AlwaysLOS{}, 0, 113.5603595115, warnCounts{WarnBSHeight: 1}},
		{"UMa NetRL LOS 1000 m (PL2)", UMa, 28e9, 3, 1.5, 1000, AlwaysLOS{}, 0, 130.6453752494, warnCounts{WarnBSHeight: 1}},
		// d2D = 373.5 is PL2 with c = 3e8 (d'BP = 373.333) but PL1 with
		// the exact c (d'BP = 373.592): PL1 = 28 + 22·log10(373.503) +
		// 28.94316, PL2 = 28 + 40·log10(373.503) + 28.94316 -
		// 9·log10(373.333² + 2.25).
		{"UMa NetRL LOS 373.5 m, c = 3e8 (PL2)", UMa, 28e9, 3, 1.5, 373.5, AlwaysLOS{}, 0, 113.5371200439, warnCounts{WarnBSHeight: 1}},
		{"UMa NetRL LOS 373.5 m, exact c (PL1)", UMa, 28e9, 3, 1.5, 373.5, AlwaysLOS{}, exactC, 113.5336310126, warnCounts{WarnBSHeight: 1}},
		// NLOS = 13.54 + 39.08·log10(d3D) + 20·log10(28) - 0.6·(1.5-1.5):
		// 120.645 at 100 m (LOS 100.944), 159.723 at 1000 m.
		{"UMa NetRL NLOS 100 m", UMa, 28e9, 3, 1.5, 100, NeverLOS{}, 0, 120.6450697878, warnCounts{WarnBSHeight: 1}},
		{"UMa NetRL NLOS 1000 m", UMa, 28e9, 3, 1.5, 1000, NeverLOS{}, 0, 159.7231797206, warnCounts{WarnBSHeight: 1}},
		// UMa at the standard's heights, hBS = 25 m (transmitter or
		// receiver), hUT = 1.5 m, 28 GHz: d'BP = 4·24·0.5·28e9/3e8 = 4480 m.
		{"UMa LOS 100 m", UMa, 28e9, 25, 1.5, 100, AlwaysLOS{}, 0, 101.1999564167, nil},
		{"UMa LOS 1000 m, BS is the receiver", UMa, 28e9, 1.5, 25, 1000, AlwaysLOS{}, 0, 122.9457981290, nil},
		{"UMa LOS 4479 m (PL1)", UMa, 28e9, 25, 1.5, 4479, AlwaysLOS{}, 0, 137.2692755063, nil},
		{"UMa LOS 4481 m (PL2)", UMa, 28e9, 25, 1.5, 4481, AlwaysLOS{}, 0, 137.2752854718, nil},
		{"UMa LOS 5000 m (PL2, last valid distance)", UMa, 28e9, 25, 1.5, 5000, AlwaysLOS{}, 0, 139.1790408699, nil},
		{"UMa NLOS 100 m", UMa, 28e9, 25, 1.5, 100, NeverLOS{}, 0, 121.0993233299, nil},
		{"UMa NLOS 1000 m", UMa, 28e9, 25, 1.5, 1000, NeverLOS{}, 0, 159.7278457898, nil},
		// NLOS = max(LOS, NLOS) where LOS wins. hBS 25, hUT 22.5, d2D 15,
		// 3.5 GHz (d2D <= 18 m, so hE = 1 m, d'BP = 24080 m): d3D =
		// 15.2069, LOS = 28 + 22·log10(15.2069) + 20·log10(3.5) = 64.886,
		// NLOS formula = 13.54 + 39.08·log10(15.2069) + 10.881 - 0.6·21 =
		// 58.016.
		{"UMa NLOS = LOS (high UT)", UMa, 3.5e9, 25, 22.5, 15, NeverLOS{}, 0, 64.8862600425, nil},
		// NetRL heights at 0.5 GHz: d'BP = 6.667 m, LOS = PL2 at 100 m =
		// 86.958 > NLOS formula 85.681.
		{"UMa NLOS = LOS (low BS, 0.5 GHz)", UMa, 0.5e9, 3, 1.5, 100, NeverLOS{}, 0, 86.9579672780, warnCounts{WarnBSHeight: 1}},
		// Below the standard's 10 m: ns-3 warns and applies the formula at
		// the 3D distance: d3D = sqrt(25 + 23.5²) = 24.026, PL1 = 28 +
		// 22·log10(24.026) + 28.943.
		{"UMa LOS 5 m (below 10 m)", UMa, 28e9, 25, 1.5, 5, AlwaysLOS{}, 0, 87.3181639843, warnCounts{WarnDistance: 1}},
		// 0.4 GHz is below TR 38.901's 0.5 GHz: d'BP = 64 m, PL2 at 100 m.
		{"UMa LOS 0.4 GHz", UMa, 0.4e9, 25, 1.5, 100, AlwaysLOS{}, 0, 67.5024959609, warnCounts{WarnFrequency: 1}},
		// hUT = 3 and hBS = 30: only the BS height warns.
		{"UMa LOS hBS 30 m", UMa, 28e9, 30, 3, 100, AlwaysLOS{}, 0, 101.2793123250, warnCounts{WarnBSHeight: 1}},

		// UMi street canyon, hBS = 10 m, hUT = 1.5 m, 3.5 GHz: d'BP =
		// 4·9·0.5·3.5e9/3e8 = 210 m. PL1 = 32.4 + 21·log10(d3D) +
		// 20·log10(3.5), PL2 = 32.4 + 40·log10(d3D) + 20·log10(3.5) -
		// 9.5·log10(210² + 8.5²), NLOS = 22.4 + 35.3·log10(d3D) +
		// 21.3·log10(3.5) - 0.3·(hUT-1.5).
		{"UMi LOS 100 m", UMiStreetCanyon, 3.5e9, 10, 1.5, 100, AlwaysLOS{}, 0, 85.3141891025, nil},
		{"UMi LOS 209 m (PL1)", UMiStreetCanyon, 3.5e9, 10, 1.5, 209, AlwaysLOS{}, 0, 92.0119692264, nil},
		{"UMi LOS 211 m (PL2)", UMiStreetCanyon, 3.5e9, 10, 1.5, 211, AlwaysLOS{}, 0, 92.1378229394, nil},
		{"UMi LOS 1000 m", UMiStreetCanyon, 3.5e9, 10, 1.5, 1000, AlwaysLOS{}, 0, 119.1530679660, nil},
		{"UMi NLOS 100 m", UMiStreetCanyon, 3.5e9, 10, 1.5, 100, NeverLOS{}, 0, 104.6438320117, nil},
		{"UMi NLOS 1000 m", UMiStreetCanyon, 3.5e9, 1.5, 10, 1000, NeverLOS{}, 0, 139.8892031424, nil},
		// ns-3 takes the transmitter as BS if it is at exactly 10 m, else
		// the receiver: tx 8 m, rx 1.5 m gives hBS = 1.5, hUT = 8 (d'BP =
		// 4·0.5·7·3.5e9/3e8 = 163.33 m), NLOS = 22.4 + 35.3·log10(100.21) +
		// 11.589 - 0.3·6.5 = 102.671; the reverse link has hBS = 8, hUT =
		// 1.5 and NLOS 104.621. LOS is the same both ways (85.3006).
		{"UMi NLOS tx 8 m rx 1.5 m (BS = rx)", UMiStreetCanyon, 3.5e9, 8, 1.5, 100, NeverLOS{}, 0, 102.6709670040, warnCounts{WarnBSHeight: 1}},
		{"UMi NLOS tx 1.5 m rx 8 m (BS = rx)", UMiStreetCanyon, 3.5e9, 1.5, 8, 100, NeverLOS{}, 0, 104.6209670040, warnCounts{WarnBSHeight: 1}},
		{"UMi LOS tx 8 m rx 1.5 m", UMiStreetCanyon, 3.5e9, 8, 1.5, 100, AlwaysLOS{}, 0, 85.3005866900, warnCounts{WarnBSHeight: 1}},
		{"UMi LOS tx 1.5 m rx 8 m", UMiStreetCanyon, 3.5e9, 1.5, 8, 100, AlwaysLOS{}, 0, 85.3005866900, warnCounts{WarnBSHeight: 1}},
		// NLOS = max(LOS, NLOS) where LOS wins: hUT = 1 m (below 1.5 m)
		// makes d'BP = 0, so PL2 at 1000 m = 145.151 > NLOS formula 140.039.
		{"UMi NLOS = LOS (hUT 1 m)", UMiStreetCanyon, 3.5e9, 10, 1, 1000, NeverLOS{}, 0, 145.1514567362, warnCounts{WarnUTHeight: 1}},
		// hUT = 12 m >= 10 m warns; d'BP = 4·9·11·3.5e9/3e8 = 4620 m.
		{"UMi LOS hUT 12 m", UMiStreetCanyon, 3.5e9, 10, 12, 100, AlwaysLOS{}, 0, 85.2831845591, warnCounts{WarnUTHeight: 1}},

		// RMa, hBS = 35 m, hUT = 1.5 m, 3.5 GHz, h = 5 m, W = 20 m:
		// dBP = 2π·35·1.5·3.5e9/3e8 = 3848.45 m. PL1(d) = 20·log10(40π·d·
		// 3.5/3) + min(0.03·5^1.72, 10)·log10(d) - min(0.044·5^1.72, 14.77)
		// + 0.002·log10(5)·d; PL2 = PL1(dBP) + 40·log10(d3D/dBP).
		{"RMa LOS 1000 m (PL1)", RMa, 3.5e9, 35, 1.5, 1000, AlwaysLOS{}, 0, 105.4596461306, nil},
		{"RMa LOS 3848 m (PL1)", RMa, 3.5e9, 35, 1.5, 3848, AlwaysLOS{}, 0, 121.4201416364, nil},
		{"RMa LOS 3849 m (PL2)", RMa, 3.5e9, 1.5, 35, 3849, AlwaysLOS{}, 0, 121.4244094724, nil},
		{"RMa LOS 8000 m (PL2)", RMa, 3.5e9, 35, 1.5, 8000, AlwaysLOS{}, 0, 134.1335868672, nil},
		// NLOS = 161.04 - 7.1·log10(20) + 7.5·log10(5) - (24.37 -
		// 3.7·(5/35)²)·log10(35) + (43.42 - 3.1·log10(35))·(log10(d3D)-3) +
		// 20·log10(3.5) - (3.2·log10(11.75·1.5)² - 4.97).
		{"RMa NLOS 1000 m", RMa, 3.5e9, 35, 1.5, 1000, NeverLOS{}, 0, 130.4243060762, nil},
		{"RMa NLOS 8000 m (beyond 5 km)", RMa, 3.5e9, 35, 1.5, 8000, NeverLOS{}, 0, 165.3044705790, warnCounts{WarnDistance: 1}},
		// LOS wins: at 10 m, LOS 74.280 > NLOS formula 74.148; with hBS
		// 150 m, hUT 10 m at 200 m, LOS 91.857 > 83.703.
		{"RMa NLOS = LOS (10 m)", RMa, 3.5e9, 35, 1.5, 10, NeverLOS{}, 0, 74.2803644449, nil},
		{"RMa NLOS = LOS (hBS 150 m)", RMa, 3.5e9, 150, 10, 200, NeverLOS{}, 0, 91.8570142149, nil},
		// 35 GHz is beyond RMa's 30 GHz: computed (dBP 38484.5 m, PL1)
		// and warned.
		{"RMa LOS 35 GHz", RMa, 35e9, 35, 1.5, 1000, AlwaysLOS{}, 0, 125.4596461306, warnCounts{WarnFrequency: 1}},
		// hUT = 0: dBP = 0, where ns-3 aborts; PL1 at d3D =
		// sqrt(100² + 35²) instead.
		{"RMa LOS hUT 0 m", RMa, 3.5e9, 35, 0, 100, AlwaysLOS{}, 0, 84.2399854488, warnCounts{WarnUTHeight: 1, WarnBreakpoint: 1}},

		// Indoor office, 28 GHz, BS 3 m, UT 1 m: LOS = 32.4 +
		// 17.3·log10(d3D) + 20·log10(28), NLOS = max(LOS, 17.3 +
		// 38.3·log10(d3D) + 24.9·log10(28)).
		{"InH open LOS 20 m", InHOfficeOpen, 28e9, 3, 1, 20, AlwaysLOS{}, 0, 83.8883594351, nil},
		{"InH open NLOS 20 m", InHOfficeOpen, 28e9, 3, 1, 20, NeverLOS{}, 0, 103.2464381223, nil},
		{"InH mixed NLOS 20 m", InHOfficeMixed, 28e9, 3, 1, 20, NeverLOS{}, 0, 103.2464381223, nil},
		{"InH open NLOS 100 m", InHOfficeOpen, 28e9, 3, 1, 100, NeverLOS{}, 0, 129.9375610110, nil},
		// d3D = 2 m: LOS 66.551 > NLOS formula 64.864; d3D = 2.5 m: NLOS
		// formula 68.575 > LOS 68.228.
		{"InH NLOS = LOS (d3D 2 m)", InHOfficeMixed, 28e9, 3, 1, 0, NeverLOS{}, 0, 66.5509795518, nil},
		{"InH NLOS formula (d3D 2.5 m)", InHOfficeOpen, 28e9, 3, 1, 1.5, NeverLOS{}, 0, 68.5753373126, nil},
		// The indoor range is on the 3D distance, 1 to 150 m.
		{"InH LOS d3D 0.5 m", InHOfficeOpen, 28e9, 1, 1, 0.5, AlwaysLOS{}, 0, 56.1353417019, warnCounts{WarnDistance: 1}},
		{"InH LOS d3D 200 m", InHOfficeOpen, 28e9, 3, 1, 200, AlwaysLOS{}, 0, 101.1513551978, warnCounts{WarnDistance: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newDeterministic(t, tc.s, tc.f, tc.cond, func(c *ThreeGPPConfig) {
				if tc.c != 0 {
					c.SpeedOfLight = tc.c
				}
			})
			var seen []Warning
			m.Warnings.OnWarning = func(w Warning) { seen = append(seen, w) }
			l := link3(4, tc.zTx, 9, tc.zRx, tc.d2D)
			require.InDelta(t, tc.want, 20-m.LinkRxPower(20, l), 1e-9)
			// Computing again gives the same loss and the same warnings.
			require.InDelta(t, tc.want, -m.LinkRxPower(0, l), 1e-9)
			var total uint64
			for r := WarningReason(1); r < numWarningReasons; r++ {
				require.Equal(t, 2*tc.warns[r], m.Warnings.Count(r), "reason %v", r)
				total += tc.warns[r]
			}
			require.Equal(t, 2*total, m.Warnings.Total())
			require.Len(t, seen, int(2*total))
			for _, w := range seen {
				require.Equal(t, tc.s, w.Scenario)
				require.Equal(t, KeyOf(4, 9), w.Link)
				require.NotZero(t, tc.warns[w.Reason], "unexpected %v", w.Reason)
			}
		})
	}
}

// TestThreeGPPNetRLVector is issue 9's vector: UMa with NetRL's geometry
// (hBS 3 m, hUT 1.5 m, 28 GHz) is outside the standard's height range;
// ns-3 warns and computes with hE = 1 m, d'BP = 4·(hBS-hE)·(hUT-hE)·fc/c.
// ns-3.45 has c = 3e8 m/s: d'BP = 4·2·0.5·28e9/3e8 = 373.333 m; with the
// exact c (ns-3-dev since 2026) d'BP = 373.592 m, the 373.6 m.
func TestThreeGPPNetRLVector(t *testing.T) {
	rng := sim.New(1, 1).Stream("unused")
	require.InDelta(t, 373.3333333333, umaBreakpoint(28e9, NS345SpeedOfLight, 3, 1.5, 200, rng), 1e-9)
	require.InDelta(t, 373.5917866219, umaBreakpoint(28e9, SpeedOfLight, 3, 1.5, 200, rng), 1e-9)
	require.InDelta(t, 373.6, umaBreakpoint(28e9, SpeedOfLight, 3, 1.5, 200, rng), 0.05)

	m := newDeterministic(t, UMa, 28e9, AlwaysLOS{}, nil)
	before := m.Warnings.Count(WarnBSHeight)
	// Both sides of the breakpoint: PL1 at 373 m, PL2 at 374 m (hand
	// values in TestThreeGPPPathloss).
	require.InDelta(t, 113.5208321837, -m.LinkRxPower(0, link3(0, 3, 1, 1.5, 373)), 1e-9)
	require.InDelta(t, 113.5603595115, -m.LinkRxPower(0, link3(0, 3, 1, 1.5, 374)), 1e-9)
	require.Equal(t, before+2, m.Warnings.Count(WarnBSHeight))
	require.Zero(t, m.Warnings.Count(WarnUTHeight), "hUT = 1.5 m is in range")
	require.Zero(t, m.Warnings.Count(WarnDistance))
}

// TestUMaEffectiveHeight checks ns-3's hE rule (GetBpDistance of
// ThreeGppUmaPropagationLossModel): hE = 1 m when hUT < 13 m or d2D <= 18 m,
// else 1 m with probability 1/(1+C) and otherwise floor(r/3)·3 for r
// uniform in {12, ..., int(hUT-1.5)}.
func TestUMaEffectiveHeight(t *testing.T) {
	const f, c = 28e9, NS345SpeedOfLight
	bp := func(hBS, hUT, hE float64) float64 { return 4 * (hBS - hE) * (hUT - hE) * f / c }
	rng := sim.New(1, 1).Stream("he")
	ref := sim.New(1, 1).Stream("he")
	// hUT < 13 m: hE = 1, nothing drawn.
	require.Equal(t, bp(25, 12.9, 1), umaBreakpoint(f, c, 25, 12.9, 300, rng))
	// d2D <= 18 m: g = 0, hE = 1, nothing drawn.
	require.Equal(t, bp(25, 22.5, 1), umaBreakpoint(f, c, 25, 22.5, 18, rng))
	require.Equal(t, ref.Uint64(), rng.Uint64(), "no draw when hE is certainly 1 m")

	// hUT = 22.5 m, d2D = 100 m: C = (0.95)^1.5 · 5/4 · 1 · exp(-2/3) =
	// 0.925945 · 0.641772 = 0.594240, P(hE = 1) = 1/1.594240 = 0.627258;
	// otherwise r in {12..21}: hE = 12 (r 12-14), 15 (15-17), 18 (18-20),
	// 21 (r = 21), i.e. 3/10, 3/10, 3/10, 1/10 of the rest.
	const n = 100000
	p1 := 1 / (1 + 0.594240)
	want := map[float64]float64{1: p1, 12: (1 - p1) * 0.3, 15: (1 - p1) * 0.3, 18: (1 - p1) * 0.3, 21: (1 - p1) * 0.1}
	got := map[float64]int{}
	byBP := map[float64]float64{}
	for he := range want {
		byBP[bp(25, 22.5, he)] = he
	}
	for range n {
		d := umaBreakpoint(f, c, 25, 22.5, 100, rng)
		he, ok := byBP[d]
		require.True(t, ok, "breakpoint %g matches no hE", d)
		got[he]++
	}
	for he, p := range want {
		sigma := math.Sqrt(p * (1 - p) / n)
		require.InDelta(t, p, float64(got[he])/n, 4*sigma, "P(hE = %g)", he)
	}
}

func TestThreeGPPConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		mut  func(*ThreeGPPConfig)
		ok   bool
	}{
		{"default", func(*ThreeGPPConfig) {}, true},
		{"unknown scenario", func(c *ThreeGPPConfig) { c.Scenario = 0 }, false},
		{"scenario out of range", func(c *ThreeGPPConfig) { c.Scenario = InHOfficeOpen + 1 }, false},
		{"zero frequency", func(c *ThreeGPPConfig) { c.FrequencyHz = 0 }, false},
		{"negative frequency", func(c *ThreeGPPConfig) { c.FrequencyHz = -1e9 }, false},
		{"NaN frequency", func(c *ThreeGPPConfig) { c.FrequencyHz = math.NaN() }, false},
		{"infinite frequency", func(c *ThreeGPPConfig) { c.FrequencyHz = math.Inf(1) }, false},
		{"frequency outside TR 38.901 is only a warning", func(c *ThreeGPPConfig) { c.FrequencyHz = 200e9 }, true},
		{"zero speed of light", func(c *ThreeGPPConfig) { c.SpeedOfLight = 0 }, false},
		{"RMa building height 4 m", func(c *ThreeGPPConfig) { c.Scenario = RMa; c.AvgBuildingHeight = 4 }, false},
		{"RMa street width 51 m", func(c *ThreeGPPConfig) { c.Scenario = RMa; c.AvgStreetWidth = 51 }, false},
		{"RMa building height 50 m", func(c *ThreeGPPConfig) { c.Scenario = RMa; c.AvgBuildingHeight = 50 }, true},
		{"UMa ignores RMa fields", func(c *ThreeGPPConfig) { c.AvgBuildingHeight = 0 }, true},
		{"negative O2I sigma", func(c *ThreeGPPConfig) { c.O2ILowLossSigma = -1 }, false},
		{"NaN O2I sigma", func(c *ThreeGPPConfig) { c.O2IHighLossSigma = math.NaN() }, false},
		{"empty stream name", func(c *ThreeGPPConfig) { c.StreamName = "" }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultThreeGPPConfig(UMa)
			tc.mut(&c)
			err := c.Validate()
			_, nerr := NewThreeGPP(c, sim.New(1, 1))
			if tc.ok {
				require.NoError(t, err)
				require.NoError(t, nerr)
			} else {
				require.Error(t, err)
				require.Error(t, nerr)
				require.Contains(t, err.Error(), "ThreeGPPConfig.")
			}
		})
	}
	for s := UMa; s <= InHOfficeOpen; s++ {
		require.NoError(t, DefaultThreeGPPConfig(s).Validate(), "%v", s)
	}
	_, err := NewThreeGPP(DefaultThreeGPPConfig(UMa), nil)
	require.ErrorContains(t, err, "StreamSource")
}

// TestThreeGPPDefaults checks ns-3.45's attribute defaults.
func TestThreeGPPDefaults(t *testing.T) {
	c := DefaultThreeGPPConfig(RMa)
	require.Equal(t, 500e6, c.FrequencyHz)
	require.True(t, c.ShadowingEnabled)
	require.True(t, c.BuildingPenetrationLossesEnabled)
	require.Equal(t, 5.0, c.AvgBuildingHeight)
	require.Equal(t, 20.0, c.AvgStreetWidth)
	require.Equal(t, 3e8, c.SpeedOfLight)
	require.Equal(t, "propagation/3gpp/rma", c.StreamName)
	m, err := NewThreeGPP(c, sim.New(1, 1))
	require.NoError(t, err)
	cm, ok := m.ConditionModel().(*ThreeGPPCondition)
	require.True(t, ok, "the default condition model is the scenario's 3GPP one")
	require.Equal(t, RMa, cm.Config().Scenario)
	require.Equal(t, "propagation/3gpp/rma/condition", cm.Config().StreamName)
	require.Equal(t, sim.Time(0), cm.Config().UpdatePeriod)
}

// TestThreeGPPLinkFrequency: a link's positive frequency overrides the
// configured one (UMa LOS 100 m at 28 GHz, hand value above).
func TestThreeGPPLinkFrequency(t *testing.T) {
	m := newDeterministic(t, UMa, 500e6, AlwaysLOS{}, nil)
	l := link3(0, 25, 1, 1.5, 100)
	l.FrequencyHz = 28e9
	require.InDelta(t, 101.1999564167, -m.LinkRxPower(0, l), 1e-9)
	l.FrequencyHz = 0
	// 0.5 GHz: d'BP = 4·24·0.5·0.5e9/3e8 = 80 m, PL2 at 100 m.
	d3 := math.Hypot(100, 23.5)
	want := 28 + 40*math.Log10(d3) + 20*math.Log10(0.5) - 9*math.Log10(80*80+23.5*23.5)
	require.InDelta(t, want, -m.LinkRxPower(0, l), 1e-9)
}

// TestThreeGPPUsesItsConditionModel: without shadowing, every link's loss
// is the LOS or NLOS loss as the shared condition model says.
func TestThreeGPPUsesItsConditionModel(t *testing.T) {
	cfg := DefaultThreeGPPConfig(UMa)
	cfg.FrequencyHz = 28e9
	cfg.ShadowingEnabled = false
	m, err := NewThreeGPP(cfg, sim.New(7, 1))
	require.NoError(t, err)
	los := newDeterministic(t, UMa, 28e9, AlwaysLOS{}, nil)
	nlos := newDeterministic(t, UMa, 28e9, NeverLOS{}, nil)
	counts := map[LosCondition]int{}
	for i := range 400 {
		l := link3(2*i, 25, 2*i+1, 1.5, 100)
		got := m.LinkRxPower(0, l)
		c := m.ConditionModel().Condition(l)
		counts[c.Los]++
		if c.Los == LOS {
			require.Equal(t, los.LinkRxPower(0, l), got)
		} else {
			require.Equal(t, nlos.LinkRxPower(0, l), got)
		}
	}
	require.NotZero(t, counts[LOS])
	require.NotZero(t, counts[NLOS])
}

// TestThreeGPPUnknownCondition: a condition that is neither LOS nor NLOS
// (ns-3: fatal error) is computed as NLOS and warned.
func TestThreeGPPUnknownCondition(t *testing.T) {
	m := newDeterministic(t, UMa, 28e9, ConditionFunc(func(*Link) Condition { return Condition{} }), nil)
	require.InDelta(t, 121.0993233299, -m.LinkRxPower(0, link3(0, 25, 1, 1.5, 100)), 1e-9)
	require.Equal(t, uint64(1), m.Warnings.Count(WarnCondition))
}

func TestLinkChain(t *testing.T) {
	m := newDeterministic(t, UMa, 28e9, AlwaysLOS{}, nil)
	c := LinkChain{m, ForLink(&Range{Distance: 200})}
	require.InDelta(t, 20-101.1999564167, c.LinkRxPower(20, link3(0, 25, 1, 1.5, 100)), 1e-9)
	require.Equal(t, -1000.0, c.LinkRxPower(20, link3(0, 25, 1, 1.5, 300)))
	require.Equal(t, 7.0, LinkChain{}.LinkRxPower(7, link3(0, 25, 1, 1.5, 300)))
}

func TestWarningReasonString(t *testing.T) {
	names := map[WarningReason]string{WarnDistance: "distance", WarnUTHeight: "ut-height", WarnBSHeight: "bs-height",
		WarnFrequency: "frequency", WarnBreakpoint: "breakpoint", WarnCondition: "condition", 0: "unknown"}
	for r, n := range names {
		require.Equal(t, n, r.String())
	}
	var w Warnings
	w.warn(WarnDistance, UMa, KeyOf(1, 2), 5)
	require.Equal(t, uint64(1), w.Total())
	require.Zero(t, w.Count(numWarningReasons+3))
	w.Reset()
	require.Zero(t, w.Total())
	require.Equal(t, "umi-street-canyon", UMiStreetCanyon.String())
	require.Equal(t, "scenario(9)", Scenario(9).String())
}
