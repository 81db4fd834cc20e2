// Package fastlog is a table base-2 logarithm for the hot paths that need
// a logarithm only to decide (a bound of a received power, the rounding
// of an SNR to a table's steps) and fall back to math's own near a
// decision's boundary.
package fastlog

import "math"

// Log2 returns log2(x) within 3e-10 for a positive normal x: the binary
// exponent, plus log2 of the mantissa m in [1, 2) as log2(c) + log2(1+r),
// c = 1 + j/64 the table point below m and r = m/c - 1 in [0, 1/64), the
// latter a degree-4 series (truncation below 3e-10). Other inputs give
// meaningless results: callers check their range first. TestLog2 holds it
// to math.Log2.
func Log2(x float64) float64 {
	b := math.Float64bits(x)
	e := float64(int64(b>>52&0x7ff) - 1023)
	mb := b&(1<<52-1) | 1023<<52
	j := mb >> 46 & 63
	r := (math.Float64frombits(mb) - points.c[j]) * points.inv[j]
	return e + points.log2c[j] + r*(1-r*(1.0/2-r*(1.0/3-r*(1.0/4))))*(1/math.Ln2)
}

// points holds, for Log2, the points c = 1 + j/64, their inverses and
// their base-2 logarithms.
var points = func() (t struct{ c, inv, log2c [64]float64 }) {
	for j := range 64 {
		c := 1 + float64(j)/64
		t.c[j], t.inv[j], t.log2c[j] = c, 1/c, math.Log2(c)
	}
	return t
}()
