package rlexamples

import (
	"fmt"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/sim"
)

// Agent kinds the example binaries offer.
const (
	AgentRandom    = "random"
	AgentQLearning = "qlearning"
)

// NewAgents makes one Go agent of the given kind per agent of env, each
// drawing from its own stream "rl/agent/<id>" of the given seed (run 0,
// so that the agents' draws do not depend on the episode).
func NewAgents(env *rl.MultiAgentEnv, kind string, seed uint64, qcfg rl.QLearningConfig) (map[string]rl.Agent, error) {
	agents := make(map[string]rl.Agent)
	for _, id := range env.AgentIDs() {
		obs, _ := env.ObservationSpace(id)
		act, _ := env.ActionSpace(id)
		rng := sim.NewStream(seed, 0, "rl/agent/"+id)
		var (
			ag  rl.Agent
			err error
		)
		switch kind {
		case AgentRandom:
			ag, err = rl.NewRandomAgent(act, rng)
		case AgentQLearning:
			ag, err = rl.NewQLearningAgent(obs, act, qcfg, rng)
		default:
			return nil, fmt.Errorf("rlexamples: unknown agent kind %q (want %q or %q)", kind, AgentRandom, AgentQLearning)
		}
		if err != nil {
			return nil, err
		}
		agents[id] = ag
	}
	return agents, nil
}

// TrainingResult sums up Train.
type TrainingResult struct {
	// Training holds each training episode's statistics.
	Training []rl.EpisodeStats
	// Eval is the statistics of the evaluation episode, played with
	// learning and exploration off (greedy).
	Eval rl.EpisodeStats
}

// TrainingCurve returns each training episode's mean reward.
func (r TrainingResult) TrainingCurve() []float64 {
	out := make([]float64, len(r.Training))
	for i, s := range r.Training {
		out[i] = s.MeanReward()
	}
	return out
}

// trainer is implemented by agents that can switch learning off.
type trainer interface{ SetTraining(bool) }

// Train plays episodes training episodes, then one evaluation episode
// with every agent that can (SetTraining) acting greedily without
// learning.
func Train(env *rl.MultiAgentEnv, agents map[string]rl.Agent, episodes int) (TrainingResult, error) {
	var res TrainingResult
	if episodes < 0 {
		return res, fmt.Errorf("rlexamples: %d episodes", episodes)
	}
	for range episodes {
		st, err := rl.RunEpisode(env, agents)
		if err != nil {
			return res, err
		}
		res.Training = append(res.Training, st)
	}
	for _, ag := range agents {
		if t, ok := ag.(trainer); ok {
			t.SetTraining(false)
		}
	}
	st, err := rl.RunEpisode(env, agents)
	if err != nil {
		return res, err
	}
	res.Eval = st
	return res, nil
}

// AdditionQConfig is the Q-learning configuration the addition example
// trains with. Its observations are independent random digits, so the
// task is a contextual bandit: gamma 0, and initial values of 1 (the
// highest reward) make every agent try each action once per digit before
// it settles.
func AdditionQConfig() rl.QLearningConfig {
	return rl.QLearningConfig{Alpha: 0.5, Gamma: 0, Epsilon: 0.1, EpsilonDecay: 1, InitialQ: 1}
}

// TrainScenario trains Go agents of the given kind (NewAgents with seed
// and qcfg) on the scenario build makes, for episodes episodes with run
// numbers first, first+1, ..., then evaluates them greedily on the next
// run (Train).
func TrainScenario(build rl.ScenarioBuilder, first uint64, kind string, seed uint64, qcfg rl.QLearningConfig, episodes int) (TrainingResult, error) {
	env, err := rl.NewMultiAgentEnv(build, first)
	if err != nil {
		return TrainingResult{}, err
	}
	agents, err := NewAgents(env, kind, seed, qcfg)
	if err != nil {
		return TrainingResult{}, err
	}
	return Train(env, agents, episodes)
}

// TrainAddition trains agents of the given kind on the addition example
// for episodes episodes (runs 1, 2, ...) and evaluates them greedily on
// the next run.
func TrainAddition(cfg AdditionConfig, kind string, episodes int) (TrainingResult, error) {
	build, err := AdditionScenario(cfg)
	if err != nil {
		return TrainingResult{}, err
	}
	return TrainScenario(build, 1, kind, cfg.Seed, AdditionQConfig(), episodes)
}
