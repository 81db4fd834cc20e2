package fastlog

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// Log2 is within 3e-10 of math.Log2 over the positive normal floats: at
// random, at every table point and next to it, at powers of two.
func TestLog2(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 12))
	check := func(x float64) {
		if d := math.Abs(Log2(x) - math.Log2(x)); !(d <= 3e-10) {
			require.Failf(t, "Log2", "x %.17g: %.17g, math.Log2 %.17g", x, Log2(x), math.Log2(x))
		}
	}
	for range 2_000_000 {
		check(math.Exp((r.Float64() - 0.5) * 1400))
		check(1 + math.Exp(r.Float64()*700)*r.Float64())
	}
	for j := range 65 {
		c := 1 + float64(j)/64
		for _, x := range []float64{c, math.Nextafter(c, 0), math.Nextafter(c, 2)} {
			check(x)
			check(x * 0x1p-1000)
			check(x * 0x1p1000)
		}
	}
	for k := -1022; k <= 1023; k++ {
		check(math.Ldexp(1, k))
	}
}

func ExampleLog2() {
	fmt.Printf("%.9f %.9f\n", Log2(1000), math.Log2(1000))
	// Output: 9.965784285 9.965784285
}
