package rlexamples_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl/rlexamples"
	"github.com/netgym/netgym/sim"
)

func TestAdditionLearning(t *testing.T) {
	cfg := rlexamples.DefaultAdditionConfig()
	tests := []struct {
		kind     string
		episodes int
		min, max float64
	}{
		{rlexamples.AgentRandom, 0, 0.04, 0.11},
		{rlexamples.AgentQLearning, 3, 0.9, 1},
	}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			res, err := rlexamples.TrainAddition(cfg, tc.kind, tc.episodes)
			require.NoError(t, err)
			got := res.Eval.MeanReward()
			t.Logf("%s: greedy mean reward %.4f, training curve %v", tc.kind, got, res.TrainingCurve())
			assert.GreaterOrEqual(t, got, tc.min)
			assert.LessOrEqual(t, got, tc.max)
			for id, n := range res.Eval.Steps {
				assert.Equal(t, 400, n, id) // decisions at 1.1 s .. 400.1 s
				assert.True(t, res.Eval.Truncated[id], id)
			}
		})
	}
}

func TestAdditionDeterminism(t *testing.T) {
	run := func(seed uint64) []float64 {
		cfg := rlexamples.DefaultAdditionConfig()
		cfg.Seed = seed
		cfg.Truncation = 50 * sim.Second
		res, err := rlexamples.TrainAddition(cfg, rlexamples.AgentQLearning, 3)
		require.NoError(t, err)
		return append(res.TrainingCurve(), res.Eval.MeanReward())
	}
	a, b, c := run(7), run(7), run(8)
	assert.Equal(t, a, b)
	assert.NotEqual(t, a, c)
}

func TestAdditionWithDelays(t *testing.T) {
	// channel and action delays below the 100 ms between observation and
	// hint change nothing the agents learn
	cfg := rlexamples.DefaultAdditionConfig()
	cfg.Delay = 20 * sim.Millisecond
	cfg.ActionDelay = 30 * sim.Millisecond
	res, err := rlexamples.TrainAddition(cfg, rlexamples.AgentQLearning, 3)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, res.Eval.MeanReward(), 0.9)
}

func TestAdditionConfigErrors(t *testing.T) {
	tests := []func(*rlexamples.AdditionConfig){
		func(c *rlexamples.AdditionConfig) { c.Pairs = 0 },
		func(c *rlexamples.AdditionConfig) { c.Truncation = 0 },
		func(c *rlexamples.AdditionConfig) { c.Delay = -1 },
		func(c *rlexamples.AdditionConfig) { c.History = -1 },
	}
	for i, mod := range tests {
		c := rlexamples.DefaultAdditionConfig()
		mod(&c)
		_, err := rlexamples.TrainAddition(c, rlexamples.AgentQLearning, 1)
		assert.Error(t, err, i)
	}
	_, err := rlexamples.TrainAddition(rlexamples.DefaultAdditionConfig(), "dqn", 1)
	assert.Error(t, err)
	assert.Equal(t, int64(29), rlexamples.DefaultAdditionConfig().AdditionActions())
}
