package rl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/spaces"
)

// countingAgent counts what it receives per source.
type countingAgent struct {
	*rl.AgentApplication
	obs, rew map[uint32]int
}

func (a *countingAgent) OnRecvObs(r uint32)    { a.obs[r]++ }
func (a *countingAgent) OnRecvReward(r uint32) { a.rew[r]++ }

func TestDataCollectorSendToSomeOrAll(t *testing.T) {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	node, _ := net.NewNode()
	space, _ := spaces.NewDiscrete(2)
	var agents []rl.Application
	var counts []*countingAgent
	for range 3 {
		a := &countingAgent{obs: map[uint32]int{}, rew: map[uint32]int{}}
		var err error
		a.AgentApplication, err = rl.NewAgentApplication(node, rl.AgentConfig{ObservationSpace: space, ActionSpace: space}, a)
		require.NoError(t, err)
		agents = append(agents, a)
		counts = append(counts, a)
	}
	obs, err := rl.NewObservationApplication(node, nil)
	require.NoError(t, err)
	rew, err := rl.NewRewardApplication(node, nil)
	require.NoError(t, err)
	h, _ := rl.NewCommunicationHelper(s)
	require.NoError(t, h.SetObservationApps(obs))
	require.NoError(t, h.SetRewardApps(rew))
	require.NoError(t, h.SetAgentApps(agents...))
	require.NoError(t, h.SetIDs())
	require.NoError(t, h.Configure())
	for i := range uint32(3) {
		_, err := h.AddCommunication(
			rl.CommunicationPair{Client: rl.ObservationID(0), Server: rl.AgentID(i)},
			rl.CommunicationPair{Client: rl.RewardID(0), Server: rl.AgentID(i)})
		require.NoError(t, err)
	}
	assert.Equal(t, []rl.RlApplicationID{rl.AgentID(0), rl.AgentID(1), rl.AgentID(2)}, obs.Remotes(rl.AgentApp))
	v := spaces.DiscreteValue(1)
	require.NoError(t, obs.Send(v))                            // all three
	require.NoError(t, obs.SendTo(v, 0, 2))                    // two
	require.NoError(t, obs.SendVia(v, 1, 0))                   // one
	require.NoError(t, rew.SendTo(v, 2))                       // one reward
	assert.ErrorIs(t, obs.SendTo(v, 1, 7), rl.ErrNoInterface)  // 1 still gets it
	assert.ErrorIs(t, obs.SendVia(v, 1, 3), rl.ErrNoInterface) // no interface 3
	s.Run()
	assert.Equal(t, map[uint32]int{0: 2}, counts[0].obs)
	assert.Equal(t, map[uint32]int{0: 3}, counts[1].obs)
	assert.Equal(t, map[uint32]int{0: 2}, counts[2].obs)
	assert.Equal(t, map[uint32]int{0: 1}, counts[2].rew)
	assert.Empty(t, counts[0].rew)
}

func TestApplicationConstructionErrors(t *testing.T) {
	s := sim.New(1, 1)
	node, _ := inet.NewNetwork(s).NewNode()
	space, _ := spaces.NewDiscrete(2)
	_, err := rl.NewObservationApplication(nil, nil)
	assert.Error(t, err)
	_, err = rl.NewRewardApplication(nil, nil)
	assert.Error(t, err)
	_, err = rl.NewActionApplication(nil, nil)
	assert.Error(t, err)
	tests := []struct {
		name  string
		cfg   rl.AgentConfig
		hooks rl.AgentHooks
	}{
		{"no observation space", rl.AgentConfig{ActionSpace: space}, &countingAgent{}},
		{"no action space", rl.AgentConfig{ObservationSpace: space}, &countingAgent{}},
		{"negative history", rl.AgentConfig{ObservationSpace: space, ActionSpace: space, RewardHistory: -1}, &countingAgent{}},
		{"negative delay", rl.AgentConfig{ObservationSpace: space, ActionSpace: space, ActionDelay: -1}, &countingAgent{}},
		{"no hooks", rl.AgentConfig{ObservationSpace: space, ActionSpace: space}, nil},
	}
	for _, tc := range tests {
		_, err := rl.NewAgentApplication(node, tc.cfg, tc.hooks)
		assert.Error(t, err, tc.name)
	}
	a, err := rl.NewAgentApplication(node, rl.AgentConfig{ObservationSpace: space, ActionSpace: space}, &countingAgent{})
	require.NoError(t, err)
	assert.Equal(t, rl.DefaultHistoryLength, a.Config().ObservationHistory)
	assert.Equal(t, rl.DefaultHistoryLength, a.ObservationHistory().Limit())
	assert.Error(t, a.SetID(rl.ObservationID(1)))
	assert.NoError(t, a.SetID(rl.AgentID(4)))
	assert.Equal(t, "agent_4", a.ID().String())
	assert.Error(t, a.SetActionDelay(-1))
	_, err = a.AddInterface(rl.AgentID(0), nil)
	assert.Error(t, err)
	obs, _ := rl.NewObservationApplication(node, nil)
	_, err = obs.AddInterface(rl.ObservationID(1), nil)
	assert.Error(t, err)

	assert.Equal(t, spaces.DiscreteValue(3), rl.ActionValue(spaces.NewDictValue().Set("default", spaces.DiscreteValue(3))))
	assert.Equal(t, spaces.DiscreteValue(3), rl.ActionValue(spaces.DiscreteValue(3)))
}

func TestParallelEnvironmentsAreIndependent(t *testing.T) {
	run := func() []string {
		build, _ := tickScenario(2, 4, 100*sim.Millisecond, 0, nil)
		env, err := rl.NewMultiAgentEnv(build, 3)
		if err != nil {
			return []string{err.Error()}
		}
		var trace []string
		st, err := env.Reset()
		for err == nil && !env.Done() {
			trace = append(trace, st.Agent+"@"+st.Time.String())
			st, err = env.Step(st.Observation)
		}
		return trace
	}
	want := run()
	results := make(chan []string, 4)
	for range 4 {
		go func() { results <- run() }()
	}
	for range 4 {
		assert.Equal(t, want, <-results)
	}
	assert.Len(t, want, 10)
}
