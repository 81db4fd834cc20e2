package mac80211

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// arfStep is one step of a rate-control script: a run of reports, then the
// state expected after it.
type arfStep struct {
	reports string // "10o" = ten ReportDataOk, "2f" = two ReportDataFailed, space separated
	mode    Mode
	// thresholds after the step (0: not checked)
	success, timer int
}

// play feeds a script of reports for dst to a.
func play(t *testing.T, a *Aarf, dst packet.Mac48, reports string) {
	t.Helper()
	for _, tok := range strings.Fields(reports) {
		n, err := strconv.Atoi(tok[:len(tok)-1])
		require.NoError(t, err, tok)
		for range n {
			switch tok[len(tok)-1] {
			case 'o':
				a.ReportDataOk(dst, 30)
			case 'f':
				a.ReportDataFailed(dst)
			case 'F': // a failure that reaches the retry limit, as the MAC reports it
				a.ReportDataFailed(dst)
				a.ReportFinalDataFailed(dst)
			case 'r': // RTS reports: no effect on the data mode
				a.ReportRtsOk(dst)
				a.ReportRtsFailed(dst)
				a.ReportFinalRtsFailed(dst)
			default:
				t.Fatalf("bad token %q", tok)
			}
		}
	}
}

// TestAarfStateMachine drives ARF and AARF through scripts of ok/failed
// reports and checks the data mode and thresholds against ns-3 3.37's
// ArfWifiManager and AarfWifiManager (src/wifi/model/rate-control/
// arf-wifi-manager.cc, aarf-wifi-manager.cc): climb after SuccessThreshold
// consecutive successes or TimerThreshold reports; "recovery" fallback when
// the first frame after a climb fails (AARF: success threshold x SuccessK up
// to MaxSuccessThreshold, timer x TimerK); "normal" fallback after two
// consecutive failures, which resets the thresholds; never below 6 Mb/s nor
// above 54 Mb/s.
func TestAarfStateMachine(t *testing.T) {
	tests := []struct {
		name  string
		cfg   AarfConfig
		steps []arfStep
	}{
		{"arf climbs after 10 successes", ArfConfig(), []arfStep{
			{"9o", OfdmRate6Mbps, 10, 15},
			{"1o", OfdmRate9Mbps, 10, 15},
			{"10o", OfdmRate12Mbps, 10, 15},
		}},
		{"arf climbs on the timer", ArfConfig(), []arfStep{
			// a single failure resets the success count but not the
			// timer; the 15th report overall climbs
			{"9o 1f", OfdmRate6Mbps, 10, 15},
			{"4o", OfdmRate6Mbps, 10, 15},
			{"1o", OfdmRate9Mbps, 10, 15},
		}},
		{"arf recovery fallback keeps thresholds", ArfConfig(), []arfStep{
			{"10o", OfdmRate9Mbps, 10, 15},
			{"1f", OfdmRate6Mbps, 10, 15},
			// still in recovery until a success: further failures do not
			// fall back (m_failed > 1), and the floor holds anyway
			{"3f", OfdmRate6Mbps, 10, 15},
			{"10o", OfdmRate9Mbps, 10, 15},
		}},
		{"arf normal fallback every second failure", ArfConfig(), []arfStep{
			{"10o 10o 10o", OfdmRate18Mbps, 10, 15},
			{"1o", OfdmRate18Mbps, 10, 15}, // leaves recovery
			{"1f", OfdmRate18Mbps, 10, 15},
			{"1f", OfdmRate12Mbps, 10, 15},
			{"1f", OfdmRate12Mbps, 10, 15},
			{"1f", OfdmRate9Mbps, 10, 15},
			{"2f", OfdmRate6Mbps, 10, 15},
			{"20f", OfdmRate6Mbps, 10, 15}, // never below 6 Mb/s
		}},
		{"arf caps at 54 Mb/s", ArfConfig(), []arfStep{
			{"70o", OfdmRate54Mbps, 10, 15},
			{"1000o", OfdmRate54Mbps, 10, 15},
			// at the top there is no probe: the first failure is an
			// ordinary one, the second falls back
			{"1f", OfdmRate54Mbps, 10, 15},
			{"1f", OfdmRate48Mbps, 10, 15},
		}},
		{"aarf doubles thresholds on failed probes, capped at 60", DefaultAarfConfig(), []arfStep{
			{"10o", OfdmRate9Mbps, 10, 15},
			{"1f", OfdmRate6Mbps, 20, 30}, // failed probe: x2
			{"19o", OfdmRate6Mbps, 20, 30},
			{"1o", OfdmRate9Mbps, 20, 30}, // the 20th success climbs
			{"1f", OfdmRate6Mbps, 40, 60},
			{"40o", OfdmRate9Mbps, 40, 60},
			{"1f", OfdmRate6Mbps, 60, 120}, // min(80, MaxSuccessThreshold)
			{"59o", OfdmRate6Mbps, 60, 120},
			{"1o", OfdmRate9Mbps, 60, 120},
			{"1f", OfdmRate6Mbps, 60, 240}, // the success threshold stays capped; the timer is not
		}},
		{"aarf normal fallback resets thresholds", DefaultAarfConfig(), []arfStep{
			{"10o 1f", OfdmRate6Mbps, 20, 30},
			{"20o 1o", OfdmRate9Mbps, 20, 30}, // climbed, then left recovery
			{"2f", OfdmRate6Mbps, 10, 15},
			{"10o", OfdmRate9Mbps, 10, 15},
		}},
		{"aarf failures in recovery after the fallback change nothing", DefaultAarfConfig(), []arfStep{
			{"10o 1f", OfdmRate6Mbps, 20, 30},
			{"5f", OfdmRate6Mbps, 20, 30},
		}},
		{"aarf final and RTS reports are no-ops", DefaultAarfConfig(), []arfStep{
			{"10o 10o", OfdmRate12Mbps, 10, 15},
			{"3r", OfdmRate12Mbps, 10, 15},
			{"1o 1F", OfdmRate12Mbps, 10, 15},
			{"1F", OfdmRate9Mbps, 10, 15},
		}},
	}
	dst := packet.Mac48{0, 0, 0, 0, 0, 2}
	other := packet.Mac48{0, 0, 0, 0, 0, 3}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := NewAarf(tc.cfg)
			require.Equal(t, OfdmRate6Mbps, a.DataMode(dst, 1500), "AARF starts at the lowest mode")
			for i, st := range tc.steps {
				play(t, a, dst, st.reports)
				assert.Equal(t, st.mode, a.DataMode(dst, 1500), "step %d (%q)", i, st.reports)
				s := a.stations[dst]
				assert.Equal(t, st.success, s.successThreshold, "success threshold, step %d", i)
				assert.Equal(t, st.timer, s.timerLimit, "timer threshold, step %d", i)
				assert.Equal(t, OfdmRate6Mbps, a.RtsMode(dst))
			}
			// state is per destination
			assert.Equal(t, OfdmRate6Mbps, a.DataMode(other, 1500))
		})
	}
}

// ns3Arf is a literal transcription of ns-3 3.37's AarfWifiManager
// station logic (with ArfWifiManager's when k = 1, max = min success
// threshold), kept independent of the Aarf implementation under test.
type ns3Arf struct {
	cfg                                   AarfConfig
	nSupported                            int
	timer, success, failed                int
	recovery                              bool
	timerTimeout, successThreshold, rateI int
}

func newNs3Arf(cfg AarfConfig) *ns3Arf {
	return &ns3Arf{cfg: cfg, nSupported: NumModes, successThreshold: cfg.MinSuccessThreshold,
		timerTimeout: cfg.MinTimerThreshold}
}

func (s *ns3Arf) dataFailed() {
	s.timer++
	s.failed++
	s.success = 0
	if s.recovery {
		if s.failed == 1 {
			s.successThreshold = int(min(float64(s.successThreshold)*s.cfg.SuccessK, float64(s.cfg.MaxSuccessThreshold)))
			s.timerTimeout = int(max(float64(s.timerTimeout)*s.cfg.TimerK, float64(s.cfg.MinSuccessThreshold)))
			if s.rateI != 0 {
				s.rateI--
			}
		}
		s.timer = 0
	} else {
		if (s.failed-1)%2 == 1 {
			s.timerTimeout = s.cfg.MinTimerThreshold
			s.successThreshold = s.cfg.MinSuccessThreshold
			if s.rateI != 0 {
				s.rateI--
			}
		}
		if s.failed >= 2 {
			s.timer = 0
		}
	}
}

func (s *ns3Arf) dataOk() {
	s.timer++
	s.success++
	s.failed = 0
	s.recovery = false
	if (s.success == s.successThreshold || s.timer == s.timerTimeout) && s.rateI < s.nSupported-1 {
		s.rateI++
		s.timer = 0
		s.success = 0
		s.recovery = true
	}
}

// TestAarfMatchesNs3Transcription compares Aarf with the transcription of
// ns-3's code over long random report sequences with different failure
// probabilities, for AARF and ARF parameters.
func TestAarfMatchesNs3Transcription(t *testing.T) {
	dst := packet.Mac48{0, 0, 0, 0, 0, 9}
	for _, cfg := range []struct {
		name string
		cfg  AarfConfig
	}{{"aarf", DefaultAarfConfig()}, {"arf", ArfConfig()},
		{"aarf k=3", AarfConfig{SuccessK: 3, TimerK: 1.5, MaxSuccessThreshold: 100, MinTimerThreshold: 20, MinSuccessThreshold: 5}}} {
		for _, pFail := range []float64{0.02, 0.1, 0.3, 0.6} {
			t.Run(cfg.name+"/p="+strconv.FormatFloat(pFail, 'g', -1, 64), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(1, uint64(pFail*1000)))
				a, ref := NewAarf(cfg.cfg), newNs3Arf(cfg.cfg)
				seen := map[Mode]bool{}
				for i := range 20000 {
					if rng.Float64() < pFail {
						a.ReportDataFailed(dst)
						ref.dataFailed()
					} else {
						a.ReportDataOk(dst, 20)
						ref.dataOk()
					}
					got := a.DataMode(dst, 1000)
					seen[got] = true
					if !assert.Equal(t, Mode(ref.rateI), got, "report %d", i) {
						return
					}
					st := a.stations[dst]
					require.Equal(t, ref.successThreshold, st.successThreshold, "report %d", i)
					require.Equal(t, ref.timerTimeout, st.timerLimit, "report %d", i)
				}
				assert.Greater(t, len(seen), 1, "the sequence must exercise several modes")
			})
		}
	}
}

// aarfLink sends 500 1000-byte UDP datagrams, one every 2 ms, from node 0 to
// node 1 at distance d, each device with its own rate manager from newRate,
// and returns the fraction delivered, the data frames node 0 sent per mode,
// node 0's manager and node 1's address.
func aarfLink(t *testing.T, d float64, newRate func() RateManager) (float64, map[Mode]int, []Mode, RateManager, packet.Mac48) {
	t.Helper()
	s := sim.New(1, 1)
	cfg := DefaultNetworkConfig()
	cfg.StaticARP = true
	cfg.NewRate = newRate
	w, err := NewNetwork(s, cfg, []mobility.Vector{{X: 0}, {X: d}})
	require.NoError(t, err)
	rx := w.Nodes[1].NewUDPSocket()
	require.NoError(t, rx.Bind(9))
	got := 0
	rx.SetRecvCallback(func(*inet.UDPSocket, *packet.Packet, inet.RecvInfo) { got++ })
	tx := w.Nodes[0].NewUDPSocket()
	require.NoError(t, tx.Connect(w.Addr(1), 9))
	perMode := map[Mode]int{}
	var seq []Mode
	mac := w.Devices[0].Mac()
	mac.OnTx = func(f *Frame) {
		if f.Header.Type == FrameData {
			perMode[f.Mode]++
			seq = append(seq, f.Mode)
		}
	}
	const n = 500
	for i := range n {
		_, err := s.ScheduleAt(sim.Second+sim.Time(i)*2*sim.Millisecond, func() { _ = tx.Send(1000) })
		require.NoError(t, err)
	}
	s.RunUntil(3 * sim.Second)
	return float64(got) / n, perMode, seq, mac.Config().Rate, w.Devices[1].Address()
}

// TestAarfIntegration: two ad-hoc nodes with an AARF manager per device
// (NetworkConfig.NewRate). At 10 m (SNR about 33 dB) every frame succeeds,
// so AARF climbs one mode per 10 frames to 54 Mb/s and stays there. At 40 m
// (-80 dBm, SNR about 15 dB with ns-3's LogDistance and 7 dB noise figure)
// 1000-byte frames fail at 54 and 48 Mb/s and succeed at 36 Mb/s: constant
// 54 Mb/s delivers nothing, AARF settles at 36 Mb/s and delivers everything.
func TestAarfIntegration(t *testing.T) {
	newAarf := func() RateManager { return NewAarf(DefaultAarfConfig()) }
	t.Run("short range climbs to 54", func(t *testing.T) {
		delivered, perMode, _, rm, dst := aarfLink(t, 10, newAarf)
		assert.Equal(t, 1.0, delivered)
		want := map[Mode]int{OfdmRate54Mbps: 500 - 70}
		for m := OfdmRate6Mbps; m < OfdmRate54Mbps; m++ {
			want[m] = 10
		}
		assert.Equal(t, want, perMode, "ten frames per mode on the way up, no retransmission")
		assert.Equal(t, OfdmRate54Mbps, rm.DataMode(dst, 1000))
	})
	t.Run("40 m settles below 54", func(t *testing.T) {
		constant, c54, _, _, _ := aarfLink(t, 40, func() RateManager { return NewConstantRate(OfdmRate54Mbps, OfdmRate6Mbps) })
		assert.Zero(t, constant, "54 Mb/s cannot cross 40 m")
		assert.Equal(t, []Mode{OfdmRate54Mbps}, keys(c54))

		delivered, perMode, seq, rm, dst := aarfLink(t, 40, newAarf)
		assert.Equal(t, 1.0, delivered, "AARF must deliver every datagram")
		assert.Equal(t, OfdmRate36Mbps, rm.DataMode(dst, 1000))
		assert.Zero(t, perMode[OfdmRate54Mbps], "AARF never gets past 48 Mb/s")
		assert.Greater(t, perMode[OfdmRate48Mbps], 0, "AARF keeps probing 48 Mb/s")
		// after the climb, at least 95% of the frames go at 36 Mb/s: the
		// failed probes push the success threshold to 60
		tail := seq[len(seq)-300:]
		at36 := 0
		for _, m := range tail {
			if m == OfdmRate36Mbps {
				at36++
			}
		}
		assert.GreaterOrEqual(t, at36, 285, "frames at 36 Mb/s among the last 300")
	})
}

func keys(m map[Mode]int) []Mode {
	var out []Mode
	for k := range m {
		out = append(out, k)
	}
	return out
}
