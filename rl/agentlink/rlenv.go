package agentlink

import (
	"errors"
	"fmt"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/spaces"
)

// rlLoop adapts an rl.MultiAgentEnv to Env.
type rlLoop struct {
	env     *rl.MultiAgentEnv
	started bool
	next    rl.AgentStep
}

// MultiAgentEnvLoop returns env as the agent loop sees it, with
// DEFIANCE's turn-based semantics whatever the transport: the first Next
// resets env; each pending decision of an agent application is that
// agent's turn; a terminated step is the final turn (reason GameOver);
// steps truncated by the end of the simulation go out as ordinary turns
// (the agent's reply is ignored), and when every agent is done the final
// turn goes to agent id "" (reason SimulationEnd).
func MultiAgentEnvLoop(env *rl.MultiAgentEnv) (Env, error) {
	if env == nil {
		return nil, errors.New("agentlink: nil env")
	}
	return &rlLoop{env: env}, nil
}

func (a *rlLoop) Spec() Spec {
	obs := make(map[string]spaces.Space)
	act := make(map[string]spaces.Space)
	for _, id := range a.env.AgentIDs() {
		if s, err := a.env.ObservationSpace(id); err == nil {
			obs[id] = s
		}
		if s, err := a.env.ActionSpace(id); err == nil {
			act[id] = s
		}
	}
	return Spec{MultiAgent: true, Obs: obs, Act: act}
}

func (a *rlLoop) Next() (Turn, error) {
	if !a.started {
		a.started = true
		var err error
		if a.next, err = a.env.Reset(); err != nil {
			return Turn{}, err
		}
	}
	if a.env.Done() {
		return Turn{State: State{GameOver: true, Reason: SimulationEnd}}, nil
	}
	st := a.next
	return Turn{Agent: st.Agent, State: State{
		Obs: st.Observation, Reward: st.Reward, GameOver: st.Terminated, Reason: GameOver, InfoMap: st.Info,
	}}, nil
}

func (a *rlLoop) Act(agent string, action spaces.Value) error {
	if a.next.Agent != agent {
		return fmt.Errorf("agentlink: action for %q while it is %q's turn", agent, a.next.Agent)
	}
	if a.next.Final() {
		action = nil // a final step's action is ignored
	}
	var err error
	a.next, err = a.env.Step(action)
	return err
}
