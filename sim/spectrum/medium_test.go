package spectrum

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(c *Config)
		ok     bool
	}{
		{"default", func(*Config) {}, true},
		{"floor", func(c *Config) { c.FloorDbm = -101 }, true},
		{"frequency", func(c *Config) { c.FrequencyHz = 28e9 }, true},
		{"nil loss", func(c *Config) { c.Loss = nil }, false},
		{"nil delay", func(c *Config) { c.Delay = nil }, false},
		{"NaN floor", func(c *Config) { c.FloorDbm = math.NaN() }, false},
		{"+Inf floor", func(c *Config) { c.FloorDbm = math.Inf(1) }, false},
		{"negative frequency", func(c *Config) { c.FrequencyHz = -1 }, false},
		{"NaN frequency", func(c *Config) { c.FrequencyHz = math.NaN() }, false},
		{"invalid loss", func(c *Config) { c.Loss = &propagation.LogDistance{Exponent: 3} }, false},
		{"invalid delay", func(c *Config) { c.Delay = &propagation.ConstantSpeed{} }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.modify(&c)
			err := c.Validate()
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
		})
	}
	_, err := New(nil, DefaultConfig(), LinkModel[NoLink]{})
	require.ErrorContains(t, err, "simulator")
	_, err = New(sim.New(1, 1), Config{}, LinkModel[NoLink]{})
	require.ErrorContains(t, err, "Loss")
	_, err = New(sim.New(1, 1), DefaultConfig(), LinkModel[NoLink]{Period: -1})
	require.ErrorContains(t, err, "Period")
}

// ld3 is the 802.11 medium's configuration: ns-3's default log-distance
// loss and a -101 dBm floor.
func ld3() Config {
	c := DefaultConfig()
	c.Loss = propagation.DefaultLogDistance()
	c.FloorDbm = -101
	return c
}

func at(x, y float64) *mobility.ConstantPosition {
	return mobility.NewConstantPosition(mobility.Vector{X: x, Y: y})
}

func TestAttachDetachIDs(t *testing.T) {
	s := sim.New(1, 1)
	m, err := New(s, ld3(), LinkModel[NoLink]{})
	require.NoError(t, err)
	bad := []struct {
		name string
		a    Attachment
		want string
	}{
		{"no mobility", Attachment{}, "mobility"},
		{"NaN power", Attachment{Mobility: at(0, 0), TxPowerDbm: math.NaN()}, "TxPowerDbm"},
		{"Inf gain", Attachment{Mobility: at(0, 0), RxGainDb: math.Inf(1)}, "RxGainDb"},
		{"negative frequency", Attachment{Mobility: at(0, 0), FrequencyHz: -5}, "FrequencyHz"},
		{"NaN position", Attachment{Mobility: at(math.NaN(), 0)}, "position"},
		{"position beyond the range", Attachment{Mobility: at(2e9, 0)}, "out of range"},
	}
	for _, tc := range bad {
		_, err := m.Attach(tc.a)
		require.ErrorContains(t, err, tc.want, tc.name)
	}
	require.Zero(t, m.Len())
	for i := range 4 {
		id, err := m.Attach(Attachment{Mobility: at(float64(10*i), 0), TxPowerDbm: 16.0206})
		require.NoError(t, err)
		require.Equal(t, i, id)
	}
	// Where 16.0206 dBm falls to -101 dBm under LogDistance(3, 46.6777 dB).
	wantRange := math.Pow(10, (16.0206+101-46.6777)/30)
	require.InDelta(t, wantRange, m.CullRange(), 1e-6*wantRange)

	require.NoError(t, m.Detach(1))
	require.ErrorContains(t, m.Detach(1), "no radio with id 1")
	require.Error(t, m.Detach(-1))
	require.Error(t, m.Detach(4))
	require.False(t, m.Attached(1))
	require.True(t, m.Attached(2))
	require.Equal(t, 3, m.Len())
	id, err := m.Attach(Attachment{Mobility: at(5, 0), TxPowerDbm: 16.0206})
	require.NoError(t, err)
	require.Equal(t, 4, id, "ids are never reused")

	// Deliveries in attachment order, detached radio absent.
	ds, err := m.Transmit(0)
	require.NoError(t, err)
	var rx []int
	for _, d := range ds {
		rx = append(rx, d.Rx)
	}
	require.Equal(t, []int{2, 3, 4}, rx)
	_, err = m.Transmit(1)
	require.Error(t, err, "a detached radio cannot transmit")
	require.Error(t, m.SetTxPower(1, 10))
	require.Error(t, m.SetRxGain(7, 1))
	require.Error(t, m.InvalidateLinks(1))
	require.True(t, math.IsNaN(m.TxPower(1)))
	require.True(t, math.IsNaN(m.RxGain(1)))
	require.Equal(t, 16.0206, m.TxPower(4))

	// Detaching the strongest transmitter shrinks the range.
	require.NoError(t, m.SetTxPower(4, 30))
	require.Greater(t, m.CullRange(), wantRange*2)
	require.NoError(t, m.Detach(4))
	require.InDelta(t, wantRange, m.CullRange(), 1e-6*wantRange)
	require.Error(t, m.SetTxPower(0, math.Inf(1)))
	require.Error(t, m.SetRxGain(0, math.NaN()))
}

// TestScalarChannel checks the numbers a delivery carries against the
// models, and that the pair cache follows power, gain and position
// changes.
func TestScalarChannel(t *testing.T) {
	s := sim.New(1, 1)
	m, err := New(s, ld3(), LinkModel[NoLink]{})
	require.NoError(t, err)
	loss := propagation.DefaultLogDistance()
	speed := propagation.DefaultConstantSpeed()
	rxPos := at(100, 0)
	_, err = m.Attach(Attachment{Mobility: at(0, 0), TxPowerDbm: 16.0206})
	require.NoError(t, err)
	_, err = m.Attach(Attachment{Mobility: rxPos, TxPowerDbm: 16.0206, RxGainDb: 2})
	require.NoError(t, err)
	// The largest gain, far away: gain changes of radio 1 leave the
	// culling range alone, so only the cache invalidation is tested.
	_, err = m.Attach(Attachment{Mobility: at(0, 1e5), TxPowerDbm: 16.0206, RxGainDb: 5})
	require.NoError(t, err)
	check := func(name string, txDbm, gain float64, dst mobility.Vector) {
		t.Helper()
		ds, err := m.Transmit(0)
		require.NoError(t, err)
		require.Len(t, ds, 1, name)
		want := loss.RxPower(txDbm, mobility.Vector{}, dst)
		require.Equal(t, want, ds[0].RxDbm, name)
		require.Equal(t, DbmToW(want+gain), ds[0].RxW, name)
		require.Equal(t, speed.Delay(mobility.Vector{}, dst), ds[0].Delay, name)
		require.Nil(t, ds[0].Link, name)
	}
	// 100 m: 16.0206 - 46.6777 - 60 = -90.6571 dBm; 334 ns.
	check("initial", 16.0206, 2, mobility.Vector{X: 100})
	ds, _ := m.Transmit(0)
	require.InDelta(t, -90.6571, ds[0].RxDbm, 1e-9)
	require.Equal(t, sim.Time(334), ds[0].Delay)
	check("cached", 16.0206, 2, mobility.Vector{X: 100})
	require.NoError(t, m.SetTxPower(0, 20))
	check("tx power", 20, 2, mobility.Vector{X: 100})
	require.NoError(t, m.SetRxGain(1, -1))
	check("rx gain", 20, -1, mobility.Vector{X: 100})
	rxPos.SetPosition(s.Now(), mobility.Vector{X: 50, Y: 20})
	check("moved", 20, -1, mobility.Vector{X: 50, Y: 20})
	// Below the floor: nothing delivered, but examined.
	rxPos.SetPosition(s.Now(), mobility.Vector{X: 5000})
	before := m.Stats()
	ds, err = m.Transmit(0)
	require.NoError(t, err)
	require.Empty(t, ds)
	after := m.Stats()
	require.Equal(t, before.Examined+2, after.Examined)
	require.Equal(t, before.Deliveries, after.Deliveries)
	require.Equal(t, before.Transmissions+1, after.Transmissions)
}

// The culling range accounts for the largest receive gain: a receiver that
// only its gain lifts above the floor, beyond the gainless range, is still
// found on the grid path.
func TestCullingRangeIncludesGain(t *testing.T) {
	s := sim.New(1, 1)
	m, err := New(s, ld3(), LinkModel[NoLink]{})
	require.NoError(t, err)
	// Gainless range of 16 dBm to -101 dBm; 6 dB of gain multiply it by
	// 10^(6/30) = 1.585.
	r0 := math.Pow(10, (16+101-46.6777)/30)
	_, err = m.Attach(Attachment{Mobility: at(1e-9, 0), TxPowerDbm: 16})
	require.NoError(t, err)
	// 100 radios far away put the medium on the grid path.
	for i := range 100 {
		_, err := m.Attach(Attachment{Mobility: at(1e6+float64(i), 1e6), TxPowerDbm: 16})
		require.NoError(t, err)
	}
	gained, err := m.Attach(Attachment{Mobility: at(-1.5*r0, 0), TxPowerDbm: 16, RxGainDb: 6})
	require.NoError(t, err)
	require.InDelta(t, r0*math.Pow(10, 6.0/30), m.CullRange(), 1e-6*r0)
	ds, err := m.Transmit(0)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	require.Equal(t, gained, ds[0].Rx)
	// Below the floor without the gain, above it with.
	require.InDelta(t, 16-46.6777-30*math.Log10(1.5*r0), ds[0].RxDbm, 1e-9)
	require.GreaterOrEqual(t, ds[0].RxDbm+6, -101.0)
	require.Less(t, ds[0].RxDbm, -101.0)
	require.Equal(t, uint64(1), m.Stats().Examined, "the far radios are culled")
}

// linkRecorder is a link-aware loss model that records what it sees: the
// loss is 60 dB plus the receiver's id, so the test can tell links apart.
type linkRecorder struct{ seen []propagation.Link }

func (r *linkRecorder) RxPower(tx float64, _, _ mobility.Vector) float64 { return tx - 60 }

func (r *linkRecorder) LinkRxPower(tx float64, l *propagation.Link) float64 {
	r.seen = append(r.seen, *l)
	return tx - 60 - float64(l.Rx.ID)
}

func TestLinkAwareLoss(t *testing.T) {
	s := sim.New(1, 1)
	rec := &linkRecorder{}
	cfg := DefaultConfig()
	cfg.Loss = rec
	cfg.FrequencyHz = 3.5e9
	m, err := New(s, cfg, LinkModel[NoLink]{})
	require.NoError(t, err)
	tx := mobility.NewConstantVelocity(mobility.Vector{Z: 25}, mobility.Vector{X: 10}, 0)
	_, err = m.Attach(Attachment{Mobility: tx, TxPowerDbm: 30, FrequencyHz: 28e9})
	require.NoError(t, err)
	_, err = m.Attach(Attachment{Mobility: at(100, 0), TxPowerDbm: 23})
	require.NoError(t, err)
	_, err = m.Attach(Attachment{Mobility: at(0, 200)})
	require.NoError(t, err)
	require.True(t, math.IsInf(m.CullRange(), 1), "a model without a reach is not culled")

	s.RunUntil(2 * sim.Second)
	ds, err := m.Transmit(0)
	require.NoError(t, err)
	require.Len(t, ds, 2)
	require.Equal(t, 30-60-1.0, ds[0].RxDbm)
	require.Equal(t, 30-60-2.0, ds[1].RxDbm)
	require.Len(t, rec.seen, 2)
	l := rec.seen[0]
	require.Equal(t, 0, l.Tx.ID)
	require.Equal(t, 1, l.Rx.ID)
	require.Equal(t, mobility.Vector{X: 20, Z: 25}, l.Tx.Position)
	require.Same(t, tx, l.Tx.Mobility.(*mobility.ConstantVelocity))
	require.Equal(t, mobility.Vector{X: 100}, l.Rx.Position)
	require.Equal(t, 28e9, l.FrequencyHz, "the sender's own frequency")
	require.Equal(t, 2*sim.Second, l.Now)
	require.Equal(t, 2, rec.seen[1].Rx.ID)

	_, err = m.Transmit(1)
	require.NoError(t, err)
	require.Equal(t, 3.5e9, rec.seen[2].FrequencyHz, "the medium's frequency")
	require.Equal(t, 1, rec.seen[2].Tx.ID)
	require.Equal(t, 0, rec.seen[2].Rx.ID)
}

// opaque hides a loss model's reach and monotonicity: the medium neither
// culls nor caches under it, so it examines and computes every pair.
type opaque struct{ propagation.LossModel }

// delivery is one delivery as a scenario records it.
type delivery struct {
	at        sim.Time
	tx, rx    int
	dbm, w    float64
	delay     sim.Time
	linkValue float64
}

// runScenario drives a medium of many radios (static, moving, teleported,
// re-powered, re-gained, detached and attached mid-run) with random
// transmissions and records every delivery.
func runScenario(t *testing.T, loss propagation.LossModel) ([]delivery, Stats) {
	t.Helper()
	const radios = 160
	const box = 1500.0
	s := sim.New(3, 1)
	cfg := ld3()
	cfg.Loss = loss
	cfg.FloorDbm = -95
	m, err := New(s, cfg, LinkModel[float64]{Update: func(o *float64, l *propagation.Link) {
		*o = float64(l.Tx.ID*1000+l.Rx.ID) + l.Distance3D()
	}})
	require.NoError(t, err)
	layout := rand.New(rand.NewPCG(11, 12))
	var jumpers []*mobility.ConstantPosition
	var walkers []*mobility.ConstantVelocity
	attach := func() {
		p := mobility.Vector{X: layout.Float64() * box, Y: layout.Float64() * box}
		a := Attachment{TxPowerDbm: 10 + 10*layout.Float64(), RxGainDb: 4*layout.Float64() - 2}
		switch k := m.Len(); {
		case k%13 == 0:
			cv := mobility.NewConstantVelocity(p, mobility.Vector{X: 60*layout.Float64() - 30, Y: 60*layout.Float64() - 30}, 0)
			walkers = append(walkers, cv)
			a.Mobility = cv
		case k%17 == 0:
			cp := mobility.NewConstantPosition(p)
			jumpers = append(jumpers, cp)
			a.Mobility = cp
		default:
			a.Mobility = mobility.NewConstantPosition(p)
		}
		_, err := m.Attach(a)
		require.NoError(t, err)
	}
	for range radios {
		attach()
	}
	var log []delivery
	ev := rand.New(rand.NewPCG(13, 14))
	for k := range 3000 {
		s.ScheduleAt(sim.Time(k)*sim.Millisecond, func() {
			switch r := ev.IntN(100); {
			case r < 85:
				id := ev.IntN(radios + 10)
				ds, err := m.Transmit(id)
				if err != nil {
					return // detached or not yet attached
				}
				for _, d := range ds {
					log = append(log, delivery{s.Now(), id, d.Rx, d.RxDbm, d.RxW, d.Delay, *d.Link})
				}
			case r < 89:
				j := jumpers[ev.IntN(len(jumpers))]
				j.SetPosition(s.Now(), mobility.Vector{X: ev.Float64() * box, Y: ev.Float64() * box})
			case r < 92:
				w := walkers[ev.IntN(len(walkers))]
				w.SetVelocity(s.Now(), mobility.Vector{X: 60*ev.Float64() - 30, Y: 60*ev.Float64() - 30})
			case r < 95:
				_ = m.SetTxPower(ev.IntN(radios), 5+20*ev.Float64())
			case r < 97:
				_ = m.SetRxGain(ev.IntN(radios), 6*ev.Float64()-3)
			case r < 99:
				_ = m.Detach(ev.IntN(radios))
			default:
				attach()
			}
		})
	}
	s.Run()
	return log, m.Stats()
}

// Culling and caching must not change anything: same deliveries with the
// same numbers in the same order as examining and computing every pair.
func TestCullingMatchesExhaustive(t *testing.T) {
	culled, cs := runScenario(t, propagation.DefaultLogDistance())
	full, fs := runScenario(t, opaque{propagation.DefaultLogDistance()})
	require.Greater(t, len(culled), 1000)
	require.Equal(t, len(full), len(culled))
	require.Equal(t, full, culled)
	require.Equal(t, fs.Transmissions, cs.Transmissions)
	require.Equal(t, fs.Deliveries, cs.Deliveries)
	require.Equal(t, fs.LinkUpdates, cs.LinkUpdates)
	require.Less(t, cs.Examined*2, fs.Examined, "culled %d pairs of %d", cs.Examined, fs.Examined)
	t.Logf("%d deliveries, examined %d (culled) vs %d pairs, %d link updates",
		len(culled), cs.Examined, fs.Examined, cs.LinkUpdates)
}

func TestTransmitAllocatesNothing(t *testing.T) {
	tests := []struct {
		name   string
		moving bool
		radios int
	}{
		{"static, brute force", false, 10},
		{"moving, brute force", true, 10},
		{"static, grid", false, 200},
		{"moving, grid", true, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := sim.New(1, 1)
			m, err := New(s, ld3(), LinkModel[NoLink]{})
			require.NoError(t, err)
			r := rand.New(rand.NewPCG(1, 2))
			for i := range tc.radios {
				var mob mobility.Model = at(r.Float64()*500, r.Float64()*500)
				if tc.moving && i%3 == 0 {
					mob = mobility.NewConstantVelocity(mobility.Vector{X: r.Float64() * 500}, mobility.Vector{Y: 3}, 0)
				}
				_, err := m.Attach(Attachment{Mobility: mob, TxPowerDbm: 16})
				require.NoError(t, err)
			}
			i := 0
			send := func() {
				ds, err := m.Transmit(i % tc.radios)
				require.NoError(t, err)
				i++
				s.RunUntil(s.Now() + sim.Millisecond)
				_ = ds
			}
			for range 2 * tc.radios {
				send()
			}
			require.Zero(t, testing.AllocsPerRun(200, send))
			require.Positive(t, m.Stats().Deliveries)
		})
	}
}

// BenchmarkTransmit transmits round robin in a 50-radio static network
// under the 802.11 defaults (pair cache on, brute-force candidates).
func BenchmarkTransmit(b *testing.B) {
	s := sim.New(1, 1)
	m, err := New(s, ld3(), LinkModel[NoLink]{})
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	for range 50 {
		if _, err := m.Attach(Attachment{Mobility: at(r.Float64()*300, r.Float64()*300), TxPowerDbm: 16.0206}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := m.Transmit(i % 50); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkTransmitLarge transmits round robin in a 2,000-radio static
// network over 2 km x 2 km under the 802.11 defaults: the grid path, with
// too many radios for the pair cache, as in the large Wi-Fi grid.
func BenchmarkTransmitLarge(b *testing.B) {
	s := sim.New(1, 1)
	m, err := New(s, ld3(), LinkModel[NoLink]{})
	if err != nil {
		b.Fatal(err)
	}
	const n = 2000
	r := rand.New(rand.NewPCG(1, 1))
	for range n {
		if _, err := m.Attach(Attachment{Mobility: at(r.Float64()*2000, r.Float64()*2000), TxPowerDbm: 16.0206}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := m.Transmit(i % n); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// runStaticScenario drives a large network of static radios (more than the
// pair cache takes, so that the reach cache serves repeated transmissions)
// that are teleported, re-powered, re-gained, detached and attached mid-run,
// and records every delivery. It returns the number of transmissions the
// reach cache answered.
func runStaticScenario(t *testing.T, loss propagation.LossModel) ([]delivery, Stats, uint64) {
	t.Helper()
	const radios = 600
	const box = 1200.0
	s := sim.New(5, 1)
	cfg := ld3()
	cfg.Loss = loss
	cfg.FloorDbm = -90
	m, err := New(s, cfg, LinkModel[NoLink]{})
	require.NoError(t, err)
	layout := rand.New(rand.NewPCG(21, 22))
	var jumpers []*mobility.ConstantPosition
	attach := func() {
		cp := mobility.NewConstantPosition(mobility.Vector{X: layout.Float64() * box, Y: layout.Float64() * box})
		if m.Len()%7 == 0 {
			jumpers = append(jumpers, cp)
		}
		_, err := m.Attach(Attachment{Mobility: cp, TxPowerDbm: 10 + 10*layout.Float64(), RxGainDb: 4*layout.Float64() - 2})
		require.NoError(t, err)
	}
	for range radios {
		attach()
	}
	var log []delivery
	ev := rand.New(rand.NewPCG(23, 24))
	for k := range 20000 {
		s.ScheduleAt(sim.Time(k)*sim.Millisecond, func() {
			switch r := ev.IntN(1000); {
			case r < 995:
				id := ev.IntN(30) // 30 radios talk: repeats
				ds, err := m.Transmit(id)
				if err != nil {
					return
				}
				for _, d := range ds {
					log = append(log, delivery{s.Now(), id, d.Rx, d.RxDbm, d.RxW, d.Delay, 0})
				}
			case r < 996:
				j := jumpers[ev.IntN(len(jumpers))]
				j.SetPosition(s.Now(), mobility.Vector{X: ev.Float64() * box, Y: ev.Float64() * box})
			case r < 997:
				_ = m.SetTxPower(ev.IntN(radios), 5+20*ev.Float64())
			case r < 998:
				_ = m.SetRxGain(ev.IntN(radios), 6*ev.Float64()-3)
			case r < 999:
				_ = m.Detach(ev.IntN(radios))
			default:
				attach()
			}
		})
	}
	s.Run()
	return log, m.Stats(), m.reachHits
}

// The reach cache (per-sender deliveries of a large static network) must
// not change anything either, through moves, power and gain changes,
// detaches and attaches.
func TestReachCacheMatchesExhaustive(t *testing.T) {
	cached, cs, hits := runStaticScenario(t, propagation.DefaultLogDistance())
	full, fs, fullHits := runStaticScenario(t, opaque{propagation.DefaultLogDistance()})
	require.Greater(t, len(cached), 20000)
	require.Equal(t, len(full), len(cached))
	for i := range full {
		require.Equal(t, full[i], cached[i], "delivery %d", i)
	}
	require.Equal(t, fs.Transmissions, cs.Transmissions)
	require.Equal(t, fs.Deliveries, cs.Deliveries)
	require.Zero(t, fullHits, "no cache without a finite range")
	// Most transmissions repeat an unchanged sender: the cache answers them.
	require.Greater(t, hits*2, cs.Transmissions, "%d hits of %d transmissions", hits, cs.Transmissions)
	require.Less(t, hits, cs.Transmissions)
	t.Logf("%d deliveries, %d of %d transmissions from the reach cache", len(cached), hits, cs.Transmissions)
}

// A sender heard by more radios than maxReachList has its list kept from
// its longListTx-th transmission on, within the budget: the senders that
// transmit most are served from the cache, the same deliveries every time.
func TestReachCacheKeepsLongListsOfFrequentSenders(t *testing.T) {
	s := sim.New(1, 1)
	m, err := New(s, ld3(), LinkModel[NoLink]{})
	require.NoError(t, err)
	const n = 600 // beyond the pair cache; 80 m x 80 m: every radio hears every other
	r := rand.New(rand.NewPCG(3, 3))
	for range n {
		_, err := m.Attach(Attachment{Mobility: at(r.Float64()*80, r.Float64()*80), TxPowerDbm: 16.0206})
		require.NoError(t, err)
	}
	first, err := m.Transmit(7)
	require.NoError(t, err)
	require.Len(t, first, n-1)
	want := append([]Delivery[NoLink](nil), first...)
	for i := 2; i <= longListTx+2; i++ {
		got, err := m.Transmit(7)
		require.NoError(t, err)
		require.Equal(t, want, got, "transmission %d", i)
		// Computed up to the longListTx-th (which is kept), served after.
		require.Equal(t, uint64(max(0, i-longListTx)), m.reachHits, "transmission %d", i)
	}
	// The budget (maxReachPerRadio per radio) holds 64 such lists: the
	// 65th frequent sender is computed every time.
	for id := range maxReachPerRadio * n / (n - 1) {
		for range longListTx {
			_, err := m.Transmit(100 + id)
			require.NoError(t, err)
		}
	}
	hits := m.reachHits
	_, err = m.Transmit(100 + maxReachPerRadio*n/(n-1) - 1)
	require.NoError(t, err)
	require.Equal(t, hits, m.reachHits, "over the budget")
	_, err = m.Transmit(100)
	require.NoError(t, err)
	require.Equal(t, hits+1, m.reachHits)
}

// scattered returns a medium of 700 radios (beyond the pair cache)
// scattered over 600 x 600 m, with receive gains of -1, 0 and 1 dB.
func scattered(t *testing.T, cfg Config) *Medium[NoLink] {
	t.Helper()
	m, err := New(sim.New(1, 1), cfg, LinkModel[NoLink]{})
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(5, 5))
	for i := range 700 {
		_, err := m.Attach(Attachment{Mobility: at(r.Float64()*600, r.Float64()*600), TxPowerDbm: 16.0206, RxGainDb: float64(i%3) - 1})
		require.NoError(t, err)
	}
	return m
}

// sideBySide transmits from radios 3, 250 and 699 of plain and of other,
// longListTx+2 rounds (the last ones served from the reach cache), checks
// that both give the same receivers in the same order with the same
// delays, and hands each pair of deliveries to check, with its round.
func sideBySide(t *testing.T, plain, other *Medium[NoLink], check func(round int, want, got Delivery[NoLink])) {
	t.Helper()
	for round := range longListTx + 2 {
		for _, sender := range []int{3, 250, 699} {
			want, err := plain.Transmit(sender)
			require.NoError(t, err)
			got, err := other.Transmit(sender)
			require.NoError(t, err)
			require.Len(t, got, len(want))
			for i, d := range got {
				require.Equal(t, want[i].Rx, d.Rx)
				require.Equal(t, want[i].Delay, d.Delay)
				check(round, want[i], d)
			}
		}
	}
}

// Deferred watts: the same deliveries in the same order, with RxW NaN
// exactly for the receivers below their threshold, whose DbmToW(RxDbm +
// gain) is the watts computed without deferral, bit for bit; served from
// the reach cache alike; thresholds are checked.
func TestDeferWatts(t *testing.T) {
	plain, deferred := scattered(t, ld3()), scattered(t, ld3())
	thr := func(id int) float64 { return -90 + float64(id%5) } // per radio
	for id := range 700 {
		require.NoError(t, deferred.DeferWatts(id, thr(id)))
	}
	var nan, kept int
	sideBySide(t, plain, deferred, func(round int, w, d Delivery[NoLink]) {
		require.Equal(t, w.RxDbm, d.RxDbm)
		gain := deferred.RxGain(d.Rx)
		require.Equal(t, d.RxDbm+gain < thr(d.Rx), d.WattsDeferred(), "round %d rx %d", round, d.Rx)
		if d.WattsDeferred() {
			nan++
			require.Equal(t, math.Float64bits(w.RxW), math.Float64bits(DbmToW(d.RxDbm+gain)))
		} else {
			kept++
			require.Equal(t, math.Float64bits(w.RxW), math.Float64bits(d.RxW))
		}
	})
	require.Positive(t, deferred.reachHits)
	require.Greater(t, nan, 1000)
	require.Greater(t, kept, 100)
	// Back to -Inf: every watt computed again.
	require.NoError(t, deferred.DeferWatts(3, math.Inf(-1)))
	ds, err := deferred.Transmit(250)
	require.NoError(t, err)
	for _, d := range ds {
		require.Equal(t, d.Rx != 3 && d.RxDbm+deferred.RxGain(d.Rx) < thr(d.Rx), d.WattsDeferred())
	}
	require.ErrorContains(t, deferred.DeferWatts(700, -90), "no radio with id 700")
	require.ErrorContains(t, deferred.DeferWatts(0, math.NaN()), "DeferWatts")
	require.ErrorContains(t, deferred.DeferWatts(0, math.Inf(1)), "DeferWatts")
}

// DeferPower leaves the same deliveries as computing every power, with the
// same delays: those surely below a receiver's threshold carry RxW NaN, the
// distance from which LastSender gives the power bit for bit, and as RxDbm
// NaN where the squared distance alone decided, else a bound at most
// DeferMarginDb above the power (the only way with byDistOff, and within
// a hair of the thresholds otherwise); the others are exact. Lists the
// reach cache serves hold the exact powers. Another loss model defers
// nothing.
// The uniform case (every radio with the same gain and threshold) takes
// the grid loop's own path, which does not read the radio's record.
func TestDeferPower(t *testing.T) {
	for _, c := range []struct {
		name             string
		byBound, uniform bool
	}{{"distance", false, false}, {"bound", true, false}, {"uniform", false, true}} {
		t.Run(c.name, func(t *testing.T) { testDeferPower(t, c.byBound, c.uniform) })
	}
}

func testDeferPower(t *testing.T, byBound, uniform bool) {
	plain, deferred := scattered(t, ld3()), scattered(t, ld3())
	deferred.byDistOff = byBound
	thr := func(id int) float64 { return -90 + float64(id%5) } // per radio
	if uniform {
		thr = func(int) float64 { return -88 }
		for id := range 700 {
			require.NoError(t, plain.SetRxGain(id, 1))
			require.NoError(t, deferred.SetRxGain(id, 1))
		}
	}
	for id := range 700 {
		require.NoError(t, deferred.DeferPower(id, thr(id)))
	}
	_, err := deferred.Transmit(0)
	require.NoError(t, err)
	require.Equal(t, uniform, deferred.uniformClass())
	var bounded, byDist, exact, cached int
	perRound := make([]int, longListTx+2)
	sideBySide(t, plain, deferred, func(round int, w, d Delivery[NoLink]) {
		gain := deferred.RxGain(d.Rx)
		if d.PowerDeferred() {
			perRound[round]++
			require.Less(t, w.RxDbm+gain, thr(d.Rx))
			if math.IsNaN(d.RxDbm) {
				byDist++
			} else {
				bounded++
				require.GreaterOrEqual(t, d.RxDbm, w.RxDbm)
				require.LessOrEqual(t, d.RxDbm-w.RxDbm, DeferMarginDb)
			}
			require.Equal(t, math.Float64bits(w.RxDbm), math.Float64bits(deferred.LastSender().ExactDbm(d.Dist)))
			require.True(t, d.WattsDeferred())
			return
		}
		exact++
		require.Equal(t, math.Float64bits(w.RxDbm), math.Float64bits(d.RxDbm))
		if !d.WattsDeferred() {
			require.Equal(t, math.Float64bits(w.RxW), math.Float64bits(d.RxW))
		}
		if d.Dist < 0 {
			// Served from the reach cache: the exact power, and minus
			// the distance that gives it.
			cached++
			require.Equal(t, math.Float64bits(d.RxDbm), math.Float64bits(deferred.LastSender().ExactDbm(-d.Dist)))
			require.True(t, d.WattsDeferred())
		}
	})
	require.Greater(t, cached, 500)
	require.Positive(t, deferred.reachHits)
	require.Greater(t, perRound[0], 500)
	require.Zero(t, perRound[longListTx+1], "served from the reach cache: exact")
	require.Greater(t, exact, 1000)
	if byBound {
		require.Zero(t, byDist)
	} else {
		require.Greater(t, byDist, 500)
	}
	t.Logf("bounded %d, by distance %d, exact %d, per round %v", bounded, byDist, exact, perRound)
	// Pair defers as Transmit does, with its own sender's power (6 dB
	// below the last Transmit's): LastSender is then the pair's.
	for _, m := range []*Medium[NoLink]{plain, deferred} {
		require.NoError(t, m.SetTxPower(5, 10))
	}
	var pairs int
	for rx := range 700 {
		if rx == 5 {
			continue
		}
		w, okW, err := plain.Pair(5, rx)
		require.NoError(t, err)
		d, ok, err := deferred.Pair(5, rx)
		require.NoError(t, err)
		require.Equal(t, okW, ok, "rx %d", rx)
		if !ok {
			continue
		}
		require.Equal(t, w.Delay, d.Delay)
		if d.PowerDeferred() {
			pairs++
			require.Equal(t, math.Float64bits(w.RxDbm), math.Float64bits(deferred.LastSender().ExactDbm(d.Dist)))
			require.True(t, math.IsNaN(d.RxDbm) || d.RxDbm-w.RxDbm <= DeferMarginDb && d.RxDbm >= w.RxDbm)
		} else {
			require.Equal(t, math.Float64bits(w.RxDbm), math.Float64bits(d.RxDbm))
		}
	}
	require.Greater(t, pairs, 50)
	// Back to -Inf: every power exact again.
	require.NoError(t, deferred.DeferPower(3, math.Inf(-1)))
	ds, err := deferred.Transmit(250)
	require.NoError(t, err)
	for _, d := range ds {
		require.False(t, d.Rx == 3 && d.PowerDeferred())
	}
	require.ErrorContains(t, deferred.DeferPower(700, -90), "no radio with id 700")
	require.ErrorContains(t, deferred.DeferPower(0, math.NaN()), "DeferPower")
	require.ErrorContains(t, deferred.DeferPower(0, math.Inf(1)), "DeferPower")

	// Friis: no bound to decide on, every power computed.
	cfg := ld3()
	cfg.Loss = propagation.DefaultFriis()
	friis := scattered(t, cfg)
	for id := range 700 {
		require.NoError(t, friis.DeferPower(id, thr(id)))
	}
	ds, err = friis.Transmit(250)
	require.NoError(t, err)
	require.NotEmpty(t, ds)
	for _, d := range ds {
		require.False(t, d.PowerDeferred())
	}
	require.Zero(t, friis.LastSender())
}

// Closer orders two deferred powers by their distances exactly as their
// ExactDbm would, where it decides, and declines otherwise.
func TestSenderCloser(t *testing.T) {
	ld := *propagation.DefaultLogDistance()
	s, same := newSender(16.0206, ld), newSender(16.0206, ld)
	louder := newSender(20, ld)
	r := rand.New(rand.NewPCG(3, 3))
	var decided int
	for range 200_000 {
		a := math.Exp(r.Float64() * 7)
		b := a * (1 + (r.Float64()-0.5)*math.Pow(10, -3-5*r.Float64()))
		if r.IntN(10) == 0 {
			b = r.Float64() * 2 // within the reference distance
		}
		c := s.Closer(a, &same, b)
		pa, pb := s.ExactDbm(a), same.ExactDbm(b)
		switch c {
		case 1:
			decided++
			require.Greater(t, pa, pb, "%g %g", a, b)
		case -1:
			decided++
			require.Less(t, pa, pb, "%g %g", a, b)
		default:
			require.InDelta(t, 1, max(a, 1)/max(b, 1), 1.1e-6, "%g %g", a, b)
		}
		require.Zero(t, s.Closer(a, &louder, b))
	}
	require.Greater(t, decided, 100_000)
	require.Zero(t, s.Closer(0.5, &same, 0.9), "both within d0: the same power")
	odd := ld
	odd.Exponent = 0.4
	so := newSender(16, odd)
	require.Zero(t, so.Closer(10, &so, 100))
}
