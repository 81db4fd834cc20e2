package mac80211

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

// TestParallelSimulationsAreIndependent runs the same saturation scenarios
// in parallel goroutines and one after the other: nothing is shared between
// simulations, so the results are identical (run under -race in CI).
func TestParallelSimulationsAreIndependent(t *testing.T) {
	cfgs := []SaturationConfig{}
	for _, set := range []func(*SaturationConfig){
		func(c *SaturationConfig) {},
		func(c *SaturationConfig) { c.Raw = true },
		func(c *SaturationConfig) { c.N, c.Infra = 4, true },
		func(c *SaturationConfig) { c.Seed = 7; c.StaticARP = true },
	} {
		c := DefaultSaturationConfig()
		c.N, c.Warmup, c.Duration = 5, 300*sim.Millisecond, 200*sim.Millisecond
		set(&c)
		cfgs = append(cfgs, c)
	}
	want := make([]SaturationResult, len(cfgs))
	for i, c := range cfgs {
		r, err := RunSaturation(c)
		require.NoError(t, err)
		require.Positive(t, r.ThroughputMbps, "config %d delivers", i)
		want[i] = r
	}
	got := make([]SaturationResult, len(cfgs)*2)
	errs := make([]error, len(got))
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i], errs[i] = RunSaturation(cfgs[i%len(cfgs)]) })
	}
	wg.Wait()
	for i := range got {
		require.NoError(t, errs[i])
		require.Equal(t, want[i%len(cfgs)], got[i], "run %d", i)
	}
}
