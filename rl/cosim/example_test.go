package cosim_test

import (
	"context"
	"fmt"

	"github.com/netgym/netgym/rl/cosim"
	"github.com/netgym/netgym/rl/cosim/wifirelay"
)

// A netgym engine (a Wi-Fi relay, in process) and a Go transceiver
// function that sends a value up the relay at every step while reading
// what arrived.
func ExampleNewLoop() {
	relay, err := wifirelay.New(wifirelay.DefaultConfig(), 1)
	if err != nil {
		panic(err)
	}
	net, err := cosim.NewStepperEngine(relay, 1, 1)
	if err != nil {
		panic(err)
	}
	ts := 0.01 // 10 ms
	cfg := cosim.EngineConfig{EngineName: "net", EngineType: "netgym", EngineTimestep: &ts}
	tf := cosim.NewTransceiverFunction("ping", "net", []cosim.Input{cosim.EngineDataPack("got", "uplink/out", "net")},
		func(info cosim.StepInfo, in []cosim.DataPack) ([]cosim.DataPack, error) {
			fmt.Printf("t = %2d ms: arrived %v\n", info.Time/1e6, in[0].Data)
			x := float64(info.Iteration)
			return []cosim.DataPack{{DataPackID: cosim.DataPackID{Name: "uplink/in", Engine: "net"},
				Data: []any{x, x, x, x}}}, nil
		})
	l, err := cosim.NewLoop(cosim.LoopConfig{Timeout: 30_000_000}, []cosim.LoopEngine{{Config: cfg, Engine: net}}, []cosim.Function{tf})
	if err != nil {
		panic(err)
	}
	if _, err := l.Run(context.Background()); err != nil {
		panic(err)
	}
	// Output:
	// t =  0 ms: arrived <nil>
	// t = 10 ms: arrived [0 0 0 0]
	// t = 20 ms: arrived [1 1 1 1]
}

// Spaces values become JSON datapack data and back.
func ExampleValueToJSON() {
	relay, _ := wifirelay.New(wifirelay.DefaultConfig(), 1)
	e, _ := cosim.NewStepperEngine(relay, 1, 1)
	space, _ := e.Space("downlink/in")
	v, err := cosim.ValueFromJSON(space, []any{1.0})
	fmt.Println(v, err)
	j, _ := cosim.ValueToJSON(v)
	fmt.Println(j)
	_, err = cosim.ValueFromJSON(space, []any{1.0, 2.0})
	fmt.Println(err)
	// Output:
	// [1] <nil>
	// [1]
	// cosim: 2 elements for Box(-Inf, +Inf, [1], float64), which holds 1
}
