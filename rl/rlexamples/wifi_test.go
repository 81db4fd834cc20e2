package rlexamples_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl/rlexamples"
	"github.com/netgym/netgym/sim"
)

// Observations cross 802.11a: the farther the observation node, the more
// observations are lost and the lower the learned reward.
func TestWifiAdditionDistance(t *testing.T) {
	tests := []struct {
		distance             float64
		minDelivery, maxDel  float64
		minReward, maxReward float64
	}{
		{10, 1, 1, 0.97, 1},
		{45, 0.7, 0.95, 0.5, 0.9},
		{55, 0.3, 0.7, 0.3, 0.7},
		{80, 0, 0, 0, 0}, // nothing arrives: the agent never decides
	}
	for _, tc := range tests {
		cfg := rlexamples.DefaultWifiAdditionConfig()
		cfg.Distance = tc.distance
		res, err := rlexamples.TrainWifiAddition(cfg, rlexamples.AgentQLearning, 5)
		require.NoError(t, err)
		c := res.EvalChannel
		t.Logf("%3.0f m: delivered %d/%d, latency %v, greedy mean reward %.3f", tc.distance, c.Received, c.Sent, c.MeanLatency, res.Eval.MeanReward())
		assert.Equal(t, uint64(100), c.Sent)
		assert.GreaterOrEqual(t, c.DeliveryRatio(), tc.minDelivery, tc.distance)
		assert.LessOrEqual(t, c.DeliveryRatio(), tc.maxDel, tc.distance)
		assert.GreaterOrEqual(t, res.Eval.MeanReward(), tc.minReward, tc.distance)
		assert.LessOrEqual(t, res.Eval.MeanReward(), tc.maxReward, tc.distance)
		if c.Received > 0 {
			assert.Less(t, c.MeanLatency, 10*sim.Millisecond)
		}
	}
}

func TestWifiAdditionConfigErrors(t *testing.T) {
	tests := []func(*rlexamples.WifiAdditionConfig){
		func(c *rlexamples.WifiAdditionConfig) { c.Distance = -1 },
		func(c *rlexamples.WifiAdditionConfig) { c.ShadowingSigma = -1 },
		func(c *rlexamples.WifiAdditionConfig) { c.Retries = 0 },
		func(c *rlexamples.WifiAdditionConfig) { c.Truncation = sim.Second },
		func(c *rlexamples.WifiAdditionConfig) { c.RewardOffset = sim.Second },
	}
	for i, mod := range tests {
		c := rlexamples.DefaultWifiAdditionConfig()
		mod(&c)
		_, err := rlexamples.TrainWifiAddition(c, rlexamples.AgentQLearning, 1)
		assert.Error(t, err, i)
	}
}
