package opengym

import (
	"context"
	"errors"
	"fmt"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/spaces"
)

// GymEnv is a Gymnasium-style single-agent environment, the shape of
// netgym's rl.Env: Reset starts an episode, Step executes an action and
// runs the simulation to the next decision.
type GymEnv interface {
	// ObservationSpace returns the space of the observations.
	ObservationSpace() spaces.Space
	// ActionSpace returns the space of the actions.
	ActionSpace() spaces.Space
	// Reset starts an episode and returns its first observation.
	Reset() (obs spaces.Value, info map[string]string, err error)
	// Step executes action and returns the next observation, the
	// action's reward, and whether the episode terminated (the env's own
	// end) or was truncated (the simulation ran out of time).
	Step(action spaces.Value) (obs spaces.Value, reward float64, terminated, truncated bool, info map[string]string, err error)
}

// gymLoop is a GymEnv as the agent loop sees it, after Reset.
type gymLoop struct {
	env                   GymEnv
	obs                   spaces.Value
	reward                float64
	terminated, truncated bool
	info                  map[string]string
}

func (g *gymLoop) Spec() agentlink.Spec {
	return agentlink.SingleAgent(g.env.ObservationSpace(), g.env.ActionSpace())
}

func (g *gymLoop) Next() (agentlink.Turn, error) {
	st := State{Obs: g.obs, Reward: g.reward, GameOver: g.terminated || g.truncated, Reason: GameOver, InfoMap: g.info}
	if !g.terminated && g.truncated {
		st.Reason = SimulationEnd
	}
	return agentlink.Turn{State: st}, nil
}

func (g *gymLoop) Act(_ string, a spaces.Value) error {
	var err error
	g.obs, g.reward, g.terminated, g.truncated, g.info, err = g.env.Step(a)
	if err != nil {
		return fmt.Errorf("step: %w", err)
	}
	return nil
}

// GymLoop resets env and returns it as the agent loop (agentlink.Run)
// sees it: the first turn is Reset's observation, each action goes to
// Step, and a terminated step is the final turn with reason GameOver, a
// truncated one with SimulationEnd (terminated wins when both are set).
// The info map is sent as ns3-gym's info string in JSON (InfoString).
func GymLoop(env GymEnv) (agentlink.Env, error) {
	if env == nil {
		return nil, errors.New("opengym: nil env")
	}
	obs, info, err := env.Reset()
	if err != nil {
		return nil, fmt.Errorf("opengym: reset: %w", err)
	}
	return &gymLoop{env: env, obs: obs, info: info}, nil
}

// RunGym resets env, connects to the agent and plays one episode of env
// through ns3-gym's protocol (agentlink.Run over DialLink and GymLoop):
// SimInitMsg, then EnvStateMsg/EnvActMsg until a step terminates (game
// over, reason GameOver) or is truncated (reason SimulationEnd), the agent
// asks to stop, an error, or ctx's end. An EnvActMsg without an action
// (possible in ns3-gym's protocol, never sent by its Python agent) is
// passed to Step as nil.
func RunGym(ctx context.Context, env GymEnv, cfg Config) (Result, error) {
	loop, err := GymLoop(env)
	if err != nil {
		return Result{}, err
	}
	return serve(ctx, cfg, loop)
}
