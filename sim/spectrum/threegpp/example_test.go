package threegpp_test

import (
	"fmt"
	"math"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
	"github.com/netgym/netgym/sim/spectrum"
	"github.com/netgym/netgym/sim/spectrum/rb"
	"github.com/netgym/netgym/sim/spectrum/threegpp"
)

// NetRL's 5G-LENA cell: 28 GHz, 100 MHz at numerology 3 (66 RBs), UMa, a
// gNB with a 4 x 8 array at 3 m and a UE with a 2 x 4 array 50 m away,
// direct-path beams, shadowing off. The downlink SINR per RB of a slot
// using the whole band.
func Example() {
	s := sim.New(1, 1)
	grid := rb.Grid{CenterHz: 28e9, NumRBs: 66, SubcarrierSpacingHz: 120e3}

	pc := propagation.DefaultThreeGPPConfig(propagation.UMa)
	pc.FrequencyHz = grid.CenterHz
	pc.ShadowingEnabled = false
	pathloss, err := propagation.NewThreeGPP(pc, s)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := threegpp.DefaultConfig(propagation.UMa, grid)
	cfg.Condition = pathloss.ConditionModel() // pathloss and fading agree on LOS
	ch, err := threegpp.New(cfg, s)
	if err != nil {
		fmt.Println(err)
		return
	}
	mc := spectrum.DefaultConfig()
	mc.LinkLoss = pathloss
	med, err := spectrum.New(s, mc, ch.LinkModel())
	if err != nil {
		fmt.Println(err)
		return
	}

	attach := func(p mobility.Vector, dbm float64, rows, cols int) propagation.Endpoint {
		m := mobility.NewConstantPosition(p)
		id, _ := med.Attach(spectrum.Attachment{Mobility: m, TxPowerDbm: dbm})
		ac := antenna.DefaultUPAConfig()
		ac.Rows, ac.Columns = rows, cols
		arr, _ := antenna.NewUPA(ac)
		_ = ch.SetArray(id, arr)
		return propagation.Endpoint{ID: id, Mobility: m}
	}
	gnb := attach(mobility.Vector{Z: 3}, 30, 4, 8)
	ue := attach(mobility.Vector{X: 50, Z: 1.5}, 23, 2, 4)

	bc := threegpp.DefaultBeamformingConfig()
	bc.Method = threegpp.DirectPath
	bf, _ := threegpp.NewBeamformer(ch, bc)
	gnbBeam, ueBeam, _ := bf.Add(gnb, ue, s.Now())
	_ = ch.Array(gnb.ID).SetBeam(gnbBeam)
	_ = ch.Array(ue.ID).SetBeam(ueBeam)

	all := make([]int, grid.NumRBs)
	for i := range all {
		all[i] = i
	}
	tx, _ := grid.TxPower(nil, 30, all, rb.UniformUsed, 0)
	calc, _ := rb.NewCalculator(grid, 5)
	ds, _ := med.Transmit(gnb.ID)
	d := ds[0]
	rx := rb.RxPower(nil, tx, d.RxW/spectrum.DbmToW(30), d.Link.RBGains(s.Now()))
	sinr, _ := calc.SINR(nil, rb.Signal{End: 125 * sim.Microsecond, PowerW: rx}, nil)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range sinr {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	fmt.Printf("pathloss %.1f dB, condition %v\n", 30-d.RxDbm, pathloss.ConditionModel().Condition(&propagation.Link{Tx: propagation.Endpoint{ID: gnb.ID}, Rx: propagation.Endpoint{ID: ue.ID}}).Los)
	fmt.Printf("SINR per RB from %.1f to %.1f dB\n", 10*math.Log10(lo), 10*math.Log10(hi))
	fmt.Printf("channel draws %d, link objects %d\n", ch.Stats().Params, med.Stats().LinkUpdates)
	// Output:
	// pathloss 94.3 dB, condition LOS
	// SINR per RB from 47.9 to 48.3 dB
	// channel draws 1, link objects 1
}
