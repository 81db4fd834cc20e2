package nr5g

import (
	"fmt"
	"strings"

	"github.com/netgym/netgym/sim"
)

// PhyConfig is the frame structure, timing and link-abstraction setup of one
// NR bandwidth part, with 5G-LENA nr-4.1's defaults (DefaultPhyConfig). The
// attribute each field mirrors is named in its comment.
type PhyConfig struct {
	// Numerology is NrGnbPhy's Numerology (default 0). NetRL's 5G-LENA
	// scenario uses 3.
	Numerology Numerology
	// SymbolsPerSlot is NrGnbPhy's SymbolsPerSlot (default 14).
	SymbolsPerSlot int
	// BandwidthHz is the bandwidth part's channel bandwidth
	// (CcBwpCreator::SimpleOperationBandConf default 400 MHz; NetRL uses
	// 100 MHz), counted in whole 100 kHz units as 5G-LENA keeps it.
	BandwidthHz float64
	// CentralFrequencyHz is the carrier frequency
	// (SimpleOperationBandConf default 28 GHz).
	CentralFrequencyHz float64
	// RbOverhead is NrGnbPhy's RbOverhead, the guard-band fraction left out
	// of the RB count, 0..0.5 (default 0.04).
	RbOverhead float64
	// Pattern is NrGnbPhy's Pattern (default "F|F|F|F|F|F|F|F|F|F|").
	Pattern TddPattern
	// DlCtrlSymbols is NrMacSchedulerNs3's DlCtrlSymbols: symbols at the
	// start of a slot with DL data reserved for the PDCCH (default 1).
	DlCtrlSymbols int
	// UlCtrlSymbols is NrMacSchedulerNs3's UlCtrlSymbols: symbols at the end
	// of a slot with UL control reserved for the PUCCH (default 1).
	UlCtrlSymbols int
	// SrsSymbols is NrMacSchedulerNs3's SrsSymbols: symbols before the UL
	// control symbols reserved for SRS when a slot carries SRS (default 1).
	SrsSymbols int
	// SrsInUlSlots is NrMacSchedulerNs3's EnableSrsInUlSlots (default true).
	SrsInUlSlots bool
	// SrsInFSlots is NrMacSchedulerNs3's EnableSrsInFSlots (default true).
	SrsInFSlots bool
	// SrsPeriodicity is NrMacSchedulerSrsDefault's StartingPeriodicity, in
	// slots (default 80).
	SrsPeriodicity int
	// N0Delay is NrGnbPhy's N0Delay, slots from DL DCI to DL data, 0..1
	// (default 0; 5G-LENA's pattern timing uses 0 whatever its value).
	N0Delay int
	// N1Delay is NrGnbPhy's N1Delay, slots from the end of DL data to the
	// earliest HARQ feedback, 0..4 (default 2).
	N1Delay int
	// N2Delay is NrGnbPhy's N2Delay, slots from UL DCI to UL data, 0..4
	// (default 2).
	N2Delay int
	// L1L2CtrlLatency is the slots between a MAC scheduling decision and
	// the slot its DCI goes out in (NrPhy::GetL1L2CtrlLatency, fixed at 2
	// in 5G-LENA).
	L1L2CtrlLatency int
	// TbDecodeLatency is NrPhy's TbDecodeLatency (default 100 us).
	TbDecodeLatency sim.Time
	// NumRbPerRbg is NrGnbMac's NumRbPerRbg (default 1).
	NumRbPerRbg int
	// ErrorModel is NrSpectrumPhy's ErrorModelType (default NrLteMiErrorModel).
	ErrorModel ErrorModelType
	// Amc is the AMC of the scheduler (NrAmc attributes); its ErrorModel
	// must equal ErrorModel.
	Amc AmcConfig
}

// DefaultPhyConfig returns 5G-LENA nr-4.1's defaults (numerology 0, 400 MHz
// at 28 GHz, all slots flexible, one DL and one UL control symbol, N1 = N2 =
// 2, L1L2CtrlLatency 2, NrLteMiErrorModel with error-model AMC).
func DefaultPhyConfig() PhyConfig {
	return PhyConfig{
		Numerology:         0,
		SymbolsPerSlot:     SymbolsPerSlot,
		BandwidthHz:        400e6,
		CentralFrequencyHz: 28e9,
		RbOverhead:         DefaultRbOverhead,
		Pattern:            DefaultTddPattern(),
		DlCtrlSymbols:      1,
		UlCtrlSymbols:      1,
		SrsSymbols:         1,
		SrsInUlSlots:       true,
		SrsInFSlots:        true,
		SrsPeriodicity:     80,
		N0Delay:            0,
		N1Delay:            2,
		N2Delay:            2,
		L1L2CtrlLatency:    2,
		TbDecodeLatency:    100 * sim.Microsecond,
		NumRbPerRbg:        1,
		ErrorModel:         LteMi,
		Amc:                DefaultAmcConfig(),
	}
}

// Validate reports the first field out of its accepted range.
func (c PhyConfig) Validate() error {
	if err := c.Numerology.Validate(); err != nil {
		return fieldErr("Numerology", err)
	}
	if c.SymbolsPerSlot < 1 || c.SymbolsPerSlot > SymbolsPerSlot {
		return fmt.Errorf("nr5g: PhyConfig.SymbolsPerSlot %d out of range [1, %d]", c.SymbolsPerSlot, SymbolsPerSlot)
	}
	if !(c.CentralFrequencyHz > 0) {
		return fmt.Errorf("nr5g: PhyConfig.CentralFrequencyHz %g must be positive", c.CentralFrequencyHz)
	}
	if _, err := RbCount(c.BandwidthHz, c.Numerology, c.RbOverhead); err != nil {
		return fieldErr("BandwidthHz/RbOverhead", err)
	}
	if err := c.Pattern.Validate(); err != nil {
		return fieldErr("Pattern", err)
	}
	for _, f := range []struct {
		name    string
		v, l, h int
	}{
		{"DlCtrlSymbols", c.DlCtrlSymbols, 0, c.SymbolsPerSlot - 1},
		{"UlCtrlSymbols", c.UlCtrlSymbols, 0, c.SymbolsPerSlot - 1},
		{"SrsSymbols", c.SrsSymbols, 0, c.SymbolsPerSlot - 1},
		{"N0Delay", c.N0Delay, 0, 1},
		{"N1Delay", c.N1Delay, 0, 4},
		{"N2Delay", c.N2Delay, 0, 4},
		{"L1L2CtrlLatency", c.L1L2CtrlLatency, 0, 16},
		{"SrsPeriodicity", c.SrsPeriodicity, 1, 1 << 16},
	} {
		if f.v < f.l || f.v > f.h {
			return fmt.Errorf("nr5g: PhyConfig.%s %d out of range [%d, %d]", f.name, f.v, f.l, f.h)
		}
	}
	if c.DlCtrlSymbols+c.UlCtrlSymbols+c.SrsSymbols >= c.SymbolsPerSlot {
		return fmt.Errorf("nr5g: PhyConfig control symbols (DL %d + UL %d + SRS %d) leave no data symbol in a slot of %d",
			c.DlCtrlSymbols, c.UlCtrlSymbols, c.SrsSymbols, c.SymbolsPerSlot)
	}
	if c.TbDecodeLatency < 0 {
		return fmt.Errorf("nr5g: PhyConfig.TbDecodeLatency %v must not be negative", c.TbDecodeLatency)
	}
	rbs, _ := RbCount(c.BandwidthHz, c.Numerology, c.RbOverhead)
	if c.NumRbPerRbg < 1 || c.NumRbPerRbg > rbs {
		return fmt.Errorf("nr5g: PhyConfig.NumRbPerRbg %d out of range [1, %d]", c.NumRbPerRbg, rbs)
	}
	if int(c.ErrorModel) >= len(errorModelNames) {
		return fmt.Errorf("nr5g: PhyConfig.ErrorModel %d unknown", uint8(c.ErrorModel))
	}
	if err := c.Amc.Validate(); err != nil {
		return fieldErr("Amc", err)
	}
	if c.Amc.ErrorModel != c.ErrorModel {
		return fmt.Errorf("nr5g: PhyConfig.Amc.ErrorModel %v differs from PhyConfig.ErrorModel %v (they must share one MCS table)",
			c.Amc.ErrorModel, c.ErrorModel)
	}
	return nil
}

// fieldError names the PhyConfig field whose check failed.
type fieldError struct {
	field string
	err   error
}

func (e *fieldError) Error() string {
	return "nr5g: PhyConfig." + e.field + ": " + strings.TrimPrefix(e.err.Error(), "nr5g: ")
}

func (e *fieldError) Unwrap() error { return e.err }

func fieldErr(field string, err error) error { return &fieldError{field, err} }

// RbCount returns the number of resource blocks (see the function RbCount).
func (c PhyConfig) RbCount() (int, error) { return RbCount(c.BandwidthHz, c.Numerology, c.RbOverhead) }

// RbgCount returns the number of resource-block groups, RBs / NumRbPerRbg
// truncated (NrGnbMac::DoConfigureMac, m_bandwidthInRbg).
func (c PhyConfig) RbgCount() (int, error) {
	rbs, err := c.RbCount()
	if err != nil {
		return 0, err
	}
	if c.NumRbPerRbg < 1 {
		return 0, fmt.Errorf("nr5g: PhyConfig.NumRbPerRbg %d must be positive", c.NumRbPerRbg)
	}
	return rbs / c.NumRbPerRbg, nil
}

// SlotDuration returns the slot period of the numerology.
func (c PhyConfig) SlotDuration() sim.Time { return c.Numerology.SlotDuration() }

// SymbolDuration returns the OFDM symbol period (slot period / symbols
// per slot, truncated to the nanosecond as in 5G-LENA).
func (c PhyConfig) SymbolDuration() sim.Time { return c.Numerology.SymbolDuration(c.SymbolsPerSlot) }

// Timings returns the pattern's scheduling offsets as NrGnbPhy::SetTddPattern
// computes them: with N0 = 0 (5G-LENA ignores N0Delay there), N1Delay,
// N2Delay and L1L2CtrlLatency.
func (c PhyConfig) Timings() (TddTimings, error) {
	return c.Pattern.Timings(0, c.N1Delay, c.N2Delay, c.L1L2CtrlLatency)
}

// SlotSymbols returns how a slot of type t divides its symbols in the
// default NrMacSchedulerNs3 layout: DL control symbols first (if the slot
// has DL), UL control symbols last (if it has UL control), SRS symbols just
// before them when srs is true and the slot type may carry SRS, and the rest
// for data. dataStart and dataLen give the data symbols; whether they carry
// DL or UL data is the scheduler's choice in an F slot.
func (c PhyConfig) SlotSymbols(t SlotType, srs bool) (dlCtrl, dataStart, dataLen, srsSymbols, ulCtrl int) {
	if t.HasDl() {
		dlCtrl = c.DlCtrlSymbols
	}
	if t.HasUlCtrl() {
		ulCtrl = c.UlCtrlSymbols
	}
	if srs && ((t == SlotF && c.SrsInFSlots) || (t == SlotUL && c.SrsInUlSlots)) {
		srsSymbols = c.SrsSymbols
	}
	dataStart = dlCtrl
	dataLen = max(0, c.SymbolsPerSlot-dlCtrl-ulCtrl-srsSymbols)
	return dlCtrl, dataStart, dataLen, srsSymbols, ulCtrl
}
