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
	e := float64(int64(b>>52) - 1023) // x > 0: no sign bit
	mb := b&(1<<52-1) | 1023<<52
	p := &points[mb>>46&63]
	r := (math.Float64frombits(mb) - p.c) * p.inv
	// log2(1+r) = (r - r²/2 + r³/3 - r⁴/4)/ln 2, the 1/ln 2 in the
	// coefficients.
	const k = 1 / math.Ln2
	return e + p.log2c + r*(k-r*(k/2-r*(k/3-r*(k/4))))
}

// point is a table point c = 1 + j/64 of Log2, its inverse and its base-2
// logarithm.
type point struct{ c, inv, log2c float64 }

// points holds Log2's 64 table points, one j after the other.
var points = func() (t [64]point) {
	for j := range t {
		c := 1 + float64(j)/64
		t[j] = point{c, 1 / c, math.Log2(c)}
	}
	return t
}()
