package nr5g

import (
	"math"
	"sort"
)

// The LTE-MI model follows 5G-LENA's NrLteMiErrorModel
// (model/nr-lte-mi-error-model.cc), itself ns-3's LteMiErrorModel with HARQ
// combining: the SINR of each RB maps to a mutual information per symbol
// through the modulation's MI curve; their mean is the MI of the
// transmission; a Gaussian curve per effective code rate and code-block
// size (IEEE 802.16m EMD eq. 55) turns it into a code-block error rate; the
// transport block is lost if any of its code blocks is. The tables are
// generated from that file (zz_lte_mi_tables.go).

// Limits of the MCS ranges per modulation (MI_QPSK_MAX_ID etc.).
const (
	lteMiQpskMaxID  = 9
	lteMi16qamMaxID = 16
	lteMi64qamMaxID = 28
	lteMiMaxCb      = 6144 // largest code block, CRC included (TS 36.212 5.1.2 Z)
)

// Scaling from linear SINR to MI-map index, as the static consts of
// NrLteMiErrorModel::Mib: (SIZE-1) / (axis[last] - axis[0]). They are
// functions of constant tables, computed once.
var (
	lteMiScaleQpsk  = float64(len(lteMiMapQpskAxis)-1) / (lteMiMapQpskAxis[len(lteMiMapQpskAxis)-1] - lteMiMapQpskAxis[0])
	lteMiScale16qam = float64(len(lteMiMap16qamAxis)-1) / (lteMiMap16qamAxis[len(lteMiMap16qamAxis)-1] - lteMiMap16qamAxis[0])
	lteMiScale64qam = float64(len(lteMiMap64qamAxis)-1) / (lteMiMap64qamAxis[len(lteMiMap64qamAxis)-1] - lteMiMap64qamAxis[0])
)

type lteMiModel struct{}

func (lteMiModel) Type() ErrorModelType { return LteMi }

func (lteMiModel) MaxMcs() int { return lteMi64qamMaxID }

func (lteMiModel) Qm(mcs int) int {
	if mcs < 0 || mcs > lteMi64qamMaxID {
		return 0
	}
	return int(lteMiQm[mcs])
}

func (lteMiModel) EffectiveCodeRate(mcs int) float64 {
	if mcs < 0 || mcs > lteMi64qamMaxID {
		return 0
	}
	return lteMiMcsEcr[mcs]
}

func (lteMiModel) SpectralEfficiencyForMcs(mcs int) float64 {
	if mcs < 0 || mcs > lteMi64qamMaxID {
		return 0
	}
	return lteMiSeForMcs[mcs]
}

func (lteMiModel) SpectralEfficiencyForCqi(cqi int) float64 {
	if cqi < 0 || cqi > 15 {
		return 0
	}
	return lteMiSeForCqi[cqi]
}

// PayloadSize is NrLteMiErrorModel::GetPayloadSize.
func (m lteMiModel) PayloadSize(usefulSc uint32, mcs, rank int, rbNum uint32) uint32 {
	if mcs < 0 || mcs > lteMi64qamMaxID || rank < 0 {
		return 0
	}
	return payloadBytes(usefulSc, rbNum, uint32(lteMiQm[mcs]), lteMiMcsEcr[mcs], rank)
}

// MaxCbSize is NrLteMiErrorModel::GetMaxCbSize: 6144 bits, in bytes.
func (lteMiModel) MaxCbSize(uint32, int) uint32 { return lteMiMaxCb / 8 }

// payloadBytes evaluates GetPayloadSize's expression with its C++ types:
// usefulSc * rbNum * Qm in 32-bit unsigned arithmetic, then times the code
// rate and the rank in double, divided by 8 and truncated.
func payloadBytes(usefulSc, rbNum, qm uint32, ecr float64, rank int) uint32 {
	re := usefulSc * rbNum * qm
	return uint32(math.Floor(float64(re) * ecr * float64(rank) / 8))
}

// lteMiMib is NrLteMiErrorModel::Mib: the mean over the used RBs of the
// mutual information per symbol at each RB's SINR.
func lteMiMib(sinr []float64, rbs []int, n, mcs int) float64 {
	var (
		mi    []float64
		axis  []float64
		scale float64
	)
	switch {
	case mcs <= lteMiQpskMaxID:
		mi, axis, scale = lteMiMapQpsk[:], lteMiMapQpskAxis[:], lteMiScaleQpsk
	case mcs <= lteMi16qamMaxID:
		mi, axis, scale = lteMiMap16qam[:], lteMiMap16qamAxis[:], lteMiScale16qam
	default:
		mi, axis, scale = lteMiMap64qam[:], lteMiMap64qamAxis[:], lteMiScale64qam
	}
	last := axis[len(axis)-1]
	sum := 0.0
	for j := range n {
		s := rbAt(sinr, rbs, j)
		if s > last {
			sum++
			continue
		}
		// 5G-LENA indexes the uniformly spaced map at
		// floor((s - axis[0]) * scale + 1), clamped below at 0. At s equal to
		// the last axis point that is one past the end (an assertion in a
		// debug build of 5G-LENA); netgym takes the last entry.
		idx := math.Max(0, math.Floor((s-axis[0])*scale+1))
		i := int(idx)
		if i >= len(mi) {
			i = len(mi) - 1
		}
		sum += mi[i]
	}
	return sum / float64(n)
}

// lteMiMappingMiBler is NrLteMiErrorModel::MappingMiBler: the code-block
// error rate at mutual information mib for the curve ecrID and a code block
// of cbSize bits, 0.5*(1 - erf((mib - b)/(sqrt(2)*c))) with the b and c of
// the largest curve code-block size not above cbSize (or, where that curve
// does not exist, of the next larger one that does).
func lteMiMappingMiBler(mib float64, ecrID int, cbSize uint32) float64 {
	cbIndex := 1
	for cbIndex < len(lteMiCurveCbSizes) && uint32(lteMiCurveCbSizes[cbIndex]) <= cbSize {
		cbIndex++
	}
	cbIndex--
	b := lteMiB[cbIndex][ecrID]
	for i := cbIndex; i < len(lteMiB) && b < 0; i++ {
		b = lteMiB[i][ecrID]
	}
	c := lteMiC[cbIndex][ecrID]
	for i := cbIndex; i < len(lteMiC) && c < 0; i++ {
		c = lteMiC[i][ecrID]
	}
	return 0.5 * (1 - math.Erf((mib-b)/(math.Sqrt(2)*c)))
}

// lteMiSegment is the code-block segmentation of TS 36.212 5.1.2 as
// NrLteMiErrorModel::GetTbBitDecodificationStats computes it for B bits (no
// transport-block CRC added): C blocks, Cplus of Kplus bits and Cminus of
// Kminus bits.
func lteMiSegment(b uint32) (c, cPlus, kPlus, cMinus, kMinus uint32) {
	var b1 uint32
	if b <= lteMiMaxCb {
		c, b1 = 1, b
	} else {
		const l = 24
		c = uint32(math.Ceil(float64(b) / float64(lteMiMaxCb-l)))
		b1 = b + c*l
	}
	// K+ = smallest K of the table (its last entry excluded from the
	// search, as std::upper_bound over [begin, end-1)) greater than B1/C.
	target := float64(b1)/float64(c) + 0.001
	sizes := lteMiCbSizes[:len(lteMiCbSizes)-1]
	i := sort.Search(len(sizes), func(i int) bool { return float64(sizes[i]) > target })
	kPlus = uint32(lteMiCbSizes[i])
	if c == 1 {
		return 1, 1, kPlus, 0, 0
	}
	kMinus = kPlus
	if i > 0 {
		kMinus = uint32(lteMiCbSizes[i-1])
	}
	if dk := kPlus - kMinus; dk > 0 {
		cMinus = uint32(math.Floor((float64(c)*float64(kPlus) - float64(b1)) / float64(dk)))
	}
	return c, c - cMinus, kPlus, cMinus, kMinus
}

// TbDecodingStats is NrLteMiErrorModel::GetTbDecodificationStats.
func (lteMiModel) TbDecodingStats(sinr []float64, rbs []int, tbBytes uint32, mcs int, hist *HarqHistory) (TxRecord, error) {
	n, err := checkTb(sinr, rbs, tbBytes, mcs, lteMi64qamMaxID, hist)
	if err != nil {
		return TxRecord{}, err
	}
	size := tbBytes * 8
	ecr := lteMiMcsEcr[mcs]
	tbMi := lteMiMib(sinr, rbs, n, mcs)
	mi, reff := tbMi, 0.0
	if hist.Len() > 0 {
		// MI combining: the code-bit weighted mean of the transmissions'
		// MI, and the effective code rate info bits / all code bits. The
		// sums keep the C++ types (uint32 code bits, truncated on +=).
		var codeBitsSum uint32
		miSum := 0.0
		infoBits := hist.recs[0].InfoBits
		for i := range hist.recs {
			r := &hist.recs[i]
			codeBitsSum += r.CodeBits
			miSum += r.MI * float64(r.CodeBits)
		}
		codeBitsSum = uint32(float64(codeBitsSum) + float64(size)/ecr)
		miSum += tbMi * (float64(size) / ecr)
		reff = float64(infoBits) / float64(codeBitsSum)
		mi = miSum / float64(codeBitsSum)
	}
	c, cPlus, kPlus, cMinus, kMinus := lteMiSegment(size)

	var ecrID int
	if hist.Len() == 0 {
		ecrID = int(lteMiMcsEcrID[mcs])
	} else {
		// Closest curve at or below Reff among "the same modulation", as
		// 5G-LENA (and ns-3's LteMiErrorModel) searches it: downwards from
		// the ECR id equal to the modulation's highest MCS index (9, 16,
		// 28), stopping at 0, 10 and 17. These bounds mix MCS indices with
		// ECR ids, so the search window is not exactly the modulation's
		// curves; netgym keeps 5G-LENA's behaviour.
		top, bottom := lteMi64qamMaxID, lteMi16qamMaxID+1
		switch {
		case mcs <= lteMiQpskMaxID:
			top, bottom = lteMiQpskMaxID, 0
		case mcs <= lteMi16qamMaxID:
			top, bottom = lteMi16qamMaxID, lteMiQpskMaxID+1
		}
		ecrID = top
		for lteMiBlerCurvesEcr[ecrID] > reff && ecrID > bottom {
			ecrID--
		}
	}

	var tbler float64
	if c != 1 {
		ok := math.Pow(1-lteMiMappingMiBler(mi, ecrID, kPlus), float64(cPlus))
		ok *= math.Pow(1-lteMiMappingMiBler(mi, ecrID, kMinus), float64(cMinus))
		tbler = 1 - ok
	} else {
		tbler = lteMiMappingMiBler(mi, ecrID, kPlus)
	}
	return TxRecord{
		TBLER:      tbler,
		InfoBits:   size,
		CodeBits:   uint32(float64(size) / ecr),
		NumRBs:     n,
		CodeBlocks: int(c),
		CbSize:     kPlus,
		MI:         tbMi,
		MITotal:    mi,
		EcrID:      ecrID,
	}, nil
}
