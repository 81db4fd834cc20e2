package rl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/spaces"
)

func TestActionDelayAndChannelDelays(t *testing.T) {
	tests := []struct {
		name        string
		delay       sim.Time
		actionDelay sim.Time
	}{
		{"no delays", 0, 0},
		{"channel delay", 10 * sim.Millisecond, 0},
		{"action delay", 0, 250 * sim.Millisecond},
		{"both", 7 * sim.Millisecond, 300 * sim.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, err := newTickWorld(1, 1, 3, tc.actionDelay, rl.CommunicationAttributes{Delay: tc.delay})
			require.NoError(t, err)
			d := w.agents[0].AttachAgent(echoPolicy{})
			w.s.RunUntil(10 * sim.Second)
			require.NoError(t, d.Err)
			rec := w.actions[0]
			require.Len(t, rec.times, 3)
			for k := 1; k <= 3; k++ {
				// observation: k s + delay; action: + action delay + delay
				assert.Equal(t, sim.Time(k)*sim.Second+2*tc.delay+tc.actionDelay, rec.times[k-1])
				assert.Equal(t, spaces.DiscreteValue(k), rec.acts[k-1])
				assert.Equal(t, uint32(0), rec.from[k-1])
			}
			assert.Equal(t, uint64(3), w.agents[0].Decisions())
			assert.Equal(t, 3, w.agents[0].ObservationHistory().Source(0).Len())
		})
	}
}

func TestInferActionErrors(t *testing.T) {
	w, err := newTickWorld(1, 1, 1, 0, rl.CommunicationAttributes{})
	require.NoError(t, err)
	a := w.agents[0]
	require.ErrorContains(t, a.InferAction(), "without an observation")
	a.SetObservation(spaces.DiscreteValue(1))
	require.ErrorContains(t, a.InferAction(), "without a decider")
	// an action outside the action space is counted, not executed
	d := a.AttachAgent(constPolicy{spaces.DiscreteValue(10)})
	require.NoError(t, a.InferAction())
	w.s.RunUntil(5 * sim.Second)
	assert.Equal(t, uint64(2), d.Errors)
	assert.ErrorIs(t, d.Err, spaces.ErrNotInSpace)
	assert.Empty(t, w.actions[0].times)
	n, last := a.ActionErrors()
	assert.Equal(t, uint64(2), n)
	assert.Error(t, last)
}

type constPolicy struct{ v spaces.Value }

func (c constPolicy) Act(spaces.Value, float64) (spaces.Value, error) { return c.v, nil }

func TestHelperInterfaces(t *testing.T) {
	tests := []struct {
		name       string
		attr       rl.CommunicationAttributes
		sameNode   bool
		wantSimple bool
		wantErr    error
	}{
		{"no attributes", rl.CommunicationAttributes{}, false, true, nil},
		{"socket", rl.CommunicationAttributes{Socket: &rl.SocketAttributes{}}, false, false, nil},
		{"socket same node", rl.CommunicationAttributes{Socket: &rl.SocketAttributes{}}, true, true, nil},
		{"socket with ports", rl.CommunicationAttributes{Socket: &rl.SocketAttributes{
			Client: channelif.SocketConfig{Port: 4000}, Server: channelif.SocketConfig{Port: 5000}}}, false, false, nil},
		{"tcp", rl.CommunicationAttributes{Socket: &rl.SocketAttributes{
			Client: channelif.SocketConfig{Protocol: channelif.SocketTCP}}}, false, false, channelif.ErrTCPNotSupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := sim.New(1, 1)
			net := inet.NewNetwork(s)
			a, _ := net.NewNode()
			b, _ := net.NewNode()
			_, err := net.ConnectPointToPoint(a, b, 10*inet.Mbps, 2*sim.Millisecond)
			require.NoError(t, err)
			obsNode := b
			if tc.sameNode {
				obsNode = a
			}
			o := &tickObs{n: 2}
			o.ObservationApplication, _ = rl.NewObservationApplication(obsNode, o)
			space, _ := spaces.NewDiscrete(10)
			ag := &echoAgent{}
			ag.AgentApplication, err = rl.NewAgentApplication(a, rl.AgentConfig{ObservationSpace: space, ActionSpace: space}, ag)
			require.NoError(t, err)
			h, _ := rl.NewCommunicationHelper(s)
			require.NoError(t, h.SetObservationApps(o))
			require.NoError(t, h.SetAgentApps(ag))
			require.NoError(t, h.SetIDs())
			require.NoError(t, h.Configure())
			chans, err := h.AddCommunication(rl.CommunicationPair{Client: rl.ObservationID(0), Server: rl.AgentID(0), Attributes: tc.attr})
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Len(t, chans, 1)
			_, simple := chans[0].Client.(*channelif.SimpleChannelInterface)
			assert.Equal(t, tc.wantSimple, simple)
			if sc, ok := chans[0].Server.(*channelif.SocketChannelInterface); ok {
				addr, port := sc.LocalAddress()
				assert.Equal(t, a.Address(), addr) // the agent's default address
				if p := tc.attr.Socket.Server.Port; p != 0 {
					assert.Equal(t, p, port)
				}
			}
			var times []sim.Time
			ag.AttachAgent(rl.Agent(timeRecorder{s: s, times: &times}))
			s.RunUntil(5 * sim.Second)
			require.Len(t, times, 2)
			if tc.wantSimple {
				assert.Equal(t, sim.Second, times[0])
			} else {
				assert.Greater(t, times[0], sim.Second+2*sim.Millisecond) // link delay and transmission
				assert.Less(t, times[0], sim.Second+10*sim.Millisecond)
			}
		})
	}
}

type timeRecorder struct {
	s     *sim.Simulator
	times *[]sim.Time
}

func (r timeRecorder) Act(obs spaces.Value, _ float64) (spaces.Value, error) {
	*r.times = append(*r.times, r.s.Now())
	return obs, nil
}

func TestHelperErrors(t *testing.T) {
	w, err := newTickWorld(1, 2, 1, 0, rl.CommunicationAttributes{})
	require.NoError(t, err)
	tests := []struct {
		name string
		pair rl.CommunicationPair
	}{
		{"unknown app", rl.CommunicationPair{Client: rl.ObservationID(5), Server: rl.AgentID(0)}},
		{"observation to observation", rl.CommunicationPair{Client: rl.ObservationID(0), Server: rl.ObservationID(1)}},
		{"action to observation", rl.CommunicationPair{Client: rl.ActionID(0), Server: rl.ObservationID(0)}},
		{"negative delay", rl.CommunicationPair{Client: rl.ObservationID(0), Server: rl.AgentID(1),
			Attributes: rl.CommunicationAttributes{Delay: -1}}},
	}
	for _, tc := range tests {
		_, err := w.helper.AddCommunication(tc.pair)
		assert.Error(t, err, tc.name)
	}
	assert.Error(t, w.helper.SetAgentApps(w.obs[0]))
	_, err = rl.NewCommunicationHelper(nil)
	assert.Error(t, err)
}

func TestAddDeleteInterfacesDuringRun(t *testing.T) {
	w, err := newTickWorld(1, 2, 6, 0, rl.CommunicationAttributes{})
	require.NoError(t, err)
	for _, a := range w.agents {
		a.AttachAgent(echoPolicy{})
	}
	// at 2.5 s, agent 0's observation channel goes; a second channel from
	// observation 1 to agent 0 arrives; agents 0 and 1 get a channel.
	w.s.Schedule(2500*sim.Millisecond, func() {
		require.NoError(t, w.helper.DeleteCommunication(rl.AgentID(0), rl.ObservationID(0), 0, 0))
		chans, err := w.helper.AddCommunication(
			rl.CommunicationPair{Client: rl.ObservationID(1), Server: rl.AgentID(0)},
			rl.CommunicationPair{Client: rl.AgentID(1), Server: rl.AgentID(0)},
			rl.CommunicationPair{Client: rl.ObservationID(1), Server: rl.AgentID(0)})
		require.NoError(t, err)
		// interfaces are numbered per remote application
		assert.Equal(t, [2]int{0, 0}, [2]int{chans[0].ClientIfaceID, chans[0].ServerIfaceID})
		assert.Equal(t, [2]int{1, 1}, [2]int{chans[2].ClientIfaceID, chans[2].ServerIfaceID})
	})
	w.s.RunUntil(10 * sim.Second)
	// agent 0: ticks 1, 2 from observation 0, then 3..6 twice from
	// observation 1 (two interfaces)
	assert.Equal(t, 10, w.agents[0].received)
	assert.Equal(t, 10, w.agents[0].ObservationHistory().Combined().Len())
	assert.Equal(t, []uint32{0, 1}, w.agents[0].ObservationHistory().Sources())
	assert.Equal(t, 6, w.agents[1].received)
	require.NoError(t, w.agents[1].SendToAgent(spaces.DiscreteValue(7)))
	require.NoError(t, w.agents[1].SendToAgentTo(spaces.DiscreteValue(8), 0))
	w.s.RunUntil(11 * sim.Second)
	assert.Equal(t, []spaces.Value{spaces.DiscreteValue(7), spaces.DiscreteValue(8)}, w.agents[0].fromPeer)
	assert.ErrorIs(t, w.agents[1].SendToAgentTo(spaces.DiscreteValue(8), 5), rl.ErrNoInterface)
	assert.ErrorIs(t, w.agents[0].Base().DeleteInterface(rl.ObservationID(0), 0), rl.ErrNoInterface)
	// a stopped application sends nothing
	w.obs[1].Stop()
	assert.False(t, w.obs[1].Running())
	require.NoError(t, w.obs[1].Send(spaces.DiscreteValue(1)))
	w.s.RunUntil(12 * sim.Second)
	assert.Equal(t, 10, w.agents[0].received)
}
