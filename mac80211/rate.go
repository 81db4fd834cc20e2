package mac80211

import "github.com/netgym/netgym/sim/packet"

// RateManager chooses transmission modes per destination and learns from
// the outcome of transmissions (ns-3's WifiRemoteStationManager). One
// manager belongs to one MAC.
type RateManager interface {
	// DataMode returns the mode for a unicast data frame of size bytes.
	DataMode(dst packet.Mac48, size int) Mode
	// RtsMode returns the mode for an RTS to dst.
	RtsMode(dst packet.Mac48) Mode
	// ReportDataOk reports an acknowledged data frame; ackSnrDb is the SNR
	// of the ACK.
	ReportDataOk(dst packet.Mac48, ackSnrDb float64)
	// ReportDataFailed reports a missing ACK.
	ReportDataFailed(dst packet.Mac48)
	// ReportFinalDataFailed reports that a data frame was dropped after the
	// retry limit.
	ReportFinalDataFailed(dst packet.Mac48)
	// ReportRtsOk reports a CTS received in answer to an RTS.
	ReportRtsOk(dst packet.Mac48)
	// ReportRtsFailed reports a missing CTS.
	ReportRtsFailed(dst packet.Mac48)
	// ReportFinalRtsFailed reports a frame dropped after RTS failures.
	ReportFinalRtsFailed(dst packet.Mac48)
}

// ConstantRate sends every data frame at one mode and every RTS at another
// (ns-3 ConstantRateWifiManager: DataMode, ControlMode).
type ConstantRate struct {
	Data, Control Mode
}

// NewConstantRate returns a constant-rate manager.
func NewConstantRate(data, control Mode) *ConstantRate {
	return &ConstantRate{Data: data, Control: control}
}

// DataMode implements RateManager.
func (c *ConstantRate) DataMode(packet.Mac48, int) Mode { return c.Data }

// RtsMode implements RateManager.
func (c *ConstantRate) RtsMode(packet.Mac48) Mode { return c.Control }

// ReportDataOk implements RateManager.
func (c *ConstantRate) ReportDataOk(packet.Mac48, float64) {}

// ReportDataFailed implements RateManager.
func (c *ConstantRate) ReportDataFailed(packet.Mac48) {}

// ReportFinalDataFailed implements RateManager.
func (c *ConstantRate) ReportFinalDataFailed(packet.Mac48) {}

// ReportRtsOk implements RateManager.
func (c *ConstantRate) ReportRtsOk(packet.Mac48) {}

// ReportRtsFailed implements RateManager.
func (c *ConstantRate) ReportRtsFailed(packet.Mac48) {}

// ReportFinalRtsFailed implements RateManager.
func (c *ConstantRate) ReportFinalRtsFailed(packet.Mac48) {}

// AarfConfig holds the parameters of Adaptive ARF (Lacage, Manshaei,
// Turletti, "IEEE 802.11 Rate Adaptation: A Practical Approach", MSWiM
// 2004), with ns-3's AarfWifiManager defaults.
type AarfConfig struct {
	SuccessK            float64 // multiplies the success threshold after a failed probe (2)
	TimerK              float64 // multiplies the timer threshold after a failed probe (2)
	MaxSuccessThreshold int     // 60
	MinTimerThreshold   int     // 15
	MinSuccessThreshold int     // 10
}

// DefaultAarfConfig returns ns-3's AarfWifiManager defaults.
func DefaultAarfConfig() AarfConfig {
	return AarfConfig{SuccessK: 2, TimerK: 2, MaxSuccessThreshold: 60, MinTimerThreshold: 15, MinSuccessThreshold: 10}
}

// ArfConfig returns the parameters under which AARF reduces to plain ARF
// (Kamerman and Monteban, 1997; ns-3 ArfWifiManager: TimerThreshold 15,
// SuccessThreshold 10).
func ArfConfig() AarfConfig {
	return AarfConfig{SuccessK: 1, TimerK: 1, MaxSuccessThreshold: 10, MinTimerThreshold: 15, MinSuccessThreshold: 10}
}

type aarfStation struct {
	timer, success, failed, retry int
	recovery                      bool
	successThreshold, timerLimit  int
	rate                          int // index into Modes()
}

// Aarf is the ARF/AARF rate manager: it climbs one mode after a run of
// successes (or a timer's worth of frames) and falls back after failures,
// per destination, over the eight 802.11a modes, starting from 6 Mb/s.
type Aarf struct {
	cfg      AarfConfig
	stations map[packet.Mac48]*aarfStation
}

// NewAarf returns an AARF manager; use ArfConfig() for ARF.
func NewAarf(cfg AarfConfig) *Aarf {
	return &Aarf{cfg: cfg, stations: make(map[packet.Mac48]*aarfStation)}
}

func (a *Aarf) station(dst packet.Mac48) *aarfStation {
	st := a.stations[dst]
	if st == nil {
		st = &aarfStation{successThreshold: a.cfg.MinSuccessThreshold, timerLimit: a.cfg.MinTimerThreshold}
		a.stations[dst] = st
	}
	return st
}

// DataMode implements RateManager.
func (a *Aarf) DataMode(dst packet.Mac48, _ int) Mode { return Mode(a.station(dst).rate) }

// RtsMode implements RateManager: RTS at the lowest mode, as ns-3.
func (a *Aarf) RtsMode(packet.Mac48) Mode { return OfdmRate6Mbps }

// ReportDataOk implements RateManager (ns-3 AarfWifiManager::DoReportDataOk).
func (a *Aarf) ReportDataOk(dst packet.Mac48, _ float64) {
	st := a.station(dst)
	st.timer++
	st.success++
	st.failed = 0
	st.recovery = false
	st.retry = 0
	if (st.success == st.successThreshold || st.timer == st.timerLimit) && st.rate < NumModes-1 {
		st.rate++
		st.timer = 0
		st.success = 0
		st.recovery = true
	}
}

// ReportDataFailed implements RateManager (ns-3
// AarfWifiManager::DoReportDataFailed).
func (a *Aarf) ReportDataFailed(dst packet.Mac48) {
	st := a.station(dst)
	st.timer++
	st.failed++
	st.retry++
	st.success = 0
	if st.recovery {
		if st.retry == 1 {
			// the probe at the new rate failed: fall back and wait longer
			st.successThreshold = min(int(float64(st.successThreshold)*a.cfg.SuccessK), a.cfg.MaxSuccessThreshold)
			st.timerLimit = max(int(float64(st.timerLimit)*a.cfg.TimerK), a.cfg.MinSuccessThreshold)
			if st.rate > 0 {
				st.rate--
			}
		}
		st.timer = 0
		return
	}
	if (st.retry-1)%2 == 1 {
		// two consecutive failures: normal fallback
		st.timerLimit = a.cfg.MinTimerThreshold
		st.successThreshold = a.cfg.MinSuccessThreshold
		if st.rate > 0 {
			st.rate--
		}
	}
	if st.retry >= 2 {
		st.timer = 0
	}
}

// ReportFinalDataFailed implements RateManager.
func (a *Aarf) ReportFinalDataFailed(packet.Mac48) {}

// ReportRtsOk implements RateManager.
func (a *Aarf) ReportRtsOk(packet.Mac48) {}

// ReportRtsFailed implements RateManager.
func (a *Aarf) ReportRtsFailed(packet.Mac48) {}

// ReportFinalRtsFailed implements RateManager.
func (a *Aarf) ReportFinalRtsFailed(packet.Mac48) {}
