package ns3ai

import (
	"context"
	"fmt"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/spaces"
)

// apbGym is A-Plus-B over ns3-ai's Gym interface.
type apbGym struct {
	r        *apbRun
	obs, act spaces.Space
	round    int
	a, b     uint32
	drawn    bool
}

// NewAPBGym returns ns3-ai's A-Plus-B Gym example
// (examples/a-plus-b/use-gym/apb.cc, target ns3ai_apb_gym) as an env for
// the agent loop: each round observes two addends in a Box of 2 uint32 in
// [0, 10] (ApbEnv::GetObservationSpace) and takes their sum as a Box of 1
// uint32 in [0, 20] (GetActionSpace); the reward is 0 and there is no game
// over of its own; after cfg.Rounds actions the simulation ends
// (NotifySimulationEnd: a final state, reason SimulationEnd, with the
// last addends). The addends come from cfg.Seed's stream, as in the
// message-interface variants; a wrong sum is an error naming the round.
// cfg.Out receives apb.cc's "set: a,b;" and "get: c;" lines.
func NewAPBGym(cfg APBConfig) (agentlink.Env, error) {
	r, err := newAPBRun(cfg)
	if err != nil {
		return nil, err
	}
	obs, err := spaces.NewBox(0, 10, []int{2}, spaces.Uint)
	if err != nil {
		return nil, err
	}
	act, err := spaces.NewBox(0, 20, []int{1}, spaces.Uint)
	if err != nil {
		return nil, err
	}
	return &apbGym{r: r, obs: obs, act: act}, nil
}

func (g *apbGym) Spec() agentlink.Spec { return agentlink.SingleAgent(g.obs, g.act) }

func (g *apbGym) Next() (agentlink.Turn, error) {
	end := g.round >= g.r.cfg.Rounds
	if !end && !g.drawn {
		g.a, g.b, g.drawn = g.r.draw(), g.r.draw(), true
		if g.r.out != nil {
			fmt.Fprintf(g.r.out, "set: %d,%d;\n", g.a, g.b)
		}
	}
	if end {
		g.r.flush()
	}
	return agentlink.Turn{State: agentlink.State{Obs: spaces.UintBox(g.a, g.b), GameOver: end, Reason: agentlink.SimulationEnd}}, nil
}

func (g *apbGym) Act(_ string, a spaces.Value) error {
	box, ok := a.(*spaces.BoxValue)
	if !ok || box.Len() != 1 {
		return fmt.Errorf("ns3ai: A-Plus-B round %d: action %v is not a Box of one sum", g.round, a)
	}
	c := uint32(box.At(0))
	if g.r.out != nil {
		fmt.Fprintf(g.r.out, "get: %d;\n", c)
	}
	if c != g.a+g.b {
		g.r.flush()
		return fmt.Errorf("ns3ai: A-Plus-B round %d: %d+%d answered %d", g.round, g.a, g.b, c)
	}
	g.round++
	g.drawn = false
	return nil
}

// ServeScenario builds an rl.MultiAgentEnv from build with run number run
// and serves one episode of it over ns3-ai's Gym interface (ServeGym): the
// --ns3ai of netgym's RL scenario binaries. The scenario must have one
// agent application (ns3-ai's Gym interface is single-agent).
func ServeScenario(ctx context.Context, build rl.ScenarioBuilder, run uint64, opts Options) (agentlink.Result, error) {
	env, err := rl.NewMultiAgentEnv(build, run)
	if err != nil {
		return agentlink.Result{}, err
	}
	loop, err := agentlink.MultiAgentEnvLoop(env)
	if err != nil {
		return agentlink.Result{}, err
	}
	return ServeGym(ctx, loop, opts)
}
