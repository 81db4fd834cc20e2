package rlexamples_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/rl/rlexamples"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/spaces"
)

func get(t *testing.T, s agentlink.Stepper, name string) spaces.Value {
	t.Helper()
	v, err := s.Get(name)
	require.NoError(t, err, name)
	return v
}

func scalar(t *testing.T, v spaces.Value) float64 {
	t.Helper()
	b, ok := v.(*spaces.BoxValue)
	require.True(t, ok, "%v is not a box", v)
	require.Equal(t, 1, b.Len())
	return b.At(0)
}

// An outside loop steps rl-wifi by 1 s, 50 ms after each observation is
// sent: it reads the digit the agent received and sets the action the
// agent's next decision (100 ms after the observation) answers with:
// digit + 1, the target. Every action then scores 1, which the reward of
// the decision after next reports; the channel data count what crossed
// 802.11a. At 80 m nothing arrives, so the agent never decides.
func TestWifiAdditionStepper(t *testing.T) {
	tests := []struct {
		distance      float64
		wantReceived  uint32
		wantDecisions uint32
		wantReward    float64 // from t = 3.05 s on
	}{
		{10, 12, 11, 1},
		{80, 0, 0, 0},
	}
	for _, tc := range tests {
		cfg := rlexamples.DefaultWifiAdditionConfig()
		cfg.Distance, cfg.Truncation = tc.distance, 12*sim.Second
		s, err := rlexamples.WifiAdditionStepper(cfg, 1)
		require.NoError(t, err)
		assert.Equal(t, []string{"agent_0"}, s.AgentIDs())
		require.Nil(t, get(t, s, "agent_0/observation"), "nothing observed at t = 0")
		require.NoError(t, s.Advance(sim.Second+50*sim.Millisecond))
		for k := 1; k <= 11; k++ {
			require.Equal(t, sim.Time(k)*sim.Second+50*sim.Millisecond, s.Now())
			if obs := get(t, s, "agent_0/observation"); obs != nil {
				require.NoError(t, s.Set("agent_0/action", obs.(spaces.DiscreteValue)+1))
			}
			if k >= 3 {
				assert.Equal(t, tc.wantReward, scalar(t, get(t, s, "agent_0/reward")), "%v m, t = %v", tc.distance, s.Now())
			}
			require.NoError(t, s.Advance(sim.Second))
		}
		// t = 12.05 s: decisions at 1.1 .. 11.1 s; the agent requested
		// truncation at 11.5 s, so its decision at 12.1 s will be its
		// last; the simulation ends at 13 s.
		assert.Equal(t, float64(12), scalar(t, get(t, s, rlexamples.DatumSent)))
		assert.Equal(t, float64(tc.wantReceived), scalar(t, get(t, s, rlexamples.DatumReceived)))
		assert.Equal(t, float64(tc.wantDecisions), scalar(t, get(t, s, "agent_0/decisions")))
		assert.Equal(t, spaces.DiscreteValue(0), get(t, s, "agent_0/truncated"))
		if tc.wantReceived > 0 {
			assert.Less(t, scalar(t, get(t, s, rlexamples.DatumMeanLatency)), 0.01)
		}
		assert.False(t, s.Done())
		require.NoError(t, s.Advance(10*sim.Second), "Advance stops at the end")
		assert.Equal(t, 13*sim.Second, s.Now())
		assert.True(t, s.Done())
		final := uint32(0)
		if tc.wantDecisions > 0 {
			final = 1 // the truncated decision at 12.1 s
		}
		assert.Equal(t, float64(tc.wantDecisions+final), scalar(t, get(t, s, "agent_0/decisions")))
		assert.Equal(t, spaces.DiscreteValue(0), get(t, s, "agent_0/terminated"))
		assert.Equal(t, spaces.DiscreteValue(1), get(t, s, "agent_0/truncated"), "the episode ends truncated")
		require.ErrorIs(t, s.Advance(sim.Millisecond), rl.ErrEpisodeDone)
	}
}

// The same seed and run give the same episode; another run, another one;
// Reset clears the held action.
func TestWifiAdditionStepperReset(t *testing.T) {
	cfg := rlexamples.DefaultWifiAdditionConfig()
	s, err := rlexamples.WifiAdditionStepper(cfg, 1)
	require.NoError(t, err)
	digits := func() []spaces.Value {
		var out []spaces.Value
		for range 8 {
			require.NoError(t, s.Advance(sim.Second))
			out = append(out, get(t, s, "agent_0/observation"))
		}
		return out
	}
	require.NoError(t, s.Set("agent_0/action", spaces.DiscreteValue(3)))
	first := digits()
	assert.Equal(t, spaces.DiscreteValue(3), get(t, s, "agent_0/action"))
	require.NoError(t, s.Reset(1, 1))
	assert.Equal(t, sim.Time(0), s.Now())
	assert.Nil(t, get(t, s, "agent_0/action"), "Reset clears the held action")
	assert.Equal(t, float64(0), scalar(t, get(t, s, "agent_0/decisions")))
	assert.Equal(t, first, digits(), "same seed and run, same digits")
	require.NoError(t, s.Reset(1, 2))
	other := digits()
	assert.NotEqual(t, first, other, "another run, other digits")
	require.NoError(t, s.Reset(7, 2))
	assert.NotEqual(t, other, digits(), "another seed, other digits")

	err = s.Set("agent_0/action", spaces.DiscreteValue(11))
	require.ErrorIs(t, err, spaces.ErrNotInSpace, "the action space is Discrete(11)")
	require.ErrorContains(t, s.Set(rlexamples.DatumSent, spaces.UintBox(1)), "read-only")
	_, err = rlexamples.WifiAdditionStepper(rlexamples.WifiAdditionConfig{}, 1)
	require.Error(t, err)
}
