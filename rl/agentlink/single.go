package agentlink

import (
	"errors"
	"fmt"

	"github.com/netgym/netgym/spaces"
)

// singleLoop is a one-agent multi-agent Env seen as a single-agent one.
type singleLoop struct {
	env   Env
	agent string
	spec  Spec
}

// SingleAgentLoop returns env as a single-agent Env, for the links that
// speak only single-agent messages (ns3-gym's EnvStateMsg, ns3-ai's Gym
// interface). A single-agent env is returned as it is. A multi-agent env
// must name exactly one agent (such as rl-wifi's scenario, one agent
// application): the view's spec is SingleAgent of that agent's spaces,
// each turn of the agent is a turn of SingleAgentID, and DEFIANCE's final
// message at the simulation's end (agent "", reason SimulationEnd) is the
// single agent's final state. Several agents are an error naming them:
// their turns cannot be told apart in single-agent messages.
func SingleAgentLoop(env Env) (Env, error) {
	if env == nil {
		return nil, errors.New("agentlink: nil env")
	}
	spec := env.Spec()
	if !spec.MultiAgent {
		return env, nil
	}
	ids := spec.Agents()
	if len(ids) != 1 {
		return nil, fmt.Errorf("agentlink: a single-agent link needs exactly one agent; the env has %d %v (serve it with multi-agent messages, e.g. ns3-gym's --openGymPort)", len(ids), ids)
	}
	id := ids[0]
	return &singleLoop{env: env, agent: id, spec: SingleAgent(spec.Obs[id], spec.Act[id])}, nil
}

func (s *singleLoop) Spec() Spec { return s.spec }

func (s *singleLoop) Next() (Turn, error) {
	t, err := s.env.Next()
	if err != nil {
		return Turn{}, err
	}
	switch {
	case t.Agent == s.agent:
	case t.Agent == "" && t.State.GameOver:
	default:
		return Turn{}, fmt.Errorf("agentlink: turn of agent %q in a single-agent view of agent %q", t.Agent, s.agent)
	}
	st := t.State
	if st.Info == "" {
		st.Info = InfoString(st.InfoMap)
	}
	st.InfoMap = nil
	return Turn{Agent: SingleAgentID, State: st}, nil
}

func (s *singleLoop) Act(agent string, action spaces.Value) error {
	if agent != SingleAgentID {
		return fmt.Errorf("agentlink: action for agent %q in a single-agent view", agent)
	}
	return s.env.Act(s.agent, action)
}
