package rb_test

import (
	"fmt"
	"math"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/spectrum/rb"
)

// The SINR per RB of a downlink transport block on 10 of 66 RBs, with a
// neighbour cell's transmission starting halfway through the slot.
func ExampleCalculator() {
	g := rb.Grid{CenterHz: 28e9, NumRBs: 66, SubcarrierSpacingHz: 120e3}
	calc, err := rb.NewCalculator(g, 5) // 5G-LENA's 5 dB noise figure
	if err != nil {
		fmt.Println(err)
		return
	}
	used := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	tx, _ := g.TxPower(nil, 30, used, rb.UniformUsed, 0)
	desired := rb.RxPower(nil, tx, 1e-10, nil) // 100 dB of pathloss, flat channel
	all := make([]int, 66)
	for i := range all {
		all[i] = i
	}
	txN, _ := g.TxPower(nil, 30, all, rb.UniformUsed, 0)
	neighbour := rb.RxPower(nil, txN, 1e-11, nil) // 110 dB away
	slot := 125 * sim.Microsecond
	sinr, err := calc.SINR(nil,
		rb.Signal{Start: 0, End: slot, PowerW: desired},
		[]rb.Signal{{Start: slot / 2, End: 3 * slot / 2, PowerW: neighbour}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("RB 0: %.2f dB, RB 20: %.0f\n", 10*math.Log10(sinr[0]), sinr[20])
	// Output:
	// RB 0: 24.85 dB, RB 20: 0
}
