package mac80211

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
)

func TestMediumConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(c *MediumConfig)
		ok     bool
	}{
		{"default", func(*MediumConfig) {}, true},
		{"no floor", func(c *MediumConfig) { c.FloorDbm = math.Inf(-1) }, true},
		{"nil loss", func(c *MediumConfig) { c.Loss = nil }, false},
		{"nil delay", func(c *MediumConfig) { c.Delay = nil }, false},
		{"NaN floor", func(c *MediumConfig) { c.FloorDbm = math.NaN() }, false},
		{"+Inf floor", func(c *MediumConfig) { c.FloorDbm = math.Inf(1) }, false},
		{"invalid loss", func(c *MediumConfig) { c.Loss = &propagation.LogDistance{Exponent: 3} }, false},
		{"invalid delay", func(c *MediumConfig) { c.Delay = &propagation.ConstantSpeed{} }, false},
		{"no frequency", func(c *MediumConfig) { c.FrequencyHz = 0 }, true},
		{"negative frequency", func(c *MediumConfig) { c.FrequencyHz = -1 }, false},
		{"infinite frequency", func(c *MediumConfig) { c.FrequencyHz = math.Inf(1) }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultMediumConfig()
			tc.modify(&c)
			err := c.Validate()
			if tc.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
	_, err := NewMedium(nil, DefaultMediumConfig())
	assert.Error(t, err)
	_, err = NewMedium(sim.New(1, 1), MediumConfig{})
	assert.Error(t, err)
}

func TestMediumAttach(t *testing.T) {
	s := sim.New(1, 1)
	m, err := NewMedium(s, DefaultMediumConfig())
	require.NoError(t, err)
	p, err := NewPhy(s, DefaultPhyConfig())
	require.NoError(t, err)
	pos := mobility.NewConstantPosition(mobility.Vector{})
	assert.Error(t, m.Attach(nil, pos))
	assert.Error(t, m.Attach(p, nil))
	require.NoError(t, m.Attach(p, pos))
	assert.Same(t, m, p.Medium())
	assert.Error(t, m.Attach(p, pos), "twice")
	m2, err := NewMedium(s, DefaultMediumConfig())
	require.NoError(t, err)
	assert.Error(t, m2.Attach(p, pos), "on a second medium")
	other, err := NewPhy(sim.New(1, 1), DefaultPhyConfig())
	require.NoError(t, err)
	assert.Error(t, m.Attach(other, pos), "from another simulator")
	assert.Equal(t, 1, m.NumPhys())
	// The default culling range: where 16.0206 dBm falls to -101 dBm.
	assert.InDelta(t, distanceForDbm(-101), m.CullRange(), 1e-6)

	mc := DefaultMediumConfig()
	mc.FloorDbm = math.Inf(-1)
	m3, err := NewMedium(s, mc)
	require.NoError(t, err)
	q, err := NewPhy(s, DefaultPhyConfig())
	require.NoError(t, err)
	require.NoError(t, m3.Attach(q, pos))
	assert.True(t, math.IsInf(m3.CullRange(), 1))
}

// linkSpy is a link-aware loss model (LogDistance underneath) that records
// the links the medium shows it.
type linkSpy struct {
	propagation.LossModel
	links []propagation.Link
}

func (l *linkSpy) LinkRxPower(tx float64, k *propagation.Link) float64 {
	l.links = append(l.links, *k)
	return l.RxPower(tx, k.Tx.Position, k.Rx.Position)
}

// The medium asks link-aware models with the PHYs' ids (their attachment
// indices), positions and the channel's frequency, and follows transmit
// power changes.
func TestMediumLinkViewAndPower(t *testing.T) {
	s := sim.New(1, 1)
	spy := &linkSpy{LossModel: propagation.DefaultLogDistance()}
	mc := DefaultMediumConfig()
	mc.Loss = spy
	m, err := NewMedium(s, mc)
	require.NoError(t, err)
	var phys []*Phy
	var rx []float64
	for i, x := range []float64{0, 30, 60} {
		p, err := NewPhy(s, DefaultPhyConfig())
		require.NoError(t, err)
		require.NoError(t, m.Attach(p, mobility.NewConstantPosition(mobility.Vector{X: x})))
		p.OnRxBegin = func(_ *Frame, rssi float64) { rx = append(rx, rssi) }
		require.True(t, m.sp.Attached(i))
		phys = append(phys, p)
	}
	f := testFrame(100, OfdmRate6Mbps)
	phys[1].Send(&f)
	s.Run()
	require.Len(t, spy.links, 2)
	for i, want := range []struct {
		tx, rx int
		x      float64
	}{{1, 0, 0}, {1, 2, 60}} {
		l := spy.links[i]
		assert.Equal(t, want.tx, l.Tx.ID)
		assert.Equal(t, want.rx, l.Rx.ID)
		assert.Equal(t, mobility.Vector{X: 30}, l.Tx.Position)
		assert.Equal(t, mobility.Vector{X: want.x}, l.Rx.Position)
		assert.Equal(t, 5180e6, l.FrequencyHz)
	}
	// 16.0206 dBm over 30 m of LogDistance: -74.9711 dBm at both.
	require.Len(t, rx, 2)
	assert.InDelta(t, 16.0206-46.6777-30*math.Log10(30), rx[0], 1e-9)
	assert.Equal(t, rx[0], rx[1])

	r0 := m.CullRange()
	require.NoError(t, phys[1].SetTxPowerDbm(26.0206))
	assert.Equal(t, 26.0206, m.sp.TxPower(1))
	assert.InDelta(t, r0*math.Pow(10, 10.0/30), m.CullRange(), 1e-6*r0)
	rx = rx[:0]
	phys[1].Send(&f)
	s.Run()
	require.Len(t, rx, 2)
	assert.InDelta(t, 26.0206-46.6777-30*math.Log10(30), rx[0], 1e-9)
	assert.Equal(t, uint64(2), m.Stats().Transmissions)
	assert.Equal(t, uint64(4), m.Stats().Deliveries)
}

// opaqueLoss hides a loss model's range and monotonicity, so the medium
// cannot cull.
type opaqueLoss struct{ l propagation.LossModel }

func (o opaqueLoss) RxPower(tx float64, a, b mobility.Vector) float64 { return o.l.RxPower(tx, a, b) }

// layoutRecord is one thing a PHY reported in a layout run.
type layoutRecord struct {
	at    sim.Time
	phy   int
	kind  string
	seq   uint16
	value float64
}

// runLayout runs a random network with mobile and static nodes and random
// traffic, and returns everything every PHY reported.
func runLayout(t *testing.T, loss propagation.LossModel) ([]layoutRecord, MediumStats) {
	t.Helper()
	const nodes = 150
	const box = 1500.0
	s := sim.New(7, 1)
	mc := DefaultMediumConfig()
	mc.Loss = loss
	m, err := NewMedium(s, mc)
	require.NoError(t, err)
	layout := rand.New(rand.NewPCG(1, 2))
	var log []layoutRecord
	var phys []*Phy
	var jumper *mobility.ConstantPosition
	var walker *mobility.ConstantVelocity
	for i := range nodes {
		p, err := NewPhy(s, DefaultPhyConfig())
		require.NoError(t, err)
		at := mobility.Vector{X: layout.Float64() * box, Y: layout.Float64() * box}
		var pos mobility.Model
		switch {
		case i%15 == 0:
			v := mobility.Vector{X: layout.Float64()*40 - 20, Y: layout.Float64()*40 - 20}
			cv := mobility.NewConstantVelocity(at, v, 0)
			pos = cv
			if walker == nil {
				walker = cv
			}
		case i == 7:
			jumper = mobility.NewConstantPosition(at)
			pos = jumper
		default:
			pos = mobility.NewConstantPosition(at)
		}
		require.NoError(t, m.Attach(p, pos))
		i := i
		rec := func(kind string, seq uint16, v float64) {
			log = append(log, layoutRecord{s.Now(), i, kind, seq, v})
		}
		p.OnRxBegin = func(f *Frame, rssi float64) { rec("begin", f.Header.Seq, rssi) }
		p.OnRxOk = func(f *Frame, info RxInfo) { rec("ok", f.Header.Seq, info.SNRDb) }
		p.OnRxDrop = func(f *Frame, r RxDropReason) { rec("drop", f.Header.Seq, float64(r)) }
		p.SetListener(&layoutListener{rec: rec})
		phys = append(phys, p)
	}
	traffic := rand.New(rand.NewPCG(3, 4))
	for k := range 600 {
		at := sim.Time(k)*150*sim.Microsecond + sim.Time(traffic.IntN(100))*sim.Microsecond
		src := traffic.IntN(nodes)
		f := testFrame(50+traffic.IntN(1400), Mode(traffic.IntN(NumModes)))
		f.Header.Seq = uint16(k)
		s.ScheduleAt(at, func() { phys[src].Send(&f) })
	}
	s.ScheduleAt(40*sim.Millisecond, func() {
		jumper.SetPosition(s.Now(), mobility.Vector{X: box / 2, Y: box / 2})
		walker.SetVelocity(s.Now(), mobility.Vector{})
	})
	s.Run()
	return log, m.Stats()
}

type layoutListener struct {
	rec func(kind string, seq uint16, v float64)
}

func (l *layoutListener) PhyRxStart(end sim.Time) { l.rec("rxstart", 0, float64(end)) }
func (l *layoutListener) PhyRxEnd(_ *Frame, ok bool, info RxInfo) {
	l.rec(fmt.Sprint("rxend ", ok), 0, info.RSSIDbm)
}
func (l *layoutListener) PhyCcaBusy(end sim.Time) { l.rec("cca", 0, float64(end)) }

// Spatial culling must not change anything: same receptions, same drops,
// same CCA reports, at the same times, in the same order.
func TestMediumCullingMatchesNoCulling(t *testing.T) {
	culled, cs := runLayout(t, propagation.DefaultLogDistance())
	full, fs := runLayout(t, opaqueLoss{propagation.DefaultLogDistance()})
	require.NotEmpty(t, culled)
	assert.Equal(t, len(full), len(culled))
	assert.Equal(t, full, culled)
	assert.Equal(t, fs.Transmissions, cs.Transmissions)
	assert.Equal(t, fs.Deliveries, cs.Deliveries)
	assert.Less(t, cs.Examined*4, fs.Examined, "culling examined %d pairs, no culling %d", cs.Examined, fs.Examined)
	var oks, drops int
	for _, r := range culled {
		switch r.kind {
		case "ok":
			oks++
		case "drop":
			drops++
		}
	}
	assert.Positive(t, oks)
	assert.Positive(t, drops)
	t.Logf("%d records, %d receptions, %d drops; examined %d (culled) vs %d pairs",
		len(culled), oks, drops, cs.Examined, fs.Examined)
}

func TestMediumThousandNodes(t *testing.T) {
	const nodes = 1000
	const box = 10000.0
	s := sim.New(1, 1)
	m, err := NewMedium(s, DefaultMediumConfig())
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(5, 6))
	pos := make([]mobility.Vector, nodes)
	phys := make([]*Phy, nodes)
	for i := range nodes {
		pos[i] = mobility.Vector{X: r.Float64() * box, Y: r.Float64() * box}
		if i > 0 && i <= 5 {
			// A few neighbours within range of node 0.
			pos[i] = pos[0].Add(mobility.Vector{X: float64(i) * 30})
		}
		phys[i], err = NewPhy(s, DefaultPhyConfig())
		require.NoError(t, err)
		require.NoError(t, m.Attach(phys[i], mobility.NewConstantPosition(pos[i])))
	}
	f := testFrame(100, OfdmRate6Mbps)
	phys[0].Send(&f)
	s.Run()
	loss := propagation.DefaultLogDistance()
	want := 0
	for i := 1; i < nodes; i++ {
		if loss.RxPower(16.0206, pos[0], pos[i]) >= -101 {
			want++
		}
	}
	st := m.Stats()
	assert.Equal(t, uint64(want), st.Deliveries)
	assert.GreaterOrEqual(t, want, 5)
	// The 3×3 cells around the sender (663 m square) hold a handful of
	// nodes out of 1000.
	assert.Less(t, st.Examined, uint64(40))
	t.Logf("1000 nodes: examined %d, delivered %d (range %.1f m)", st.Examined, st.Deliveries, m.CullRange())
}

func TestMediumMobility(t *testing.T) {
	s := sim.New(1, 1)
	m, err := NewMedium(s, DefaultMediumConfig())
	require.NoError(t, err)
	mk := func(pos mobility.Model) (*Phy, *int) {
		p, err := NewPhy(s, DefaultPhyConfig())
		require.NoError(t, err)
		require.NoError(t, m.Attach(p, pos))
		n := new(int)
		p.OnRxOk = func(*Frame, RxInfo) { *n++ }
		return p, n
	}
	src, _ := mk(mobility.NewConstantPosition(mobility.Vector{}))
	// Approaches at 100 m/s from 1000 m: 40 m away at 9.6 s.
	_, walkerRx := mk(mobility.NewConstantVelocity(mobility.Vector{X: 1000}, mobility.Vector{X: -100}, 0))
	// Teleported from 1000 m to 10 m at 5 s.
	jumper := mobility.NewConstantPosition(mobility.Vector{Y: 1000})
	_, jumperRx := mk(jumper)
	// Starts moving away at 3 s from 10 m, at 100 m/s.
	_, leaverRx := mk(mobility.NewConstantVelocity(mobility.Vector{Y: -10}, mobility.Vector{Y: -100}, 3*sim.Second))
	f := testFrame(100, OfdmRate6Mbps)
	counts := map[sim.Time][3]int{}
	for _, at := range []sim.Time{sim.Second, 6 * sim.Second, 9600 * sim.Millisecond} {
		s.ScheduleAt(at, func() { src.Send(&f) })
		s.ScheduleAt(at+sim.Millisecond, func() { counts[at] = [3]int{*walkerRx, *jumperRx, *leaverRx} })
	}
	s.ScheduleAt(5*sim.Second, func() { jumper.SetPosition(s.Now(), mobility.Vector{Y: 10}) })
	s.Run()
	assert.Equal(t, [3]int{0, 0, 1}, counts[sim.Second])
	assert.Equal(t, [3]int{0, 1, 1}, counts[6*sim.Second])
	assert.Equal(t, [3]int{1, 2, 1}, counts[9600*sim.Millisecond])
}

// newQuietNet is a medium with PHYs that have no hooks and no listener, for
// allocation counts.
func newQuietNet(t testing.TB, positions ...mobility.Vector) (*sim.Simulator, []*Phy) {
	s := sim.New(1, 1)
	m, err := NewMedium(s, DefaultMediumConfig())
	require.NoError(t, err)
	var phys []*Phy
	for _, v := range positions {
		p, err := NewPhy(s, DefaultPhyConfig())
		require.NoError(t, err)
		require.NoError(t, m.Attach(p, mobility.NewConstantPosition(v)))
		phys = append(phys, p)
	}
	return s, phys
}

func TestMediumZeroAllocsPerFrame(t *testing.T) {
	tests := []struct {
		name string
		send func(s *sim.Simulator, phys []*Phy, f *Frame)
	}{
		{"one frame", func(s *sim.Simulator, phys []*Phy, f *Frame) {
			phys[0].Send(f)
			s.Run()
		}},
		{"collision", func(s *sim.Simulator, phys []*Phy, f *Frame) {
			phys[0].Send(f)
			s.RunUntil(s.Now() + 10*sim.Microsecond)
			phys[2].Send(f)
			s.Run()
		}},
		{"abort by tx", func(s *sim.Simulator, phys []*Phy, f *Frame) {
			phys[0].Send(f)
			s.RunUntil(s.Now() + 50*sim.Microsecond)
			phys[1].Send(f)
			s.Run()
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, phys := newQuietNet(t, mobility.Vector{}, mobility.Vector{X: 10}, mobility.Vector{X: 20},
				mobility.Vector{Y: 15}, mobility.Vector{X: 150})
			f := testFrame(1000, OfdmRate54Mbps)
			// Warm up: pools fill and the event queue's buckets reach
			// their working capacity.
			for range 5000 {
				tc.send(s, phys, &f)
			}
			allocs := testing.AllocsPerRun(200, func() { tc.send(s, phys, &f) })
			assert.Zero(t, allocs)
		})
	}
}

// BenchmarkMediumFrame sends one 1000-byte frame per iteration in a
// 50-node network (round-robin senders) and runs it to completion.
func BenchmarkMediumFrame(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	var pos []mobility.Vector
	for range 50 {
		pos = append(pos, mobility.Vector{X: r.Float64() * 300, Y: r.Float64() * 300})
	}
	s, phys := newQuietNet(b, pos...)
	f := testFrame(1000, OfdmRate54Mbps)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		phys[i%len(phys)].Send(&f)
		s.Run()
	}
}

// The medium culls up to the lowest RxSensitivity of its PHYs: PHYs
// configured as ns-3's YansWifiPhy with RxSensitivity -82 dBm cost what a
// -82 dBm floor costs, and the outcome is the same as delivering every
// signal to them (they drop those below their sensitivity, not even
// tracking them as interference).
func TestMediumFloorFollowsSensitivity(t *testing.T) {
	rangeFor := func(floor float64) float64 {
		mc := DefaultMediumConfig()
		mc.FloorDbm = floor
		m, err := NewMedium(sim.New(1, 1), mc)
		require.NoError(t, err)
		p, err := NewPhy(m.s, DefaultPhyConfig())
		require.NoError(t, err)
		require.NoError(t, m.Attach(p, mobility.NewConstantPosition(mobility.Vector{})))
		return m.CullRange()
	}
	r82, r101 := rangeFor(-82), rangeFor(-101)
	require.InDelta(t, distanceForDbm(-82), r82, 1e-6)
	require.InDelta(t, distanceForDbm(-101), r101, 1e-6)

	deaf := DefaultPhyConfig()
	deaf.RxSensitivityDbm = -82
	tests := []struct {
		name      string
		floor     float64
		sens      []float64 // of the PHYs attached after the first two
		wantRange float64
	}{
		{"all at -82: culled at -82", -101, nil, r82},
		{"a default PHY joins: back to -101", -101, []float64{-101}, r101},
		{"a floor above the sensitivities wins", -80, nil, rangeFor(-80)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mc := DefaultMediumConfig()
			mc.FloorDbm = tc.floor
			s := sim.New(1, 1)
			m, err := NewMedium(s, mc)
			require.NoError(t, err)
			var phys []*Phy
			add := func(cfg PhyConfig, x float64) {
				p, err := NewPhy(s, cfg)
				require.NoError(t, err)
				require.NoError(t, m.Attach(p, mobility.NewConstantPosition(mobility.Vector{X: x})))
				phys = append(phys, p)
			}
			add(deaf, 0)
			add(deaf, distanceForDbm(-90)) // between -101 and -82
			for i, sens := range tc.sens {
				c := DefaultPhyConfig()
				c.RxSensitivityDbm = sens
				add(c, 3000+float64(i)) // out of everyone's range
			}
			require.InDelta(t, tc.wantRange, m.CullRange(), 1e-6)
			f := testFrame(100, OfdmRate6Mbps)
			phys[0].Send(&f)
			s.Run()
			c := phys[1].Counters()
			require.Zero(t, c.RxOk)
			if tc.wantRange == r101 {
				// Delivered, then dropped by the PHY.
				require.Equal(t, uint64(1), m.Stats().Deliveries)
				require.Equal(t, uint64(1), c.Drops[RxDropBelowSensitivity])
			} else {
				require.Zero(t, m.Stats().Deliveries)
				require.Zero(t, c.Drops[RxDropBelowSensitivity])
			}
			// Either way nothing reached its interference tracker.
			require.Len(t, phys[1].in.ch, 1)
		})
	}
}

// A PHY more deaf than the medium's floor (RxSensitivity -95 dBm among
// PHYs at -101) refuses to keep a signal below its sensitivity: the event
// drops it. Its first sub-detection signal finds it not yet quiet (no
// activity since it took part), the second is below its sensitivity, the
// third, above it, is kept. The stats count each once.
func TestLazyRefusalReasons(t *testing.T) {
	s := sim.New(1, 1)
	m, err := NewMedium(s, DefaultMediumConfig())
	require.NoError(t, err)
	add := func(sens, x float64) *Phy {
		return attachAt(t, m, x, func(c *PhyConfig) { c.RxSensitivityDbm = sens })
	}
	const x = 1000.0
	deaf := add(-95, x)
	far := add(-101, x-distanceForDbm(-98))  // -98 dBm at deaf
	near := add(-101, x+distanceForDbm(-90)) // -90 dBm at deaf; far and near do not hear each other
	f := testFrame(100, OfdmRate6Mbps)
	s.Schedule(0, func() { far.Send(&f) })
	s.Schedule(sim.Millisecond, func() { far.Send(&f) })
	s.Schedule(2*sim.Millisecond, func() { near.Send(&f) })
	s.Run()
	st := m.Stats()
	require.Equal(t, uint64(3), st.Deliveries)
	require.Equal(t, uint64(3), st.Weak)
	require.Equal(t, uint64(1), st.Lazy)
	require.Equal(t, LazyRefusals{NotQuiet: 1, BelowSensitivity: 1}, st.Refused)
	c := deaf.Counters()
	require.Equal(t, uint64(2), c.Drops[RxDropBelowSensitivity])
	require.Equal(t, uint64(1), c.Drops[RxDropPreambleNotDetected])
	// The two events, and the catch-up of Counters.
	require.Equal(t, uint64(3), m.Stats().Catchups)
}

// attachAt attaches to m a PHY at (x, 0, 0) with the default
// configuration as edit changes it.
func attachAt(t *testing.T, m *Medium, x float64, edit func(*PhyConfig)) *Phy {
	t.Helper()
	c := DefaultPhyConfig()
	edit(&c)
	p, err := NewPhy(m.s, c)
	require.NoError(t, err)
	require.NoError(t, m.Attach(p, mobility.NewConstantPosition(mobility.Vector{X: x})))
	return p
}
