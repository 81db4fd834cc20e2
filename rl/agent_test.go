package rl_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/spaces"
)

func TestQLearningConfigValidate(t *testing.T) {
	ok := rl.DefaultQLearningConfig()
	tests := []struct {
		name string
		mod  func(*rl.QLearningConfig)
		ok   bool
	}{
		{"default", func(*rl.QLearningConfig) {}, true},
		{"alpha 0", func(c *rl.QLearningConfig) { c.Alpha = 0 }, false},
		{"alpha NaN", func(c *rl.QLearningConfig) { c.Alpha = math.NaN() }, false},
		{"gamma 2", func(c *rl.QLearningConfig) { c.Gamma = 2 }, false},
		{"epsilon -1", func(c *rl.QLearningConfig) { c.Epsilon = -1 }, false},
		{"decay 1.5", func(c *rl.QLearningConfig) { c.EpsilonDecay = 1.5 }, false},
		{"initial inf", func(c *rl.QLearningConfig) { c.InitialQ = math.Inf(1) }, false},
	}
	for _, tc := range tests {
		c := ok
		tc.mod(&c)
		if tc.ok {
			assert.NoError(t, c.Validate(), tc.name)
		} else {
			assert.Error(t, c.Validate(), tc.name)
		}
	}
}

func TestQLearningAgent(t *testing.T) {
	d3, _ := spaces.NewDiscrete(3)
	d4, _ := spaces.NewDiscrete(4)
	box, _ := spaces.NewBox(0, 1, nil, spaces.Double)
	rng := sim.NewStream(1, 0, "test")
	_, err := rl.NewQLearningAgent(box, d4, rl.DefaultQLearningConfig(), rng)
	require.Error(t, err)
	_, err = rl.NewQLearningAgent(d3, d4, rl.DefaultQLearningConfig(), nil)
	require.Error(t, err)

	// a contextual bandit: in state s the best action is s+1 (reward 1),
	// every other action gets 0
	cfg := rl.DefaultQLearningConfig()
	cfg.Gamma = 0
	cfg.Epsilon = 0.2
	q, err := rl.NewQLearningAgent(d3, d4, cfg, rng)
	require.NoError(t, err)
	state := int64(0)
	var reward float64
	for range 3000 {
		a, err := q.Act(spaces.DiscreteValue(state), reward)
		require.NoError(t, err)
		reward = 0
		if int64(a.(spaces.DiscreteValue)) == state+1 {
			reward = 1
		}
		state = rng.Int64N(3)
	}
	require.NoError(t, q.Learn(spaces.DiscreteValue(state), reward, true))
	q.SetTraining(false)
	for s := range int64(3) {
		assert.Equal(t, s+1, q.Greedy(s), "state %d", s)
		a, err := q.Act(spaces.DiscreteValue(s), 0)
		require.NoError(t, err)
		assert.Equal(t, spaces.DiscreteValue(s+1), a)
	}
	assert.InDelta(t, 1, q.Q(2, 3), 0.05)
	assert.True(t, math.IsNaN(q.Q(3, 0)))
	assert.Equal(t, int64(-1), q.Greedy(5))
	_, err = q.Act(spaces.DiscreteValue(7), 0)
	assert.Error(t, err)
	_, err = q.Act(spaces.IntBox(1), 0)
	assert.Error(t, err)
}

func TestQLearningEpsilonDecay(t *testing.T) {
	d2, _ := spaces.NewDiscrete(2)
	cfg := rl.DefaultQLearningConfig()
	cfg.Epsilon, cfg.EpsilonDecay, cfg.MinEpsilon = 1, 0.5, 0.2
	q, err := rl.NewQLearningAgent(d2, d2, cfg, sim.NewStream(1, 0, "q"))
	require.NoError(t, err)
	for _, want := range []float64{0.5, 0.25, 0.2, 0.2} {
		require.NoError(t, q.Learn(spaces.DiscreteValue(0), 0, false))
		assert.InDelta(t, want, q.Epsilon(), 1e-12)
	}
}

func TestRandomAgent(t *testing.T) {
	d5, _ := spaces.NewDiscrete(5)
	_, err := rl.NewRandomAgent(nil, nil)
	require.Error(t, err)
	r, err := rl.NewRandomAgent(d5, sim.NewStream(3, 0, "r"))
	require.NoError(t, err)
	seen := map[spaces.Value]bool{}
	for range 200 {
		a, err := r.Act(nil, 0)
		require.NoError(t, err)
		require.NoError(t, d5.Contains(a))
		seen[a] = true
	}
	assert.Len(t, seen, 5)
}
