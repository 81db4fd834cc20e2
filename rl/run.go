package rl

import (
	"fmt"
	"slices"
)

// EpisodeStats sums up one episode run by RunEpisode, per agent string
// id.
type EpisodeStats struct {
	// Steps counts each agent's environment steps (decisions), the final
	// one included.
	Steps map[string]int
	// Rewarded counts the steps that carried the reward of an action: all
	// but each agent's first.
	Rewarded map[string]int
	// RewardSum sums those rewards.
	RewardSum map[string]float64
	// Terminated and Truncated tell how each agent's episode ended.
	Terminated map[string]bool
	Truncated  map[string]bool
}

// MeanReward returns the mean reward per action over all agents (0 if no
// action was rewarded).
func (s EpisodeStats) MeanReward() float64 {
	var sum float64
	var n int
	ids := make([]string, 0, len(s.RewardSum))
	for id := range s.RewardSum {
		ids = append(ids, id)
	}
	slices.Sort(ids) // a fixed order: float sums depend on it
	for _, id := range ids {
		sum += s.RewardSum[id]
		n += s.Rewarded[id]
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// AgentMeanReward returns one agent's mean reward per action.
func (s EpisodeStats) AgentMeanReward(id string) float64 {
	if s.Rewarded[id] == 0 {
		return 0
	}
	return s.RewardSum[id] / float64(s.Rewarded[id])
}

// RunEpisode resets env and plays one episode with Go agents, one per
// agent string id: each step goes to its agent's Act, each final step to
// its Learn (if it is a Learner). It returns the episode's statistics.
func RunEpisode(env *MultiAgentEnv, agents map[string]Agent) (EpisodeStats, error) {
	st := EpisodeStats{
		Steps: map[string]int{}, Rewarded: map[string]int{}, RewardSum: map[string]float64{},
		Terminated: map[string]bool{}, Truncated: map[string]bool{},
	}
	if env == nil {
		return st, fmt.Errorf("rl: RunEpisode needs an environment")
	}
	for _, id := range env.AgentIDs() {
		if agents[id] == nil {
			return st, fmt.Errorf("rl: RunEpisode has no agent for %s", id)
		}
	}
	step, err := env.Reset()
	if err != nil {
		return st, err
	}
	for !env.Done() {
		ag := agents[step.Agent]
		if ag == nil {
			known := make([]string, 0, len(agents))
			for k := range agents {
				known = append(known, k)
			}
			slices.Sort(known)
			return st, fmt.Errorf("rl: RunEpisode has no agent for %s (has %v)", step.Agent, known)
		}
		if st.Steps[step.Agent] > 0 {
			st.Rewarded[step.Agent]++
			st.RewardSum[step.Agent] += step.Reward
		}
		st.Steps[step.Agent]++
		var action = step.Observation
		if step.Final() {
			st.Terminated[step.Agent] = step.Terminated
			st.Truncated[step.Agent] = step.Truncated
			if l, ok := ag.(Learner); ok {
				if err := l.Learn(step.Observation, step.Reward, step.Terminated); err != nil {
					return st, fmt.Errorf("rl: %s: %w", step.Agent, err)
				}
			}
			action = nil
		} else {
			action, err = ag.Act(step.Observation, step.Reward)
			if err != nil {
				return st, fmt.Errorf("rl: %s: %w", step.Agent, err)
			}
		}
		if step, err = env.Step(action); err != nil {
			return st, err
		}
	}
	return st, nil
}
