package opengym

import (
	"context"
	"fmt"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/spaces"
)

// rlMultiAgent adapts an rl.MultiAgentEnv to MultiAgentEnv: each pending
// agent decision is one turn; a terminated step is a game over; steps
// truncated by the end of the simulation go out as ordinary turns (the
// agent's reply is ignored), and the final message follows when every
// agent is done.
type rlMultiAgent struct {
	env     *rl.MultiAgentEnv
	started bool
	next    rl.AgentStep
	err     error
}

func (a *rlMultiAgent) ObservationSpaces() map[string]spaces.Space {
	m := make(map[string]spaces.Space)
	for _, id := range a.env.AgentIDs() {
		if s, err := a.env.ObservationSpace(id); err == nil {
			m[id] = s
		}
	}
	return m
}

func (a *rlMultiAgent) ActionSpaces() map[string]spaces.Space {
	m := make(map[string]spaces.Space)
	for _, id := range a.env.AgentIDs() {
		if s, err := a.env.ActionSpace(id); err == nil {
			m[id] = s
		}
	}
	return m
}

func (a *rlMultiAgent) NextTurn() (Turn, bool) {
	if !a.started {
		a.started = true
		a.next, a.err = a.env.Reset()
	}
	if a.err != nil || a.env.Done() {
		return Turn{}, false
	}
	st := a.next
	return Turn{AgentID: st.Agent, Obs: st.Observation, Reward: st.Reward, GameOver: st.Terminated, Info: st.Info}, true
}

func (a *rlMultiAgent) Act(agentID string, action spaces.Value) error {
	if a.next.Agent != agentID {
		return fmt.Errorf("opengym: action for %q while it is %q's turn", agentID, a.next.Agent)
	}
	if a.next.Final() {
		action = nil // a final step's action is ignored
	}
	a.next, a.err = a.env.Step(action)
	return a.err
}

// ServeMultiAgent runs one episode of env with Python (or any ns3-gym
// multi-agent) agents over cfg's connection: RunMultiAgent over an adapter
// in which each decision of an agent application is that agent's turn.
func ServeMultiAgent(ctx context.Context, env *rl.MultiAgentEnv, cfg Config) (Result, error) {
	if env == nil {
		return Result{}, fmt.Errorf("opengym: nil env")
	}
	a := &rlMultiAgent{env: env}
	res, err := RunMultiAgent(ctx, a, cfg)
	if err == nil && a.err != nil {
		err = a.err
	}
	return res, err
}

// ServeScenario builds an rl.MultiAgentEnv from build with run number run
// and serves one episode of it on port (the --openGymPort of netgym's RL
// scenario binaries).
func ServeScenario(ctx context.Context, build rl.ScenarioBuilder, run uint64, port int) (Result, error) {
	env, err := rl.NewMultiAgentEnv(build, run)
	if err != nil {
		return Result{}, err
	}
	cfg := DefaultConfig()
	cfg.Port = port
	return ServeMultiAgent(ctx, env, cfg)
}
