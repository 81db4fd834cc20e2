package nr5g

import (
	"fmt"
	"math"
)

// AmcModel selects how NrAmc turns SINR into CQI and MCS.
type AmcModel uint8

// The AMC models of 5G-LENA (NrAmc::AmcModel).
const (
	// AmcErrorModel picks the highest MCS whose TBLER, by the error model,
	// is at most 0.1 (5G-LENA's default).
	AmcErrorModel AmcModel = iota
	// AmcShannon maps the mean Shannon spectral efficiency, with a BER
	// target gap, to CQI and MCS ("very conservative" in 5G-LENA's words).
	AmcShannon
)

// String returns 5G-LENA's attribute value name ("ErrorModel", "ShannonModel").
func (m AmcModel) String() string {
	switch m {
	case AmcErrorModel:
		return "ErrorModel"
	case AmcShannon:
		return "ShannonModel"
	}
	return fmt.Sprintf("AmcModel(%d)", uint8(m))
}

// Defaults of NrAmc (nr-amc.cc, nr-amc.h).
const (
	// DefaultNumRefScPerRb is NrAmc's NumRefScPerRb: subcarriers per RB
	// carrying reference signals, left out of the payload.
	DefaultNumRefScPerRb = 1
	// TbCrcBytes is NrAmc's m_crcLen: the 24-bit CRC of a transport block
	// and of each code block of a segmented one.
	TbCrcBytes = 3
	// TargetTbler is the TBLER the error-model AMC keeps below.
	TargetTbler = 0.1
	// MaxCqi is the largest CQI index.
	MaxCqi = 15
)

// AmcConfig configures an Amc, with NrAmc's attributes.
type AmcConfig struct {
	// Model is NrAmc's AmcModel (default AmcErrorModel).
	Model AmcModel
	// ErrorModel is NrAmc's ErrorModelType (default LteMi); it must match
	// the receiving PHY's, so that both refer to the same MCS table.
	ErrorModel ErrorModelType
	// NumRefScPerRb is NrAmc's NumRefScPerRb, 0..12 (default 1).
	NumRefScPerRb int
}

// DefaultAmcConfig returns NrAmc's defaults: error-model AMC with
// NrLteMiErrorModel and one reference subcarrier per RB.
func DefaultAmcConfig() AmcConfig {
	return AmcConfig{Model: AmcErrorModel, ErrorModel: LteMi, NumRefScPerRb: DefaultNumRefScPerRb}
}

// Validate reports a configuration error.
func (c AmcConfig) Validate() error {
	if c.Model > AmcShannon {
		return fmt.Errorf("nr5g: AmcConfig.Model %d unknown (want AmcErrorModel or AmcShannon)", uint8(c.Model))
	}
	if int(c.ErrorModel) >= len(errorModelNames) {
		return fmt.Errorf("nr5g: AmcConfig.ErrorModel %d unknown", uint8(c.ErrorModel))
	}
	if c.NumRefScPerRb < 0 || c.NumRefScPerRb > 12 {
		return fmt.Errorf("nr5g: AmcConfig.NumRefScPerRb %d out of range [0, 12]", c.NumRefScPerRb)
	}
	return nil
}

// Amc is 5G-LENA's adaptive modulation and coding (NrAmc, nr-amc.cc):
// transport block sizes, CQI and MCS from measured SINR, and the
// CQI/MCS/spectral-efficiency mappings of its error model. An Amc keeps a
// scratch RB map, so it belongs to one goroutine (one scheduler or PHY).
type Amc struct {
	cfg   AmcConfig
	em    ErrorModel
	rbMap []int
}

// NewAmc returns an Amc for cfg.
func NewAmc(cfg AmcConfig) (*Amc, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	em, err := NewErrorModel(cfg.ErrorModel)
	if err != nil {
		return nil, err
	}
	return &Amc{cfg: cfg, em: em}, nil
}

// Config returns the configuration the Amc was built with.
func (a *Amc) Config() AmcConfig { return a.cfg }

// ErrorModel returns the Amc's error model.
func (a *Amc) ErrorModel() ErrorModel { return a.em }

// MaxMcs returns the error model's largest MCS.
func (a *Amc) MaxMcs() int { return a.em.MaxMcs() }

// PayloadSize is NrAmc::GetPayloadSize: the bytes, CRC included, that
// nRbSym resource blocks of one symbol each carry at mcs and rank, with
// 12 - NumRefScPerRb data subcarriers per RB.
func (a *Amc) PayloadSize(mcs, rank int, nRbSym uint32) uint32 {
	return a.em.PayloadSize(uint32(SubcarriersPerRb-a.cfg.NumRefScPerRb), mcs, rank, nRbSym)
}

// CalculateTbSize is NrAmc::CalculateTbSize, bit-exact: the transport
// block size in bytes for mcs, rank layers and nRbSym resource blocks
// counted once per OFDM symbol (a scheduler passes RBs x symbols):
//
//	payload = floor((12 - NumRefScPerRb) * nRbSym * Qm * ECR * rank / 8)
//	TBS     = payload - 3                      (transport-block CRC)
//	TBS     = payload - 3 * C  if payload - 3 > max code block,
//	          C = (payload - 3) / max code block (an integer division in
//	          5G-LENA, so a floor, not a ceiling)
//
// where the maximum code block is the error model's MaxCbSize (768 bytes
// for LTE-MI, 1056 or 480 for EESM by base graph). A payload below 3 bytes
// is returned whole.
func (a *Amc) CalculateTbSize(mcs, rank int, nRbSym uint32) (uint32, error) {
	if mcs < 0 || mcs > a.em.MaxMcs() {
		return 0, fmt.Errorf("nr5g: MCS %d out of range [0, %d] of %v", mcs, a.em.MaxMcs(), a.em.Type())
	}
	if rank < 1 || rank > 8 {
		return 0, fmt.Errorf("nr5g: rank %d out of range [1, 8]", rank)
	}
	payload := a.PayloadSize(mcs, rank, nRbSym)
	tb := payload
	if payload >= TbCrcBytes {
		tb = payload - TbCrcBytes
	}
	if cb := a.em.MaxCbSize(payload, mcs); tb > cb {
		c := tb / cb
		tb = payload - c*TbCrcBytes
	}
	return tb, nil
}

// Ber is NrAmc::GetBer, the target bit error rate of the Shannon model:
// 5e-5 with the LTE-MI error model, 1e-5 with the NR (EESM) ones.
func (a *Amc) Ber() float64 {
	if a.cfg.ErrorModel == LteMi {
		return 0.00005
	}
	return 0.00001
}

// SpectralEfficiencyForSinr is NrAmc::GetSpectralEfficiencyForSinr:
// log2(1 + sinr / (-ln(5*BER)/1.5)) for a linear SINR.
func (a *Amc) SpectralEfficiencyForSinr(sinr float64) float64 {
	return math.Log2(1 + sinr/((-math.Log(5.0*a.Ber()))/1.5))
}

// SinrFromSpectralEfficiency is NrAmc::GetSinrFromSpectralEfficiency, the
// inverse: (2^se - 1) * -ln(5*BER)/1.5.
func (a *Amc) SinrFromSpectralEfficiency(se float64) float64 {
	return (math.Pow(2, se) - 1) * (-math.Log(5.0 * a.Ber())) / 1.5
}

// CqiFromSpectralEfficiency is NrAmc::GetCqiFromSpectralEfficiency: the
// largest CQI whose spectral efficiency is below s (strictly; CQI 0 if
// none), a negative s giving 0.
func (a *Amc) CqiFromSpectralEfficiency(s float64) int {
	cqi := 0
	for cqi < MaxCqi && a.em.SpectralEfficiencyForCqi(cqi+1) < s {
		cqi++
	}
	return cqi
}

// McsFromSpectralEfficiency is NrAmc::GetMcsFromSpectralEfficiency: the
// largest MCS whose spectral efficiency is below s (strictly; MCS 0 if none).
func (a *Amc) McsFromSpectralEfficiency(s float64) int {
	mcs := 0
	for mcs < a.em.MaxMcs() && a.em.SpectralEfficiencyForMcs(mcs+1) < s {
		mcs++
	}
	return mcs
}

// McsFromCqi is NrAmc::GetMcsFromCqi, how the gNB turns a reported DL CQI
// into the DL MCS (NrMacSchedulerCQIManagement::DlCqiReported): the largest
// MCS whose spectral efficiency does not exceed the CQI's.
func (a *Amc) McsFromCqi(cqi int) (int, error) {
	if cqi < 0 || cqi > MaxCqi {
		return 0, fmt.Errorf("nr5g: CQI %d out of range [0, %d]", cqi, MaxCqi)
	}
	se := a.em.SpectralEfficiencyForCqi(cqi)
	mcs := 0
	for mcs < a.em.MaxMcs() && a.em.SpectralEfficiencyForMcs(mcs+1) <= se {
		mcs++
	}
	return mcs, nil
}

// CqiFromMcs is NrAmc::GetWbCqiFromMcs: 0 for MCS 0, 15 for the largest
// MCS, else the largest CQI whose spectral efficiency does not exceed the
// MCS's.
func (a *Amc) CqiFromMcs(mcs int) int {
	switch {
	case mcs <= 0:
		return 0
	case mcs >= a.em.MaxMcs():
		return MaxCqi
	}
	return a.cqiAtMost(a.em.SpectralEfficiencyForMcs(mcs))
}

func (a *Amc) cqiAtMost(s float64) int {
	cqi := 0
	for cqi < MaxCqi && a.em.SpectralEfficiencyForCqi(cqi+1) <= s {
		cqi++
	}
	return cqi
}

// CqiFeedback is NrAmc::CreateCqiFeedbackSiso, what a UE reports as
// wideband DL CQI (NrUePhy::CreateDlCqiFeedbackMessage) and what the gNB
// uses to set the UL MCS (NrMacSchedulerCQIManagement::UlSBCQIReported).
// sinr is the linear SINR per RB of the bandwidth part; RBs with SINR 0
// carry no signal and are left out.
//
// With AmcErrorModel it tries MCS 0, 1, ... and keeps the last one before
// the first whose TBLER exceeds 0.1, each evaluated for a first
// transmission of the transport block CalculateTbSize gives for rank 1 and
// one resource block per RB with signal: 5G-LENA sizes this test block as
// one OFDM symbol over the used RBs. The CQI is 15 if every MCS passes, 0 if
// the MCS is 0 and the last TBLER tried exceeded 0.1 (so also when MCS 0
// passes but MCS 1 fails, as in 5G-LENA), else the largest CQI whose
// spectral efficiency does not exceed the MCS's.
//
// With AmcShannon the spectral efficiency of each RB with signal is
// averaged and mapped to CQI and MCS by CqiFromSpectralEfficiency and
// McsFromSpectralEfficiency.
//
// If no RB carries signal, CQI and MCS are 0.
func (a *Amc) CqiFeedback(sinr []float64) (cqi, mcs int, err error) {
	if a.cfg.Model == AmcShannon {
		se, n := 0.0, 0
		for _, s := range sinr {
			if s != 0 {
				se += a.SpectralEfficiencyForSinr(s)
				n++
			}
		}
		if n != 0 {
			se /= float64(n)
		}
		return a.CqiFromSpectralEfficiency(se), a.McsFromSpectralEfficiency(se), nil
	}
	a.rbMap = a.rbMap[:0]
	for i, s := range sinr {
		if s != 0 {
			a.rbMap = append(a.rbMap, i)
		}
	}
	if len(a.rbMap) == 0 {
		return 0, 0, nil
	}
	maxMcs := a.em.MaxMcs()
	var tbler float64
	for mcs = 0; mcs <= maxMcs; mcs++ {
		tb, err := a.CalculateTbSize(mcs, 1, uint32(len(a.rbMap)))
		if err != nil {
			return 0, 0, err
		}
		r, err := a.em.TbDecodingStats(sinr, a.rbMap, tb, mcs, nil)
		if err != nil {
			return 0, 0, err
		}
		tbler = r.TBLER
		if tbler > TargetTbler {
			break
		}
	}
	if mcs > 0 {
		mcs--
	}
	switch {
	case tbler > TargetTbler && mcs == 0:
		cqi = 0
	case mcs == maxMcs:
		cqi = MaxCqi
	default:
		cqi = a.cqiAtMost(a.em.SpectralEfficiencyForMcs(mcs))
	}
	return cqi, mcs, nil
}
