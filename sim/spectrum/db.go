package spectrum

import "math"

// Unit conversions every radio uses, with ns-3's formulas
// (src/wifi/model/wifi-utils.cc: DbToRatio, RatioToDb, DbmToW, WToDbm), so
// that results match ns-3 to the last bit. Keep one copy of them: radios
// import these rather than writing their own.

// DbToRatio converts a ratio in dB to a linear ratio: 10^(dB/10).
func DbToRatio(db float64) float64 { return pow10(0.1 * db) }

// RatioToDb converts a linear ratio to dB: 10·log10(ratio).
func RatioToDb(ratio float64) float64 { return 10 * math.Log10(ratio) }

// DbmToW converts a power in dBm to watts: 10^((dBm-30)/10).
func DbmToW(dbm float64) float64 { return pow10(0.1 * (dbm - 30)) }

// pow10 returns math.Pow(10, y), bit for bit, in about half the time: it
// is Go's own algorithm (src/math/pow.go: 10^y = e^(yf·ln 10) · 10^yi,
// the integer part by repeated squaring of the mantissa of 10) with what
// depends on the base alone computed once: ln 10 and the squarings. Every
// examined pair of a large Wi-Fi network converts a power with it.
// TestPow10MatchesMathPow holds it to math.Pow; an exponent outside the
// table (|y| >= 512) and the special values go to math.Pow itself.
func pow10(y float64) float64 {
	if !(y > -512 && y < 512) || y == 0 || y == 1 || y == 0.5 || y == -0.5 {
		return math.Pow(10, y)
	}
	yi, yf := math.Modf(math.Abs(y))
	a1, ae := 1.0, 0
	if yf != 0 {
		if yf > 0.5 {
			yf--
			yi++
		}
		a1 = math.Exp(yf * pow10Tab.ln10)
	}
	k := 0
	for i := int64(yi); i != 0; i >>= 1 {
		if i&1 == 1 {
			a1 *= pow10Tab.x1[k]
			ae += pow10Tab.xe[k]
		}
		k++
	}
	if y < 0 {
		a1 = 1 / a1
		ae = -ae
	}
	return math.Ldexp(a1, ae)
}

// pow10Tab holds, for pow10, ln 10 and the successive squarings of the
// mantissa of 10 with their binary exponents, as math.Pow's loop computes
// them: 10^(2^k) = x1[k] · 2^xe[k] for the k < 10 that |y| < 512 needs.
var pow10Tab = func() (t struct {
	ln10 float64
	x1   [10]float64
	xe   [10]int
}) {
	t.ln10 = math.Log(10)
	x1, xe := math.Frexp(10)
	for k := range t.x1 {
		t.x1[k], t.xe[k] = x1, xe
		x1 *= x1
		xe <<= 1
		if x1 < .5 {
			x1 += x1
			xe--
		}
	}
	return t
}()

// WToDbm converts a power in watts to dBm: 10·log10(w) + 30.
func WToDbm(w float64) float64 { return 10*math.Log10(w) + 30 }
