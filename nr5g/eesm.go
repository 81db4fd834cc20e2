package nr5g

import (
	"math"
	"sort"
)

// The EESM models follow 5G-LENA's NrEesmErrorModel
// (model/nr-eesm-error-model.cc) with its HARQ variants NrEesmIr
// (nr-eesm-ir.cc) and NrEesmCc (nr-eesm-cc.cc) and its tables NrEesmT1 and
// NrEesmT2 (nr-eesm-t1.cc, nr-eesm-t2.cc): the exponential effective SINR
// of the allocation, SINReff = -beta * ln(mean exp(-SINR/beta)) with beta
// per MCS, selects a BLER from CTTC's LDPC link-level curves per base graph,
// MCS and code-block size (a step lookup, no interpolation). The tables are
// generated from those files (zz_eesm_*_tables.go).

// blerCurve is one BLER-SINR curve: the BLER at each SINR in dB, for code
// blocks of cbs bits.
type blerCurve struct {
	cbs    uint32
	sinrDb []float64
	bler   []float64
}

// eesmTables is one MCS table's data (NrEesmT1 or NrEesmT2).
type eesmTables struct {
	name   string
	beta   []float64
	ecr    []float64
	qm     []uint8
	seMcs  []float64
	seCqi  []float64
	curves [2][][]blerCurve // [base graph 1/2][MCS] curves by ascending cbs
}

// LDPC base graphs (NrEesmErrorModel::GraphType).
const (
	ldpcBG1 = 0
	ldpcBG2 = 1
)

type eesmModel struct {
	typ ErrorModelType
	t   *eesmTables
	ir  bool
}

func (m *eesmModel) Type() ErrorModelType { return m.typ }

func (m *eesmModel) MaxMcs() int { return len(m.t.ecr) - 1 }

func (m *eesmModel) Qm(mcs int) int {
	if mcs < 0 || mcs >= len(m.t.qm) {
		return 0
	}
	return int(m.t.qm[mcs])
}

func (m *eesmModel) EffectiveCodeRate(mcs int) float64 {
	if mcs < 0 || mcs >= len(m.t.ecr) {
		return 0
	}
	return m.t.ecr[mcs]
}

func (m *eesmModel) SpectralEfficiencyForMcs(mcs int) float64 {
	if mcs < 0 || mcs >= len(m.t.seMcs) {
		return 0
	}
	return m.t.seMcs[mcs]
}

func (m *eesmModel) SpectralEfficiencyForCqi(cqi int) float64 {
	if cqi < 0 || cqi >= len(m.t.seCqi) {
		return 0
	}
	return m.t.seCqi[cqi]
}

// PayloadSize is NrEesmErrorModel::GetPayloadSize.
func (m *eesmModel) PayloadSize(usefulSc uint32, mcs, rank int, rbNum uint32) uint32 {
	if mcs < 0 || mcs > m.MaxMcs() || rank < 0 {
		return 0
	}
	return payloadBytes(usefulSc, rbNum, uint32(m.t.qm[mcs]), m.t.ecr[mcs], rank)
}

// MaxCbSize is NrEesmErrorModel::GetMaxCbSize: the largest lifting size
// times 22 (base graph 1) or 10 (base graph 2) bits, in bytes.
func (m *eesmModel) MaxCbSize(tbBytes uint32, mcs int) uint32 {
	if mcs < 0 || mcs > m.MaxMcs() {
		return 0
	}
	zMax := uint32(ldpcLiftingSizes[len(ldpcLiftingSizes)-1])
	if m.baseGraph(tbBytes*8, mcs) == ldpcBG1 {
		return zMax * 22 / 8
	}
	return zMax * 10 / 8
}

// baseGraph is NrEesmErrorModel::GetBaseGraphType, the LDPC base graph
// selection of TS 38.212 7.2.2 on the payload size A in bits and the code
// rate of the MCS: base graph 2 if A <= 292, R <= 0.25, or A <= 3824 and
// R <= 0.67; base graph 1 otherwise.
func (m *eesmModel) baseGraph(bits uint32, mcs int) int {
	ecr := m.t.ecr[mcs]
	if bits <= 292 || ecr <= 0.25 || (bits <= 3824 && ecr <= 0.67) {
		return ldpcBG2
	}
	return ldpcBG1
}

// ldpcSegment is NrEesmErrorModel::CodeBlockSegmentation (TS 38.212
// 5.2.2) of B bits (payload plus transport-block CRC): the code-block size
// K in bits and the number of code blocks C.
func ldpcSegment(b uint32, bg int) (k, c uint32) {
	var kcb, kb uint32
	if bg == ldpcBG1 {
		kcb, kb = 8448, 22
	} else {
		kcb = 3840
		switch {
		case b >= 640:
			kb = 10
		case b >= 560:
			kb = 9
		case b >= 192:
			kb = 8
		default:
			kb = 6
		}
	}
	var b1 uint32
	if b <= kcb {
		c, b1 = 1, b
	} else {
		const l = 24
		c = uint32(math.Ceil(float64(b) / float64(kcb-l)))
		b1 = b + c*l
	}
	k1 := b1 / c
	// Zc = smallest lifting size with Kb*Zc > K1 (searching all but the
	// last entry, which is the fallback, as std::upper_bound over
	// [begin, end-1)).
	target := float64(k1)/float64(kb) + 0.001
	sizes := ldpcLiftingSizes[:len(ldpcLiftingSizes)-1]
	i := sort.Search(len(sizes), func(i int) bool { return float64(sizes[i]) > target })
	zc := uint32(ldpcLiftingSizes[i])
	if bg == ldpcBG1 {
		return zc * 22, c
	}
	return zc * 10, c
}

// sinrExpSum is NrEesmErrorModel::SinrExp: sum over the used RBs of
// exp(-SINR/beta), with 5G-LENA's fast exponential.
func sinrExpSum(sinr []float64, rbs []int, n int, beta float64) float64 {
	sum := 0.0
	for j := range n {
		sum += fastExp(-rbAt(sinr, rbs, j) / beta)
	}
	return sum
}

// sinrEff is the closing step of NrEesmErrorModel::SinrEff:
// max(0, -beta * ln((a + expSum) / b)).
func sinrEff(expSum, a, b, beta float64) float64 {
	return math.Max(-beta*math.Log((a+expSum)/b), 0)
}

// mappingSinrBler is NrEesmErrorModel::MappingSinrBler: the code-block
// error rate at linear SINR sinr for MCS mcs and code blocks of cbBits
// bits. The curve is that of the largest simulated code-block size not
// above cbBits (the smallest if all are above), in the base graph that
// GetBaseGraphType picks for cbBits (5G-LENA passes the code-block size
// there, not the transport-block size); the BLER is the entry at the
// largest tabulated SINR not above the SINR in dB, 1 below the curve and 0
// above it.
func (m *eesmModel) mappingSinrBler(sinr float64, mcs int, cbBits uint32) float64 {
	sinrDb := 10 * math.Log10(sinr)
	curves := m.t.curves[m.baseGraph(cbBits, mcs)][mcs]
	ci := sort.Search(len(curves), func(i int) bool { return curves[i].cbs > cbBits })
	if ci > 0 {
		ci--
	}
	cv := &curves[ci]
	if sinrDb < cv.sinrDb[0] {
		return 1
	}
	if sinrDb > cv.sinrDb[len(cv.sinrDb)-1] {
		return 0
	}
	si := sort.Search(len(cv.sinrDb), func(i int) bool { return cv.sinrDb[i] > sinrDb })
	if si > 0 {
		si--
	}
	return cv.bler[si]
}

// mcsEqIR is NrEesmIr::GetMcsEq: the MCS index lowered by the number of
// lower MCSs of the same modulation whose code rate exceeds reff.
func (m *eesmModel) mcsEqIR(mcs int, reff float64) int {
	eq := mcs
	qm := m.t.qm[mcs]
	for i := mcs - 1; i >= 0; i-- {
		if m.t.qm[i] == qm && m.t.ecr[i] > reff {
			eq--
		}
	}
	return eq
}

// TbDecodingStats is NrEesmErrorModel::GetTbDecodificationStats with the
// combining of NrEesmIr::ComputeSINR (incremental redundancy: the
// exponential sums of all transmissions over all their RBs, and an
// equivalent MCS for the combined code rate) or NrEesmCc::ComputeSINR
// (chase combining: SINRs added RB by RB, the i-th used RB of each
// transmission with the i-th of the others, shorter allocations wrapping
// around; the MCS is kept).
func (m *eesmModel) TbDecodingStats(sinr []float64, rbs []int, tbBytes uint32, mcs int, hist *HarqHistory) (TxRecord, error) {
	n, err := checkTb(sinr, rbs, tbBytes, mcs, m.MaxMcs(), hist)
	if err != nil {
		return TxRecord{}, err
	}
	sizeBit := tbBytes * 8
	beta := m.t.beta[mcs]
	ecr := m.t.ecr[mcs]
	expSum := sinrExpSum(sinr, rbs, n, beta)
	eff := sinrEff(expSum, 0, float64(n), beta)
	reff := 0.0
	if hist.Len() > 0 {
		if m.ir {
			var codeBitsSum uint32
			mapSum := 0.0
			infoBits := hist.recs[0].InfoBits
			for i := range hist.recs {
				codeBitsSum += hist.recs[i].CodeBits
				mapSum += float64(hist.recs[i].NumRBs)
			}
			mapSum += float64(n)
			codeBitsSum = uint32(float64(codeBitsSum) + float64(sizeBit)/ecr)
			reff = float64(infoBits) / float64(codeBitsSum)
			eff = sinrEff(expSum, hist.recs[len(hist.recs)-1].SinrExp, mapSum, beta)
		} else {
			eff = m.chaseCombined(sinr, rbs, n, beta, hist)
		}
	}
	bg := m.baseGraph(sizeBit, mcs)
	k, c := ldpcSegment(sizeBit+24, bg)
	mcsEq := mcs
	if hist.Len() > 0 && mcs > 0 && m.ir {
		mcsEq = m.mcsEqIR(mcs, reff)
	}
	var tbler float64
	if c != 1 {
		cbler := m.mappingSinrBler(eff, mcsEq, k)
		tbler = 1 - math.Pow(1-cbler, float64(c))
	} else {
		tbler = m.mappingSinrBler(eff, mcsEq, k)
	}
	cum := expSum
	if hist.Len() > 0 {
		cum = hist.recs[len(hist.recs)-1].SinrExp + expSum
	}
	return TxRecord{
		TBLER:      tbler,
		InfoBits:   sizeBit,
		CodeBits:   uint32(float64(sizeBit) / ecr),
		NumRBs:     n,
		CodeBlocks: int(c),
		CbSize:     k,
		SinrEff:    eff,
		SinrExp:    cum,
		McsEq:      mcsEq,
	}, nil
}

// chaseCombined is NrEesmCc::ComputeSINR without its temporary vectors: the
// j-th combined SINR, j < the largest allocation, is the sum over the
// earlier transmissions and this one of the SINR of their (j mod size)-th
// used RB, added in transmission order.
func (m *eesmModel) chaseCombined(sinr []float64, rbs []int, n int, beta float64, hist *HarqHistory) float64 {
	maxRB := n
	for i := range hist.recs {
		maxRB = max(maxRB, hist.recs[i].sinrLen)
	}
	sum := 0.0
	for j := range maxRB {
		s := 0.0
		for i := range hist.recs {
			if used := hist.usedSinr(i); len(used) > 0 {
				s += used[j%len(used)]
			}
		}
		s += rbAt(sinr, rbs, j%n)
		sum += fastExp(-s / beta)
	}
	return sinrEff(sum, 0, float64(maxRB), beta)
}
