package vecenv_test

import (
	"fmt"

	"github.com/netgym/netgym/channelif/nr"
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

// The same environment over NetRL's 5G-LENA link (channelif/nr): a UE
// 50 m from the gNB sends 64 bytes per 1 ms step; each packet arrives one
// step after it was sent, so the newest slot of the window is still empty
// and 7 of the last 8 steps count as delivered.
func ExampleLinkEnvConfig() {
	link := nr.DefaultConfig() // 50 m, 28 GHz, 100 MHz, numerology 3, UMa
	cfg := vecenv.LinkEnvConfig(vecenv.NRLink(link))
	env, err := vecenv.NewChannelEnv(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	obs := make([]float32, env.ObsLen())
	if err := env.Reset(1, true, obs); err != nil { // (seed 1, run 1)
		fmt.Println(err)
		return
	}
	var reward float64
	for step := 0; step < 100; step++ {
		if reward, _, _, err = env.Step(1, obs); err != nil { // action 1: 64 bytes
			fmt.Println(err)
			return
		}
	}
	fmt.Println("delivered fraction of the last 8 steps:", reward)
	fmt.Println("two newest slots (arrived, lag):", obs[12:])
	// Output:
	// delivered fraction of the last 8 steps: 0.875
	// two newest slots (arrived, lag): [1 1 0 0]
}
