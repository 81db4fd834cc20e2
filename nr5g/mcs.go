package nr5g

import "fmt"

// McsEntry is one row of an MCS index table of TS 38.214 5.1.3.1: the
// modulation order Qm and the target code rate R times 1024.
type McsEntry struct {
	Qm     int
	RX1024 float64
}

// SpectralEfficiency returns Qm * R, in bit/s/Hz per layer.
func (e McsEntry) SpectralEfficiency() float64 { return float64(e.Qm) * e.RX1024 / 1024 }

// McsTable names an MCS index table of TS 38.214 for PDSCH (and PUSCH
// without transform precoding).
type McsTable uint8

// The MCS tables of TS 38.214 5.1.3.1 that 5G-LENA's EESM models are
// calibrated for (NrEesmT1, NrEesmT2).
const (
	// McsTable1 is Table 5.1.3.1-1 (64QAM), MCS 0..28.
	McsTable1 McsTable = 1
	// McsTable2 is Table 5.1.3.1-2 (256QAM), MCS 0..27.
	McsTable2 McsTable = 2
)

// TS 38.214 V15 Table 5.1.3.1-1, MCS index table 1 for PDSCH, MCS 0..28
// (29..31 are reserved for retransmissions).
var mcsTable1 = [...]McsEntry{
	{2, 120}, {2, 157}, {2, 193}, {2, 251}, {2, 308}, {2, 379}, {2, 449}, {2, 526}, {2, 602}, {2, 679},
	{4, 340}, {4, 378}, {4, 434}, {4, 490}, {4, 553}, {4, 616}, {4, 658},
	{6, 438}, {6, 466}, {6, 517}, {6, 567}, {6, 616}, {6, 666}, {6, 719}, {6, 772}, {6, 822}, {6, 873}, {6, 910}, {6, 948},
}

// TS 38.214 V15 Table 5.1.3.1-2, MCS index table 2 for PDSCH, MCS 0..27
// (28..31 are reserved for retransmissions).
var mcsTable2 = [...]McsEntry{
	{2, 120}, {2, 193}, {2, 308}, {2, 449}, {2, 602},
	{4, 378}, {4, 434}, {4, 490}, {4, 553}, {4, 616}, {4, 658},
	{6, 466}, {6, 517}, {6, 567}, {6, 616}, {6, 666}, {6, 719}, {6, 772}, {6, 822}, {6, 873},
	{8, 682.5}, {8, 711}, {8, 754}, {8, 797}, {8, 841}, {8, 885}, {8, 916.5}, {8, 948},
}

// Len returns the number of MCS indices with a code rate (29 or 28).
func (t McsTable) Len() int {
	switch t {
	case McsTable1:
		return len(mcsTable1)
	case McsTable2:
		return len(mcsTable2)
	}
	return 0
}

// Entry returns the row of MCS index mcs.
func (t McsTable) Entry(mcs int) (McsEntry, error) {
	if mcs < 0 || mcs >= t.Len() {
		if t.Len() == 0 {
			return McsEntry{}, fmt.Errorf("nr5g: unknown MCS table %d", uint8(t))
		}
		return McsEntry{}, fmt.Errorf("nr5g: MCS %d out of range [0, %d] of MCS table %d", mcs, t.Len()-1, uint8(t))
	}
	if t == McsTable1 {
		return mcsTable1[mcs], nil
	}
	return mcsTable2[mcs], nil
}

// McsTableOf returns the TS 38.214 MCS table an error model is calibrated
// for: McsTable1 for the T1 EESM models, McsTable2 for the T2 ones, and
// false for the LTE-MI model, whose MCSs are LTE's (TS 36.213 Table
// 7.1.7.1-1 as 5G-LENA reduces it to 29 code rates, see
// ErrorModel.EffectiveCodeRate).
func McsTableOf(t ErrorModelType) (McsTable, bool) {
	switch t {
	case EesmIrT1, EesmCcT1:
		return McsTable1, true
	case EesmIrT2, EesmCcT2:
		return McsTable2, true
	}
	return 0, false
}
