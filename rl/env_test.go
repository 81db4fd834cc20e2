package rl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/spaces"
)

// tickScenario builds a tick world for an environment; extra may schedule
// more events.
func tickScenario(n, ticks int, actionDelay, end sim.Time, extra func(*tickWorld)) (rl.ScenarioBuilder, *[]*tickWorld) {
	var worlds []*tickWorld
	return func(run uint64) (*rl.Scenario, error) {
		w, err := newTickWorld(run, n, ticks, actionDelay, rl.CommunicationAttributes{})
		if err != nil {
			return nil, err
		}
		if extra != nil {
			extra(w)
		}
		worlds = append(worlds, w)
		return &rl.Scenario{Sim: w.s, Agents: w.agentApps(), End: end}, nil
	}, &worlds
}

func TestMultiAgentEnvTurnsAndActionDelay(t *testing.T) {
	const delay = 400 * sim.Millisecond
	build, worlds := tickScenario(2, 3, delay, 0, nil)
	env, err := rl.NewMultiAgentEnv(build, 1)
	require.NoError(t, err)
	assert.Equal(t, []string{"agent_0", "agent_1"}, env.AgentIDs())
	type turn struct {
		agent string
		at    sim.Time
		obs   spaces.Value
		final bool
	}
	var got []turn
	st, err := env.Reset()
	require.NoError(t, err)
	for !env.Done() {
		// the simulation is paused at the decision
		assert.Equal(t, st.Time, env.Sim().Now())
		got = append(got, turn{st.Agent, st.Time, st.Observation, st.Final()})
		var action spaces.Value
		if !st.Final() {
			action = spaces.DiscreteValue(int64(st.Observation.(spaces.DiscreteValue)) + 5)
		}
		st, err = env.Step(action)
		require.NoError(t, err)
	}
	want := []turn{}
	for k := 1; k <= 3; k++ {
		for _, a := range []string{"agent_0", "agent_1"} {
			want = append(want, turn{a, sim.Time(k) * sim.Second, spaces.DiscreteValue(k), false})
		}
	}
	// the simulation ends (no event left): every agent gets a truncated step
	end := 3*sim.Second + delay
	want = append(want, turn{"agent_0", end, spaces.DiscreteValue(3), true}, turn{"agent_1", end, spaces.DiscreteValue(3), true})
	assert.Equal(t, want, got)
	// each action ran exactly the action delay after its decision
	w := (*worlds)[0]
	for i := range 2 {
		assert.Equal(t, []sim.Time{sim.Second + delay, 2*sim.Second + delay, 3*sim.Second + delay}, w.actions[i].times)
		assert.Equal(t, []spaces.Value{spaces.DiscreteValue(6), spaces.DiscreteValue(7), spaces.DiscreteValue(8)}, w.actions[i].acts)
	}
	_, err = env.Step(spaces.DiscreteValue(0))
	assert.ErrorIs(t, err, rl.ErrEpisodeDone)
}

func TestMultiAgentEnvTruncationTermination(t *testing.T) {
	tests := []struct {
		name          string
		end           sim.Time
		extra         func(*tickWorld)
		wantSteps     map[string]int
		wantTermAgent string
	}{
		{"end time", 2500 * sim.Millisecond, nil, map[string]int{"agent_0": 3, "agent_1": 3}, ""},
		{"truncation request", 0, func(w *tickWorld) {
			w.s.Schedule(2500*sim.Millisecond, w.agents[0].RequestTruncation)
		}, map[string]int{"agent_0": 3, "agent_1": 6}, ""},
		{"game over", 0, func(w *tickWorld) {
			w.s.Schedule(1500*sim.Millisecond, w.agents[1].RequestTermination)
		}, map[string]int{"agent_0": 6, "agent_1": 2}, "agent_1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			build, _ := tickScenario(2, 5, 0, tc.end, tc.extra)
			env, err := rl.NewMultiAgentEnv(build, 1)
			require.NoError(t, err)
			agents := map[string]rl.Agent{"agent_0": echoPolicy{}, "agent_1": echoPolicy{}}
			st, err := rl.RunEpisode(env, agents)
			require.NoError(t, err)
			assert.Equal(t, tc.wantSteps, st.Steps)
			for id := range tc.wantSteps {
				assert.Equal(t, id == tc.wantTermAgent, st.Terminated[id], id)
				assert.Equal(t, id != tc.wantTermAgent, st.Truncated[id], id)
			}
			// rewards: the tick count at each decision after the first
			assert.Equal(t, float64(tc.wantSteps["agent_0"]-1), float64(st.Rewarded["agent_0"]))
		})
	}
}

func TestMultiAgentEnvResetAndErrors(t *testing.T) {
	build, worlds := tickScenario(1, 2, 0, 0, nil)
	env, err := rl.NewMultiAgentEnv(build, 7)
	require.NoError(t, err)
	_, err = env.Step(spaces.DiscreteValue(1))
	require.Error(t, err) // before Reset
	st, err := env.Reset()
	require.NoError(t, err)
	// an action outside the space keeps the decision waiting
	_, err = env.Step(spaces.DiscreteValue(99))
	require.ErrorIs(t, err, spaces.ErrNotInSpace)
	cur, ok := env.Current()
	require.True(t, ok)
	assert.Equal(t, st, cur)
	// Reset in the middle of an episode starts the next run
	_, err = env.Reset()
	require.NoError(t, err)
	require.Len(t, *worlds, 2)
	assert.Equal(t, uint64(8), (*worlds)[1].s.RunNumber())
	_, err = env.ObservationSpace("agent_9")
	assert.Error(t, err)

	_, err = rl.NewMultiAgentEnv(nil, 1)
	assert.Error(t, err)
	_, err = rl.NewMultiAgentEnv(func(uint64) (*rl.Scenario, error) { return &rl.Scenario{Sim: sim.New(1, 1)}, nil }, 1)
	assert.ErrorContains(t, err, "no agent")
	_, err = rl.NewEnv(tickScenarioBuilder(2), 1)
	assert.ErrorContains(t, err, "exactly one")
}

func tickScenarioBuilder(n int) rl.ScenarioBuilder {
	b, _ := tickScenario(n, 3, 0, 0, nil)
	return b
}

func TestEnvGymStyle(t *testing.T) {
	env, err := rl.NewEnv(tickScenarioBuilder(1), 1)
	require.NoError(t, err)
	assert.Equal(t, "Discrete(10)", env.ObservationSpace().String())
	assert.Equal(t, "Discrete(10)", env.ActionSpace().String())
	for range 2 { // two episodes
		obs, _, err := env.Reset()
		require.NoError(t, err)
		assert.Equal(t, spaces.DiscreteValue(1), obs)
		var rewards []float64
		for {
			var r float64
			var term, trunc bool
			obs, r, term, trunc, _, err = env.Step(obs)
			require.NoError(t, err)
			rewards = append(rewards, r)
			assert.False(t, term)
			if trunc {
				break
			}
		}
		assert.Equal(t, []float64{2, 3, 3}, rewards)
		_, _, _, _, _, err = env.Step(spaces.DiscreteValue(0))
		assert.ErrorIs(t, err, rl.ErrEpisodeDone)
	}
}
