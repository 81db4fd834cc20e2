package rlexamples_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl/rlexamples"
)

func TestCountersLearning(t *testing.T) {
	cfg := rlexamples.DefaultCountersConfig()
	random, err := rlexamples.TrainCounters(cfg, rlexamples.AgentRandom, 0, 5)
	require.NoError(t, err)
	trained, err := rlexamples.TrainCounters(cfg, rlexamples.AgentQLearning, 600, 5)
	require.NoError(t, err)
	t.Logf("random: start %v end %v (mean |c| %.1f, mean reward %.2f)", random.EvalStart, random.EvalFinal,
		random.EvalFinalAbs(), random.EvalMeanReward())
	t.Logf("q-learning: start %v end %v (mean |c| %.1f, mean reward %.2f)", trained.EvalStart, trained.EvalFinal,
		trained.EvalFinalAbs(), trained.EvalMeanReward())
	n := len(trained.FinalAbs)
	t.Logf("training: mean final |c| first 5 episodes %v, last 5 %v", trained.FinalAbs[:5], trained.FinalAbs[n-5:])
	// evaluation runs 1..5 for random, 601..605 for q-learning: different
	// starts, same distribution
	assert.LessOrEqual(t, trained.EvalFinalAbs(), 5.0)
	assert.Greater(t, random.EvalFinalAbs(), 3*trained.EvalFinalAbs()+10)
	assert.Greater(t, trained.EvalMeanReward(), random.EvalMeanReward()/2)
	for _, ev := range trained.Eval {
		for id, n := range ev.Steps {
			assert.Equal(t, 60, n, id) // decisions at 1 s .. 60 s, the last one truncated
			assert.True(t, ev.Truncated[id], id)
		}
	}
}

func TestCountersConfigErrors(t *testing.T) {
	tests := []func(*rlexamples.CountersConfig){
		func(c *rlexamples.CountersConfig) { c.Agents = 0 },
		func(c *rlexamples.CountersConfig) { c.Start = 60 },
		func(c *rlexamples.CountersConfig) { c.MaxStep = -1 },
		func(c *rlexamples.CountersConfig) { c.Period = 0 },
		func(c *rlexamples.CountersConfig) { c.Delay = -1 },
	}
	for i, mod := range tests {
		c := rlexamples.DefaultCountersConfig()
		mod(&c)
		_, err := rlexamples.TrainCounters(c, rlexamples.AgentQLearning, 1, 1)
		assert.Error(t, err, i)
	}
	_, err := rlexamples.TrainCounters(rlexamples.DefaultCountersConfig(), "dqn", 1, 1)
	assert.Error(t, err)
	_, err = rlexamples.TrainCounters(rlexamples.DefaultCountersConfig(), rlexamples.AgentRandom, -1, 1)
	assert.Error(t, err)
}
