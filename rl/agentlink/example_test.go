package agentlink_test

import (
	"context"
	"fmt"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/spaces"
)

// goAgent is an agent in the same process: it implements Link directly,
// with no codec and no transport. It answers every observation o with
// action o+1 and stops after three actions.
type goAgent struct{ acted int }

func (a *goAgent) Init(spec agentlink.Spec) (bool, error) {
	fmt.Println("init: agents", spec.Agents(), "act", spec.Act["pump"])
	return false, nil
}

func (a *goAgent) Step(agent string, st agentlink.State) (agentlink.Action, error) {
	if a.acted == 3 {
		return agentlink.Action{Stop: true}, nil
	}
	a.acted++
	return agentlink.Action{Value: st.Obs.(spaces.DiscreteValue) + 1}, nil
}

func (a *goAgent) End(agent string, st agentlink.State) error { return nil }
func (a *goAgent) Close() error                               { return nil }

// tank is a one-agent simulation: its level is the observation and the
// agent's action the new level.
type tank struct{ level int64 }

func (t *tank) Spec() agentlink.Spec {
	obs, _ := spaces.NewDiscrete(10)
	act, _ := spaces.NewDiscrete(10)
	return agentlink.MultiAgent(map[string]spaces.Space{"pump": obs}, map[string]spaces.Space{"pump": act})
}

func (t *tank) Next() (agentlink.Turn, error) {
	return agentlink.Turn{Agent: "pump", State: agentlink.State{Obs: spaces.DiscreteValue(t.level)}}, nil
}

func (t *tank) Act(agent string, a spaces.Value) error {
	t.level = int64(a.(spaces.DiscreteValue))
	fmt.Println(agent, "sets the level to", t.level)
	return nil
}

// Run drives a simulation against any Link; here a Go agent in the same
// process. Over the wire the Link is a MessageLink (opengym.DialLink for
// ns3-gym's ZeroMQ protocol).
func ExampleRun() {
	res, err := agentlink.Run(context.Background(), &goAgent{}, &tank{level: 2})
	fmt.Printf("%+v %v\n", res, err)
	// Output:
	// init: agents [pump] act Discrete(10)
	// pump sets the level to 3
	// pump sets the level to 4
	// pump sets the level to 5
	// {Steps:4 Stopped:true GameOver:false Reason:SimulationEnd} <nil>
}
