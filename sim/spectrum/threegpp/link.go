package threegpp

import (
	"math"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/mobility"
)

// cacheSize is the number of beam pairs a Link keeps gains for: a gNB that
// serves several UEs in turn switches beams slot by slot, and its
// interfering links then alternate between a few pairs.
const cacheSize = 4

// gainEntry is the long term and per-RB gains of one pair of beams.
type gainEntry struct {
	valid        bool
	gen          uint64 // the link state's matrix generation
	sBeam, uBeam *antenna.Beam
	sGen, uGen   uint64
	lt           []complex128 // per page
	gains        []float64    // per RB
	gainsValid   bool
	moving       bool
	at           sim.Time
	vS, vU       mobility.Vector
}

// Link is the per-link object of a directed link (transmitter, receiver)
// that a Channel's LinkModel keeps in the medium: the binding to the
// pair's channel and the per-RB gains for the beams in use. Read it
// through Delivery.Link, or bind one yourself with Channel.Bind.
type Link struct {
	ch           *Channel
	st           *linkState // nil without fast fading
	reverse      bool       // the transmitter is the parameters' b end
	txID, rxID   int
	txArr, rxArr *antenna.Array
	txMob, rxMob mobility.Model
	// without fast fading: the directions of the direct path and the
	// element field product along it
	txDir, rxDir antenna.Angles
	field        float64
	cache        [cacheSize]gainEntry
	next         int
}

// invalidate forgets the cached gains (the binding changed).
func (l *Link) invalidate() {
	for i := range l.cache {
		l.cache[i].valid = false
	}
}

// Tx and Rx return the endpoint ids of the link.
func (l *Link) Tx() int { return l.txID }

// Rx returns the receiver's endpoint id.
func (l *Link) Rx() int { return l.rxID }

// DrawnFromTx reports whether the pair's TR 38.901 parameters were drawn
// in this link's direction (its transmitter at the departure end, as the
// first caller of ns-3's ThreeGppChannelModel::GetChannel is) rather than
// in the reverse link's. It is true without fast fading (no parameters).
func (l *Link) DrawnFromTx() bool { return !l.reverse }

// velocity returns m's velocity at now (zero for a nil model).
func velocity(m mobility.Model, now sim.Time) mobility.Vector {
	if m == nil {
		return mobility.Vector{}
	}
	return m.Velocity(now)
}

// RBGains returns the power gain of each resource block of the channel's
// grid for the beams the transmitter's and receiver's arrays use now:
// |Σ_p LT_p·exp(-j·2π·f_rb·τ_p)·D_p|², with LT_p = w_rxᵀ·H_p·w_tx the
// long-term gain of cluster (page) p (ns-3's CalcLongTerm) and D_p its
// Doppler rotation at time now (CalcBeamformingGain, GenSpectrumChannelMatrix).
// Multiply them by the medium's scalar received power (pathloss and
// shadowing) per RB. Without fast fading every RB has the same gain (see
// the package documentation).
//
// The gains are computed once per channel draw and pair of beams, and
// reused while neither changes; a moving endpoint makes them depend on
// time (Doppler), and they are then recomputed per call from the cached
// long terms (a multiply-add per RB and cluster). The slice belongs to the
// link and is valid until the next call; RBGains allocates nothing once a
// pair of beams has been seen. It returns nil for a Link never bound.
func (l *Link) RBGains(now sim.Time) []float64 {
	if l.ch == nil {
		return nil
	}
	e := l.entry()
	if e == nil {
		return nil
	}
	if l.st == nil {
		return e.gains
	}
	vS, vU := velocity(l.txMob, now), velocity(l.rxMob, now)
	if l.reverse {
		vS, vU = vU, vS
	}
	moving := vS != (mobility.Vector{}) || vU != (mobility.Vector{})
	if e.gainsValid && e.moving == moving && (!moving || (e.at == now && e.vS == vS && e.vU == vU)) {
		return e.gains
	}
	l.computeGains(e, now, vS, vU, moving)
	return e.gains
}

// entry returns the cache entry of the current beams, computing its long
// term if it is missing.
func (l *Link) entry() *gainEntry {
	sArr, uArr := l.txArr, l.rxArr
	if l.st != nil {
		sArr, uArr = l.st.arrS, l.st.arrU
	}
	if sArr == nil || uArr == nil {
		return nil
	}
	sb, ub := sArr.Beam(), uArr.Beam()
	var gen uint64
	if l.st != nil {
		gen = l.st.gen
	}
	for i := range l.cache {
		e := &l.cache[i]
		if e.valid && e.gen == gen && e.sBeam == sb && e.uBeam == ub && e.sGen == sb.Generation() && e.uGen == ub.Generation() {
			return e
		}
	}
	e := &l.cache[l.next]
	l.next = (l.next + 1) % cacheSize
	e.valid, e.gen, e.sBeam, e.uBeam, e.sGen, e.uGen = true, gen, sb, ub, sb.Generation(), ub.Generation()
	e.gainsValid = false
	n := l.ch.cfg.Grid.NumRBs
	e.gains = resizeF(e.gains, n)
	l.ch.stats.LongTerms++
	if l.st == nil {
		// The direct path through both arrays' beams and elements.
		af := l.txArr.ArrayFactor(l.txArr.Beam().Weights(), l.txDir) * l.rxArr.ArrayFactor(l.rxArr.Beam().Weights(), l.rxDir)
		g := cmplxAbs2(af) * l.field * l.field
		for r := range e.gains {
			e.gains[r] = g
		}
		e.gainsValid = true
		l.ch.stats.Gains++
		return e
	}
	e.lt = longTerm(e.lt, &l.st.m, sb.Weights(), ub.Weights())
	return e
}

// longTerm stores in dst and returns LT_p = Σ_u wU[u]·Σ_s H[p][u][s]·wS[s]
// for every page p, ns-3's CalculateLongTermComponent for one port.
// Weights of the wrong length give zeros.
func longTerm(dst []complex128, m *channelMatrix, wS, wU []complex128) []complex128 {
	dst = resizeC(dst, m.pages)
	clear(dst)
	if len(wS) != m.ns || len(wU) != m.nu {
		return dst
	}
	for p := range m.pages {
		var sum complex128
		for u := range m.nu {
			row := m.h[m.at(p, u, 0) : m.at(p, u, 0)+m.ns]
			var rs complex128
			for s, h := range row {
				rs += h * wS[s]
			}
			sum += wU[u] * rs
		}
		dst[p] = sum
	}
	return dst
}

// dopplerPhase returns the Doppler rotation of page p at time now for the
// velocities of the parameters' a (vS) and b (vU) ends, as
// CalcBeamformingGain: 2π·t·f/c·(r̂_rx·v_rx + r̂_tx·v_tx) with each end's
// cluster direction (arrival at b, departure at a) and its own velocity.
func (st *linkState) dopplerPhase(p int, factor float64, vS, vU mobility.Vector) complex128 {
	ra, rd := st.p.arrival[p], st.p.departure[p]
	return expj(factor * ((ra.X*vU.X + ra.Y*vU.Y + ra.Z*vU.Z) + (rd.X*vS.X + rd.Y*vS.Y + rd.Z*vS.Z)))
}

// computeGains fills e.gains from its long term, the delay phases and the
// Doppler rotations at now.
func (l *Link) computeGains(e *gainEntry, now sim.Time, vS, vU mobility.Vector, moving bool) {
	st := l.st
	pages := st.m.pages
	var dop [32]complex128
	d := dop[:0]
	if pages > len(dop) {
		d = make([]complex128, 0, pages)
	}
	factor := 2 * math.Pi * now.Seconds() * l.ch.cfg.Grid.CenterHz / speedOfLight
	for p := range pages {
		lt := e.lt[p]
		if moving {
			lt *= st.dopplerPhase(p, factor, vS, vU)
		}
		d = append(d, lt)
	}
	for r := range e.gains {
		ph := st.delayPh[r*pages : (r+1)*pages]
		var sum complex128
		for p, x := range d {
			sum += x * ph[p]
		}
		e.gains[r] = cmplxAbs2(sum)
	}
	e.gainsValid, e.moving, e.at, e.vS, e.vU = true, moving, now, vS, vU
	l.ch.stats.Gains++
}
