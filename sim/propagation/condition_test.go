package propagation

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

// TestLOSProbability checks TR 38.901 Table 7.4.2-1 as ns-3.45 codes it
// (ComputePlos in channel-condition-model.cc) against hand-computed values.
func TestLOSProbability(t *testing.T) {
	tests := []struct {
		name     string
		s        Scenario
		d2D, hUT float64
		want     float64
	}{
		// UMa: 1 up to 18 m whatever hUT, then
		// [18/d + exp(-d/63)(1-18/d)]·[1 + C'(hUT)·5/4·(d/100)³·exp(-d/150)].
		{"UMa 10 m", UMa, 10, 1.5, 1},
		{"UMa 18 m", UMa, 18, 1.5, 1},
		{"UMa 18 m, hUT 22.5", UMa, 18, 22.5, 1},
		// 18/18.5 + exp(-18.5/63)·(1 - 18/18.5) = 0.972973 + 0.745564·0.027027.
		{"UMa 18.5 m", UMa, 18.5, 1.5, 0.993122616005},
		// 0.36 + exp(-50/63)·0.64 = 0.36 + 0.452191·0.64.
		{"UMa 50 m", UMa, 50, 1.5, 0.649402190334},
		// 0.18 + exp(-100/63)·0.82 = 0.18 + 0.204477·0.82.
		{"UMa 100 m", UMa, 100, 1.5, 0.347670836844},
		// hUT = 13 m: C' = 0.
		{"UMa 100 m, hUT 13", UMa, 100, 13, 0.347670836844},
		// hUT = 20: C' = 0.7^1.5 = 0.585662; second factor 1 + 0.585662·
		// 1.25·exp(-2/3) = 1.375867; 0.347671·1.375867.
		{"UMa 100 m, hUT 20", UMa, 100, 20, 0.478346791449},
		// hUT = 22.5: C' = 0.95^1.5 = 0.925945; d = 300: first factor
		// 0.06 + exp(-300/63)·0.94 = 0.068065, second 1 + 0.925945·1.25·27·
		// exp(-2) = 4.382771.
		{"UMa 300 m, hUT 22.5", UMa, 300, 22.5, 0.355783635340},
		{"UMa 1000 m", UMa, 1000, 1.5, 0.018000125472},
		// UMi: 1 up to 18 m, then 18/d + exp(-d/36)·(1-18/d).
		{"UMi 18 m", UMiStreetCanyon, 18, 1.5, 1},
		{"UMi 50 m", UMiStreetCanyon, 50, 1.5, 0.519585413617},
		{"UMi 200 m", UMiStreetCanyon, 200, 1.5, 0.093517987327},
		// RMa: 1 up to 10 m, then exp(-(d-10)/1000).
		{"RMa 10 m", RMa, 10, 1.5, 1},
		{"RMa 100 m", RMa, 100, 1.5, 0.913931185271},
		{"RMa 1000 m", RMa, 1000, 1.5, 0.371576691022},
		{"RMa 5000 m", RMa, 5000, 1.5, 0.006805664492},
		// InH mixed: 1 up to 1.2 m, exp(-(d-1.2)/4.7) below 6.5 m, then
		// 0.32·exp(-(d-6.5)/32.6).
		{"InH mixed 1.2 m", InHOfficeMixed, 1.2, 1, 1},
		{"InH mixed 3 m", InHOfficeMixed, 3, 1, 0.681827406098},
		{"InH mixed 6.5 m", InHOfficeMixed, 6.5, 1, 0.32},
		{"InH mixed 20 m", InHOfficeMixed, 20, 1, 0.211496947624},
		// InH open: 1 up to 5 m, exp(-(d-5)/70.8) up to 49 m, then
		// 0.54·exp(-(d-49)/211.7).
		{"InH open 5 m", InHOfficeOpen, 5, 1, 1},
		{"InH open 30 m", InHOfficeOpen, 30, 1, 0.702501779534},
		{"InH open 49 m", InHOfficeOpen, 49, 1, 0.537154816815},
		{"InH open 100 m", InHOfficeOpen, 100, 1, 0.424393968907},
		{"unknown scenario", Scenario(0), 100, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.InDelta(t, tc.want, LOSProbability(tc.s, tc.d2D, tc.hUT), 1e-11)
		})
	}
}

// heights returns (hBS, hUT) of a scenario's standard geometry.
func heights(s Scenario) (float64, float64) {
	switch s {
	case UMa:
		return 25, 1.5
	case UMiStreetCanyon:
		return 10, 1.5
	case RMa:
		return 35, 1.5
	}
	return 3, 1
}

// TestThreeGPPConditionFractions: over 20000 links, the fraction of LOS
// links at a distance is the hand-computed probability within 3 sigma.
func TestThreeGPPConditionFractions(t *testing.T) {
	tests := []struct {
		s    Scenario
		d2D  float64
		hUT  float64 // 0: the scenario's
		want float64
	}{
		{UMa, 10, 0, 1},
		{UMa, 18, 22.5, 1},
		{UMa, 50, 0, 0.649402190334},
		{UMa, 100, 0, 0.347670836844},
		{UMa, 100, 20, 0.478346791449},
		{UMiStreetCanyon, 50, 0, 0.519585413617},
		{UMiStreetCanyon, 200, 0, 0.093517987327},
		{RMa, 100, 0, 0.913931185271},
		{RMa, 1000, 0, 0.371576691022},
		{InHOfficeMixed, 3, 0, 0.681827406098},
		{InHOfficeMixed, 20, 0, 0.211496947624},
		{InHOfficeOpen, 30, 0, 0.702501779534},
		{InHOfficeOpen, 100, 0, 0.424393968907},
	}
	const n = 20000
	for _, tc := range tests {
		m, err := NewThreeGPPCondition(DefaultThreeGPPConditionConfig(tc.s), sim.New(3, 1))
		require.NoError(t, err)
		hBS, hUT := heights(tc.s)
		if tc.hUT != 0 {
			hUT = tc.hUT
		}
		los := 0
		for i := range n {
			c := m.Condition(link3(2*i, hBS, 2*i+1, hUT, tc.d2D))
			require.False(t, c.O2I, "no O2I by default")
			if c.Los == LOS {
				los++
			} else {
				require.Equal(t, NLOS, c.Los)
			}
		}
		sigma := math.Sqrt(tc.want * (1 - tc.want) / n)
		require.InDelta(t, tc.want, float64(los)/n, 3*sigma+1e-12, "%v at %g m", tc.s, tc.d2D)
	}
}

// TestThreeGPPConditionKeptAndUpdated: with UpdatePeriod 0 a link's
// condition is drawn once; with a period it is drawn again when more than
// the period has passed since it was drawn (ns-3: Now - generated >
// UpdatePeriod), independently: at p = 0.649 about 2p(1-p) = 0.4556 of the
// links change.
func TestThreeGPPConditionKeptAndUpdated(t *testing.T) {
	const n = 20000
	const period = 100 * sim.Millisecond
	fixed, err := NewThreeGPPCondition(DefaultThreeGPPConditionConfig(UMa), sim.New(5, 1))
	require.NoError(t, err)
	cfg := DefaultThreeGPPConditionConfig(UMa)
	cfg.UpdatePeriod = period
	upd, err := NewThreeGPPCondition(cfg, sim.New(5, 1))
	require.NoError(t, err)
	at := func(i int, now sim.Time) *Link {
		l := link3(2*i, 25, 2*i+1, 1.5, 50)
		l.Now = now
		return l
	}
	changed := 0
	for i := range n {
		c0 := fixed.Condition(at(i, 0))
		require.Equal(t, c0, fixed.Condition(at(i, sim.Second*3600)))
		u0 := upd.Condition(at(i, 0))
		require.Equal(t, c0, u0, "same seed and stream names: same first draw")
		require.Equal(t, u0, upd.Condition(at(i, period)), "not after exactly one period")
		u1 := upd.Condition(at(i, period+1))
		if u1 != u0 {
			changed++
		}
		require.Equal(t, u1, upd.Condition(at(i, period+1+period)), "the period restarts at the redraw")
	}
	p := 0.649402190334
	q := 2 * p * (1 - p)
	require.InDelta(t, q, float64(changed)/n, 3*math.Sqrt(q*(1-q)/n))
}

// TestThreeGPPConditionOrderIndependent: the condition of a link does not
// depend on which links were asked for before it.
func TestThreeGPPConditionOrderIndependent(t *testing.T) {
	a, err := NewThreeGPPCondition(DefaultThreeGPPConditionConfig(UMiStreetCanyon), sim.New(9, 2))
	require.NoError(t, err)
	b, err := NewThreeGPPCondition(DefaultThreeGPPConditionConfig(UMiStreetCanyon), sim.New(9, 2))
	require.NoError(t, err)
	const n = 500
	got := make([]Condition, n)
	for i := range n {
		got[i] = a.Condition(link3(i, 10, n+i, 1.5, 60))
	}
	for i := n - 1; i >= 0; i-- {
		// Reverse order and reverse direction.
		require.Equal(t, got[i], b.Condition(link3(n+i, 1.5, i, 10, 60)))
	}
	c, err := NewThreeGPPCondition(DefaultThreeGPPConditionConfig(UMiStreetCanyon), sim.New(10, 2))
	require.NoError(t, err)
	differ := 0
	for i := range n {
		if c.Condition(link3(i, 10, n+i, 1.5, 60)) != got[i] {
			differ++
		}
	}
	require.NotZero(t, differ, "another seed draws other conditions")
}

// TestThreeGPPConditionO2I checks ns-3's O2I draws: O2IThreshold is the
// fraction of O2I links, O2ILowLossThreshold the fraction of those with low
// loss; LinkO2IToAntennaHeight makes links O2O exactly when the lower
// endpoint is at 1.5 m.
func TestThreeGPPConditionO2I(t *testing.T) {
	const n = 20000
	cfg := DefaultThreeGPPConditionConfig(UMa)
	cfg.O2IThreshold = 0.4
	cfg.O2ILowLossThreshold = 0.3
	m, err := NewThreeGPPCondition(cfg, sim.New(1, 1))
	require.NoError(t, err)
	o2i, low := 0, 0
	for i := range n {
		c := m.Condition(link3(2*i, 25, 2*i+1, 1.5, 100))
		if c.O2I {
			o2i++
			if !c.HighLoss {
				low++
			}
		} else {
			require.False(t, c.HighLoss)
		}
	}
	require.InDelta(t, 0.4, float64(o2i)/n, 3*math.Sqrt(0.4*0.6/n))
	require.InDelta(t, 0.3, float64(low)/float64(o2i), 3*math.Sqrt(0.3*0.7/float64(o2i)))

	cfg = DefaultThreeGPPConditionConfig(UMa)
	cfg.LinkO2IToAntennaHeight = true
	m, err = NewThreeGPPCondition(cfg, sim.New(1, 1))
	require.NoError(t, err)
	require.False(t, m.Condition(link3(0, 25, 1, 1.5, 100)).O2I)
	require.True(t, m.Condition(link3(2, 25, 3, 1.6, 100)).O2I)
	require.False(t, m.Condition(link3(2, 25, 3, 1.6, 100)).HighLoss, "default: all O2I losses low")
}

func TestThreeGPPConditionWarnings(t *testing.T) {
	tests := []struct {
		s       Scenario
		zA, zB  float64
		reasons warnCounts
	}{
		{UMa, 25, 1.5, nil},
		{UMa, 3, 1.5, warnCounts{WarnBSHeight: 1}},
		{UMa, 25, 23.5, warnCounts{WarnUTHeight: 1}},
		{UMiStreetCanyon, 1.5, 10, nil},
		{UMiStreetCanyon, 12, 1.5, warnCounts{WarnBSHeight: 1}},
		{RMa, 200, 0.5, nil},
		{InHOfficeMixed, 3, 1, nil},
		{InHOfficeOpen, 2.5, 1, warnCounts{WarnBSHeight: 1}},
	}
	for _, tc := range tests {
		m, err := NewThreeGPPCondition(DefaultThreeGPPConditionConfig(tc.s), sim.New(1, 1))
		require.NoError(t, err)
		var seen []Warning
		m.Warnings.OnWarning = func(w Warning) { seen = append(seen, w) }
		l := link3(1, tc.zA, 2, tc.zB, 40)
		m.Condition(l)
		m.Condition(l) // kept: no new computation, no new warning
		var total uint64
		for r, c := range tc.reasons {
			require.Equal(t, c, m.Warnings.Count(r), "%v %v", tc.s, r)
			total += c
		}
		require.Equal(t, total, m.Warnings.Total(), "%v", tc.s)
		require.Len(t, seen, int(total))
	}
}

func TestThreeGPPConditionConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		mut  func(*ThreeGPPConditionConfig)
		ok   bool
	}{
		{"default", func(*ThreeGPPConditionConfig) {}, true},
		{"unknown scenario", func(c *ThreeGPPConditionConfig) { c.Scenario = 17 }, false},
		{"negative period", func(c *ThreeGPPConditionConfig) { c.UpdatePeriod = -1 }, false},
		{"O2I threshold above 1", func(c *ThreeGPPConditionConfig) { c.O2IThreshold = 1.5 }, false},
		{"O2I threshold NaN", func(c *ThreeGPPConditionConfig) { c.O2IThreshold = math.NaN() }, false},
		{"low loss threshold negative", func(c *ThreeGPPConditionConfig) { c.O2ILowLossThreshold = -0.1 }, false},
		{"empty stream", func(c *ThreeGPPConditionConfig) { c.StreamName = "" }, false},
		{"all O2I", func(c *ThreeGPPConditionConfig) { c.O2IThreshold = 1 }, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultThreeGPPConditionConfig(InHOfficeMixed)
			tc.mut(&c)
			_, err := NewThreeGPPCondition(c, sim.New(1, 1))
			if tc.ok {
				require.NoError(t, c.Validate())
				require.NoError(t, err)
			} else {
				require.Error(t, c.Validate())
				require.ErrorContains(t, err, "ThreeGPPConditionConfig.")
			}
		})
	}
	_, err := NewThreeGPPCondition(DefaultThreeGPPConditionConfig(UMa), nil)
	require.ErrorContains(t, err, "StreamSource")
	c := DefaultThreeGPPConditionConfig(InHOfficeOpen)
	require.Equal(t, 1.0, c.O2ILowLossThreshold)
	require.Zero(t, c.O2IThreshold)
	require.Equal(t, "propagation/3gpp/inh-office-open/condition", c.StreamName)
}

func TestDeterministicConditions(t *testing.T) {
	l := link3(0, 25, 1, 1.5, 3000)
	require.Equal(t, Condition{Los: LOS}, AlwaysLOS{}.Condition(l))
	require.Equal(t, Condition{Los: NLOS}, NeverLOS{}.Condition(l))
	f := ConditionFunc(func(l *Link) Condition { return Condition{Los: LOS, O2I: l.Distance2D() > 100} })
	require.True(t, f.Condition(l).O2I)
	require.Equal(t, "LOS", LOS.String())
	require.Equal(t, "NLOS", NLOS.String())
	require.Equal(t, "undetermined", LosCondition(0).String())
}
