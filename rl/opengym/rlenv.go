package opengym

import (
	"context"
	"errors"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/rl/agentlink"
)

// ServeMultiAgent runs one episode of env with Python (or any ns3-gym
// multi-agent) agents over cfg's connection: agentlink.Run over DialLink
// and agentlink.MultiAgentEnvLoop, in which each decision of an agent
// application is that agent's turn.
func ServeMultiAgent(ctx context.Context, env *rl.MultiAgentEnv, cfg Config) (Result, error) {
	if env == nil {
		return Result{}, errors.New("opengym: nil env")
	}
	loop, err := agentlink.MultiAgentEnvLoop(env)
	if err != nil {
		return Result{}, err
	}
	return serve(ctx, cfg, loop)
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
