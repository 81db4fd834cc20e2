package mmwave

import (
	"fmt"
	"math"
	"slices"

	"github.com/netgym/netgym/nr5g"
)

// crcBytes is MmWaveAmc's m_crcLen: the 24-bit CRC of a transport block
// and of each code block of a segmented one.
const crcBytes = 3

// numSymForCqi is MmWaveAmc's m_numSymForCqi: the error-model AMC sizes
// its test block as 12 OFDM symbols over the whole band (TS 38.214
// 5.2.2.5).
const numSymForCqi = 12

// targetTbler is the TBLER the error-model AMC keeps below.
const targetTbler = 0.1

// Amc is ns3-mmwave's MmWaveAmc (src/mmwave/model/mmwave-amc.cc): transport
// block sizes, the MCS of a CQI and the CQI of a SINR vector, for a
// carrier whose transport blocks span every RB (TDMA). It memoises the CQI
// feedback of the last SINR vector per caller slot, since a static channel
// gives the same vector slot after slot: the result is bit for bit the one
// computed again. An Amc belongs to one goroutine.
type Amc struct {
	em    *eesm
	model AmcModel
	ber   float64
	nRB   int
	// tbs[mcs][nSym] caches CalculateTbSize for every MCS and 0..14
	// symbols.
	tbs [][SymbolsPerSlot + 1]uint32
}

// NewAmc returns the AMC of a carrier with nRB resource blocks.
func NewAmc(t nr5g.ErrorModelType, model AmcModel, ber float64, nRB int) (*Amc, error) {
	em, err := newEesm(t)
	if err != nil {
		return nil, err
	}
	if nRB < 1 || nRB > maxRBs {
		return nil, fmt.Errorf("mmwave: NewAmc: %d RBs out of range [1, %d]", nRB, maxRBs)
	}
	a := &Amc{em: em, model: model, ber: ber, nRB: nRB}
	a.tbs = make([][SymbolsPerSlot + 1]uint32, em.tab.MaxMcs()+1)
	for mcs := range a.tbs {
		for sym := range a.tbs[mcs] {
			a.tbs[mcs][sym] = a.calcTbSize(mcs, sym)
		}
	}
	return a, nil
}

// MaxMcs returns the error model's largest MCS.
func (a *Amc) MaxMcs() int { return a.em.tab.MaxMcs() }

// PayloadSize is MmWaveAmc::GetPayloadSize: the bytes that nSym symbols
// over every RB carry at mcs, CRC included, floor(11 * nSym * nRB * Qm *
// ECR / 8) (MmWaveEesmErrorModel::GetPayloadSize with 12 - 1 data
// subcarriers per RB).
func (a *Amc) PayloadSize(mcs, nSym int) uint32 {
	re := uint32(SubcarriersPerRB-RefSubcarriersPerRB) * uint32(nSym*a.nRB)
	se := float64(re) * float64(a.em.tab.Qm(mcs)) * a.em.tab.EffectiveCodeRate(mcs)
	return uint32(math.Floor(se / 8))
}

// calcTbSize is MmWaveAmc::CalculateTbSize: the payload less the 3-byte
// transport-block CRC, and when that exceeds the largest code block
// (MaxCbSize: 1056 bytes on LDPC base graph 1, 480 on graph 2) the payload
// less 3 bytes per code block, C = ceil(tb / cb) computed on integers (a
// floor: ns3-mmwave divides two uint32 before its ceil).
func (a *Amc) calcTbSize(mcs, nSym int) uint32 {
	payload := a.PayloadSize(mcs, nSym)
	tb := payload
	if payload >= crcBytes {
		tb = payload - crcBytes
	}
	if cb := a.em.tab.MaxCbSize(payload, mcs); tb > cb {
		c := tb / cb
		tb = payload - c*crcBytes
	}
	return tb
}

// TbSize returns CalculateTbSize(mcs, nSym) in bytes; 0 for an MCS or a
// symbol count out of range.
func (a *Amc) TbSize(mcs, nSym int) uint32 {
	if mcs < 0 || mcs >= len(a.tbs) || nSym < 0 || nSym > SymbolsPerSlot {
		return 0
	}
	return a.tbs[mcs][nSym]
}

// McsFromCqi is MmWaveAmc::GetMcsFromCqi: the largest MCS whose spectral
// efficiency does not exceed CQI cqi's.
func (a *Amc) McsFromCqi(cqi int) int {
	se := a.em.tab.SpectralEfficiencyForCqi(cqi)
	mcs := 0
	for mcs < a.MaxMcs() && a.em.tab.SpectralEfficiencyForMcs(mcs+1) <= se {
		mcs++
	}
	return mcs
}

// cqiFromSe is GetCqiFromSpectralEfficiency (strictly below).
func (a *Amc) cqiFromSe(s float64) int {
	cqi := 0
	for cqi < 15 && a.em.tab.SpectralEfficiencyForCqi(cqi+1) < s {
		cqi++
	}
	return cqi
}

// mcsFromSe is GetMcsFromSpectralEfficiency (strictly below).
func (a *Amc) mcsFromSe(s float64) int {
	mcs := 0
	for mcs < a.MaxMcs() && a.em.tab.SpectralEfficiencyForMcs(mcs+1) < s {
		mcs++
	}
	return mcs
}

// CqiFeedback is MmWaveAmc::CreateCqiFeedbackWbTdma: the wideband CQI and
// MCS of a SINR vector (linear, one per RB; RBs with SINR 0 carry no
// signal). With AmcErrorModel it evaluates MCS 0, 1, ... on a first
// transmission of the 12-symbol block and keeps the MCS before the first
// whose TBLER exceeds 0.1; the CQI is 0 when even MCS 0 fails (and also,
// as in ns3-mmwave, when MCS 0 passes but MCS 1 fails), 15 when every MCS
// passes, else the largest CQI whose spectral efficiency does not exceed
// the MCS's. With AmcShannon it averages the per-RB Shannon spectral
// efficiencies with the BER target.
func (a *Amc) CqiFeedback(sinr []float64) (cqi, mcs int) {
	if a.model == AmcShannon {
		var seAvg, cqiAvg float64
		n := 0
		for _, s := range sinr {
			if s == 0 {
				continue
			}
			se := math.Log2(1 + s/((-math.Log(5.0*a.ber))/1.5))
			seAvg += se
			cqiAvg += float64(a.cqiFromSe(se))
			n++
		}
		seAvg /= float64(n)
		cqiAvg /= float64(n)
		return int(math.Ceil(cqiAvg)), a.mcsFromSe(seAvg)
	}
	// ns3-mmwave's TDMA: every RB carries signal, and the error model
	// sees the whole band.
	maxMcs := a.MaxMcs()
	var tbler float64
	for mcs = 0; mcs <= maxMcs; mcs++ {
		r := a.em.decode(sinr, a.TbSize(mcs, numSymForCqi), mcs, &noHistory, math.NaN())
		tbler = r.tbler
		if tbler > targetTbler {
			break
		}
	}
	if mcs > 0 {
		mcs--
	}
	switch {
	case tbler > targetTbler && mcs == 0:
		cqi = 0
	case mcs == maxMcs:
		cqi = 15
	default:
		s := a.em.tab.SpectralEfficiencyForMcs(mcs)
		for cqi < 15 && a.em.tab.SpectralEfficiencyForCqi(cqi+1) <= s {
			cqi++
		}
	}
	return cqi, mcs
}

// noHistory is the empty history of a first transmission (never written).
var noHistory harqHistory

// MinTbSizeNumSym is MmWaveFlexTtiMacScheduler::CalcMinTbSizeNumSym: the
// number of symbols (and their TB size) to carry bufSize bytes at mcs,
// found by ns3-mmwave's bisection over 0..14 symbols, quirks included (it
// may return one symbol more than the minimum, and 14 when even 14 are not
// enough).
func (a *Amc) MinTbSizeNumSym(mcs int, bufSize uint32) (nSym int, tbSize uint32) {
	low, high := 0, SymbolsPerSlot
	tb := a.TbSize(mcs, high)
	for tb > bufSize {
		diff := (high - low) / 2
		if diff == 0 {
			return high, a.TbSize(mcs, high)
		}
		tb = a.TbSize(mcs, high-diff)
		if tb >= bufSize {
			high -= diff
		}
		if tb == bufSize {
			return high, tb
		}
		for tb < bufSize {
			diff = (high - low) / 2
			if diff == 0 {
				return high, a.TbSize(mcs, high)
			}
			tb = a.TbSize(mcs, low+diff)
			if tb <= bufSize {
				low += diff
			}
			if tb == bufSize {
				return low, tb
			}
		}
	}
	return high, a.TbSize(mcs, high)
}

// cqiMemo remembers the CQI feedback of one SINR vector.
type cqiMemo struct {
	sinr     []float64
	cqi, mcs int
	valid    bool
}

// cqiMemo returns CqiFeedback(sinr), from m when sinr equals the vector m
// was computed for (a static channel repeats it slot after slot).
func (a *Amc) cqiMemo(m *cqiMemo, sinr []float64) (cqi, mcs int) {
	if m.valid && slices.Equal(m.sinr, sinr) {
		return m.cqi, m.mcs
	}
	m.cqi, m.mcs = a.CqiFeedback(sinr)
	m.sinr = append(m.sinr[:0], sinr...)
	m.valid = true
	return m.cqi, m.mcs
}
