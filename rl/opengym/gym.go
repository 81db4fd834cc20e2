package opengym

import (
	"context"
	"encoding/json"
	"fmt"

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

// RunGym connects to the agent and plays one episode of env through
// ns3-gym's protocol: Reset, SimInitMsg, then EnvStateMsg/EnvActMsg until
// a step terminates (game over, reason GameOver) or is truncated (reason
// SimulationEnd), the agent asks to stop, an error, or ctx's end. A
// terminated and truncated step is sent as GameOver. The info map is sent
// as ns3-gym's info string in JSON (keys sorted; "" for an empty map). An
// EnvActMsg without an action (possible in ns3-gym's protocol, never sent
// by its Python agent) is passed to Step as nil.
func RunGym(ctx context.Context, env GymEnv, cfg Config) (Result, error) {
	if env == nil {
		return Result{}, fmt.Errorf("opengym: nil env")
	}
	if ctx == nil {
		ctx = context.Background()
	}
	obs, info, err := env.Reset()
	if err != nil {
		return Result{}, fmt.Errorf("opengym: reset: %w", err)
	}
	b, err := Dial(ctx, cfg)
	if err != nil {
		return Result{}, err
	}
	defer b.Close()
	stop, err := b.Init(env.ObservationSpace(), env.ActionSpace())
	if err != nil || stop {
		return Result{Stopped: stop}, err
	}
	var (
		reward                float64
		terminated, truncated bool
	)
	for {
		if err := ctx.Err(); err != nil {
			return Result{Steps: b.Steps()}, err
		}
		st := State{Obs: obs, Reward: reward, GameOver: terminated || truncated, Reason: GameOver, Info: InfoString(info)}
		if !terminated && truncated {
			st.Reason = SimulationEnd
		}
		a, err := b.Step(st)
		if err != nil {
			return Result{Steps: b.Steps()}, err
		}
		if st.GameOver {
			return Result{Steps: b.Steps(), GameOver: true, Reason: st.Reason}, nil
		}
		if a.Stop {
			return Result{Steps: b.Steps(), Stopped: true}, nil
		}
		obs, reward, terminated, truncated, info, err = env.Step(a.Value)
		if err != nil {
			return Result{Steps: b.Steps()}, fmt.Errorf("opengym: step: %w", err)
		}
	}
}

// InfoString formats an info map as ns3-gym's info string: a JSON object
// with sorted keys, or "" for an empty map.
func InfoString(info map[string]string) string {
	if len(info) == 0 {
		return ""
	}
	b, err := json.Marshal(info)
	if err != nil { // cannot happen for a map of strings
		return fmt.Sprint(info)
	}
	return string(b)
}
