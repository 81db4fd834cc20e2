package mmwave

import (
	"math"

	"github.com/netgym/netgym/nr5g"
)

// The error models follow ns3-mmwave v7.0's MmWaveEesmErrorModel
// (src/mmwave/model/error-model/mmwave-eesm-error-model.cc) with its HARQ
// variants MmWaveEesmIr (mmwave-eesm-ir.cc) and MmWaveEesmCc
// (mmwave-eesm-cc.cc). The tables (beta, code rates, BLER curves) are
// 5G-LENA's, read through nr5g.EesmTable; the arithmetic is ns3-mmwave's,
// which differs from 5G-LENA's NrEesmErrorModel in three ways:
//
//   - the effective SINR uses the exact exponential and is not clamped at
//     0: SINReff = -beta * ln(mean exp(-SINR/beta)) (SinrEff);
//   - incremental-redundancy combining adds the previous transmission's
//     effective SINR (linear) to the SINR of every RB of the new one, and
//     takes the effective SINR of that sum (MmWaveEesmIr::ComputeSINR);
//     5G-LENA sums the exponentials instead;
//   - the equivalent MCS for the combined code rate uses the code bits of
//     every transmission, each floor(bits / ECR) (GetMcsEq with m_Reff).
//
// Chase combining is the same as 5G-LENA's: the SINRs of the i-th used RB
// of each transmission are added, shorter allocations wrapping around.

// txRecord is MmWaveEesmErrorModelOutput: what a transmission of a
// transport block leaves for the combining of later ones.
type txRecord struct {
	tbler    float64
	sinrEff  float64 // after combining
	infoBits uint32
	codeBits uint32
	mcs      int
	// chase combining keeps the SINR of every used RB (the whole band in
	// ns3-mmwave's TDMA: rbs is every RB)
	sinr []float64
}

// harqHistory is MmWaveErrorModelHistory for one HARQ process: the earlier
// transmissions of the block, in order. Its records and SINR slices are
// reused.
type harqHistory struct {
	recs []txRecord
}

func (h *harqHistory) reset() { h.recs = h.recs[:0] }

// add appends a record, copying sinr when keep is set (chase combining).
func (h *harqHistory) add(r txRecord, sinr []float64, keep bool) {
	if len(h.recs) < cap(h.recs) {
		h.recs = h.recs[:len(h.recs)+1]
	} else {
		h.recs = append(h.recs, txRecord{})
	}
	dst := &h.recs[len(h.recs)-1]
	buf := dst.sinr[:0]
	*dst = r
	if keep {
		dst.sinr = append(buf, sinr...)
	} else {
		dst.sinr = buf
	}
}

// eesm is one EESM error model: the tables and the combining.
type eesm struct {
	tab nr5g.EesmTable
	ir  bool // incremental redundancy (else chase combining)
	// scratch for chase combining
	sum []float64
}

func newEesm(t nr5g.ErrorModelType) (*eesm, error) {
	tab, err := nr5g.EesmTableFor(t)
	if err != nil {
		return nil, err
	}
	return &eesm{tab: tab, ir: t == nr5g.EesmIrT1 || t == nr5g.EesmIrT2}, nil
}

// sinrEff is MmWaveEesmErrorModel::SinrEff over every RB of sinr:
// -beta * ln(sum(exp(-sinr/beta)) / n), no clamp.
func sinrEff(sinr []float64, beta float64) float64 {
	sum := 0.0
	for _, s := range sinr {
		sum += math.Exp(-s / beta)
	}
	return -beta * math.Log(sum/float64(len(sinr)))
}

// expSum returns sum(exp(-sinr/beta)), the part of sinrEff worth caching.
func expSum(sinr []float64, beta float64) float64 {
	sum := 0.0
	for _, s := range sinr {
		sum += math.Exp(-s / beta)
	}
	return sum
}

// mcsEq is MmWaveEesmIr::GetMcsEq: mcs lowered by one for every lower MCS
// of the same modulation whose code rate exceeds reff.
func (e *eesm) mcsEq(mcs int, reff float64) int {
	eq := mcs
	qm := e.tab.Qm(mcs)
	for i := mcs - 1; i >= 0; i-- {
		if e.tab.Qm(i) == qm && e.tab.EffectiveCodeRate(i) > reff {
			eq--
		}
	}
	return eq
}

// decode is MmWaveEesmErrorModel::GetTbBitDecodificationStats for a
// transport block of tbBytes bytes at mcs over every RB of sinr (ns3-
// mmwave's TDMA allocates the whole band), with the process's earlier
// transmissions in hist. firstEff is the effective SINR of this
// transmission alone when the caller has it (a cache), or NaN.
func (e *eesm) decode(sinr []float64, tbBytes uint32, mcs int, hist *harqHistory, firstEff float64) txRecord {
	sizeBit := tbBytes * 8
	beta := e.tab.Beta(mcs)
	ecr := e.tab.EffectiveCodeRate(mcs)
	eff := firstEff
	if math.IsNaN(eff) {
		eff = sinrEff(sinr, beta)
	}
	mcsEq := mcs
	if n := len(hist.recs); n > 0 {
		if e.ir {
			// MmWaveEesmIr::ComputeSINR: every RB gains the previous
			// (combined) effective SINR.
			prev := hist.recs[n-1].sinrEff
			sum := 0.0
			for _, s := range sinr {
				sum += math.Exp(-(s + prev) / beta)
			}
			eff = -beta * math.Log(sum/float64(len(sinr)))
			var codeBits uint32
			for i := range hist.recs {
				codeBits += hist.recs[i].codeBits
			}
			codeBits += uint32(float64(sizeBit) / ecr)
			reff := float64(hist.recs[0].infoBits) / float64(codeBits)
			if mcs > 0 {
				mcsEq = e.mcsEq(mcs, reff)
			}
		} else {
			eff = e.chase(sinr, beta, hist)
		}
	}
	bg := e.tab.BaseGraph(sizeBit, mcs)
	k, c := e.tab.CodeBlockSegmentation(sizeBit+24, bg)
	var tbler float64
	if c != 1 {
		cbler := e.tab.BlerAt(eff, mcsEq, k)
		tbler = 1 - math.Pow(1-cbler, float64(c))
	} else {
		tbler = e.tab.BlerAt(eff, mcsEq, k)
	}
	return txRecord{tbler: tbler, sinrEff: eff, infoBits: sizeBit, codeBits: uint32(float64(sizeBit) / ecr), mcs: mcs}
}

// chase is MmWaveEesmCc::ComputeSINR: the i-th combined SINR, i below the
// longest allocation, is the sum of every transmission's (i mod its
// length)-th SINR, this one last; all allocations are the whole band here.
func (e *eesm) chase(sinr []float64, beta float64, hist *harqHistory) float64 {
	n := len(sinr)
	for i := range hist.recs {
		n = max(n, len(hist.recs[i].sinr))
	}
	if cap(e.sum) < n {
		e.sum = make([]float64, n)
	}
	sum := e.sum[:n]
	clear(sum)
	for i := range hist.recs {
		s := hist.recs[i].sinr
		if len(s) == 0 {
			continue
		}
		for j := range sum {
			sum[j] += s[j%len(s)]
		}
	}
	for j := range sum {
		sum[j] += sinr[j%len(sinr)]
	}
	return sinrEff(sum, beta)
}
