package mmwave

import (
	"math"
	"slices"
)

// effMemo remembers, for the SINR vector of one link, the effective SINR
// of a first transmission at each MCS: a static channel repeats the vector
// transport block after transport block, and the 278 exponentials of
// SinrEff need not be computed again. The results are bit for bit those
// computed afresh.
type effMemo struct {
	sinr []float64
	vals []float64 // per MCS, NaN until computed
}

// update keeps the memo if sinr is the vector it holds, else resets it.
func (m *effMemo) update(sinr []float64) {
	if len(m.vals) > 0 && slices.Equal(m.sinr, sinr) {
		return
	}
	m.sinr = append(m.sinr[:0], sinr...)
	for i := range m.vals {
		m.vals[i] = math.NaN()
	}
}

// eff returns sinrEff(sinr, beta(mcs)), computing it once per vector.
func (m *effMemo) eff(em *eesm, mcs int, sinr []float64) float64 {
	if n := em.tab.MaxMcs() + 1; len(m.vals) != n {
		m.vals = make([]float64, n)
		for i := range m.vals {
			m.vals[i] = math.NaN()
		}
	}
	if v := m.vals[mcs]; !math.IsNaN(v) {
		return v
	}
	v := sinrEff(sinr, em.tab.Beta(mcs))
	m.vals[mcs] = v
	return v
}

// bsrLevels is BufferSizeLevelBsrTable (ns3-mmwave mmwave-mac-scheduler.h
// and ns-3 lte-common.cc): the upper bound in bytes of each of the 64 BSR
// levels.
var bsrLevels = [64]uint32{
	0, 10, 12, 14, 17, 19, 22, 26, 31, 36, 42, 49, 57,
	67, 78, 91, 107, 125, 146, 171, 200, 234, 274, 321, 376, 440,
	515, 603, 706, 826, 967, 1132, 1326, 1552, 1817, 2127, 2490, 2915, 3413,
	3995, 4677, 5476, 6411, 7505, 8787, 10287, 12043, 14099, 16507, 19325, 22624, 26487,
	31009, 36304, 42502, 49759, 58255, 68201, 79846, 93749, 109439, 128125, 150000, 150000,
}

// bsrLevel is BufferSize2BsrId: the first level not below bytes (63 above
// the table).
func bsrLevel(bytes uint32) uint8 {
	if bsrLevels[63] < bytes {
		return 63
	}
	i := 0
	for bsrLevels[i] < bytes {
		i++
	}
	return uint8(i)
}
