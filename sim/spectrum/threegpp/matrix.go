package threegpp

import (
	"math"

	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/propagation"
)

// speedOfLight is the c ns-3.45's channel model uses for the wavelength
// of the LOS ray and for Doppler (3e8 m/s, three-gpp-channel-model.cc and
// three-gpp-spectrum-propagation-loss-model.cc).
const speedOfLight = 3e8

// channelMatrix is the channel coefficients H[page][u][s] of a link for
// every pair of receive element u (the array at the parameters' b end) and
// transmit element s (at a): ns-3.45's ChannelMatrix::m_channel.
type channelMatrix struct {
	nu, ns, pages int
	h             []complex128 // (page*nu + u)*ns + s
	// scratch for generation
	pre        []complex128
	rxPh, txPh []complex128
	coef       []complex128
	colF, rowF []complex128
}

// planeWave stores in dst (NumElems long) exp(j·2π·r̂·loc_i) for the unit
// vector (x, y, z) at every element of a, from one complex exponential per
// column and per row of the array's lattice (GetNewChannel computes the
// same phase element by element).
func (c *channelMatrix) planeWave(dst []complex128, a *antenna.Array, x, y, z float64) {
	cfg := a.Config()
	col, row := a.Lattice()
	pc := 2 * math.Pi * (x*col.X + y*col.Y + z*col.Z)
	pr := 2 * math.Pi * (x*row.X + y*row.Y + z*row.Z)
	c.colF = resizeC(c.colF, cfg.Columns)
	c.rowF = resizeC(c.rowF, cfg.Rows)
	for k := range c.colF {
		c.colF[k] = expj(pc * float64(k))
	}
	for k := range c.rowF {
		c.rowF[k] = expj(pr * float64(k))
	}
	i := 0
	for _, rf := range c.rowF {
		for _, cf := range c.colF {
			dst[i] = rf * cf
			i++
		}
	}
}

// at returns the index of H[page][u][s].
func (c *channelMatrix) at(page, u, s int) int { return (page*c.nu+u)*c.ns + s }

// generate computes the coefficients for parameters p (step 11) with the
// transmit array sArr at p's a end and the receive array uArr at its b
// end, as ThreeGppChannelModel::GetNewChannel: per ray the element field
// patterns, the initial phases and the XPR (7.5-22), the phase of the
// ray's direction at each element, summed over the rays of a cluster
// (split into three sub-clusters for the two strongest, 7.5-28) and
// scaled by sqrt(P_n/M); for LOS, the direct ray (7.5-29) with the
// K-factor weighting (7.5-30). It reuses c's memory. freqHz sets the
// wavelength of the LOS ray's phase.
func (c *channelMatrix) generate(p *clusterParams, sArr, uArr *antenna.Array, freqHz float64, compat Compat) {
	nu, ns := uArr.NumElems(), sArr.NumElems()
	pages := p.pages()
	c.nu, c.ns, c.pages = nu, ns, pages
	n := pages * nu * ns
	if cap(c.h) >= n {
		c.h = c.h[:n]
		clear(c.h)
	} else {
		c.h = make([]complex128, n)
	}
	m := p.table.raysPerCluster
	c.pre = resizeC(c.pre, p.reduced*m)
	c.rxPh = resizeC(c.rxPh, nu)
	c.txPh = resizeC(c.txPh, ns)
	c.coef = resizeC(c.coef, nu)

	// The ray terms that do not depend on the elements: initial phases,
	// field patterns and XPR (GetNewChannel's raysPreComp).
	for x := range p.reduced * m {
		rxPhi, rxTheta := uArr.FieldPattern(antenna.NewAngles(p.rayAoa[x], p.rayZoa[x]))
		txPhi, txTheta := sArr.FieldPattern(antenna.NewAngles(p.rayAod[x], p.rayZod[x]))
		ph := &p.phase[x]
		invK := math.Sqrt(1 / p.xpr[x])
		c.pre[x] = expj(ph[0])*complex(rxTheta*txTheta, 0) +
			expj(ph[1])*complex(invK*rxTheta*txPhi, 0) +
			expj(ph[2])*complex(invK*rxPhi*txTheta, 0) +
			expj(ph[3])*complex(rxPhi*txPhi, 0)
	}

	subAdded := 0
	for cl := range p.reduced {
		strong := cl == p.c1 || cl == p.c2
		scale := complex(math.Sqrt(p.power[cl]/float64(m)), 0)
		for j := range m {
			x := cl*m + j
			// Phases of the ray's direction at the elements (lambda is in
			// the element locations). ns-3.38 took cos instead of sin of
			// the azimuth in the y terms (fixed in ns-3.39, issue #919).
			sinZoa, cosZoa := math.Sincos(p.rayZoa[x])
			sinAoa, cosAoa := math.Sincos(p.rayAoa[x])
			sinZod, cosZod := math.Sincos(p.rayZod[x])
			sinAod, cosAod := math.Sincos(p.rayAod[x])
			if compat.RaySinCosBug {
				sinAoa, sinAod = cosAoa, cosAod
			}
			c.planeWave(c.rxPh, uArr, sinZoa*cosAoa, sinZoa*sinAoa, cosZoa)
			for u := range nu {
				c.coef[u] = c.pre[x] * c.rxPh[u] * scale
			}
			c.planeWave(c.txPh, sArr, sinZod*cosAod, sinZod*sinAod, cosZod)
			page := cl
			if strong {
				// 7.5-28 as ns-3 indexes the rays (0-based m): {9-12, 17,
				// 18} form the second sub-cluster, {13-16} the third, the
				// rest the first.
				switch {
				case (j >= 9 && j <= 12) || j == 17 || j == 18:
					page = p.reduced + subAdded
				case j >= 13 && j <= 16:
					page = p.reduced + subAdded + 1
				}
			}
			for u := range nu {
				row := c.h[c.at(page, u, 0) : c.at(page, u, 0)+ns]
				cu := c.coef[u]
				for s, t := range c.txPh {
					row[s] += cu * t
				}
			}
		}
		if strong {
			subAdded += 2
		}
	}

	if p.cond.Los != propagation.LOS {
		return
	}
	// The LOS ray (7.5-29) and the K-factor weighting (7.5-30).
	posS, posU := p.posA, p.posB
	dx, dy := posS.X-posU.X, posS.Y-posU.Y
	d2D := math.Sqrt(dx*dx + dy*dy)
	hUt, hBs := math.Min(posS.Z, posU.Z), math.Max(posS.Z, posU.Z)
	d3D := math.Sqrt(d2D*d2D + (hBs-hUt)*(hBs-hUt))
	lambda := speedOfLight / freqHz
	dist := expj(-2 * math.Pi * d3D / lambda)
	sAngle := antenna.DirectionTo(posS, posU)
	uAngle := antenna.DirectionTo(posU, posS)
	rxPhi, rxTheta := uArr.FieldPattern(uAngle)
	txPhi, txTheta := sArr.FieldPattern(sAngle)
	field := complex(rxTheta*txTheta-rxPhi*txPhi, 0) * dist
	sinUI, cosUI := math.Sincos(uAngle.Inclination)
	sinUA, cosUA := math.Sincos(uAngle.Azimuth)
	sinSI, cosSI := math.Sincos(sAngle.Inclination)
	sinSA, cosSA := math.Sincos(sAngle.Azimuth)
	kLin := math.Pow(10, p.kFactor/10)
	wNLOS := complex(math.Sqrt(1/(kLin+1)), 0)
	wLOS := complex(math.Sqrt(kLin/(1+kLin)), 0)
	c.planeWave(c.txPh, sArr, sinSI*cosSA, sinSI*sinSA, cosSI)
	c.planeWave(c.rxPh, uArr, sinUI*cosUA, sinUI*sinUA, cosUI)
	for u := range nu {
		rx := c.rxPh[u] * field
		for s := range ns {
			i0 := c.at(0, u, s)
			c.h[i0] = wNLOS*c.h[i0] + wLOS*rx*c.txPh[s]
			for pg := 1; pg < pages; pg++ {
				c.h[c.at(pg, u, s)] *= wNLOS
			}
		}
	}
}

// expj returns exp(j·x) = cos x + j·sin x.
func expj(x float64) complex128 {
	s, c := math.Sincos(x)
	return complex(c, s)
}

// resizeC returns s with length n, reusing its memory when it can.
func resizeC(s []complex128, n int) []complex128 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]complex128, n)
}
