package nr5g

import (
	"fmt"
	"strings"

	"github.com/netgym/netgym/sim"
)

// SchedulerType selects a gNB MAC scheduler (5G-LENA's NrHelper
// SchedulerTypeId): an access scheme (TDMA: whole symbols over all RBGs;
// OFDMA: RBGs over the symbols of a beam) and a policy (round robin,
// proportional fair, max rate).
type SchedulerType uint8

// The schedulers of 5G-LENA nr-4.1. NrMacSchedulerTdmaRR is its default.
const (
	// SchedulerTdmaRR is NrMacSchedulerTdmaRR: whole symbols over all RBGs,
	// UEs served round robin (in DL a deque of RNTIs kept across slots; in
	// UL the UE with the fewest RBGs so far first) until the transport
	// block covers the buffer.
	SchedulerTdmaRR SchedulerType = iota
	// SchedulerTdmaPF is NrMacSchedulerTdmaPF: symbols to the UE of the
	// largest potential rate^FairnessIndex / average rate, the average an
	// exponential mean over slots (LastAvgTPutWeight).
	SchedulerTdmaPF
	// SchedulerTdmaMR is NrMacSchedulerTdmaMR: symbols to the UE of the
	// highest MCS (ties: the fewest RBGs so far).
	SchedulerTdmaMR
	// SchedulerOfdmaRR is NrMacSchedulerOfdmaRR: the data symbols shared
	// among beams by load, then RBGs (each over all the beam's symbols)
	// to the UEs of a beam round robin.
	SchedulerOfdmaRR
	// SchedulerOfdmaPF is NrMacSchedulerOfdmaPF: OFDMA with the
	// proportional-fair order.
	SchedulerOfdmaPF
	// SchedulerOfdmaMR is NrMacSchedulerOfdmaMR: OFDMA with the max-rate
	// order.
	SchedulerOfdmaMR
	numSchedulerTypes
)

var schedulerNames = [...]string{"NrMacSchedulerTdmaRR", "NrMacSchedulerTdmaPF", "NrMacSchedulerTdmaMR",
	"NrMacSchedulerOfdmaRR", "NrMacSchedulerOfdmaPF", "NrMacSchedulerOfdmaMR"}

// String returns 5G-LENA's class name.
func (t SchedulerType) String() string {
	if int(t) < len(schedulerNames) {
		return schedulerNames[t]
	}
	return fmt.Sprintf("SchedulerType(%d)", uint8(t))
}

// Ofdma reports whether the scheduler shares symbols among UEs in
// frequency.
func (t SchedulerType) Ofdma() bool { return t >= SchedulerOfdmaRR && t < numSchedulerTypes }

// policy returns 0 (RR), 1 (PF) or 2 (MR).
func (t SchedulerType) policy() int { return int(t) % 3 }

// ParseSchedulerType reads a scheduler name: 5G-LENA's class name
// ("NrMacSchedulerOfdmaPF"), its ns-3 TypeId ("ns3::NrMacSchedulerOfdmaPF")
// or the short form ("OfdmaPF", "ofdma-pf"), case-insensitive.
func ParseSchedulerType(s string) (SchedulerType, error) {
	k := strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(s, "ns3::"), "NrMacScheduler"))
	k = strings.TrimPrefix(k, "nrmacscheduler")
	k = strings.ReplaceAll(strings.ReplaceAll(k, "-", ""), "_", "")
	for i, n := range schedulerNames {
		if strings.ToLower(strings.TrimPrefix(n, "NrMacScheduler")) == k {
			return SchedulerType(i), nil
		}
	}
	return 0, fmt.Errorf("nr5g: scheduler %q unknown (want TdmaRR, TdmaPF, TdmaMR, OfdmaRR, OfdmaPF or OfdmaMR)", s)
}

// SchedulerConfig configures the gNB MAC scheduler with NrMacSchedulerNs3's
// attributes and defaults (nr-mac-scheduler-ns3.cc). The symbol layout
// (DlCtrlSymbols, UlCtrlSymbols, SrsSymbols, SRS slots and periodicity)
// and NumRbPerRbg come from the PhyConfig the scheduler serves.
type SchedulerConfig struct {
	// Type is the scheduler (default SchedulerTdmaRR).
	Type SchedulerType
	// FairnessIndex is the PF schedulers' FairnessIndex, the exponent of
	// the potential rate in the metric, 0..1 (default 1: classic PF; 0:
	// round robin in rate).
	FairnessIndex float64
	// LastAvgTPutWeight is the PF schedulers' LastAvgTPutWeight: the
	// average rate moves by 1/LastAvgTPutWeight of the current one per
	// slot scheduled (default 99); at least 1.
	LastAvgTPutWeight float64
	// CqiTimerThreshold is how long a CQI stays valid; an expired one
	// resets the MCS to the starting MCS (default 1 s).
	CqiTimerThreshold sim.Time
	// FixedMcsDl and FixedMcsUl fix the MCS at StartingMcsDl/Ul, ignoring
	// CQI (default false).
	FixedMcsDl, FixedMcsUl bool
	// StartingMcsDl and StartingMcsUl are the MCS before the first CQI
	// (default 0).
	StartingMcsDl, StartingMcsUl uint8
	// MaxDlMcs caps the DL MCS; -1 means no cap (default -1).
	MaxDlMcs int
	// EnableHarqReTx allows up to MaxHarqRetx retransmissions (default
	// true; false: none).
	EnableHarqReTx bool
	// NumHarqProcesses is NrGnbMac's NumHarqProcess (default 16).
	NumHarqProcesses int
}

// DefaultSchedulerConfig returns 5G-LENA's defaults.
func DefaultSchedulerConfig() SchedulerConfig {
	return SchedulerConfig{Type: SchedulerTdmaRR, FairnessIndex: 1, LastAvgTPutWeight: 99,
		CqiTimerThreshold: sim.Second, MaxDlMcs: -1, EnableHarqReTx: true, NumHarqProcesses: NumHarqProcesses}
}

// Validate reports the first field out of range.
func (c SchedulerConfig) Validate() error {
	switch {
	case c.Type >= numSchedulerTypes:
		return fmt.Errorf("nr5g: SchedulerConfig.Type %v unknown (want SchedulerTdmaRR .. SchedulerOfdmaMR)", c.Type)
	case !(c.FairnessIndex >= 0 && c.FairnessIndex <= 1):
		return fmt.Errorf("nr5g: SchedulerConfig.FairnessIndex %v out of range [0, 1]", c.FairnessIndex)
	case !(c.LastAvgTPutWeight >= 1 && c.LastAvgTPutWeight <= 1e9):
		return fmt.Errorf("nr5g: SchedulerConfig.LastAvgTPutWeight %v out of range [1, 1e9]", c.LastAvgTPutWeight)
	case c.CqiTimerThreshold <= 0 || c.CqiTimerThreshold > 3600*sim.Second:
		return fmt.Errorf("nr5g: SchedulerConfig.CqiTimerThreshold %v out of range (0, 1h]", c.CqiTimerThreshold)
	case c.MaxDlMcs < -1 || c.MaxDlMcs > 31:
		return fmt.Errorf("nr5g: SchedulerConfig.MaxDlMcs %d out of range [-1, 31]", c.MaxDlMcs)
	case c.NumHarqProcesses < 1 || c.NumHarqProcesses > 16:
		return fmt.Errorf("nr5g: SchedulerConfig.NumHarqProcesses %d out of range [1, 16]", c.NumHarqProcesses)
	}
	return nil
}

// LcConfig describes a logical channel to the scheduler (5G-LENA's
// LogicalChannelConfigListElement_s).
type LcConfig struct {
	Lcid uint8 // logical channel identity (1, 2 SRBs; 3.. DRBs)
	// Lcg is the logical channel group: 0 for SRBs, 1 for GBR bearers, 2
	// for the others (NrGnbRrc::GetLogicalChannelGroup).
	Lcg uint8
	// QCI is the bearer's QCI/5QI (0 for SRB0).
	QCI uint8
}

// Scheduler is the gNB MAC scheduler seen from the MAC, after 5G-LENA's
// scheduler SAPs (NrMacSchedSapProvider, NrMacCschedSapProvider): UE and
// logical channel configuration, the reports the MAC collects (buffers,
// BSRs, SRs, CQIs, HARQ feedback), and one call per slot and direction that
// fills the slot's allocation. Each slot the MAC hands over everything
// received since the previous call, then asks for the UL slot K2 +
// L1L2CtrlLatency ahead and the DL slot K0 + L1L2CtrlLatency ahead.
type Scheduler interface {
	// AddUE registers UE rnti (CschedUeConfigReq).
	AddUE(rnti uint16) error
	// RemoveUE forgets UE rnti.
	RemoveUE(rnti uint16)
	// ConfigureLC adds a logical channel of UE rnti in both directions
	// (CschedLcConfigReq; LCID 0 is pre-configured and never added).
	ConfigureLC(rnti uint16, lc LcConfig) error
	// ReleaseLC removes a logical channel.
	ReleaseLC(rnti uint16, lcid uint8)
	// DlBuffer updates the DL queues of a logical channel
	// (SchedDlRlcBufferReq).
	DlBuffer(rnti uint16, lcid uint8, st BufferStatus)
	// UlBsr delivers a short BSR (SchedUlMacCtrlInfoReq).
	UlBsr(rnti uint16, levels [NumLcgs]uint8)
	// UlSr delivers a scheduling request (SchedUlSrInfoReq).
	UlSr(rnti uint16)
	// DlCqi delivers a wideband DL CQI (SchedDlCqiInfoReq).
	DlCqi(rnti uint16, cqi int)
	// UlCqi delivers the SINR per RB measured on the PUSCH allocation of
	// slot starting at symbol symStart (SchedUlCqiInfoReq).
	UlCqi(slot uint64, symStart uint8, sinr []float64)
	// ScheduleUl fills out with the UL allocation of slot, given the UL
	// HARQ feedback received since the last call (SchedUlTriggerReq).
	ScheduleUl(slot uint64, t SlotType, fb []HarqFeedback, out *SlotAlloc)
	// ScheduleDl fills out with the DL allocation of slot, given the DL
	// HARQ feedback received since the last call (SchedDlTriggerReq).
	ScheduleDl(slot uint64, t SlotType, fb []HarqFeedback, out *SlotAlloc)
	// UEInfo returns the scheduler's view of UE rnti.
	UEInfo(rnti uint16) (SchedUEInfo, bool)
	// SetBeam records the beam UE rnti is served with (5G-LENA's BeamId:
	// UEs of one beam share its symbols in OFDMA; DL HARQ
	// retransmissions are placed beam by beam).
	SetBeam(rnti uint16, beam uint64)
	// RachRequest asks for the Msg3 grant of the UE whose preamble got
	// RNTI rnti (SchedDlRachInfoReq): the next UL slot gives it the
	// symbols of a 144-bit block at the RACH MCS.
	RachRequest(rnti uint16)
}

// SchedUEInfo is the scheduler's view of a UE.
type SchedUEInfo struct {
	DlMcs, UlMcs     uint8   // MCS the next new DL and UL data get
	DlCqi, UlCqi     int     // wideband DL CQI reported, UL CQI computed from PUSCH SINR
	DlBuffer         uint32  // bytes the scheduler believes are queued in DL
	UlBuffer         uint32  // bytes it believes are queued in UL
	SrsOffset        uint32  // the UE's SRS slot offset
	DlHarqActive     int     // DL HARQ processes waiting for feedback or retransmission
	UlHarqActive     int     // UL HARQ processes waiting for a decode or retransmission
	SrsPeriodicity   uint32  // SRS period in slots
	UlCqiSinrDbMean  float64 // mean SINR (dB of the linear mean) of the last PUSCH CQI report
	UlCqiReportCount uint64  // PUSCH CQI reports the scheduler took
	Beam             uint64  // the beam the UE is served with (SetBeam)
	// DlAvgRate and UlAvgRate are the PF schedulers' average rates, bytes
	// per symbol (0 for the other policies).
	DlAvgRate, UlAvgRate float64
}

// NewScheduler returns a scheduler of cfg.Type for the bandwidth part phy,
// drawing its SRS offsets from s's stream name.
func NewScheduler(s *sim.Simulator, phy PhyConfig, cfg SchedulerConfig, stream string) (Scheduler, error) {
	if err := phy.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return newNs3Scheduler(s, phy, cfg, stream)
}
