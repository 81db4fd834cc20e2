package mmwave

import (
	"errors"
	"fmt"
	"math"

	"github.com/netgym/netgym/nr5g"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/propagation"
	"github.com/netgym/netgym/sim/spectrum/threegpp"
)

// Frame-structure constants ns3-mmwave v7.0 fixes in MmWavePhyMacCommon
// (mmwave-phy-mac-common.h and .cc): they are not attributes there.
const (
	// SymbolsPerSlot is m_symbolsPerSlot (TS 38.211 4.3.2).
	SymbolsPerSlot = 14
	// DlCtrlSymbols is m_dlCtrlSymbols: the first symbol of every slot
	// carries the DL control (DCIs).
	DlCtrlSymbols = 1
	// UlCtrlSymbols is m_ulCtrlSymbols: the last symbol of every slot
	// carries the UL control (BSR, CQI, HARQ feedback).
	UlCtrlSymbols = 1
	// L1L2Latency is m_L1L2Latency: the scheduler decides slot n+2 at the
	// start of slot n.
	L1L2Latency = 2
	// SubcarriersPerRB is SUBCARRIERS_PER_RB.
	SubcarriersPerRB = 12
	// RefSubcarriersPerRB is REF_SUBCARRIERS_PER_RB: one reference
	// subcarrier per RB carries no data (the TBS uses 11 per RB).
	RefSubcarriersPerRB = 1
	// SubframesPerFrame is m_subframesPerFrame.
	SubframesPerFrame = 10
	// DataSymbolsPerSlot is what the scheduler shares out per slot.
	DataSymbolsPerSlot = SymbolsPerSlot - DlCtrlSymbols - UlCtrlSymbols
)

// PhyMacConfig is ns3-mmwave's MmWavePhyMacCommon: the frame structure and
// timing of one component carrier, with its attribute defaults
// (DefaultPhyMacConfig).
type PhyMacConfig struct {
	// Numerology is the NR numerology, 2 (60 kHz, 250 us slots, the
	// default) or 3 (120 kHz, 125 us slots): ns3-mmwave supports no other.
	Numerology int
	// BandwidthHz is the carrier bandwidth (Bandwidth, default 200 MHz).
	// The RB count is ceil(BandwidthHz / (12 * SCS)) (SetBandwidth): 278
	// RBs for 200 MHz at 60 kHz. The transmit PSD spreads the power over
	// BandwidthHz, not over the RBs' total width.
	BandwidthHz float64
	// CenterFrequencyHz is the carrier frequency (CenterFreq, default
	// 28 GHz).
	CenterFrequencyHz float64
	// UlSchedDelay is the slots between an UL DCI and the UL data it
	// grants (UlSchedDelay, default 1; below L1L2Latency).
	UlSchedDelay int
	// NumHarqProcesses is the stop-and-wait HARQ processes per UE and
	// direction (NumHarqProcess, default 20).
	NumHarqProcesses int
	// HarqTimeout is the slots after which the scheduler frees a HARQ
	// process whatever its state (HarqDlTimeout, default 20).
	HarqTimeout int
	// TbDecodeLatency is the time a PHY takes to hand a received transport
	// block to the MAC, and the UE to send its DL HARQ feedback
	// (TbDecodeLatency, default 100 us; NetRL sets 200 us).
	TbDecodeLatency sim.Time
}

// DefaultPhyMacConfig returns MmWavePhyMacCommon's defaults: numerology 2,
// 200 MHz at 28 GHz, UL scheduling delay 1 slot, 20 HARQ processes with a
// 20-slot timeout, 100 us TB decode latency.
func DefaultPhyMacConfig() PhyMacConfig {
	return PhyMacConfig{
		Numerology:        2,
		BandwidthHz:       200e6,
		CenterFrequencyHz: 28e9,
		UlSchedDelay:      1,
		NumHarqProcesses:  20,
		HarqTimeout:       20,
		TbDecodeLatency:   100 * sim.Microsecond,
	}
}

// maxRBs bounds the RB count (sim/spectrum/rb's grid limit).
const maxRBs = 4096

// Validate reports the first field out of range.
func (c PhyMacConfig) Validate() error {
	switch {
	case c.Numerology != 2 && c.Numerology != 3:
		return fmt.Errorf("mmwave: PhyMacConfig.Numerology %d must be 2 or 3 (ns3-mmwave supports NR numerologies 2 and 3 only)", c.Numerology)
	case !(c.CenterFrequencyHz >= 0.5e9 && c.CenterFrequencyHz <= 100e9):
		return fmt.Errorf("mmwave: PhyMacConfig.CenterFrequencyHz %g out of range [0.5e9, 100e9] (TR 38.901)", c.CenterFrequencyHz)
	case c.UlSchedDelay < 0 || c.UlSchedDelay >= L1L2Latency:
		return fmt.Errorf("mmwave: PhyMacConfig.UlSchedDelay %d out of range [0, %d] (below the L1L2 latency)", c.UlSchedDelay, L1L2Latency-1)
	case c.NumHarqProcesses < 1 || c.NumHarqProcesses > 255:
		return fmt.Errorf("mmwave: PhyMacConfig.NumHarqProcesses %d out of range [1, 255]", c.NumHarqProcesses)
	case c.HarqTimeout < 1 || c.HarqTimeout > 255:
		return fmt.Errorf("mmwave: PhyMacConfig.HarqTimeout %d out of range [1, 255] slots", c.HarqTimeout)
	case c.TbDecodeLatency < 0 || c.TbDecodeLatency > sim.Second:
		return fmt.Errorf("mmwave: PhyMacConfig.TbDecodeLatency %v out of range [0, 1s]", c.TbDecodeLatency)
	}
	rbw := c.RBWidthHz()
	if !(c.BandwidthHz >= rbw && c.BandwidthHz <= maxRBs*rbw) {
		return fmt.Errorf("mmwave: PhyMacConfig.BandwidthHz %g out of range [%g, %g] (1 to %d RBs of %g Hz)",
			c.BandwidthHz, rbw, maxRBs*rbw, maxRBs, rbw)
	}
	return nil
}

// SubcarrierSpacingHz returns 15 kHz * 2^Numerology.
func (c PhyMacConfig) SubcarrierSpacingHz() float64 { return 15e3 * float64(int(1)<<c.Numerology) }

// RBWidthHz returns the width of a resource block, 12 subcarriers.
func (c PhyMacConfig) RBWidthHz() float64 { return SubcarriersPerRB * c.SubcarrierSpacingHz() }

// NumRBs returns ceil(BandwidthHz / RBWidthHz) as MmWavePhyMacCommon::
// SetBandwidth: ns3-mmwave rounds up (278 RBs of 720 kHz for 200 MHz).
func (c PhyMacConfig) NumRBs() int { return int(math.Ceil(c.BandwidthHz / c.RBWidthHz())) }

// SlotsPerSubframe returns 2^Numerology.
func (c PhyMacConfig) SlotsPerSubframe() int { return 1 << c.Numerology }

// SymbolPeriod returns the OFDM symbol duration as SetNrNumerology
// computes it, 1 ms / 14 / 2^mu in integer nanoseconds (17857 ns at
// numerology 2, 8928 ns at 3): a slot's 14 symbols end a few nanoseconds
// before the next slot starts.
func (c PhyMacConfig) SymbolPeriod() sim.Time {
	return sim.Millisecond / SymbolsPerSlot / sim.Time(c.SlotsPerSubframe())
}

// SlotPeriod returns 1 ms / 2^mu.
func (c PhyMacConfig) SlotPeriod() sim.Time { return sim.Millisecond / sim.Time(c.SlotsPerSubframe()) }

// SchedulerKind selects one of ns3-mmwave's variable-TTI MAC schedulers.
type SchedulerKind uint8

// Schedulers.
const (
	// FlexTtiRR is MmWaveFlexTtiMacScheduler, ns3-mmwave's default: OFDM
	// symbols shared round-robin between the UEs' DL and UL demand.
	FlexTtiRR SchedulerKind = iota
	// FlexTtiPF is MmWaveFlexTtiPfMacScheduler (proportional fair): each
	// symbol goes to the UE of highest achievable rate over average past
	// throughput (an exponential average over 99 slots).
	FlexTtiPF
	// FlexTtiMaxRate is MmWaveFlexTtiMaxRateMacScheduler: the symbols go
	// to the UEs of the highest MCS first, round-robin among UEs of the
	// same MCS.
	FlexTtiMaxRate
)

// ParseSchedulerKind returns the scheduler a flag names: "rr", "pf" or
// "maxrate" (the scenarios' -scheduler flag).
func ParseSchedulerKind(s string) (SchedulerKind, error) {
	switch s {
	case "rr":
		return FlexTtiRR, nil
	case "pf":
		return FlexTtiPF, nil
	case "maxrate":
		return FlexTtiMaxRate, nil
	}
	return 0, fmt.Errorf("mmwave: scheduler %q not one of rr, pf, maxrate", s)
}

// Flag returns the name ParseSchedulerKind reads: "rr", "pf" or "maxrate".
func (k SchedulerKind) Flag() string {
	switch k {
	case FlexTtiRR:
		return "rr"
	case FlexTtiPF:
		return "pf"
	case FlexTtiMaxRate:
		return "maxrate"
	}
	return k.String()
}

// String returns ns3-mmwave's class name.
func (k SchedulerKind) String() string {
	switch k {
	case FlexTtiRR:
		return "MmWaveFlexTtiMacScheduler"
	case FlexTtiPF:
		return "MmWaveFlexTtiPfMacScheduler"
	case FlexTtiMaxRate:
		return "MmWaveFlexTtiMaxRateMacScheduler"
	}
	return fmt.Sprintf("SchedulerKind(%d)", uint8(k))
}

// SchedulerConfig is the attributes of ns3-mmwave's variable-TTI MAC
// schedulers. MmWaveFlexTtiPfMacScheduler and
// MmWaveFlexTtiMaxRateMacScheduler declare the same attributes as
// MmWaveFlexTtiMacScheduler, with the same defaults except HarqEnabled
// (DefaultSchedulerConfigFor), but read only CqiTimerThreshold and
// HarqEnabled: the fixed MCS, one-direction and fixed-TTI attributes have
// no effect on them in ns3-mmwave, and Validate refuses them here.
type SchedulerConfig struct {
	// Kind selects the scheduler (MmWaveHelper's Scheduler, default
	// FlexTtiRR).
	Kind SchedulerKind
	// CqiTimerThreshold is the slots a CQI report stays valid
	// (CqiTimerThreshold, default 100).
	CqiTimerThreshold int
	// HarqEnabled makes the scheduler retransmit on NACKs (HarqEnabled,
	// default true; NetRL ties it to --harq). It applies to every Kind;
	// ns3-mmwave's PF and MaxRate classes default it to false
	// (DefaultSchedulerConfigFor).
	HarqEnabled bool
	// FixedMcsDl and McsDefaultDl fix the DL MCS (default false, 1;
	// round-robin only).
	FixedMcsDl   bool
	McsDefaultDl int
	// FixedMcsUl and McsDefaultUl fix the UL MCS (default false, 1;
	// round-robin only).
	FixedMcsUl   bool
	McsDefaultUl int
	// DlSchedOnly and UlSchedOnly schedule one direction only (testing;
	// default false; round-robin only).
	DlSchedOnly, UlSchedOnly bool
	// FixedTti rounds allocations up to SymPerSlot symbols (FixedTti,
	// default false; SymPerSlot default 6; round-robin only).
	FixedTti   bool
	SymPerSlot int
}

// DefaultSchedulerConfig returns MmWaveFlexTtiMacScheduler's defaults.
func DefaultSchedulerConfig() SchedulerConfig {
	return SchedulerConfig{Kind: FlexTtiRR, CqiTimerThreshold: 100, HarqEnabled: true, McsDefaultDl: 1, McsDefaultUl: 1, SymPerSlot: 6}
}

// DefaultSchedulerConfigFor returns the attribute defaults of the class
// kind selects: DefaultSchedulerConfig's, except that
// MmWaveFlexTtiPfMacScheduler and MmWaveFlexTtiMaxRateMacScheduler
// default HarqEnabled to false (GetTypeId in
// mmwave-flex-tti-pf-mac-scheduler.cc and
// mmwave-flex-tti-maxrate-mac-scheduler.cc), so that ns3-mmwave with
// either of them and its defaults never retransmits a transport block.
func DefaultSchedulerConfigFor(kind SchedulerKind) SchedulerConfig {
	c := DefaultSchedulerConfig()
	c.Kind = kind
	if kind != FlexTtiRR {
		c.HarqEnabled = false
	}
	return c
}

// Validate reports the first field out of range; maxMcs is the error
// model's largest MCS.
func (c SchedulerConfig) validate(maxMcs int) error {
	switch {
	case c.Kind > FlexTtiMaxRate:
		return fmt.Errorf("mmwave: SchedulerConfig.Kind %d unknown", uint8(c.Kind))
	case c.CqiTimerThreshold < 0 || c.CqiTimerThreshold > 1<<30:
		return fmt.Errorf("mmwave: SchedulerConfig.CqiTimerThreshold %d out of range [0, %d]", c.CqiTimerThreshold, 1<<30)
	case c.McsDefaultDl < 0 || c.McsDefaultDl > maxMcs:
		return fmt.Errorf("mmwave: SchedulerConfig.McsDefaultDl %d out of range [0, %d]", c.McsDefaultDl, maxMcs)
	case c.McsDefaultUl < 0 || c.McsDefaultUl > maxMcs:
		return fmt.Errorf("mmwave: SchedulerConfig.McsDefaultUl %d out of range [0, %d]", c.McsDefaultUl, maxMcs)
	case c.DlSchedOnly && c.UlSchedOnly:
		return errors.New("mmwave: SchedulerConfig.DlSchedOnly and UlSchedOnly are both set")
	case c.SymPerSlot < 1 || c.SymPerSlot > DataSymbolsPerSlot:
		return fmt.Errorf("mmwave: SchedulerConfig.SymPerSlot %d out of range [1, %d]", c.SymPerSlot, DataSymbolsPerSlot)
	}
	if c.Kind != FlexTtiRR {
		// ns3-mmwave's PF and MaxRate classes declare these attributes
		// but never read them: a run that sets one would silently do
		// something else than asked.
		for _, f := range [...]struct {
			name string
			set  bool
		}{{"FixedMcsDl", c.FixedMcsDl}, {"FixedMcsUl", c.FixedMcsUl}, {"DlSchedOnly", c.DlSchedOnly},
			{"UlSchedOnly", c.UlSchedOnly}, {"FixedTti", c.FixedTti}} {
			if f.set {
				return fmt.Errorf("mmwave: SchedulerConfig.%s has no effect with %v (ns3-mmwave ignores it there); use FlexTtiRR or unset it", f.name, c.Kind)
			}
		}
	}
	return nil
}

// AmcModel selects how CQI and MCS are derived from SINR (MmWaveAmc's
// AmcModel).
type AmcModel uint8

// AMC models.
const (
	// AmcErrorModel tries every MCS against the error model and keeps the
	// last whose TBLER is at most 0.1 (ErrorModel, the default).
	AmcErrorModel AmcModel = iota
	// AmcShannon maps the average spectral efficiency of a Shannon bound
	// with a BER target to CQI and MCS (ShannonModel).
	AmcShannon
)

// RlcUmConfig is LteRlcUmLowLat's attributes (ns3-mmwave's src/lte).
type RlcUmConfig struct {
	// MaxTxBufferSize is the transmission buffer in bytes; a PDCP PDU that
	// does not fit is dropped (MaxTxBufferSize, default 10 KiB).
	MaxTxBufferSize int
	// ReportBufferStatusTimer is how long after an SDU or a transmission
	// the entity reports its buffer again while it is not empty
	// (ReportBufferStatusTimer, default 20 ms; NetRL sets 100 us).
	ReportBufferStatusTimer sim.Time
	// ReorderingTimer is t-Reordering (ReorderingTimeExpires, default
	// 100 ms).
	ReorderingTimer sim.Time
	// SendBsrWhenPacketTx reports the buffer after every transmission
	// (SendBsrWhenPacketTx, default false).
	SendBsrWhenPacketTx bool
}

// DefaultRlcUmConfig returns LteRlcUmLowLat's defaults.
func DefaultRlcUmConfig() RlcUmConfig {
	return RlcUmConfig{MaxTxBufferSize: 10 * 1024, ReportBufferStatusTimer: 20 * sim.Millisecond, ReorderingTimer: 100 * sim.Millisecond}
}

// DefaultUeRlcUmConfig returns the defaults of ns3-mmwave's LteRlcUm
// (src/lte/model/lte-rlc-um.cc), the UE's RLC UM: a 10 KiB buffer, a 10 ms
// ReportBufferStatusTimer and a 10 ms t-Reordering.
func DefaultUeRlcUmConfig() RlcUmConfig {
	return RlcUmConfig{MaxTxBufferSize: 10 * 1024, ReportBufferStatusTimer: 10 * sim.Millisecond, ReorderingTimer: 10 * sim.Millisecond}
}

func (c RlcUmConfig) validate() error {
	switch {
	case c.MaxTxBufferSize < 0 || c.MaxTxBufferSize > 1<<30:
		return fmt.Errorf("mmwave: RlcUmConfig.MaxTxBufferSize %d out of range [0, %d]", c.MaxTxBufferSize, 1<<30)
	case c.ReportBufferStatusTimer <= 0 || c.ReportBufferStatusTimer > (3600*sim.Second):
		return fmt.Errorf("mmwave: RlcUmConfig.ReportBufferStatusTimer %v out of range (0, 1h]", c.ReportBufferStatusTimer)
	case c.ReorderingTimer <= 0 || c.ReorderingTimer > (3600*sim.Second):
		return fmt.Errorf("mmwave: RlcUmConfig.ReorderingTimer %v out of range (0, 1h]", c.ReorderingTimer)
	}
	return nil
}

// ChannelConfig is the radio channel of MmWaveHelper's default wiring: a
// TR 38.901 pathloss model (ThreeGppUmaPropagationLossModel whatever the
// fast-fading scenario), ThreeGppChannelModel fast fading as ns-3.38
// computes it, uniform planar arrays of isotropic elements and ideal
// beamforming.
type ChannelConfig struct {
	// Scenario is ThreeGppChannelModel's Scenario: the TR 38.901 Table
	// 7.5-6 parameters of fast fading (default UMa; NetRL's --scenario).
	Scenario propagation.Scenario
	// PathlossScenario is the pathloss and LOS-condition model:
	// MmWaveHelper's PathlossModel is ThreeGppUmaPropagationLossModel by
	// default and NetRL does not change it, so its --scenario changes only
	// the fast fading (default UMa).
	PathlossScenario propagation.Scenario
	// Shadowing is the pathloss model's ShadowingEnabled (default true).
	Shadowing bool
	// FastFading selects the TR 38.901 cluster channel (true, the
	// default) or threegpp's flat direct-path alternative.
	FastFading bool
	// UpdatePeriod is ThreeGppChannelModel's UpdatePeriod (default 0: a
	// link's channel is drawn once; NetRL sets 1e6 ms, the same here).
	UpdatePeriod sim.Time
	// Compat selects what ns-3.38 computes differently from ns-3.45.
	// ns3-mmwave v7.0 runs ns-3.38's three-gpp-channel-model.cc, which
	// carries both the ray sin/cos bug and the backward shuffle, so the
	// default is threegpp.NS338Compat().
	Compat threegpp.Compat
	// Beamforming is the ideal beamforming method (MmWaveHelper's
	// BeamformingModel, default MmWaveSvdBeamforming: threegpp.SVD).
	Beamforming threegpp.Method
	// SvdConjugatedCorrelation reproduces ns3-mmwave v7.0's SVD, whose
	// correlation matrix of the channel's s end (the UE: ns3-mmwave draws
	// every UE-eNB channel from the UE's side) is conj(Hᵀ·H) rather than
	// Hᴴ·H (threegpp.BeamformingConfig.SVDConjugatedCorrelation; default
	// true).
	SvdConjugatedCorrelation bool
	// UeRows, UeColumns and EnbRows, EnbColumns are the uniform planar
	// arrays of isotropic elements half a wavelength apart (MmWaveHelper:
	// UE 2 x 2, eNB 8 x 8).
	UeRows, UeColumns   int
	EnbRows, EnbColumns int
}

// DefaultChannelConfig returns MmWaveHelper's defaults.
func DefaultChannelConfig() ChannelConfig {
	return ChannelConfig{
		Scenario: propagation.UMa, PathlossScenario: propagation.UMa, Shadowing: true, FastFading: true,
		Compat: threegpp.NS338Compat(), Beamforming: threegpp.SVD, SvdConjugatedCorrelation: true,
		UeRows: 2, UeColumns: 2, EnbRows: 8, EnbColumns: 8,
	}
}

func (c ChannelConfig) validate() error {
	switch c.Scenario {
	case propagation.UMa, propagation.UMiStreetCanyon, propagation.RMa, propagation.InHOfficeMixed, propagation.InHOfficeOpen:
	default:
		return fmt.Errorf("mmwave: ChannelConfig.Scenario %d unknown", uint8(c.Scenario))
	}
	switch c.PathlossScenario {
	case propagation.UMa, propagation.UMiStreetCanyon, propagation.RMa, propagation.InHOfficeMixed, propagation.InHOfficeOpen:
	default:
		return fmt.Errorf("mmwave: ChannelConfig.PathlossScenario %d unknown", uint8(c.PathlossScenario))
	}
	switch {
	case c.UpdatePeriod < 0:
		return fmt.Errorf("mmwave: ChannelConfig.UpdatePeriod %v must be >= 0", c.UpdatePeriod)
	case c.Beamforming > threegpp.SVD:
		return fmt.Errorf("mmwave: ChannelConfig.Beamforming %d unknown", uint8(c.Beamforming))
	case c.UeRows < 1 || c.UeColumns < 1 || c.UeRows*c.UeColumns > 1024:
		return fmt.Errorf("mmwave: ChannelConfig UE array %d x %d out of range (1 to 1024 elements)", c.UeRows, c.UeColumns)
	case c.EnbRows < 1 || c.EnbColumns < 1 || c.EnbRows*c.EnbColumns > 1024:
		return fmt.Errorf("mmwave: ChannelConfig eNB array %d x %d out of range (1 to 1024 elements)", c.EnbRows, c.EnbColumns)
	}
	return nil
}

// Config configures an ns3-mmwave radio access network (one Helper): the
// defaults are ns3-mmwave v7.0's (DefaultConfig).
type Config struct {
	// PhyMac is the frame structure and timing (MmWavePhyMacCommon).
	PhyMac PhyMacConfig
	// EnbTxPowerDbm and EnbNoiseFigureDb are MmWaveEnbPhy's TxPower and
	// NoiseFigure (defaults 30 dBm and 5 dB).
	EnbTxPowerDbm, EnbNoiseFigureDb float64
	// UeTxPowerDbm and UeNoiseFigureDb are MmWaveUePhy's TxPower and
	// NoiseFigure (defaults 30 dBm and 5 dB; NetRL: 23 dBm and 9 dB).
	UeTxPowerDbm, UeNoiseFigureDb float64
	// CqiReportPeriod is MmWaveUePhy's CqiReportPeriod in slots (default
	// 10): the UE reports no DL CQI before that long after its start.
	CqiReportPeriod int
	// Scheduler is the MAC scheduler's configuration.
	Scheduler SchedulerConfig
	// ErrorModel is MmWaveSpectrumPhy's and MmWaveAmc's ErrorModelType:
	// nr5g.EesmIrT1 (MmWaveEesmIrT1, the default), EesmCcT1, EesmIrT2 or
	// EesmCcT2 (ns3-mmwave's MmWaveLteMiErrorModel is not modelled).
	ErrorModel nr5g.ErrorModelType
	// Amc is MmWaveAmc's AmcModel (default AmcErrorModel).
	Amc AmcModel
	// AmcBer is MmWaveAmc's Ber, the BER target of AmcShannon (default
	// 1e-5).
	AmcBer float64
	// HarqEnabled is MmWaveHelper's HarqEnabled: UEs send DL HARQ
	// feedback (default true). The scheduler's own switch is
	// Scheduler.HarqEnabled; NetRL sets both from --harq.
	HarqEnabled bool
	// RlcAm is MmWaveHelper's RlcAmEnabled: data radio bearers use RLC AM
	// instead of RLC UM LowLat (default false).
	RlcAm bool
	// RlcUm configures the eNB's RLC UM, LteRlcUmLowLat (LteEnbRrc's
	// RLC_UM_LOWLAT_ALWAYS, which MmWaveHelper selects with an EPC).
	RlcUm RlcUmConfig
	// UeRlcUm configures the UE's RLC UM: ns3-mmwave's LteUeRrc creates
	// an LteRlcUm for a bearer the eNB configures as UM
	// (ApplyRadioResourceConfigDedicated), not a LowLat one. It reports
	// its buffer on every SDU, has no m_bsrReported gating and ignores
	// SendBsrWhenPacketTx (DefaultUeRlcUmConfig; NetRL does not change
	// it).
	UeRlcUm RlcUmConfig
	// RlcAmConfig configures RLC AM.
	RlcAmConfig RlcAmConfig
	// RrcMessageDelay is the ideal RRC protocol's delay per message
	// (MmWaveUeRrcProtocolIdeal's RRC_IDEAL_MSG_DELAY, 500 us). Only the
	// ideal RRC (MmWaveHelper's UseIdealRrc true) is modelled.
	RrcMessageDelay sim.Time
	// Channel is the propagation, fading, array and beamforming setup.
	Channel ChannelConfig
	// UeMTU is the MTU of the UE devices (30000, as LTE and mmWave net
	// devices in ns-3).
	UeMTU int
}

// DefaultConfig returns ns3-mmwave v7.0's defaults with the ideal RRC.
func DefaultConfig() Config {
	return Config{
		PhyMac:           DefaultPhyMacConfig(),
		EnbTxPowerDbm:    30,
		EnbNoiseFigureDb: 5,
		UeTxPowerDbm:     30,
		UeNoiseFigureDb:  5,
		CqiReportPeriod:  10,
		Scheduler:        DefaultSchedulerConfig(),
		ErrorModel:       nr5g.EesmIrT1,
		Amc:              AmcErrorModel,
		AmcBer:           1e-5,
		HarqEnabled:      true,
		RlcUm:            DefaultRlcUmConfig(),
		UeRlcUm:          DefaultUeRlcUmConfig(),
		RlcAmConfig:      DefaultRlcAmConfig(),
		RrcMessageDelay:  500 * sim.Microsecond,
		Channel:          DefaultChannelConfig(),
		UeMTU:            30000,
	}
}

// Validate reports the first field out of range, naming it.
func (c Config) Validate() error {
	if err := c.PhyMac.Validate(); err != nil {
		return err
	}
	for _, f := range []struct {
		name   string
		v      float64
		lo, hi float64
	}{
		{"EnbTxPowerDbm", c.EnbTxPowerDbm, -100, 100},
		{"UeTxPowerDbm", c.UeTxPowerDbm, -100, 100},
		{"EnbNoiseFigureDb", c.EnbNoiseFigureDb, 0, 100},
		{"UeNoiseFigureDb", c.UeNoiseFigureDb, 0, 100},
	} {
		if !(f.v >= f.lo && f.v <= f.hi) {
			return fmt.Errorf("mmwave: Config.%s %g out of range [%g, %g]", f.name, f.v, f.lo, f.hi)
		}
	}
	switch c.CqiReportPeriod {
	case 4, 5, 8, 10, 16, 20, 40, 80, 160, 320: // MmWaveUePhy::SetWbCqiPeriod
	default:
		return fmt.Errorf("mmwave: Config.CqiReportPeriod %d not one of 4, 5, 8, 10, 16, 20, 40, 80, 160, 320 (TS 38.331)", c.CqiReportPeriod)
	}
	tab, err := nr5g.EesmTableFor(c.ErrorModel)
	if err != nil {
		return fmt.Errorf("mmwave: Config.ErrorModel: %w", err)
	}
	if err := c.Scheduler.validate(tab.MaxMcs()); err != nil {
		return err
	}
	if c.Amc > AmcShannon {
		return fmt.Errorf("mmwave: Config.Amc %d unknown", uint8(c.Amc))
	}
	if !(c.AmcBer > 0 && c.AmcBer < 0.2) {
		return fmt.Errorf("mmwave: Config.AmcBer %g out of range (0, 0.2)", c.AmcBer)
	}
	if err := c.RlcUm.validate(); err != nil {
		return err
	}
	if err := c.UeRlcUm.validate(); err != nil {
		return fmt.Errorf("%w (UeRlcUm)", err)
	}
	if err := c.RlcAmConfig.validate(); err != nil {
		return err
	}
	if c.RrcMessageDelay < 0 || c.RrcMessageDelay > sim.Second {
		return fmt.Errorf("mmwave: Config.RrcMessageDelay %v out of range [0, 1s]", c.RrcMessageDelay)
	}
	if err := c.Channel.validate(); err != nil {
		return err
	}
	if c.UeMTU < 68 || c.UeMTU > 65535 {
		return fmt.Errorf("mmwave: Config.UeMTU %d out of range [68, 65535]", c.UeMTU)
	}
	return nil
}
