package rl_test

import (
	"testing"

	"github.com/netgym/netgym/rl"
)

// BenchmarkMultiAgentEnvStep measures one environment step: answer a
// decision, run the simulation to the next one (two agents, one tick per
// simulated second each) and pause there.
func BenchmarkMultiAgentEnvStep(b *testing.B) {
	build, _ := tickScenario(2, 1<<30, 0, 0, nil)
	env, err := rl.NewMultiAgentEnv(build, 1)
	if err != nil {
		b.Fatal(err)
	}
	st, err := env.Reset()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if st, err = env.Step(st.Observation); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
	b.ReportMetric(env.Sim().Now().Seconds()/b.Elapsed().Seconds(), "simsec/s")
}
