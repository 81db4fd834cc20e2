package nr5g

import "fmt"

// EesmTable is read-only access to the tables of an EESM error model
// (5G-LENA's NrEesmT1 or NrEesmT2: beta, code rates, modulation orders,
// spectral efficiencies and CTTC's BLER-SINR curves) together with the
// LDPC steps that select a curve (base graph, code-block segmentation),
// for radios that combine them with their own arithmetic. ns3-mmwave v7.0's
// MmWaveEesmT1 and MmWaveEesmT2 (src/mmwave/model/error-model) carry the
// very same numbers as 5G-LENA's nr-eesm-t1.cc and nr-eesm-t2.cc (checked
// value by value with nr5g/internal/gentables), so package mmwave reads
// them here and applies ns3-mmwave's own effective-SINR and HARQ
// combining. The zero EesmTable is unusable; get one from EesmTableFor.
type EesmTable struct{ t *eesmTables }

// LDPC base graphs of TS 38.212 7.2.2, as EesmTable.BaseGraph returns them.
const (
	// LdpcBaseGraph1 is base graph 1 (large blocks, high code rates).
	LdpcBaseGraph1 = ldpcBG1
	// LdpcBaseGraph2 is base graph 2.
	LdpcBaseGraph2 = ldpcBG2
)

// EesmTableFor returns the tables of an EESM model type: table 1 for
// EesmIrT1 and EesmCcT1, table 2 for EesmIrT2 and EesmCcT2. The LTE-MI
// model has no EESM table.
func EesmTableFor(t ErrorModelType) (EesmTable, error) {
	switch t {
	case EesmIrT1, EesmCcT1:
		return EesmTable{eesmTablesT1}, nil
	case EesmIrT2, EesmCcT2:
		return EesmTable{eesmTablesT2}, nil
	}
	return EesmTable{}, fmt.Errorf("nr5g: %v has no EESM table (want an NrEesm model)", t)
}

func (e EesmTable) model() *eesmModel { return &eesmModel{t: e.t} }

// Name returns "T1" or "T2".
func (e EesmTable) Name() string { return e.t.name }

// MaxMcs returns the largest MCS index (28 for table 1, 27 for table 2).
func (e EesmTable) MaxMcs() int { return len(e.t.ecr) - 1 }

// Beta returns the EESM calibration factor of mcs (BetaTable); 0 out of
// range.
func (e EesmTable) Beta(mcs int) float64 {
	if mcs < 0 || mcs >= len(e.t.beta) {
		return 0
	}
	return e.t.beta[mcs]
}

// EffectiveCodeRate returns the code rate of mcs (McsEcrTable, two
// decimals); 0 out of range.
func (e EesmTable) EffectiveCodeRate(mcs int) float64 { return e.model().EffectiveCodeRate(mcs) }

// Qm returns the bits per modulation symbol of mcs (McsMTable); 0 out of
// range.
func (e EesmTable) Qm(mcs int) int { return e.model().Qm(mcs) }

// SpectralEfficiencyForMcs returns the spectral efficiency of mcs; 0 out
// of range.
func (e EesmTable) SpectralEfficiencyForMcs(mcs int) float64 {
	return e.model().SpectralEfficiencyForMcs(mcs)
}

// SpectralEfficiencyForCqi returns the spectral efficiency of CQI cqi
// (0..15); 0 out of range.
func (e EesmTable) SpectralEfficiencyForCqi(cqi int) float64 {
	return e.model().SpectralEfficiencyForCqi(cqi)
}

// BaseGraph is GetBaseGraphType: LdpcBaseGraph2 if bits <= 292, the code
// rate of mcs is at most 0.25, or bits <= 3824 and the rate is at most
// 0.67; LdpcBaseGraph1 otherwise. mcs must be in range.
func (e EesmTable) BaseGraph(bits uint32, mcs int) int { return e.model().baseGraph(bits, mcs) }

// CodeBlockSegmentation is CodeBlockSegmentation of TS 38.212 5.2.2: the
// code-block size K in bits and the number of code blocks C for a block of
// b bits (payload plus the 24-bit transport-block CRC) on base graph bg.
func (e EesmTable) CodeBlockSegmentation(b uint32, bg int) (k, c uint32) { return ldpcSegment(b, bg) }

// MaxCbSize is GetMaxCbSize: the largest code block in bytes for a
// transport block of tbBytes bytes at mcs (1056 on base graph 1, 480 on
// base graph 2); 0 for an MCS out of range.
func (e EesmTable) MaxCbSize(tbBytes uint32, mcs int) uint32 {
	return e.model().MaxCbSize(tbBytes, mcs)
}

// BlerAt is MappingSinrBler: the code-block error rate at the linear SINR
// sinr for mcs and code blocks of cbBits bits, a step lookup in CTTC's
// curves (1 below a curve, 0 above it). mcs must be in range.
func (e EesmTable) BlerAt(sinr float64, mcs int, cbBits uint32) float64 {
	return e.model().mappingSinrBler(sinr, mcs, cbBits)
}
