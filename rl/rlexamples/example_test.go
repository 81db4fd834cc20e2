package rlexamples_test

import (
	"fmt"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/rl/rlexamples"
	"github.com/netgym/netgym/spaces"
)

// DEFIANCE's addition example: five Q-learning agents learn digit + hint
// in a few 400 s episodes.
func ExampleTrainAddition() {
	res, err := rlexamples.TrainAddition(rlexamples.DefaultAdditionConfig(), rlexamples.AgentQLearning, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, r := range res.TrainingCurve() {
		fmt.Printf("episode %d: mean reward %.2f\n", i+1, r)
	}
	fmt.Printf("greedy: mean reward %.2f over %d actions\n", res.Eval.MeanReward(), res.Eval.Rewarded["agent_0"]*5)
	// Output:
	// episode 1: mean reward 0.29
	// episode 2: mean reward 0.91
	// episode 3: mean reward 0.90
	// greedy: mean reward 1.00 over 1995 actions
}

// Any scenario builder trains the same way; here the addition example
// from run 11, so that the episodes differ from TrainAddition's (runs 1,
// 2, ...).
func ExampleTrainScenario() {
	build, err := rlexamples.AdditionScenario(rlexamples.DefaultAdditionConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := rlexamples.TrainScenario(build, 11, rlexamples.AgentQLearning, 1, rlexamples.AdditionQConfig(), 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("training %.2f, greedy %.2f\n", res.TrainingCurve(), res.Eval.MeanReward())
	// Output: training [0.28 0.91], greedy 1.00
}

// The addition scenario stepped by hand: a multi-agent environment hands
// out one agent's decision at a time. The reward at an agent's first
// decision scores its initial action 0 (DEFIANCE's m_last_action), which is
// right only for agent_0.
func ExampleAdditionScenario() {
	build, err := rlexamples.AdditionScenario(rlexamples.DefaultAdditionConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	env, err := rl.NewMultiAgentEnv(build, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	sp, _ := env.ActionSpace("agent_0")
	fmt.Println(env.AgentIDs(), sp)
	st, _ := env.Reset()
	for range 7 {
		fmt.Printf("%v %s observes %v, reward %.2f\n", st.Time, st.Agent, st.Observation, st.Reward)
		// answer digit + hint (the hint of agent_n is n)
		id, _ := rl.ParseAgentID(st.Agent)
		st, _ = env.Step(st.Observation.(spaces.DiscreteValue) + spaces.DiscreteValue(id.ID))
	}
	// Output:
	// [agent_0 agent_1 agent_2 agent_3 agent_4] Discrete(29)
	// 1.1s agent_0 observes 0, reward 1.00
	// 1.1s agent_1 observes 9, reward 0.37
	// 1.1s agent_2 observes 8, reward 0.14
	// 1.1s agent_3 observes 8, reward 0.05
	// 1.1s agent_4 observes 6, reward 0.02
	// 2.1s agent_0 observes 8, reward 1.00
	// 2.1s agent_1 observes 0, reward 1.00
}
