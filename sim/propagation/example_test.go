package propagation_test

import (
	"fmt"

	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
)

// ns-3's default Wi-Fi channel: log-distance loss and light-speed delay. A
// 16.0206 dBm (40 mW) transmission is received at these powers and delays,
// and reaches a -82 dBm floor up to about 51 m.
func Example() {
	loss := propagation.DefaultLogDistance()
	delay := propagation.DefaultConstantSpeed()
	ap := mobility.Vector{}
	for _, d := range []float64{1, 10, 46, 100, 300} {
		sta := mobility.Vector{X: d}
		fmt.Printf("%5.0f m: %9.4f dBm after %v\n", d, loss.RxPower(16.0206, ap, sta), delay.Delay(ap, sta))
	}
	fmt.Printf("reach above -82 dBm: %.2f m\n", propagation.MaxRange(loss, 16.0206, -82))
	// Output:
	//     1 m:  -30.6571 dBm after 3ns
	//    10 m:  -60.6571 dBm after 33ns
	//    46 m:  -80.5398 dBm after 153ns
	//   100 m:  -90.6571 dBm after 334ns
	//   300 m: -104.9707 dBm after 1.001µs
	// reach above -82 dBm: 51.46 m
}

// Chained models apply in order, as ns-3's SetNext: here free-space loss,
// then a hard cut-off at 100 m.
func ExampleChain() {
	c := propagation.NewChain(propagation.DefaultFriis(), &propagation.Range{Distance: 100})
	a := mobility.Vector{}
	for _, d := range []float64{10, 100, 101} {
		fmt.Printf("%3.0f m: %.2f dBm\n", d, c.RxPower(20, a, mobility.Vector{Y: d}))
	}
	fmt.Printf("reach above -90 dBm: %.2f m\n", propagation.MaxRange(c, 20, -90))
	// Output:
	//  10 m: -46.68 dBm
	// 100 m: -66.68 dBm
	// 101 m: -1000.00 dBm
	// reach above -90 dBm: 100.00 m
}
