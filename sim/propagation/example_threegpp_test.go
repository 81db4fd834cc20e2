package propagation_test

import (
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
)

// TR 38.901 UMa pathloss at 28 GHz for a gNB 25 m high and a UE at 1.5 m,
// with the LOS probability at each distance (shadowing off, so that the
// losses are the table's formulas; the breakpoint d'BP is 4480 m).
func ExampleThreeGPP() {
	s := sim.New(1, 1)
	model := func(c propagation.ConditionModel) *propagation.ThreeGPP {
		cfg := propagation.DefaultThreeGPPConfig(propagation.UMa)
		cfg.FrequencyHz = 28e9
		cfg.ShadowingEnabled = false
		cfg.Condition = c
		m, err := propagation.NewThreeGPP(cfg, s)
		if err != nil {
			panic(err)
		}
		return m
	}
	los, nlos := model(propagation.AlwaysLOS{}), model(propagation.NeverLOS{})
	gnb := propagation.Endpoint{ID: 0, Position: mobility.Vector{Z: 25}}
	for _, d := range []float64{20, 100, 500, 4000, 5000} {
		ue := propagation.Endpoint{ID: 1, Position: mobility.Vector{X: d, Z: 1.5}}
		l := propagation.Link{Tx: gnb, Rx: ue}
		fmt.Printf("%4.0f m: P(LOS) %.3f, LOS %.2f dB, NLOS %.2f dB\n", d,
			propagation.LOSProbability(propagation.UMa, d, 1.5), -los.LinkRxPower(0, &l), -nlos.LinkRxPower(0, &l))
	}
	// Output:
	//   20 m: P(LOS) 0.973, LOS 89.71 dB, NLOS 100.69 dB
	//  100 m: P(LOS) 0.348, LOS 101.20 dB, NLOS 121.10 dB
	//  500 m: P(LOS) 0.036, LOS 116.33 dB, NLOS 147.98 dB
	// 4000 m: P(LOS) 0.004, LOS 136.19 dB, NLOS 183.25 dB
	// 5000 m: P(LOS) 0.004, LOS 139.18 dB, NLOS 187.04 dB
}

// One condition model shared by the pathloss model and another user of the
// same links (a fast-fading model would ask it the same way): both see the
// same LOS state. NetRL's geometry (BS at 3 m) is outside UMa's range:
// ns-3 computes it and warns; netgym counts the warnings.
func ExampleThreeGPPCondition() {
	s := sim.New(1, 1)
	cond, err := propagation.NewThreeGPPCondition(propagation.DefaultThreeGPPConditionConfig(propagation.UMa), s)
	if err != nil {
		panic(err)
	}
	cfg := propagation.DefaultThreeGPPConfig(propagation.UMa)
	cfg.FrequencyHz = 28e9
	cfg.Condition = cond
	loss, err := propagation.NewThreeGPP(cfg, s)
	if err != nil {
		panic(err)
	}
	agree := true
	for i := range 100 {
		l := propagation.Link{
			Tx: propagation.Endpoint{ID: 0, Position: mobility.Vector{Z: 3}},
			Rx: propagation.Endpoint{ID: i + 1, Position: mobility.Vector{X: 50 + float64(i), Z: 1.5}},
		}
		loss.LinkRxPower(20, &l)
		agree = agree && loss.ConditionModel().Condition(&l) == cond.Condition(&l)
	}
	fmt.Println("same conditions:", agree)
	fmt.Println("BS height warnings (pathloss, condition):",
		loss.Warnings.Count(propagation.WarnBSHeight), cond.Warnings.Count(propagation.WarnBSHeight))
	// Output:
	// same conditions: true
	// BS height warnings (pathloss, condition): 100 100
}

// A link-only model combined with a positional one: UMi street canyon
// pathloss at 3.5 GHz (d'BP = 210 m for a BS at 10 m and a UE at 1.5 m),
// then a hard 300 m range.
func ExampleLinkChain() {
	cfg := propagation.DefaultThreeGPPConfig(propagation.UMiStreetCanyon)
	cfg.FrequencyHz = 3.5e9
	cfg.ShadowingEnabled = false
	cfg.Condition = propagation.AlwaysLOS{}
	umi, err := propagation.NewThreeGPP(cfg, sim.New(1, 1))
	if err != nil {
		panic(err)
	}
	chain := propagation.LinkChain{umi, propagation.ForLink(&propagation.Range{Distance: 300})}
	for _, d := range []float64{100, 250, 400} {
		l := propagation.Link{
			Tx: propagation.Endpoint{ID: 0, Position: mobility.Vector{Z: 10}},
			Rx: propagation.Endpoint{ID: 1, Position: mobility.Vector{X: d, Z: 1.5}},
		}
		fmt.Printf("%3.0f m: %.2f dBm\n", d, chain.LinkRxPower(30, &l))
	}
	// Output:
	// 100 m: -55.31 dBm
	// 250 m: -65.08 dBm
	// 400 m: -1000.00 dBm
}
