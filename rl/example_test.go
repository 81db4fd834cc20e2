package rl_test

import (
	"fmt"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/spaces"
)

// sensor is a user observation application: it embeds
// *rl.ObservationApplication and implements rl.CollectorHooks.
type sensor struct {
	*rl.ObservationApplication
}

// RegisterCallbacks schedules one reading per second, 1..3.
func (o *sensor) RegisterCallbacks() error {
	for k := 1; k <= 3; k++ {
		o.Sim().Schedule(sim.Time(k)*sim.Second, func() {
			_ = o.Send(spaces.NewDictValue().Set("level", spaces.DiscreteValue(k)))
		})
	}
	return nil
}

// controller is a user agent application: it embeds *rl.AgentApplication
// and implements rl.AgentHooks.
type controller struct {
	*rl.AgentApplication
}

// OnRecvObs makes the newest reading the observation, rewards low levels
// and asks for an action.
func (a *controller) OnRecvObs(remote uint32) {
	level, _ := a.ObservationHistory().Newest(remote).(*spaces.DictValue).Get("level")
	a.SetObservation(level)
	a.SetReward(-float64(level.(spaces.DiscreteValue)))
	_ = a.InferAction()
}

// OnRecvReward is not used: the reward comes with the observation.
func (a *controller) OnRecvReward(uint32) {}

// valve is a user action handler.
type valve struct{ s *sim.Simulator }

// ExecuteAction prints what the agent decided.
func (v valve) ExecuteAction(agent uint32, msg spaces.Value) {
	fmt.Printf("%v: valve set to %v by agent %d\n", v.s.Now(), rl.ActionValue(msg), agent)
}

// buildPlant wires a sensor, a controller and a valve on three nodes; the
// controller needs 100 ms to decide.
func buildPlant(run uint64) (*rl.Scenario, error) {
	s := sim.New(1, run)
	net := inet.NewNetwork(s)
	n0, _ := net.NewNode()
	n1, _ := net.NewNode()
	n2, _ := net.NewNode()
	obs := &sensor{}
	obs.ObservationApplication, _ = rl.NewObservationApplication(n0, obs)
	space, _ := spaces.NewDiscrete(10)
	ag := &controller{}
	var err error
	ag.AgentApplication, err = rl.NewAgentApplication(n1, rl.AgentConfig{
		ObservationSpace: space, ActionSpace: space, ActionDelay: 100 * sim.Millisecond}, ag)
	if err != nil {
		return nil, err
	}
	act, _ := rl.NewActionApplication(n2, valve{s})
	h, _ := rl.NewCommunicationHelper(s)
	_ = h.SetObservationApps(obs)
	_ = h.SetAgentApps(ag)
	_ = h.SetActionApps(act)
	_ = h.SetIDs()
	if err := h.Configure(); err != nil {
		return nil, err
	}
	_, err = h.AddCommunication(
		rl.CommunicationPair{Client: rl.ObservationID(0), Server: rl.AgentID(0),
			Attributes: rl.CommunicationAttributes{Delay: 5 * sim.Millisecond}},
		rl.CommunicationPair{Client: rl.ActionID(0), Server: rl.AgentID(0)})
	if err != nil {
		return nil, err
	}
	return &rl.Scenario{Sim: s, Agents: []*rl.AgentApplication{ag.AgentApplication}}, nil
}

// A multi-agent environment (here with one agent) pauses the simulation at
// every InferAction; each Step answers the decision, and the action is
// executed the action delay later in simulated time.
func ExampleMultiAgentEnv() {
	env, err := rl.NewMultiAgentEnv(buildPlant, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	st, _ := env.Reset()
	for !env.Done() {
		fmt.Printf("%v: %s sees %v, reward %v, final %v\n", st.Time, st.Agent, st.Observation, st.Reward, st.Final())
		var action spaces.Value
		if !st.Final() {
			action = spaces.DiscreteValue(9 - int64(st.Observation.(spaces.DiscreteValue)))
		}
		st, _ = env.Step(action)
	}
	// Output:
	// 1.005s: agent_0 sees 1, reward -1, final false
	// 1.105s: valve set to 8 by agent 0
	// 2.005s: agent_0 sees 2, reward -2, final false
	// 2.105s: valve set to 7 by agent 0
	// 3.005s: agent_0 sees 3, reward -3, final false
	// 3.105s: valve set to 6 by agent 0
	// 3.105s: agent_0 sees 3, reward -3, final true
}

// A Go agent can also decide at once, without an environment.
func ExampleAgentApplication_AttachAgent() {
	sc, _ := buildPlant(1)
	rnd, _ := rl.NewRandomAgent(sc.Agents[0].ActionSpace(), sim.NewStream(1, 0, "agent"))
	sc.Agents[0].AttachAgent(rnd)
	sc.Sim.Run()
	fmt.Println("decisions:", sc.Agents[0].Decisions())
	// Output:
	// 1.105s: valve set to 1 by agent 0
	// 2.105s: valve set to 7 by agent 0
	// 3.105s: valve set to 8 by agent 0
	// decisions: 3
}

func ExampleHistoryContainer() {
	h, _ := rl.NewHistoryContainer(3)
	for i := range 5 {
		h.Push(sim.Time(i)*sim.Second, spaces.DiscreteValue(i*10))
	}
	for _, e := range h.All() { // newest first
		fmt.Println(e.Time, e.Value)
	}
	// Output:
	// 4s 40
	// 3s 30
	// 2s 20
}

// The single-agent, Gym-style view of the same plant.
func ExampleEnv() {
	env, err := rl.NewEnv(buildPlant, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(env.ObservationSpace(), env.ActionSpace())
	obs, _, _ := env.Reset()
	for {
		obs2, reward, terminated, truncated, _, err := env.Step(spaces.DiscreteValue(0))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("observation", obs, "-> reward", reward, "next", obs2, terminated, truncated)
		if terminated || truncated {
			break
		}
		obs = obs2
	}
	// Output:
	// Discrete(10) Discrete(10)
	// 1.105s: valve set to 0 by agent 0
	// observation 1 -> reward -2 next 2 false false
	// 2.105s: valve set to 0 by agent 0
	// observation 2 -> reward -3 next 3 false false
	// 3.105s: valve set to 0 by agent 0
	// observation 3 -> reward -3 next 3 false true
}
