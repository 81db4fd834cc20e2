package mac80211

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
	"github.com/netgym/netgym/sim/spectrum"
)

// phyEvent is one notification received by a phyRecorder.
type phyEvent struct {
	at   sim.Time
	kind string // "rxstart", "rxend", "cca"
	end  sim.Time
	ok   bool
	info RxInfo
}

// phyRecorder is a PhyListener that records every notification, and the
// PHY's drops.
type phyRecorder struct {
	s      *sim.Simulator
	events []phyEvent
	drops  []RxDropReason
	rxOk   int
}

func (r *phyRecorder) PhyRxStart(end sim.Time) {
	r.events = append(r.events, phyEvent{at: r.s.Now(), kind: "rxstart", end: end})
}

func (r *phyRecorder) PhyRxEnd(f *Frame, ok bool, info RxInfo) {
	if ok {
		r.rxOk++
	}
	r.events = append(r.events, phyEvent{at: r.s.Now(), kind: "rxend", ok: ok, info: info})
}

func (r *phyRecorder) PhyCcaBusy(end sim.Time) {
	r.events = append(r.events, phyEvent{at: r.s.Now(), kind: "cca", end: end})
}

// ev is a compact expected event: at, kind, end.
type ev struct {
	at   sim.Time
	kind string
	end  sim.Time
}

func (r *phyRecorder) compact() []ev {
	out := make([]ev, 0, len(r.events))
	for _, e := range r.events {
		out = append(out, ev{e.at, e.kind, e.end})
	}
	return out
}

// phyNet is a medium with PHYs at fixed positions, each with a recorder.
type phyNet struct {
	s    *sim.Simulator
	m    *Medium
	phys []*Phy
	recs []*phyRecorder
	pos  []*mobility.ConstantPosition
}

func newPhyNet(t testing.TB, mcfg MediumConfig, pcfg PhyConfig, positions ...mobility.Vector) *phyNet {
	t.Helper()
	return buildPhyNet(t, mcfg, pcfg, true, positions...)
}

// buildPhyNet is newPhyNet, with the recorders' drop hooks only if
// hooks (a hook turns the medium's lazy accounting off at its PHY).
func buildPhyNet(t testing.TB, mcfg MediumConfig, pcfg PhyConfig, hooks bool, positions ...mobility.Vector) *phyNet {
	t.Helper()
	s := sim.New(1, 1)
	m, err := NewMedium(s, mcfg)
	require.NoError(t, err)
	n := &phyNet{s: s, m: m}
	for _, v := range positions {
		p, err := NewPhy(s, pcfg)
		require.NoError(t, err)
		r := &phyRecorder{s: s}
		p.SetListener(r)
		if hooks {
			p.OnRxDrop = func(_ *Frame, reason RxDropReason) { r.drops = append(r.drops, reason) }
		}
		pos := mobility.NewConstantPosition(v)
		require.NoError(t, m.Attach(p, pos))
		n.phys = append(n.phys, p)
		n.recs = append(n.recs, r)
		n.pos = append(n.pos, pos)
	}
	return n
}

// sendAt has PHY i send f at time at.
func (n *phyNet) sendAt(i int, at sim.Time, f Frame) {
	_, err := n.s.ScheduleAt(at, func() { n.phys[i].Send(&f) })
	if err != nil {
		panic(err)
	}
}

// probeState records PHY i's state at time at into *out.
func (n *phyNet) probeState(i int, at sim.Time, out *PhyState) {
	_, err := n.s.ScheduleAt(at, func() { *out = n.phys[i].State() })
	if err != nil {
		panic(err)
	}
}

// testFrame returns a management frame whose MPDU is size bytes.
func testFrame(size int, m Mode) Frame {
	return Frame{Header: MACHeader{Type: FrameBeacon}, Mgmt: MgmtBody{Size: size - MACHeaderSize - FCSSize}, Mode: m}
}

// logDistRxDbm is the default LogDistance received power at d metres from
// a default transmitter.
func logDistRxDbm(d float64) float64 { return 16.0206 - 46.6777 - 30*math.Log10(d) }

// distanceForDbm inverts logDistRxDbm.
func distanceForDbm(dbm float64) float64 { return math.Pow(10, (16.0206-46.6777-dbm)/30) }

func delayOf(d float64) sim.Time { return propagation.NS3Seconds(d / propagation.SpeedOfLight) }

// headerKiller is an error model whose SIGNAL field always fails and whose
// other chunks always succeed.
type headerKiller struct{}

func (headerKiller) ChunkSuccessRate(m Mode, _ float64, _ uint64) float64 {
	if m == SignalMode {
		return 0
	}
	return 1
}

func TestNs3ChunkBits(t *testing.T) {
	us := sim.Microsecond
	tests := []struct {
		name string
		rate uint64
		d    sim.Time
		want uint64
	}{
		// ns-3 3.37 counts the 4 µs SIGNAL field as 23 bits, not 24.
		{"SIGNAL", 6e6, 4 * us, 23},
		{"6M 16us", 6e6, 16 * us, 95},
		{"54M 4us", 54e6, 4 * us, 215},
		{"9M 4us", 9e6, 4 * us, 35},
		{"6M 20us", 6e6, 20 * us, 119},
		{"54M 248us", 54e6, 248 * us, 13391},
		{"zero", 6e6, 0, 0},
		{"1 s", 6e6, sim.Second, 6e6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, ns3ChunkBits(tc.rate, tc.d))
		})
	}
}

func TestPhyConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(c *PhyConfig)
		ok     bool
	}{
		{"default", func(*PhyConfig) {}, true},
		{"no preamble detection model", func(c *PhyConfig) { c.PreambleDetection = nil }, true},
		{"detection window 16us", func(c *PhyConfig) { c.PreambleDetectionDuration = PreambleDuration }, true},
		{"NaN power", func(c *PhyConfig) { c.TxPowerDbm = math.NaN() }, false},
		{"infinite sensitivity", func(c *PhyConfig) { c.RxSensitivityDbm = math.Inf(-1) }, false},
		{"zero detection window", func(c *PhyConfig) { c.PreambleDetectionDuration = 0 }, false},
		{"detection window too long", func(c *PhyConfig) { c.PreambleDetectionDuration = 17 * sim.Microsecond }, false},
		{"nil error model", func(c *PhyConfig) { c.ErrorModel = nil }, false},
		{"recursive table model", func(c *PhyConfig) {
			c.ErrorModel = &TableBasedErrorRateModel{Fallback: DefaultTableBasedErrorRateModel()}
		}, false},
		{"40 MHz", func(c *PhyConfig) { c.ChannelWidthMHz = 40 }, false},
		{"NaN detection threshold", func(c *PhyConfig) {
			c.PreambleDetection = ThresholdPreambleDetection{MinimumSnrDb: math.NaN()}
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultPhyConfig()
			tc.modify(&c)
			err := c.Validate()
			if tc.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
	_, err := NewPhy(nil, DefaultPhyConfig())
	assert.Error(t, err)
	bad := DefaultPhyConfig()
	bad.ErrorModel = nil
	_, err = NewPhy(sim.New(1, 1), bad)
	assert.Error(t, err)
}

func TestPhyDefaults(t *testing.T) {
	c := DefaultPhyConfig()
	assert.Equal(t, 16.0206, c.TxPowerDbm)
	assert.Equal(t, -101.0, c.RxSensitivityDbm)
	assert.Equal(t, -82.0, c.CcaSensitivityDbm)
	assert.Equal(t, -62.0, c.CcaEdThresholdDbm)
	assert.Equal(t, 7.0, c.NoiseFigureDb)
	assert.Equal(t, 4*sim.Microsecond, c.PreambleDetectionDuration)
	assert.Equal(t, ThresholdPreambleDetection{MinimumSnrDb: 4, MinimumRssiDbm: -82}, c.PreambleDetection)
	// The power density roundtrip of GetTxPowerForTransmission leaves the
	// default power unchanged up to rounding.
	assert.InDelta(t, 16.0206, ns3TxPowerDbm(16.0206, 0), 1e-12)
	assert.InDelta(t, -93.97, spectrum.WToDbm(ns3NoiseFloorW(7)), 0.005)
}

func TestStringers(t *testing.T) {
	assert.Equal(t, "Idle", PhyIdle.String())
	assert.Equal(t, "CcaBusy", PhyCcaBusy.String())
	assert.Equal(t, "Rx", PhyRx.String())
	assert.Equal(t, "Tx", PhyTx.String())
	assert.Equal(t, "PhyState(9)", PhyState(9).String())
	assert.Equal(t, "HeaderFailed", RxDropHeaderFailed.String())
	assert.Equal(t, "AbortedByTx", RxDropAbortedByTx.String())
	assert.Equal(t, "RxDropReason(42)", RxDropReason(42).String())
	for r := RxDropReason(0); r < NumRxDropReasons; r++ {
		assert.NotContains(t, r.String(), "RxDropReason(")
	}
}

// NS3Name gives the WifiPhyRxfailureReason names of ns-3 3.37
// (src/wifi/model/wifi-phy-common.h) that PhyRxDrop reports, and nothing for
// what ns-3 does not trace as a drop.
func TestRxDropReasonNS3Name(t *testing.T) {
	tests := []struct {
		r    RxDropReason
		want string
	}{
		{RxDropBelowSensitivity, ""},
		{RxDropPreambleNotDetected, "PREAMBLE_DETECT_FAILURE"},
		{RxDropHeaderFailed, "L_SIG_FAILURE"},
		{RxDropPayloadFailed, ""},
		{RxDropBusyRx, "RXING"},
		{RxDropBusyDecodingPreamble, "BUSY_DECODING_PREAMBLE"},
		{RxDropPreambleSwitch, "PREAMBLE_DETECTION_PACKET_SWITCH"},
		{RxDropTransmitting, "TXING"},
		{RxDropAbortedByTx, "RECEPTION_ABORTED_BY_TX"},
		{RxDropClearedByTx, ""},
		{RxDropReason(42), ""},
	}
	require.Len(t, tests, NumRxDropReasons+1, "every reason listed")
	for _, tc := range tests {
		t.Run(tc.r.String(), func(t *testing.T) {
			assert.Equal(t, tc.want, tc.r.NS3Name())
		})
	}
}

// FrameType.NS3Name gives the names of ns-3 3.37's
// WifiMacHeader::GetTypeString (the WifiMacType enumerators without their
// WIFI_MAC_ prefix), which the ns-3 peer's tx_types counts use.
func TestFrameTypeNS3Name(t *testing.T) {
	tests := []struct {
		ft   FrameType
		want string
	}{
		{0, ""},
		{FrameData, "DATA"},
		{FrameACK, "CTL_ACK"},
		{FrameRTS, "CTL_RTS"},
		{FrameCTS, "CTL_CTS"},
		{FrameBeacon, "MGT_BEACON"},
		{FrameProbeRequest, "MGT_PROBE_REQUEST"},
		{FrameProbeResponse, "MGT_PROBE_RESPONSE"},
		{FrameAssocRequest, "MGT_ASSOCIATION_REQUEST"},
		{FrameAssocResponse, "MGT_ASSOCIATION_RESPONSE"},
		{FrameDisassoc, "MGT_DISASSOCIATION"},
		{FrameType(NumFrameTypes), ""},
	}
	require.Len(t, tests, NumFrameTypes+1, "every type listed")
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.ft.NS3Name(), "%v", tc.ft)
	}
}

func TestPhyCountersAdd(t *testing.T) {
	a := PhyCounters{TxFrames: 1, TxRejected: 2, RxOk: 3, CcaBusy: 4}
	a.Drops[RxDropBusyRx] = 5
	b := PhyCounters{TxFrames: 10, TxRejected: 20, RxOk: 30, CcaBusy: 40}
	b.Drops[RxDropBusyRx] = 50
	b.Drops[RxDropClearedByTx] = 7
	a.Add(b)
	want := PhyCounters{TxFrames: 11, TxRejected: 22, RxOk: 33, CcaBusy: 44}
	want.Drops[RxDropBusyRx] = 55
	want.Drops[RxDropClearedByTx] = 7
	assert.Equal(t, want, a)
}

// A frame between two PHYs 10 m apart: arrival after the propagation delay
// at the log-distance power, preamble detection 4 µs later, PHY-RXSTART at
// 20 µs, reception at the end of the frame; and the state machine along
// the way.
func TestPhyReceptionTimeline(t *testing.T) {
	n := newPhyNet(t, DefaultMediumConfig(), DefaultPhyConfig(), mobility.Vector{}, mobility.Vector{X: 10})
	const size = 1000
	mode := OfdmRate54Mbps
	dur := FrameDuration(size, mode)
	require.Equal(t, 172*sim.Microsecond, dur)
	t0 := sim.Millisecond
	us := sim.Microsecond
	T := t0 + delayOf(10)
	require.Equal(t, t0+33, T)

	var begin float64
	n.phys[1].OnRxBegin = func(_ *Frame, rssi float64) { begin = rssi }
	var txStarted int
	n.phys[0].OnTxStart = func(*Frame) { txStarted++ }
	n.sendAt(0, t0, testFrame(size, mode))

	states := []struct {
		phy  int
		at   sim.Time
		want PhyState
	}{
		{0, t0 - 1, PhyIdle},
		{0, t0 + 1, PhyTx},
		{0, t0 + dur - 1, PhyTx},
		{0, t0 + dur + 1, PhyIdle},
		{1, T - 1, PhyIdle},
		{1, T + 2*us, PhyIdle}, // detection window: no state change
		{1, T + 10*us, PhyCcaBusy},
		{1, T + 19*us, PhyCcaBusy},
		{1, T + 21*us, PhyRx},
		{1, T + dur - 1, PhyRx},
		{1, T + dur + 1, PhyIdle},
	}
	got := make([]PhyState, len(states))
	for i, st := range states {
		n.probeState(st.phy, st.at, &got[i])
	}
	n.s.Run()

	for i, st := range states {
		assert.Equal(t, st.want, got[i], "PHY %d at %v", st.phy, st.at)
	}
	assert.Equal(t, []ev{
		{T + 4*us, "cca", T + 16*us},
		{T + 16*us, "cca", T + 20*us},
		{T + 20*us, "rxstart", T + dur},
		{T + dur, "rxend", 0},
	}, n.recs[1].compact())
	wantRx := logDistRxDbm(10)
	assert.InDelta(t, -60.6571, wantRx, 1e-9)
	assert.InDelta(t, wantRx, begin, 1e-9)
	info := n.recs[1].events[3].info
	assert.True(t, n.recs[1].events[3].ok)
	assert.InDelta(t, wantRx, info.RSSIDbm, 1e-9)
	assert.InDelta(t, wantRx-spectrum.WToDbm(ns3NoiseFloorW(7)), info.SNRDb, 1e-9)
	assert.Empty(t, n.recs[0].events, "the sender hears nothing")
	assert.Equal(t, 1, txStarted)
	c := n.phys[1].Counters()
	assert.Equal(t, uint64(1), c.RxOk)
	assert.Equal(t, uint64(2), c.CcaBusy)
	assert.Equal(t, uint64(1), n.phys[0].Counters().TxFrames)
}

func TestPhySendRejects(t *testing.T) {
	n := newPhyNet(t, DefaultMediumConfig(), DefaultPhyConfig(), mobility.Vector{}, mobility.Vector{X: 10})
	p := n.phys[0]
	f := testFrame(100, OfdmRate6Mbps)
	end := p.Send(&f)
	assert.Equal(t, FrameDuration(100, OfdmRate6Mbps), end)
	f.Header.Seq = 99 // the medium copied the frame: changing it now is harmless
	assert.Zero(t, p.Send(&f), "already transmitting")
	n.s.Run()
	bad := testFrame(100, Mode(8))
	assert.Zero(t, p.Send(&bad), "invalid mode")
	big := testFrame(MaxPSDUSize+1, OfdmRate54Mbps)
	assert.Zero(t, p.Send(&big), "PSDU too large")
	assert.Zero(t, p.Send(nil))
	assert.Equal(t, uint64(4), p.Counters().TxRejected)
	assert.Equal(t, uint64(1), p.Counters().TxFrames)

	// An unattached PHY transmits into the void.
	q, err := NewPhy(n.s, DefaultPhyConfig())
	require.NoError(t, err)
	assert.Equal(t, n.s.Now()+FrameDuration(100, OfdmRate6Mbps), q.Send(&f))
	assert.Equal(t, PhyTx, q.State())
}

func TestPhyBelowSensitivity(t *testing.T) {
	far := distanceForDbm(-104) // about 300 m
	t.Run("culled by the medium", func(t *testing.T) {
		n := newPhyNet(t, DefaultMediumConfig(), DefaultPhyConfig(), mobility.Vector{}, mobility.Vector{X: far})
		n.sendAt(0, 0, testFrame(100, OfdmRate6Mbps))
		n.s.Run()
		assert.Empty(t, n.recs[1].events)
		assert.Empty(t, n.recs[1].drops)
		assert.Zero(t, n.m.Stats().Deliveries)
	})
	t.Run("dropped by the PHY", func(t *testing.T) {
		mc := DefaultMediumConfig()
		mc.FloorDbm = -120
		n := newPhyNet(t, mc, DefaultPhyConfig(), mobility.Vector{}, mobility.Vector{X: far})
		// A third PHY as sensitive as the floor: the medium may not cull
		// at PHY 1's sensitivity any more.
		sharp := DefaultPhyConfig()
		sharp.RxSensitivityDbm = -120
		q, err := NewPhy(n.s, sharp)
		require.NoError(t, err)
		require.NoError(t, n.m.Attach(q, mobility.NewConstantPosition(mobility.Vector{Y: 5000})))
		n.sendAt(0, 0, testFrame(100, OfdmRate6Mbps))
		n.s.Run()
		assert.Empty(t, n.recs[1].events)
		assert.Equal(t, []RxDropReason{RxDropBelowSensitivity}, n.recs[1].drops)
		assert.Equal(t, uint64(1), n.m.Stats().Deliveries)
		// Not tracked as interference either.
		assert.Len(t, n.phys[1].in.ch, 1)
	})
	t.Run("receive gain lifts it above", func(t *testing.T) {
		pc := DefaultPhyConfig()
		pc.RxGainDb = 30
		n := newPhyNet(t, DefaultMediumConfig(), pc, mobility.Vector{}, mobility.Vector{X: far})
		n.sendAt(0, 0, testFrame(100, OfdmRate6Mbps))
		n.s.Run()
		assert.Equal(t, 1, n.recs[1].rxOk)
		assert.InDelta(t, -74.0, n.recs[1].events[len(n.recs[1].events)-1].info.RSSIDbm, 1e-9)
	})
}

// expectedSuccess is the probability that a PPDU is received at a constant
// SINR with ns-3's bit counts: the SIGNAL field (23 bits at 6 Mb/s) times
// the DATA field.
func expectedSuccess(em ErrorRateModel, m Mode, snr float64, size int) float64 {
	h := em.ChunkSuccessRate(SignalMode, snr, ns3ChunkBits(SignalMode.DataRate(), SignalDuration))
	d := em.ChunkSuccessRate(m, snr, ns3ChunkBits(m.DataRate(), PayloadDuration(size, m)))
	return h * d
}

func TestPhySuccessVersusSnr(t *testing.T) {
	const size = 1000
	mode := OfdmRate54Mbps
	em := DefaultErrorRateModel()
	noise := ns3NoiseFloorW(7)
	snrAt := func(d float64) float64 { return spectrum.DbmToW(logDistRxDbm(d)) / noise }
	// The distance where the table model gives success 0.5.
	lo, hi := 10.0, 200.0
	for range 100 {
		mid := (lo + hi) / 2
		if expectedSuccess(em, mode, snrAt(mid), size) > 0.5 {
			lo = mid
		} else {
			hi = mid
		}
	}
	mid := lo
	tests := []struct {
		name string
		d    float64
		n    int
	}{
		{"10 m", 10, 300},
		{"PER 0.5", mid, 4000},
		{"PER 0.5 + 2 m", mid + 2, 2000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := newPhyNet(t, DefaultMediumConfig(), DefaultPhyConfig(), mobility.Vector{}, mobility.Vector{X: tc.d})
			for i := range tc.n {
				n.sendAt(0, sim.Time(i+1)*sim.Millisecond, testFrame(size, mode))
			}
			n.s.Run()
			p := expectedSuccess(em, mode, snrAt(tc.d), size)
			got := float64(n.recs[1].rxOk) / float64(tc.n)
			tol := 4.5*math.Sqrt(p*(1-p)/float64(tc.n)) + 1e-9
			t.Logf("d=%.2f m SNR=%.2f dB expected %.4f (FrameSuccessRate %.4f) measured %.4f",
				tc.d, spectrum.RatioToDb(snrAt(tc.d)), p, FrameSuccessRate(em, mode, snrAt(tc.d), size), got)
			assert.InDelta(t, p, got, tol)
			assert.InDelta(t, FrameSuccessRate(em, mode, snrAt(tc.d), size), p, 0.05)
			// Every frame was detected and either received or failed in
			// the SIGNAL or DATA field.
			c := n.phys[1].Counters()
			assert.Equal(t, uint64(tc.n), c.RxOk+c.Drops[RxDropHeaderFailed]+c.Drops[RxDropPayloadFailed])
		})
	}
}

func TestPhyCollisions(t *testing.T) {
	us := sim.Microsecond
	t.Run("simultaneous equal power", func(t *testing.T) {
		n := newPhyNet(t, DefaultMediumConfig(), DefaultPhyConfig(),
			mobility.Vector{}, mobility.Vector{X: -20}, mobility.Vector{X: 20})
		f := testFrame(1000, OfdmRate54Mbps)
		n.sendAt(1, sim.Millisecond, f)
		n.sendAt(2, sim.Millisecond, f)
		n.s.Run()
		T := sim.Millisecond + delayOf(20)
		r := n.recs[0]
		assert.Equal(t, []RxDropReason{RxDropPreambleNotDetected, RxDropPreambleNotDetected}, r.drops)
		// CCA busy from the end of the first detection window until both
		// frames end.
		assert.Equal(t, []ev{{T + 4*us, "cca", T + f.Duration()}}, r.compact())
	})
	t.Run("staggered equal power", func(t *testing.T) {
		n := newPhyNet(t, DefaultMediumConfig(), DefaultPhyConfig(),
			mobility.Vector{}, mobility.Vector{X: -20}, mobility.Vector{X: 20})
		f := testFrame(1000, OfdmRate54Mbps)
		offsets := []sim.Time{0, 1 * us, 3 * us, 5 * us, 10 * us, 19 * us, 30 * us, 60 * us, 100 * us, 150 * us}
		for i, off := range offsets {
			at := sim.Time(i+1) * sim.Millisecond
			n.sendAt(1, at, f)
			n.sendAt(2, at+off, f)
		}
		n.s.Run()
		assert.Zero(t, n.recs[0].rxOk)
		assert.Len(t, n.recs[0].drops, 2*len(offsets))
	})
	t.Run("weak far interferer", func(t *testing.T) {
		n := newPhyNet(t, DefaultMediumConfig(), DefaultPhyConfig(),
			mobility.Vector{}, mobility.Vector{X: 10}, mobility.Vector{X: -200})
		f := testFrame(1000, OfdmRate54Mbps)
		const trials = 100
		for i := range trials {
			at := sim.Time(i+1) * sim.Millisecond
			n.sendAt(1, at, f)
			n.sendAt(2, at+sim.Time(i%7)*us, f)
		}
		n.s.Run()
		assert.Equal(t, trials, n.recs[0].rxOk)
	})
	t.Run("stronger frame wins the detection window", func(t *testing.T) {
		// The weaker frame arrives first; the stronger one 1 µs later.
		n := newPhyNet(t, DefaultMediumConfig(), DefaultPhyConfig(),
			mobility.Vector{}, mobility.Vector{X: 60}, mobility.Vector{X: 10})
		weak, strong := testFrame(100, OfdmRate6Mbps), testFrame(200, OfdmRate6Mbps)
		t0 := sim.Millisecond
		n.sendAt(1, t0, weak)
		n.sendAt(2, t0+delayOf(60)-delayOf(10)+us, strong)
		var got []int
		n.phys[0].OnRxOk = func(f *Frame, _ RxInfo) { got = append(got, f.Size()) }
		n.s.Run()
		assert.Equal(t, []int{200}, got)
		assert.Equal(t, []RxDropReason{RxDropBusyDecodingPreamble}, n.recs[0].drops)
	})
	t.Run("preamble switch", func(t *testing.T) {
		// A later transmission (larger uid) is detected while an earlier
		// one is still in its detection window.
		mc := DefaultMediumConfig()
		mc.Delay = metreDelay(100 * sim.Nanosecond)
		n := newPhyNet(t, mc, DefaultPhyConfig(),
			mobility.Vector{}, mobility.Vector{X: 60}, mobility.Vector{X: 10})
		t0 := sim.Millisecond
		n.sendAt(1, t0, testFrame(100, OfdmRate6Mbps))      // arrives at t0+6µs
		n.sendAt(2, t0+4*us, testFrame(200, OfdmRate6Mbps)) // arrives at t0+5µs
		var got []int
		n.phys[0].OnRxOk = func(f *Frame, _ RxInfo) { got = append(got, f.Size()) }
		n.s.Run()
		assert.Equal(t, []int{200}, got)
		assert.Equal(t, []RxDropReason{RxDropPreambleSwitch}, n.recs[0].drops)
	})
}

// metreDelay is a delay model of a fixed time per metre.
type metreDelay sim.Time

func (d metreDelay) Delay(a, b mobility.Vector) sim.Time {
	return sim.Time(math.Round(a.Distance(b) * float64(d)))
}

func TestPhyHeaderFailure(t *testing.T) {
	us := sim.Microsecond
	t.Run("aborted, CCA busy until the end", func(t *testing.T) {
		pc := DefaultPhyConfig()
		pc.ErrorModel = headerKiller{}
		n := newPhyNet(t, DefaultMediumConfig(), pc, mobility.Vector{}, mobility.Vector{X: 10})
		f := testFrame(1000, OfdmRate6Mbps)
		n.sendAt(0, 0, f)
		var mid PhyState
		T := delayOf(10)
		n.probeState(1, T+21*us, &mid)
		n.s.Run()
		assert.Equal(t, []ev{
			{T + 4*us, "cca", T + 16*us},
			{T + 16*us, "cca", T + 20*us},
			{T + 20*us, "cca", T + f.Duration()},
		}, n.recs[1].compact(), "no PhyRxStart, no PhyRxEnd")
		assert.Equal(t, []RxDropReason{RxDropHeaderFailed}, n.recs[1].drops)
		assert.Equal(t, PhyCcaBusy, mid)
	})
	t.Run("weak frame: idle after the failure", func(t *testing.T) {
		// Without a detection model a -90 dBm frame is locked; after its
		// SIGNAL field fails, its energy is below both CCA thresholds.
		pc := DefaultPhyConfig()
		pc.ErrorModel = headerKiller{}
		pc.PreambleDetection = nil
		d := distanceForDbm(-90)
		n := newPhyNet(t, DefaultMediumConfig(), pc, mobility.Vector{}, mobility.Vector{X: d})
		n.sendAt(0, 0, testFrame(1000, OfdmRate6Mbps))
		var mid PhyState
		T := delayOf(d)
		n.probeState(1, T+21*us, &mid)
		n.s.Run()
		assert.Equal(t, []ev{
			{T + 4*us, "cca", T + 16*us},
			{T + 16*us, "cca", T + 20*us},
		}, n.recs[1].compact())
		assert.Equal(t, PhyIdle, mid)
	})
	t.Run("strong interferer after detection", func(t *testing.T) {
		n := newPhyNet(t, DefaultMediumConfig(), DefaultPhyConfig(),
			mobility.Vector{}, mobility.Vector{X: 30}, mobility.Vector{X: -3})
		f := testFrame(1000, OfdmRate6Mbps)
		ack := testFrame(ACKSize, OfdmRate6Mbps)
		t0 := sim.Millisecond
		n.sendAt(1, t0, f)
		n.sendAt(2, t0+6*us, ack)
		n.s.Run()
		TA := t0 + delayOf(30)
		TI := t0 + 6*us + delayOf(3)
		// The interferer's arrival reports CCA busy until the locked
		// frame ends (total power above -82 dBm); the SIGNAL field's start
		// then reports a shorter period, as ns-3 does.
		assert.Equal(t, []ev{
			{TA + 4*us, "cca", TA + 16*us},
			{TI, "cca", TA + f.Duration()},
			{TA + 16*us, "cca", TA + 20*us},
		}, n.recs[0].compact())
		assert.Equal(t, []RxDropReason{RxDropBusyDecodingPreamble, RxDropHeaderFailed}, n.recs[0].drops)
	})
}

func TestPhyCcaWhileTransmitting(t *testing.T) {
	// PHY 0 transmits for 2024 µs from t0; PHY 1 starts a 1360 µs frame at
	// t0+1 ms, which outlasts PHY 0's transmission.
	t0 := sim.Millisecond
	long := testFrame(1500, OfdmRate6Mbps)
	other := testFrame(1000, OfdmRate6Mbps)
	require.Equal(t, 2024*sim.Microsecond, long.Duration())
	require.Equal(t, 1360*sim.Microsecond, other.Duration())
	tests := []struct {
		name  string
		dbm   float64
		ccaAt []sim.Time // relative: 0 = arrival, 1 = end of PHY 0's transmission
	}{
		{"below CCA sensitivity", -84, nil},
		{"between -82 and -62 dBm", -70, []sim.Time{0}},
		{"above CCA-ED", -55, []sim.Time{0, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := distanceForDbm(tc.dbm)
			n := newPhyNet(t, DefaultMediumConfig(), DefaultPhyConfig(), mobility.Vector{}, mobility.Vector{X: d})
			n.sendAt(0, t0, long)
			n.sendAt(1, t0+sim.Millisecond, other)
			n.s.Run()
			arrival := t0 + sim.Millisecond + delayOf(d)
			txEnd := t0 + long.Duration()
			var want []ev
			for _, at := range tc.ccaAt {
				e := ev{arrival, "cca", arrival + other.Duration()}
				if at == 1 {
					e.at = txEnd
				}
				want = append(want, e)
			}
			if want == nil {
				assert.Empty(t, n.recs[0].events)
			} else {
				assert.Equal(t, want, n.recs[0].compact())
			}
			assert.Equal(t, []RxDropReason{RxDropTransmitting}, n.recs[0].drops)
		})
	}
}

func TestPhyCcaAfterFailedDetection(t *testing.T) {
	// PHY 0 transmits while an interferer (PHY 1, -70 dBm) starts, so it
	// never locks on it. After PHY 0's transmission, a frame from PHY 2 at
	// the same power fails preamble detection (SINR about 0 dB): CCA busy
	// is reported at the end of its 4 µs detection window, not at its
	// arrival.
	us := sim.Microsecond
	d := distanceForDbm(-70)
	n := newPhyNet(t, DefaultMediumConfig(), DefaultPhyConfig(),
		mobility.Vector{}, mobility.Vector{X: d}, mobility.Vector{X: -d})
	t0 := sim.Millisecond
	n.sendAt(0, t0, testFrame(ACKSize, OfdmRate6Mbps))     // 44 µs
	n.sendAt(1, t0+10*us, testFrame(1000, OfdmRate6Mbps))  // until about t0+1370 µs
	n.sendAt(2, t0+200*us, testFrame(1500, OfdmRate6Mbps)) // until about t0+2224 µs
	n.s.Run()
	T1 := t0 + 10*us + delayOf(d)
	T2 := t0 + 200*us + delayOf(d)
	assert.Equal(t, []ev{
		{T1, "cca", T1 + 1360*us},
		{T2 + 4*us, "cca", T2 + 2024*us},
	}, n.recs[0].compact())
	assert.Equal(t, []RxDropReason{RxDropTransmitting, RxDropPreambleNotDetected}, n.recs[0].drops)
}

func TestPhySendAbortsReception(t *testing.T) {
	us := sim.Microsecond
	f := testFrame(1000, OfdmRate6Mbps) // 1360 µs
	ack := testFrame(ACKSize, OfdmRate6Mbps)
	tests := []struct {
		name      string
		after     sim.Time // after the arrival
		stateThen PhyState
		rxStart   bool
		// ns-3 traces RECEPTION_ABORTED_BY_TX for the PPDU it locked on
		// (m_currentEvent) only; one still in its detection window is
		// cleared without a trace.
		drop RxDropReason
	}{
		{"detection window", 2 * us, PhyIdle, false, RxDropClearedByTx},
		{"preamble", 10 * us, PhyCcaBusy, false, RxDropAbortedByTx},
		{"SIGNAL field", 18 * us, PhyCcaBusy, false, RxDropAbortedByTx},
		{"DATA field", 100 * us, PhyRx, true, RxDropAbortedByTx},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := newPhyNet(t, DefaultMediumConfig(), DefaultPhyConfig(), mobility.Vector{}, mobility.Vector{X: 10})
			T := delayOf(10)
			n.sendAt(0, 0, f)
			var before, after PhyState
			n.probeState(1, T+tc.after, &before)
			n.sendAt(1, T+tc.after, ack)
			n.probeState(1, T+tc.after+1, &after)
			n.s.Run()
			assert.Equal(t, tc.stateThen, before)
			assert.Equal(t, PhyTx, after)
			assert.Equal(t, []RxDropReason{tc.drop}, n.recs[1].drops)
			assert.Zero(t, n.recs[1].rxOk)
			evs := n.recs[1].compact()
			require.NotEmpty(t, evs)
			var sawStart bool
			for _, e := range evs {
				assert.NotEqual(t, "rxend", e.kind)
				sawStart = sawStart || e.kind == "rxstart"
			}
			assert.Equal(t, tc.rxStart, sawStart)
			// At the end of its transmission (WifiPhy::Reset) the PHY
			// checks energy against CCA-ED: the -60.7 dBm frame keeps it
			// busy until it ends.
			txEnd := T + tc.after + ack.Duration()
			assert.Equal(t, ev{txEnd, "cca", T + f.Duration()}, evs[len(evs)-1])
		})
	}
}

// A PPDU the PHY locked on, whose end lies before the current CCA-busy end,
// is not aborted when the PHY transmits: ns-3 3.37's WifiPhy::Send calls
// AbortCurrentReception only if m_currentEvent ends after
// now + GetDelayUntilIdle, then clears m_currentPreambleEvents (the locked
// PPDU among them) without a trace and keeps m_currentEvent until
// WifiPhy::Reset, again without a trace. netgym counts it once, as
// RxDropClearedByTx, and nothing at the end of the transmission. Here PHY 1
// locks on PHY 0's frame; PHY 2's longer frame arrives in its preamble
// (BUSY_DECODING_PREAMBLE) and, above the CCA sensitivity, keeps the PHY
// CCA busy past the locked frame's end; PHY 1 then sends in the SIGNAL
// field.
func TestPhySendForgetsLockedPPDUBeforeCcaEnd(t *testing.T) {
	us := sim.Microsecond
	f := testFrame(1000, OfdmRate6Mbps) // 1360 µs
	long := testFrame(1500, OfdmRate6Mbps)
	ack := testFrame(ACKSize, OfdmRate6Mbps)
	n := newPhyNet(t, DefaultMediumConfig(), DefaultPhyConfig(),
		mobility.Vector{}, mobility.Vector{X: 10}, mobility.Vector{X: 20})
	T := delayOf(10)
	n.sendAt(0, 0, f)
	n.sendAt(2, 6*us, long) // arrives at PHY 1 at 6 µs + T, after the lock
	var before PhyState
	n.probeState(1, T+18*us, &before)
	n.sendAt(1, T+18*us, ack)
	var afterTx PhyCounters
	_, err := n.s.ScheduleAt(T+18*us+ack.Duration()+1, func() { afterTx = n.phys[1].Counters() })
	require.NoError(t, err)
	n.s.Run()
	assert.Equal(t, PhyCcaBusy, before)
	assert.Equal(t, []RxDropReason{RxDropBusyDecodingPreamble, RxDropClearedByTx}, n.recs[1].drops)
	k := n.phys[1].Counters()
	assert.Equal(t, afterTx, k, "nothing counted at or after the end of the transmission")
	assert.Zero(t, k.Drops[RxDropAbortedByTx])
	assert.Equal(t, uint64(1), k.Drops[RxDropClearedByTx])
	assert.Zero(t, k.RxOk)
}

func TestPhySetTxPower(t *testing.T) {
	n := newPhyNet(t, DefaultMediumConfig(), DefaultPhyConfig(), mobility.Vector{}, mobility.Vector{X: 10})
	r0 := n.m.CullRange()
	require.NoError(t, n.phys[0].SetTxPowerDbm(26.0206))
	assert.InDelta(t, r0*math.Pow(10, 10.0/30), n.m.CullRange(), 1e-6*r0)
	assert.Error(t, n.phys[0].SetTxPowerDbm(math.Inf(1)))
	var rssi float64
	n.phys[1].OnRxOk = func(f *Frame, info RxInfo) {
		rssi = info.RSSIDbm
		assert.Equal(t, 26.0206, f.TxPowerDbm)
	}
	n.sendAt(0, 0, testFrame(100, OfdmRate6Mbps))
	n.s.Run()
	assert.InDelta(t, logDistRxDbm(10)+10, rssi, 1e-9)
	assert.Equal(t, 26.0206, n.phys[0].Config().TxPowerDbm)
}

func TestPhyCcaAfterReception(t *testing.T) {
	// A frame arriving during the DATA field of another is dropped without
	// a CCA report (the PHY is in Rx); at the end of the reception the PHY
	// reports CCA busy for as long as the total power stays at or above
	// -82 dBm.
	us := sim.Microsecond
	d := distanceForDbm(-70)
	n := newPhyNet(t, DefaultMediumConfig(), DefaultPhyConfig(),
		mobility.Vector{}, mobility.Vector{X: 10}, mobility.Vector{X: -d})
	f := testFrame(1000, OfdmRate6Mbps)  // 1360 µs
	g := testFrame(1500, OfdmRate12Mbps) // 1024 µs
	n.sendAt(1, 0, f)
	n.sendAt(2, 500*us, g)
	n.s.Run()
	TA := delayOf(10)
	TB := 500*us + delayOf(d)
	assert.Equal(t, []ev{
		{TA + 4*us, "cca", TA + 16*us},
		{TA + 16*us, "cca", TA + 20*us},
		{TA + 20*us, "rxstart", TA + f.Duration()},
		{TA + f.Duration(), "rxend", 0},
		{TA + f.Duration(), "cca", TB + g.Duration()},
	}, n.recs[0].compact())
	assert.Equal(t, []RxDropReason{RxDropBusyRx}, n.recs[0].drops)
	assert.Equal(t, 1, n.recs[0].rxOk, "SINR about 9 dB is enough at 6 Mb/s")
	rx := n.recs[0].events[3].info
	assert.InDelta(t, logDistRxDbm(10), rx.RSSIDbm, 1e-9)
	// The SNR at the end of the frame includes the interferer.
	noise := ns3NoiseFloorW(7) + spectrum.DbmToW(logDistRxDbm(d))
	assert.InDelta(t, logDistRxDbm(10)-spectrum.WToDbm(noise), rx.SNRDb, 1e-9)
}
