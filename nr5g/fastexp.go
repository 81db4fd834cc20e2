package nr5g

import (
	"math"
)

// fastExp approximates exp(x) with a relative error below 0.173%, the way
// 5G-LENA's EESM error model does (model/fast-exp.h, exp21d, used by
// NrEesmErrorModel::SinrExp). It is the "exp21" scheme of L. Moroz,
// V. Samotyy, Z. Kokosinski and P. Gepner, "Simple multiple precision
// algorithms for exponential functions", IEEE Signal Processing Magazine
// 39(4):130-137, 2022: the integer part of x/ln2 goes straight into the
// exponent field of an IEEE-754 double and the fraction into its mantissa,
// and a second-degree polynomial evaluated in the mantissa's integer domain
// corrects it. The EESM curves were calibrated with 5G-LENA's code, and the
// effective SINR feeds a step lookup, so netgym uses the same approximation
// to pick the same BLER entries.
func fastExp(x float64) float64 {
	if x < -708 {
		return 0
	}
	if x > 709 {
		return math.Inf(1)
	}
	const (
		scale = 6497320848556798    // 2^52 / ln 2, rounded
		one   = 4607182418800017408 // bit pattern of 1.0
		c1    = 7.4871095977966e-17
		c2    = 8771752971182036
		c3    = 11827349474026
	)
	// Each product is rounded on its own (no fused multiply-add), as the
	// C++ evaluates it on x86-64.
	z := int64(float64(x*scale) + one)
	exponent := uint64(z) & 0xfff0000000000000
	frac := z & 0x000fffffffffffff
	d2 := float64(c1 * float64(c2+frac))
	d3 := float64(c3 + frac)
	m := int64(float64(d2 * d3))
	return math.Float64frombits(exponent | uint64(m))
}
