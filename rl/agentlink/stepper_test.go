package agentlink_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/rl/rlexamples"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/spaces"
)

// additionBuilder builds DEFIANCE's addition example with pairs(seed)
// quadruples.
func additionBuilder(pairs func(seed uint64) int) agentlink.SeededBuilder {
	return func(seed, run uint64) (*rl.Scenario, error) {
		cfg := rlexamples.DefaultAdditionConfig()
		cfg.Seed, cfg.Pairs = seed, pairs(seed)
		b, err := rlexamples.AdditionScenario(cfg)
		if err != nil {
			return nil, err
		}
		return b(run)
	}
}

func three(uint64) int { return 3 }

// Three agents must each answer digit + their hint (the reward node's id,
// 0, 1, 2); an outside loop that reads each agent's digit 50 ms after it
// is sent and holds digit + i as agent_i's action earns reward 1 for every
// agent from the third second on (a reward scores the action of the
// decision before).
func TestScenarioStepperMultiAgent(t *testing.T) {
	var knob spaces.Value = spaces.DiscreteValue(1)
	knobSpace := must(spaces.NewDiscrete(4))
	s, err := agentlink.NewScenarioStepper(additionBuilder(three), 1, 1, agentlink.Datum{
		Name: "knob", Space: knobSpace,
		Get: func() (spaces.Value, error) { return knob, nil },
		Set: func(v spaces.Value) error { knob = v; return nil },
	})
	require.NoError(t, err)
	ids := []string{"agent_0", "agent_1", "agent_2"}
	assert.Equal(t, ids, s.AgentIDs())
	data := s.Data()
	require.Len(t, data, 3*6+1)
	assert.Equal(t, agentlink.DataSpec{Name: "agent_1/action", Space: must(s.Scenario().Agents[1].ActionSpace(), nil), Settable: true}, data[6+2])
	assert.Equal(t, "agent_2/truncated", data[17].Name)
	assert.Equal(t, agentlink.DataSpec{Name: "knob", Space: knobSpace, Settable: true}, data[18])

	require.NoError(t, s.Advance(sim.Second+50*sim.Millisecond))
	for k := 1; k <= 6; k++ {
		for i, id := range ids {
			obs, err := s.Get(agentlink.AgentDatum(id, agentlink.FieldObservation))
			require.NoError(t, err)
			require.NoError(t, s.Set(agentlink.AgentDatum(id, agentlink.FieldAction), obs.(spaces.DiscreteValue)+spaces.DiscreteValue(i)))
			if k >= 3 {
				r, err := s.Get(agentlink.AgentDatum(id, agentlink.FieldReward))
				require.NoError(t, err)
				assert.Equal(t, spaces.DoubleBox(1), r, "%s at %v", id, s.Now())
			}
		}
		require.NoError(t, s.Advance(sim.Second))
	}
	d, err := s.Get("agent_2/decisions")
	require.NoError(t, err)
	assert.Equal(t, spaces.UintBox(6), d, "one decision a second from 1.1 s")

	require.NoError(t, s.Set("knob", spaces.DiscreteValue(3)))
	v, err := s.Get("knob")
	require.NoError(t, err)
	assert.Equal(t, spaces.DiscreteValue(3), v)
	require.ErrorIs(t, s.Set("knob", spaces.DiscreteValue(4)), spaces.ErrNotInSpace)
}

func TestScenarioStepperErrors(t *testing.T) {
	boom := errors.New("boom")
	getter := func() (spaces.Value, error) { return nil, nil }
	d2 := must(spaces.NewDiscrete(2))
	tests := []struct {
		name  string
		build agentlink.SeededBuilder
		extra []agentlink.Datum
		want  string
	}{
		{"nil builder", nil, nil, "needs a scenario builder"},
		{"builder error", func(uint64, uint64) (*rl.Scenario, error) { return nil, boom }, nil, "(seed 1, run 1): boom"},
		{"no simulator", func(uint64, uint64) (*rl.Scenario, error) { return &rl.Scenario{}, nil }, nil, "no simulator"},
		{"no agents", func(uint64, uint64) (*rl.Scenario, error) { return &rl.Scenario{Sim: sim.New(1, 1)}, nil }, nil, "no agent applications"},
		{"extra without Get", additionBuilder(three), []agentlink.Datum{{Name: "x", Space: d2}}, "needs a name and a Get function"},
		{"extra without space", additionBuilder(three), []agentlink.Datum{{Name: "x", Get: getter}}, `datum "x" has no space`},
		{"extra clashes with an agent datum", additionBuilder(three), []agentlink.Datum{{Name: "agent_0/reward", Space: d2, Get: getter}}, `"agent_0/reward" defined twice`},
	}
	for _, tc := range tests {
		_, err := agentlink.NewScenarioStepper(tc.build, 1, 1, tc.extra...)
		require.ErrorContains(t, err, tc.want, tc.name)
	}

	s, err := agentlink.NewScenarioStepper(additionBuilder(func(seed uint64) int { return int(seed) }), 1, 1)
	require.NoError(t, err)
	_, err = s.Get("agent_1/observation")
	require.ErrorContains(t, err, `no datum "agent_1/observation" (data: agent_0/observation, agent_0/reward,`)
	require.ErrorContains(t, s.Set("agent_0/reward", spaces.DoubleBox(1)), "read-only")
	require.ErrorContains(t, s.Advance(-1), "must not be negative")
	require.ErrorContains(t, s.Reset(2, 1), "has agents [agent_0 agent_1], the stepper was built with [agent_0]")
	require.NoError(t, s.Advance(0))
	assert.Equal(t, sim.Time(0), s.Now())
	v, err := s.Get("agent_0/observation")
	require.NoError(t, err)
	assert.Nil(t, v, "an empty datum at t = 0")
}

// A Gymnasium-style loop over a Stepper, as an in-process Python env runs
// it: reset(seed) is Reset, step(action) is Set, Advance by the env's step
// and Get.
func ExampleScenarioStepper() {
	build := func(seed, run uint64) (*rl.Scenario, error) {
		cfg := rlexamples.DefaultAdditionConfig()
		cfg.Seed, cfg.Pairs = seed, 1
		b, err := rlexamples.AdditionScenario(cfg)
		if err != nil {
			return nil, err
		}
		return b(run)
	}
	env, err := agentlink.NewScenarioStepper(build, 1, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	reset := func(seed uint64) spaces.Value {
		_ = env.Reset(seed, 1)
		_ = env.Advance(sim.Second + 50*sim.Millisecond) // the first digit has arrived
		obs, _ := env.Get("agent_0/observation")
		return obs
	}
	step := func(action spaces.Value) (spaces.Value, spaces.Value) {
		_ = env.Set("agent_0/action", action)
		_ = env.Advance(sim.Second)
		obs, _ := env.Get("agent_0/observation")
		reward, _ := env.Get("agent_0/reward")
		return obs, reward
	}
	obs := reset(1)
	for range 4 {
		var reward spaces.Value
		obs, reward = step(obs) // agent_0's target is the digit itself
		fmt.Printf("t=%v obs=%v reward=%v\n", env.Now(), obs, reward)
	}
	// Output:
	// t=2.05s obs=8 reward=[1]
	// t=3.05s obs=5 reward=[1]
	// t=4.05s obs=8 reward=[1]
	// t=5.05s obs=9 reward=[1]
}
