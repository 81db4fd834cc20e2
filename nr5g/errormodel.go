package nr5g

import (
	"fmt"
	"strings"
)

// ErrorModelType names one of 5G-LENA's transport-block error models
// (NrSpectrumPhy/NrAmc ErrorModelType).
type ErrorModelType uint8

// The error models. LteMi is 5G-LENA's default for both NrSpectrumPhy and
// NrAmc.
const (
	// LteMi is NrLteMiErrorModel: mutual-information based, with LTE's
	// turbo-code BLER curves, LTE's 29-entry MCS table and code-block
	// segmentation of TS 36.212, MI combining across HARQ transmissions.
	LteMi ErrorModelType = iota
	// EesmIrT1 is NrEesmIrT1: EESM with LDPC BLER curves for TS 38.214
	// MCS table 1 (up to 64QAM), incremental-redundancy HARQ.
	EesmIrT1
	// EesmIrT2 is NrEesmIrT2: as EesmIrT1 for MCS table 2 (up to 256QAM).
	EesmIrT2
	// EesmCcT1 is NrEesmCcT1: EESM, MCS table 1, chase-combining HARQ.
	EesmCcT1
	// EesmCcT2 is NrEesmCcT2: EESM, MCS table 2, chase-combining HARQ.
	EesmCcT2
)

var errorModelNames = [...]string{"NrLteMiErrorModel", "NrEesmIrT1", "NrEesmIrT2", "NrEesmCcT1", "NrEesmCcT2"}

// String returns 5G-LENA's class name of the model, e.g. "NrEesmIrT1".
func (t ErrorModelType) String() string {
	if int(t) < len(errorModelNames) {
		return errorModelNames[t]
	}
	return fmt.Sprintf("ErrorModelType(%d)", uint8(t))
}

// ParseErrorModelType accepts 5G-LENA's class names, with or without the
// "ns3::" prefix ("ns3::NrEesmIrT1", "NrLteMiErrorModel").
func ParseErrorModelType(s string) (ErrorModelType, error) {
	name := strings.TrimPrefix(s, "ns3::")
	for i, n := range errorModelNames {
		if n == name {
			return ErrorModelType(i), nil
		}
	}
	return 0, fmt.Errorf("nr5g: unknown error model %q (want one of %s)", s, strings.Join(errorModelNames[:], ", "))
}

// NewErrorModel returns a fresh model of type t. Models hold no mutable
// state: one value may serve any number of receivers of one simulation.
func NewErrorModel(t ErrorModelType) (ErrorModel, error) {
	switch t {
	case LteMi:
		return lteMiModel{}, nil
	case EesmIrT1:
		return &eesmModel{typ: t, t: eesmTablesT1, ir: true}, nil
	case EesmIrT2:
		return &eesmModel{typ: t, t: eesmTablesT2, ir: true}, nil
	case EesmCcT1:
		return &eesmModel{typ: t, t: eesmTablesT1}, nil
	case EesmCcT2:
		return &eesmModel{typ: t, t: eesmTablesT2}, nil
	}
	return nil, fmt.Errorf("nr5g: unknown error model type %d", uint8(t))
}

// ErrorModel gives the error probability of a transport block received
// with a known SINR per resource block, as 5G-LENA's NrErrorModel
// (nr-error-model.h). Implementations are stateless, allocate nothing and
// are safe for concurrent use.
type ErrorModel interface {
	// Type returns which model this is.
	Type() ErrorModelType
	// TbDecodingStats is NrErrorModel::GetTbDecodificationStats: the
	// transport block error rate of one transmission of tbBytes bytes at
	// MCS mcs over the resource blocks listed in rbs, where sinr[rb] is
	// the linear SINR of resource block rb (the slice spans the whole
	// bandwidth part; a nil rbs means every RB of sinr). hist holds the
	// earlier transmissions of the same transport block (nil or empty
	// for a first transmission). The returned record carries the TBLER
	// and what a retransmission needs: append it to the history with
	// HarqHistory.Add when the block is to be retransmitted. Errors: an
	// MCS out of range, no RB, an RB index outside sinr, and a
	// retransmission of a 0-byte block.
	TbDecodingStats(sinr []float64, rbs []int, tbBytes uint32, mcs int, hist *HarqHistory) (TxRecord, error)
	// MaxMcs returns the largest MCS index of the model's MCS table.
	MaxMcs() int
	// Qm returns the bits per modulation symbol of mcs (0 if out of range).
	Qm(mcs int) int
	// EffectiveCodeRate returns the model's code rate of mcs (its
	// McsEcrTable, rounded to two decimals as in 5G-LENA; 0 if out of range).
	EffectiveCodeRate(mcs int) float64
	// SpectralEfficiencyForMcs returns the model's spectral efficiency of
	// mcs in bit/s/Hz (0 if out of range).
	SpectralEfficiencyForMcs(mcs int) float64
	// SpectralEfficiencyForCqi returns the model's spectral efficiency of
	// CQI cqi (0..15; 0 if out of range).
	SpectralEfficiencyForCqi(cqi int) float64
	// PayloadSize is NrErrorModel::GetPayloadSize: the bytes carried by
	// rbNum resource blocks of one symbol each (time x frequency) with
	// usefulSc data subcarriers per RB, at mcs and rank layers,
	// floor(usefulSc*rbNum*Qm*ECR*rank/8), CRC included.
	PayloadSize(usefulSc uint32, mcs, rank int, rbNum uint32) uint32
	// MaxCbSize is NrErrorModel::GetMaxCbSize: the largest code block, in
	// bytes, for a transport block of tbBytes bytes at mcs.
	MaxCbSize(tbBytes uint32, mcs int) uint32
}

// TxRecord is what the error model reports for one transmission of a
// transport block (5G-LENA's NrLteMiErrorModelOutput and
// NrEesmErrorModelOutput), and what a later retransmission needs from it.
type TxRecord struct {
	// TBLER is the transport block error rate of this transmission, with
	// the earlier ones of the history combined in.
	TBLER float64
	// InfoBits is the transport block size in bits (m_infoBits).
	InfoBits uint32
	// CodeBits is InfoBits divided by the model's code rate of the MCS,
	// truncated (m_codeBits).
	CodeBits uint32
	// NumRBs is the number of resource blocks used.
	NumRBs int
	// CodeBlocks is the number of code blocks C of the segmentation.
	CodeBlocks int
	// CbSize is the code-block size K in bits whose curve was used (K+
	// for the LTE-MI model).
	CbSize uint32
	// MI is, for the LTE-MI model, the mean mutual information per RB of
	// this transmission (m_mi).
	MI float64
	// MITotal is, for the LTE-MI model, the mutual information after HARQ
	// combining that gave TBLER (m_miTotal).
	MITotal float64
	// EcrID is, for the LTE-MI model, the index of the BLER curve used
	// (an entry of BlerCurvesEcrMap).
	EcrID int
	// SinrEff is, for the EESM models, the effective SINR (linear) after
	// HARQ combining that gave TBLER (m_sinrEff).
	SinrEff float64
	// SinrExp is, for the EESM models, the sum of exp(-SINR/beta) over the
	// RBs of this and all earlier transmissions (m_sinrExp).
	SinrExp float64
	// McsEq is, for the EESM models, the MCS whose curves were used (after
	// IR combining, the MCS of the same modulation closest to the
	// effective code rate; otherwise the MCS itself).
	McsEq int

	sinrOff, sinrLen int // where HarqHistory keeps this transmission's SINRs
}

// Corrupted is NrSpectrumPhy's decision on a received transport block
// (NrSpectrumPhy::CheckTransportBlockCorruptionStatus): the block is corrupted when a uniform draw u
// in [0, 1) is at most its TBLER.
func (r TxRecord) Corrupted(u float64) bool { return u <= r.TBLER }

// HarqHistory holds the earlier transmissions of one transport block, as
// 5G-LENA's NrErrorModelHistory, in storage that the caller owns and reuses:
// after Reset, Add appends without allocating once the buffers have grown
// to the largest block seen. The chase-combining models need each
// transmission's SINR per used RB, which Add copies in.
type HarqHistory struct {
	recs  []TxRecord
	sinrs []float64
}

// Len returns the number of transmissions recorded.
func (h *HarqHistory) Len() int {
	if h == nil {
		return 0
	}
	return len(h.recs)
}

// Record returns the i-th transmission (0 is the first).
func (h *HarqHistory) Record(i int) TxRecord { return h.recs[i] }

// Reset empties the history, keeping its storage.
func (h *HarqHistory) Reset() {
	h.recs = h.recs[:0]
	h.sinrs = h.sinrs[:0]
}

// Add appends the record r of a transmission together with the SINRs of
// the RBs it used (sinr and rbs as given to TbDecodingStats; nil rbs means
// all of sinr). Indices out of the range of sinr are skipped.
func (h *HarqHistory) Add(r TxRecord, sinr []float64, rbs []int) {
	r.sinrOff = len(h.sinrs)
	if rbs == nil {
		h.sinrs = append(h.sinrs, sinr...)
	} else {
		for _, rb := range rbs {
			if rb >= 0 && rb < len(sinr) {
				h.sinrs = append(h.sinrs, sinr[rb])
			}
		}
	}
	r.sinrLen = len(h.sinrs) - r.sinrOff
	h.recs = append(h.recs, r)
}

// usedSinr returns the SINRs that Add stored for record i.
func (h *HarqHistory) usedSinr(i int) []float64 {
	r := &h.recs[i]
	return h.sinrs[r.sinrOff : r.sinrOff+r.sinrLen]
}

// checkTb validates the common arguments of TbDecodingStats and returns
// the number of RBs used.
func checkTb(sinr []float64, rbs []int, tbBytes uint32, mcs, maxMcs int, hist *HarqHistory) (int, error) {
	if mcs < 0 || mcs > maxMcs {
		return 0, fmt.Errorf("nr5g: MCS %d out of range [0, %d]", mcs, maxMcs)
	}
	if tbBytes > 1<<28 {
		return 0, fmt.Errorf("nr5g: transport block of %d bytes out of range [0, %d]", tbBytes, 1<<28)
	}
	if tbBytes == 0 && hist.Len() > 0 {
		// HARQ combining divides by the code bits, 0 here (5G-LENA would
		// return NaN).
		return 0, fmt.Errorf("nr5g: retransmission of an empty (0-byte) transport block")
	}
	if rbs == nil {
		if len(sinr) == 0 {
			return 0, fmt.Errorf("nr5g: no resource block (empty SINR vector)")
		}
		return len(sinr), nil
	}
	if len(rbs) == 0 {
		return 0, fmt.Errorf("nr5g: no resource block allocated (empty RB map)")
	}
	for _, rb := range rbs {
		if rb < 0 || rb >= len(sinr) {
			return 0, fmt.Errorf("nr5g: RB index %d out of range [0, %d)", rb, len(sinr))
		}
	}
	return len(rbs), nil
}

// rbAt returns the SINR of the j-th used RB.
func rbAt(sinr []float64, rbs []int, j int) float64 {
	if rbs == nil {
		return sinr[j]
	}
	return sinr[rbs[j]]
}
