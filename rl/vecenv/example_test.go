package vecenv_test

import (
	"fmt"

	"github.com/netgym/netgym/rl/vecenv"
)

// A Vector steps 4 channel environments per call (in parallel goroutines)
// with flat observation, reward and flag arrays, as the Python vector env
// does through netgym's shared library.
func ExampleVector() {
	cfg := vecenv.DefaultChannelEnvConfig() // 10 m, actions {skip, 64, 256, 1024 B}, k = 8
	v, err := vecenv.NewChannelVector(cfg, 4, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	n := v.Len()
	obs := make([]float32, n*v.ObsLen())
	if err := v.Reset(nil, nil, obs); err != nil {
		fmt.Println(err)
		return
	}
	actions := []int64{0, 1, 2, 3} // env 0 sends nothing
	rewards := make([]float64, n)
	terminated, truncated := make([]bool, n), make([]bool, n)
	for step := 0; step < 100; step++ {
		if err := v.Step(actions, obs, rewards, terminated, truncated); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println("delivered fraction of the last 8 steps:", rewards)
	fmt.Println("env 3, newest slot (arrived, lag):", obs[4*v.ObsLen()-2:])
	// Output:
	// delivered fraction of the last 8 steps: [0 1 1 1]
	// env 3, newest slot (arrived, lag): [1 0]
}
