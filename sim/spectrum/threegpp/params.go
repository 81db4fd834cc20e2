package threegpp

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
)

// Indices of the four angle families, ns-3's MatrixBasedChannelModel
// AOA_INDEX, ZOA_INDEX, AOD_INDEX, ZOD_INDEX.
const (
	aoaIdx = iota
	zoaIdx
	aodIdx
	zodIdx
)

// clusterParams is the small-scale parameters of a link, drawn in TR
// 38.901 7.5 steps 4 to 10: ns-3.45's ThreeGppChannelParams, as
// ThreeGppChannelModel::GenerateChannelParameters computes them. They are
// drawn for a direction, a (the transmitter, ns-3's s) to b (the receiver,
// u): arrival angles are b's, departure angles a's.
type clusterParams struct {
	generated sim.Time
	aID, bID  int
	posA      mobility.Vector
	posB      mobility.Vector
	cond      propagation.Condition
	table     lspTable

	// Large-scale parameters (step 4): delay spread (s), K-factor (dB;
	// 0 for NLOS), angle spreads (degrees, after ns-3's caps).
	ds, kFactor        float64
	asd, asa, zsd, zsa float64

	reduced int       // clusters kept after the -25 dB cut
	power   []float64 // normalised cluster powers (reduced)
	// delay and angle cover the reduced clusters followed by the
	// sub-clusters of the two strongest (2 or 4 entries): delays in
	// seconds, angles in degrees (aoaIdx..zodIdx).
	delay []float64
	angle [4][]float64
	// Ray angles (radians) after random coupling, and per ray the XPR and
	// the four initial phases; index n*rays + m.
	rayAoa, rayZoa, rayAod, rayZod []float64
	xpr                            []float64
	phase                          [][4]float64
	c1, c2                         int // strongest and second strongest cluster
	// Unit vectors of each page's arrival (at b) and departure (at a)
	// direction, for Doppler (ns-3's m_cachedAngleSincos).
	arrival, departure []mobility.Vector
}

// pages returns the number of channel-matrix pages: the clusters plus the
// sub-clusters of the strongest two (2 extra if they coincide).
func (p *clusterParams) pages() int {
	if p.c1 != p.c2 {
		return p.reduced + 4
	}
	return p.reduced + 2
}

// resizeF returns s with length n, reusing its memory when it can.
func resizeF(s []float64, n int) []float64 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]float64, n)
}

// uniformOpen returns a uniform draw in (0, 1] (ns-3's RngStream never
// returns 0, whose logarithm the delays take).
func uniformOpen(r *rand.Rand) float64 { return 1 - r.Float64() }

// wrapAngles is ThreeGppChannelModel::WrapAngles: the inclination is
// wrapped to [0, 2π) and, when above π, reduced by π with the azimuth
// turned by π; the azimuth is wrapped to [0, 2π).
func wrapAngles(az, incl float64) (float64, float64) {
	incl = antenna.WrapTo2Pi(incl)
	if incl > math.Pi {
		incl -= math.Pi
		az += math.Pi
	}
	return antenna.WrapTo2Pi(az), incl
}

// shuffle permutes s uniformly: ns-3.45's ns3::Shuffle (core/model/
// shuffle.h, Fisher-Yates from the first element, no swap when the drawn
// offset is 0), or with backward set ns-3.38's
// ThreeGppChannelModel::Shuffle (from the last element).
func shuffle(s []float64, r *rand.Rand, backward bool) {
	n := len(s)
	if backward {
		for i := n - 1; i > 0; i-- {
			j := r.IntN(i + 1)
			s[i], s[j] = s[j], s[i]
		}
		return
	}
	for first := 0; first < n-1; first++ {
		if i := r.IntN(n - first); i != 0 {
			s[first], s[first+i] = s[first+i], s[first]
		}
	}
}

// generate draws the link's parameters for the direction a -> b at time
// now, as GenerateChannelParameters: large-scale parameters with their
// cross-correlations (step 4), cluster delays (5) and powers (6) with the
// -25 dB cut, cluster angles with the LOS alignment (7), ray angles and
// their random coupling (8), cross-polarisation ratios and initial phases
// (9, 10), and the sub-clusters of the two strongest clusters (7.5-28).
// It reuses p's memory. Blockage (ns-3's Blockage, off by default) and
// the vehicular Doppler term (vScatt, 0 by default) are not modelled.
func (p *clusterParams) generate(t lspTable, cond propagation.Condition, aID, bID int, posA, posB mobility.Vector, now sim.Time, r *rand.Rand, compat Compat) {
	p.generated, p.aID, p.bID, p.posA, p.posB, p.cond, p.table = now, aID, bID, posA, posB, cond, t
	los := cond.Los == propagation.LOS

	// Step 4: correlated large-scale parameters.
	n := 6
	if los {
		n = 7
	}
	var indep, lsp [7]float64
	for i := range n {
		indep[i] = r.NormFloat64()
	}
	for row := range n {
		s := 0.0
		for col := range n {
			s += t.sqrtC[row][col] * indep[col]
		}
		lsp[row] = s
	}
	k := 0.0
	var ds, asd, asa, zsd, zsa float64
	if los {
		k = lsp[1]*t.sigK + t.uK
		ds = math.Pow(10, lsp[2]*t.sigLgDS+t.uLgDS)
		asd = math.Pow(10, lsp[3]*t.sigLgASD+t.uLgASD)
		asa = math.Pow(10, lsp[4]*t.sigLgASA+t.uLgASA)
		zsd = math.Pow(10, lsp[5]*t.sigLgZSD+t.uLgZSD)
		zsa = math.Pow(10, lsp[6]*t.sigLgZSA+t.uLgZSA)
	} else {
		ds = math.Pow(10, lsp[1]*t.sigLgDS+t.uLgDS)
		asd = math.Pow(10, lsp[2]*t.sigLgASD+t.uLgASD)
		asa = math.Pow(10, lsp[3]*t.sigLgASA+t.uLgASA)
		zsd = math.Pow(10, lsp[4]*t.sigLgZSD+t.uLgZSD)
		zsa = math.Pow(10, lsp[5]*t.sigLgZSA+t.uLgZSA)
	}
	asd, asa = math.Min(asd, 104), math.Min(asa, 104)
	zsd, zsa = math.Min(zsd, 52), math.Min(zsa, 52)
	p.ds, p.kFactor, p.asd, p.asa, p.zsd, p.zsa = ds, k, asd, asa, zsd, zsa

	// Step 5: delays (7.5-1, 7.5-2).
	nc := t.numClusters
	delay := resizeF(p.delay, nc)
	minTau := 100.0
	for i := range nc {
		tau := -t.rTau * ds * math.Log(uniformOpen(r))
		minTau = math.Min(minTau, tau)
		delay[i] = tau
	}
	for i := range delay {
		delay[i] -= minTau
	}
	slices.Sort(delay)

	// Step 6: powers (7.5-5, 7.5-6), and the powers the angles use
	// (7.5-8 with the LOS ray for LOS).
	power := resizeF(p.power, nc)
	sum := 0.0
	for i := range nc {
		pw := math.Exp(-delay[i]*(t.rTau-1)/t.rTau/ds) * math.Pow(10, -r.NormFloat64()*t.perClusterShadowingStd/10)
		sum += pw
		power[i] = pw
	}
	for i := range power {
		power[i] /= sum
	}
	var forAngles [24]float64
	pMax := 0.0
	kLin := math.Pow(10, k/10)
	for i := range nc {
		pa := power[i]
		if los {
			pa = power[i] / (1 + kLin)
			if i == 0 {
				pa += kLin / (1 + kLin)
			}
		}
		forAngles[i] = pa
		pMax = math.Max(pMax, pa)
	}
	// Remove the clusters 25 dB below the strongest (ns-3: 0.0032).
	kept := 0
	for i := range nc {
		if forAngles[i] < 0.0032*pMax {
			continue
		}
		forAngles[kept], power[kept], delay[kept] = forAngles[i], power[i], delay[i]
		kept++
	}
	p.reduced = kept
	power = power[:kept]
	delay = delay[:kept]
	if los {
		// 7.5-3, 7.5-4: the LOS delay scaling.
		cTau := 0.7705 - 0.0433*k + 2e-4*k*k + 17e-6*k*k*k
		for i := range delay {
			delay[i] /= cTau
		}
	}

	// Step 7: cluster angles.
	cPhi := cNLOSAzimuth(nc)
	cTheta := cNLOSZenith(nc)
	if los {
		cPhi *= 1.1035 - 0.028*k - 2e-3*k*k + 1e-4*k*k*k      // 7.5-10
		cTheta *= 1.3086 + 0.0339*k - 0.0077*k*k + 2e-4*k*k*k // 7.5-15
	}
	var ang [4][]float64
	for d := range ang {
		ang[d] = resizeF(p.angle[d], kept)
	}
	for i := range kept {
		logCalc := -math.Log(forAngles[i] / pMax)
		a := 2 * math.Sqrt(logCalc) / 1.4 / cPhi // 7.5-9
		ang[aoaIdx][i] = asa * a
		ang[aodIdx][i] = asd * a
		z := logCalc / cTheta // 7.5-14
		ang[zoaIdx][i] = zsa * z
		ang[zodIdx][i] = zsd * z
	}
	sAngle := antenna.DirectionTo(posA, posB) // departure at a
	uAngle := antenna.DirectionTo(posB, posA) // arrival at b
	uAz, uIncl := uAngle.Azimuth*antenna.RadToDeg, uAngle.Inclination*antenna.RadToDeg
	sAz, sIncl := sAngle.Azimuth*antenna.RadToDeg, sAngle.Inclination*antenna.RadToDeg
	for i := range kept {
		xn := 1.0
		if r.Float64() < 0.5 {
			xn = -1
		}
		ang[aoaIdx][i] = ang[aoaIdx][i]*xn + r.NormFloat64()*asa/7 + uAz // 7.5-11
		ang[aodIdx][i] = ang[aodIdx][i]*xn + r.NormFloat64()*asd/7 + sAz
		if cond.O2I {
			ang[zoaIdx][i] = ang[zoaIdx][i]*xn + r.NormFloat64()*zsa/7 + 90 // 7.5-16
		} else {
			ang[zoaIdx][i] = ang[zoaIdx][i]*xn + r.NormFloat64()*zsa/7 + uIncl
		}
		ang[zodIdx][i] = ang[zodIdx][i]*xn + r.NormFloat64()*zsd/7 + sIncl + t.offsetZOD // 7.5-19
	}
	if los {
		// 7.5-12, 7.5-17: the first cluster on the LOS direction.
		dAoa := ang[aoaIdx][0] - uAz
		dAod := ang[aodIdx][0] - sAz
		dZoa := ang[zoaIdx][0] - uIncl
		dZod := ang[zodIdx][0] - sIncl
		for i := range kept {
			ang[aoaIdx][i] -= dAoa
			ang[aodIdx][i] -= dAod
			ang[zoaIdx][i] -= dZoa
			ang[zodIdx][i] -= dZod
		}
	}
	for d := range ang {
		for i := range ang[d] {
			a := ang[d][i]
			for a > 360 {
				a -= 360
			}
			for a < 0 {
				a += 360
			}
			if (d == zoaIdx || d == zodIdx) && a > 180 {
				a = 360 - a
			}
			ang[d][i] = a
		}
	}

	// Step 8: ray angles (7.5-13, 7.5-18, 7.5-20) and random coupling.
	m := t.raysPerCluster
	p.rayAoa = resizeF(p.rayAoa, kept*m)
	p.rayZoa = resizeF(p.rayZoa, kept*m)
	p.rayAod = resizeF(p.rayAod, kept*m)
	p.rayZod = resizeF(p.rayZod, kept*m)
	zodSpread := 0.375 * math.Pow(10, t.uLgZSD)
	for i := range kept {
		for j := range m {
			x := i*m + j
			p.rayAoa[x], p.rayZoa[x] = wrapAngles((ang[aoaIdx][i]+t.cASA*rayOffsets[j])*antenna.DegToRad,
				(ang[zoaIdx][i]+t.cZSA*rayOffsets[j])*antenna.DegToRad)
			p.rayAod[x], p.rayZod[x] = wrapAngles((ang[aodIdx][i]+t.cASD*rayOffsets[j])*antenna.DegToRad,
				(ang[zodIdx][i]+zodSpread*rayOffsets[j])*antenna.DegToRad)
		}
	}
	for i := range kept {
		lo, hi := i*m, (i+1)*m
		shuffle(p.rayAod[lo:hi], r, compat.ReverseShuffle)
		shuffle(p.rayAoa[lo:hi], r, compat.ReverseShuffle)
		shuffle(p.rayZod[lo:hi], r, compat.ReverseShuffle)
		shuffle(p.rayZoa[lo:hi], r, compat.ReverseShuffle)
	}

	// Steps 9 and 10: cross-polarisation power ratios and initial phases.
	// ns-3.45 converts the table's mean and deviation (dB) to linear before
	// drawing, then converts the result from dB: 10^((N·σ_lin + µ_lin)/10).
	p.xpr = resizeF(p.xpr, kept*m)
	if cap(p.phase) >= kept*m {
		p.phase = p.phase[:kept*m]
	} else {
		p.phase = make([][4]float64, kept*m)
	}
	uXpr := math.Pow(10, t.uXpr/10)
	sigXpr := math.Pow(10, t.sigXpr/10)
	for x := range kept * m {
		p.xpr[x] = math.Pow(10, (r.NormFloat64()*sigXpr+uXpr)/10)
		for q := range 4 {
			p.phase[x][q] = -math.Pi + 2*math.Pi*r.Float64()
		}
	}

	// The two strongest clusters (by cluster power) and their
	// sub-clusters: delays +1.28 cDS and +2.56 cDS, same angles.
	c1, c2 := 0, 0
	best := 0.0
	for i, pw := range power {
		if best < pw {
			best, c1 = pw, i
		}
	}
	best = 0
	for i, pw := range power {
		if best < pw && i != c1 {
			best, c2 = pw, i
		}
	}
	p.c1, p.c2 = c1, c2
	sub := [2]int{c1, c2}
	if c1 > c2 {
		sub = [2]int{c2, c1}
	}
	nSub := 2
	if c1 != c2 {
		nSub = 4
	}
	delay = slices.Grow(delay, nSub)
	for d := range ang {
		ang[d] = slices.Grow(ang[d], nSub)
	}
	for s := range nSub / 2 {
		c := sub[s]
		if c1 == c2 {
			c = c1
		}
		delay = append(delay, delay[c]+1.28*t.cDS, delay[c]+2.56*t.cDS)
		for d := range ang {
			ang[d] = append(ang[d], ang[d][c], ang[d][c])
		}
	}
	p.power, p.delay, p.angle = power, delay, ang
	p.arrival = unitVectors(p.arrival, ang[aoaIdx], ang[zoaIdx])
	p.departure = unitVectors(p.departure, ang[aodIdx], ang[zodIdx])
}

// unitVectors stores in dst and returns the unit vectors of the directions
// (azimuth, zenith) in degrees.
func unitVectors(dst []mobility.Vector, az, zen []float64) []mobility.Vector {
	if cap(dst) >= len(az) {
		dst = dst[:len(az)]
	} else {
		dst = make([]mobility.Vector, len(az))
	}
	for i := range az {
		sinZ, cosZ := math.Sincos(zen[i] * antenna.DegToRad)
		sinA, cosA := math.Sincos(az[i] * antenna.DegToRad)
		dst[i] = mobility.Vector{X: sinZ * cosA, Y: sinZ * sinA, Z: cosZ}
	}
	return dst
}
