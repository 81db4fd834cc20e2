package mac80211

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/internal/validation"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/sim/propagation"
)

// These tests pin the PHY without a preamble detection model
// (PhyConfig.PreambleDetection nil, ns-3's WifiPhyHelper::
// DisablePreambleDetectionModel), the setting of ns-3's own Bianchi
// validation program (src/wifi/examples/wifi-bianchi.cc). The expected
// numbers were produced by ns-3 3.37 (Debian libns3-dev 3.37): the
// timelines by a small YansWifiPhy program that prints the listener
// notifications and PhyRxDrop traces of each PHY, the saturation counters
// by wifi-bianchi.cc itself (its per-node "PHY header failures", "RX
// events while decoding preamble", ... lines, summed over the nodes).

// noDetectPhyConfig is DefaultPhyConfig without a preamble detection model,
// with error model em.
func noDetectPhyConfig(em ErrorRateModel) PhyConfig {
	pc := DefaultPhyConfig()
	pc.PreambleDetection = nil
	pc.ErrorModel = em
	return pc
}

// TestNoDetectionTimelinesMatchNs3 replays small scenarios through ns-3
// 3.37 and netgym, PHYs on the x axis, default LogDistance loss and
// constant-speed delay. Without a detection model every PPDU above the
// sensitivity is locked at the end of its 4 µs window unless a stronger one
// is in its own window; with equal powers the first PPDU (lowest uid) wins.
// Only outcomes whose probability is 0 or 1 to double precision are used,
// so that the random draws do not matter.
func TestNoDetectionTimelinesMatchNs3(t *testing.T) {
	us := sim.Microsecond
	ms := sim.Millisecond
	type send struct {
		phy  int
		at   sim.Time
		size int
	}
	for _, tc := range []struct {
		name      string
		em        ErrorRateModel
		xs        []float64
		sends     []send
		wantEv    []ev // PHY 0's notifications
		wantDrops []RxDropReason
		wantOk    int
	}{{
		// Three equal-power 1500-byte frames at the same instant (the
		// wifi-bianchi ring: 1 mm apart, zero delay). The first locks; the
		// other two are dropped at the end of the window; the SIGNAL field
		// at 0 dB SINR never decodes with the NIST model (L_SIG_FAILURE);
		// CCA busy until the end. ns-3: 1004000 drop BusyDecodingPreamble
		// x2, cca 1016000; 1016000 cca 1020000; 1020000 drop HeaderFailed,
		// cca 3024000.
		name:      "three simultaneous equal powers",
		em:        NistErrorRateModel{},
		xs:        []float64{0, 0.001, -0.001, 0.0005},
		sends:     []send{{1, ms, 1500}, {2, ms, 1500}, {3, ms, 1500}},
		wantEv:    []ev{{1004 * us, "cca", 1016 * us}, {1016 * us, "cca", 1020 * us}, {1020 * us, "cca", 3024 * us}},
		wantDrops: []RxDropReason{RxDropBusyDecodingPreamble, RxDropBusyDecodingPreamble, RxDropHeaderFailed},
	}, {
		// Equal powers 6 µs apart (a slot grid offset, as after EIFS): the
		// second arrives after the first is locked; CCA busy until the
		// second ends, so the header failure reports nothing more. ns-3:
		// 1004000 cca 1016000; 1006000 drop BusyDecodingPreamble, cca
		// 3030000; 1016000 cca 1020000; 1020000 drop HeaderFailed.
		name:      "equal powers 6 µs apart",
		em:        NistErrorRateModel{},
		xs:        []float64{0, 0.001, -0.001},
		sends:     []send{{1, ms, 1500}, {2, ms + 6*us, 1500}},
		wantEv:    []ev{{1004 * us, "cca", 1016 * us}, {1006 * us, "cca", 3030 * us}, {1016 * us, "cca", 1020 * us}},
		wantDrops: []RxDropReason{RxDropBusyDecodingPreamble, RxDropHeaderFailed},
	}, {
		// A -95 dBm frame (below the -82 dBm threshold a detection model
		// would apply) is locked; its SIGNAL field fails and nothing is
		// left above either CCA threshold. ns-3: 1004466 cca 1016466;
		// 1016466 cca 1020466; 1020466 drop HeaderFailed.
		name:      "weak frame locked",
		em:        NistErrorRateModel{},
		xs:        []float64{0, distanceForDbm(-95)},
		sends:     []send{{1, ms, 500}},
		wantEv:    []ev{{1004466, "cca", 1016466}, {1016466, "cca", 1020466}},
		wantDrops: []RxDropReason{RxDropHeaderFailed},
	}, {
		// A -80 dBm frame is locked at the end of its window; a -60 dBm one
		// arriving 1 µs later is lost (BUSY_DECODING_PREAMBLE) and then
		// ruins the SIGNAL field. ns-3: 1004147 cca 1016147; 1005033 drop
		// BusyDecodingPreamble, cca 1697033; 1016147 cca 1020147; 1020147
		// drop HeaderFailed.
		name:      "weak locked, strong lost",
		em:        DefaultErrorRateModel(),
		xs:        []float64{0, distanceForDbm(-80), 10},
		sends:     []send{{1, ms, 500}, {2, ms + 5*us, 500}},
		wantEv:    []ev{{1004147, "cca", 1016147}, {1005033, "cca", 1697033}, {1016147, "cca", 1020147}},
		wantDrops: []RxDropReason{RxDropBusyDecodingPreamble, RxDropHeaderFailed},
	}, {
		// Three PPDUs inside one another's windows, the strongest last: the
		// two weak ones are dropped at the ends of their own windows, the
		// strong one is locked at the end of its own. ns-3: 1004147 drop
		// BusyDecodingPreamble; 1005159 drop BusyDecodingPreamble; 1007033
		// cca 1019033; 1019033 cca 1023033; 1023033 rxstart 1695033;
		// 1695033 ok, rxend ok.
		name:  "strongest of three wins",
		em:    DefaultErrorRateModel(),
		xs:    []float64{0, distanceForDbm(-80), -distanceForDbm(-81), 10},
		sends: []send{{1, ms, 500}, {2, ms + us, 500}, {3, ms + 3*us, 500}},
		wantEv: []ev{{1007033, "cca", 1019033}, {1019033, "cca", 1023033},
			{1023033, "rxstart", 1695033}, {1695033, "rxend", 0}},
		wantDrops: []RxDropReason{RxDropBusyDecodingPreamble, RxDropBusyDecodingPreamble},
		wantOk:    1,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			pos := make([]mobility.Vector, len(tc.xs))
			for i, x := range tc.xs {
				pos[i] = mobility.Vector{X: x}
			}
			n := newPhyNet(t, DefaultMediumConfig(), noDetectPhyConfig(tc.em), pos...)
			for _, s := range tc.sends {
				n.sendAt(s.phy, s.at, testFrame(s.size, OfdmRate6Mbps))
			}
			n.s.Run()
			r := n.recs[0]
			assert.Equal(t, tc.wantEv, r.compact())
			assert.Equal(t, tc.wantDrops, r.drops)
			assert.Equal(t, tc.wantOk, r.rxOk)
		})
	}
}

// bianchiRingCounts are the totals wifi-bianchi.cc prints (summed over its
// per-node lines) for the 10 s measurement window: data frames (PSDUs of at
// least 1500 bytes) only.
type bianchiRingCounts struct {
	txData     uint64 // "TX packets": data PPDUs transmitted
	rxData     uint64 // "RX packets": data frames received by their addressee
	hdrFail    uint64 // "PHY header failures" (L_SIG_FAILURE)
	psduFail   uint64 // "PSDU failures" (RxError)
	busyPre    uint64 // "RX events while decoding preamble"
	busyRx     uint64 // "RX events while RXing"
	txing      uint64 // "RX events while TXing"
	throughput float64
}

// runBianchiRing builds ns-3's wifi-bianchi ad-hoc scenario (src/wifi/
// examples/wifi-bianchi.cc, ns-3.37, defaults): n nodes, node 0 at the
// centre of a 1 mm ring holding the others, LogDistance exponent 2 and
// 46.6777 dB at 1 m, 16 dBm, no preamble detection model, the error model
// em (the program sets NistErrorRateModel), data and control at one mode,
// no retry or queue limit; node i sends 1500-byte saturated traffic to node
// (i+1) mod n from a uniform start in [0, 5] s; counting runs from 10 s to
// 20 s. It returns the counts and the throughput over the window.
func runBianchiRing(t testing.TB, n int, mode Mode, em ErrorRateModel, seed uint64) bianchiRingCounts {
	const pkt = 1500
	s := sim.New(seed, 1)
	mcfg := DefaultMediumConfig()
	loss := propagation.DefaultLogDistance()
	loss.Exponent = 2
	mcfg.Loss = loss
	medium, err := NewMedium(s, mcfg)
	require.NoError(t, err)
	warmup, end := 10*sim.Second, 20*sim.Second
	inWindow := func() bool { return s.Now() >= warmup && s.Now() < end }
	var c bianchiRingCounts
	centre := mobility.Vector{X: 1, Y: 1}
	positions := append([]mobility.Vector{centre}, mobility.Ring(centre, 0.001, n-1)...)
	var macs packet.MacAllocator
	devs := make([]*Mac, n)
	for i := range devs {
		pc := noDetectPhyConfig(em)
		pc.TxPowerDbm = 16
		phy, err := NewPhy(s, pc)
		require.NoError(t, err)
		require.NoError(t, medium.Attach(phy, mobility.NewConstantPosition(positions[i])))
		cfg := DefaultMacConfig()
		cfg.Address = macs.Allocate()
		cfg.Rate = NewConstantRate(mode, mode)
		cfg.RetryLimit = math.MaxInt32
		cfg.MaxQueueSize = 0
		cfg.MaxQueueDelay = 0
		m, err := NewAdhocMac(s, phy, cfg)
		require.NoError(t, err)
		devs[i] = m
		phy.OnTxStart = func(f *Frame) {
			if inWindow() && f.Size() >= pkt {
				c.txData++
			}
		}
		phy.OnRxOk = func(f *Frame, _ RxInfo) {
			// MonitorSnifferRx: every correct data PSDU addressed here,
			// retransmissions included.
			if inWindow() && f.Size() >= pkt && f.Header.Addr1 == m.Address() {
				c.rxData++
			}
		}
		phy.OnRxDrop = func(f *Frame, r RxDropReason) {
			if !inWindow() || f.Size() < pkt {
				return
			}
			switch r {
			case RxDropHeaderFailed:
				c.hdrFail++
			case RxDropPayloadFailed:
				c.psduFail++
			case RxDropBusyDecodingPreamble:
				c.busyPre++
			case RxDropBusyRx:
				c.busyRx++
			case RxDropTransmitting:
				c.txing++
			}
		}
	}
	pool := packet.NewPool()
	llc := &LLCSNAPHeader{EtherType: 0x0800}
	starts := s.Stream("test/bianchi-ring/start")
	for i, m := range devs {
		dst := devs[(i+1)%n].Address()
		send := func() {
			p := pool.New(pkt)
			p.Push(llc)
			require.NoError(t, m.Send(p, dst))
		}
		m.OnTxOk = func(*Frame) { send() }
		_, err := s.ScheduleAt(sim.Time(starts.Float64()*5e9), func() { send(); send() })
		require.NoError(t, err)
	}
	s.RunUntil(end)
	c.throughput = float64(c.rxData*pkt*8) / (end - warmup).Seconds() / 1e6
	return c
}

// TestBianchiRingNoDetectionMatchesNs3 compares netgym with ns-3 3.37's
// wifi-bianchi.cc, counter by counter, with preamble detection disabled.
//
// NIST: the program's own setting. A SIGNAL field at 0 dB SINR never
// decodes with the NIST model, so every collision is a silent L_SIG_FAILURE
// at the other nodes: no PSDU failure, no EIFS.
//
// Table: the same program with TableBasedErrorRateModel, netgym's default,
// instead (a one-line change). The SIGNAL field then decodes at 0 dB
// (success 0.998 for two equal frames) and the DATA field mostly fails (a
// 6 Mb/s 1500-byte payload decodes 17% of the time at 0 dB: capture; a
// 54 Mb/s one never), so the nodes that decoded the header defer by EIFS,
// off the DIFS slot grid by 6 µs. This exercises the detection window
// overlapping a slot boundary.
//
// The ns-3 references are means over independent runs of wifi-bianchi.cc
// (--standard=11a --trials=k --duration=10; the trials differ in RngRun or
// in their stream assignment): NIST eight runs for 6 Mb/s n=5 and n=50,
// four for n=20 at 6 and 54 Mb/s; table six runs at 6 Mb/s and seven at
// 54 Mb/s. From run to run ns-3's deliveries vary by under 1% (one standard
// deviation), its drop counters by 1-4% (the table model's few header
// failures by up to 7%). netgym averages a few seeds where counts are small
// and is held to 2.5% on transmissions and deliveries and 5% (8% for the
// table model's header failures) on the drop counters. One residual: with
// the table model at 54 Mb/s netgym has slightly more collisions of three
// or more frames than ns-3 (header failures +5%, RX events while TXing
// +1.7%, averaged over 6 seeds against 7 runs), with the same deliveries
// and PSDU failures (within 0.3%).
//
// The throughput here is deliveries over the 10 s window. wifi-bianchi.cc
// prints another figure: the sum over receivers of each one's bytes divided
// by its own first-to-last reception interval, which overstates the
// throughput when some stations deliver few frames (ns-3 prints 4.5602 Mb/s
// for n=50 where 2917 frames in 10 s are 3.5004 Mb/s), and is infinite when a
// station delivers a single frame.
func TestBianchiRingNoDetectionMatchesNs3(t *testing.T) {
	validation.Run(t, "saturation without preamble detection against ns-3")
	for _, tc := range []struct {
		em     string
		mode   Mode
		n      int
		seeds  uint64
		ns3    bianchiRingCounts
		hdrTol float64
	}{
		{"nist", OfdmRate6Mbps, 5, 4, bianchiRingCounts{txData: 5296, rxData: 3920, hdrFail: 1920, busyPre: 2033, txing: 1551}, 0.05},
		{"nist", OfdmRate6Mbps, 20, 2, bianchiRingCounts{txData: 6139, rxData: 3371, hdrFail: 22098, busyPre: 26799, txing: 3687}, 0.05},
		{"nist", OfdmRate6Mbps, 50, 1, bianchiRingCounts{txData: 6897, rxData: 2946, hdrFail: 80436, busyPre: 107225, txing: 5950}, 0.05},
		{"nist", OfdmRate54Mbps, 20, 1, bianchiRingCounts{txData: 40269, rxData: 21947, hdrFail: 146927, busyPre: 176970, txing: 24240}, 0.05},
		{"table", OfdmRate6Mbps, 20, 4, bianchiRingCounts{txData: 6201, rxData: 3439, hdrFail: 1782, psduFail: 18245, busyPre: 28298, txing: 3893}, 0.08},
		{"table", OfdmRate54Mbps, 20, 1, bianchiRingCounts{txData: 38719, rxData: 21129, hdrFail: 9963, psduFail: 130610, busyPre: 170202, txing: 23023}, 0.08},
	} {
		t.Run(fmt.Sprintf("%s/%v/n=%d", tc.em, tc.mode, tc.n), func(t *testing.T) {
			var em ErrorRateModel = NistErrorRateModel{}
			if tc.em == "table" {
				em = DefaultErrorRateModel()
			}
			var sum bianchiRingCounts
			for seed := uint64(1); seed <= tc.seeds; seed++ {
				c := runBianchiRing(t, tc.n, tc.mode, em, seed)
				t.Logf("netgym seed %d: %+v", seed, c)
				sum.txData += c.txData
				sum.rxData += c.rxData
				sum.hdrFail += c.hdrFail
				sum.psduFail += c.psduFail
				sum.busyPre += c.busyPre
				sum.busyRx += c.busyRx
				sum.txing += c.txing
			}
			k := float64(tc.seeds)
			near := func(name string, want, got uint64, tol float64) {
				if want == 0 {
					assert.Zero(t, got, name)
					return
				}
				assert.InEpsilon(t, float64(want), float64(got)/k, tol, name)
			}
			near("TX packets", tc.ns3.txData, sum.txData, 0.025)
			near("RX packets", tc.ns3.rxData, sum.rxData, 0.025)
			near("PHY header failures", tc.ns3.hdrFail, sum.hdrFail, tc.hdrTol)
			near("PSDU failures", tc.ns3.psduFail, sum.psduFail, 0.05)
			near("RX events while decoding preamble", tc.ns3.busyPre, sum.busyPre, 0.05)
			near("RX events while TXing", tc.ns3.txing, sum.txing, 0.05)
			assert.Zero(t, sum.busyRx, "RX events while RXing")
		})
	}
}
