package rlexamples

import (
	"math"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/spaces"
)

// Names of the channel data of WifiAdditionStepper.
const (
	// DatumSent counts the observations the observation application
	// sent in the episode (a Box of one uint32).
	DatumSent = "channel/sent"
	// DatumReceived counts the observations the agent received.
	DatumReceived = "channel/received"
	// DatumMeanLatency is the mean latency of the received observations
	// in seconds (a Box of one float64; 0 before the first).
	DatumMeanLatency = "channel/mean_latency_s"
)

// WifiAdditionStepper returns the Wi-Fi addition example (rl-wifi) as an
// agentlink.Stepper, for a loop that steps it from outside (NRP-core
// engines, in-process Gymnasium envs): the agent's data ("agent_0/...":
// observation, reward, action, decisions, terminated, truncated) and the
// channel's (DatumSent, DatumReceived, DatumMeanLatency). Reset's seed
// replaces cfg.Seed; the first episode is built with cfg.Seed and run.
func WifiAdditionStepper(cfg WifiAdditionConfig, run uint64) (*agentlink.ScenarioStepper, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var channel func() WifiAdditionChannel
	build := func(seed, run uint64) (*rl.Scenario, error) {
		c := cfg
		c.Seed = seed
		b, ch, err := WifiAdditionScenario(c)
		if err != nil {
			return nil, err
		}
		sc, err := b(run)
		if err != nil {
			return nil, err
		}
		channel = ch
		return sc, nil
	}
	counter, err := spaces.NewBox(0, math.MaxUint32, []int{1}, spaces.Uint)
	if err != nil {
		return nil, err
	}
	seconds, err := spaces.NewBox(0, math.Inf(1), []int{1}, spaces.Double)
	if err != nil {
		return nil, err
	}
	count := func(n uint64) spaces.Value { return spaces.UintBox(uint32(min(n, math.MaxUint32))) }
	return agentlink.NewScenarioStepper(build, cfg.Seed, run,
		agentlink.Datum{Name: DatumSent, Space: counter, Get: func() (spaces.Value, error) {
			return count(channel().Sent), nil
		}},
		agentlink.Datum{Name: DatumReceived, Space: counter, Get: func() (spaces.Value, error) {
			return count(channel().Received), nil
		}},
		agentlink.Datum{Name: DatumMeanLatency, Space: seconds, Get: func() (spaces.Value, error) {
			return spaces.DoubleBox(channel().MeanLatency.Seconds()), nil
		}},
	)
}
