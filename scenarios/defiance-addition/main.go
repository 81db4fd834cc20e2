// Command defiance-addition runs DEFIANCE's addition example on netgym:
// 5 observation, 5 reward, 5 agent and 5 no-op action applications, each
// on its own node, connected pairwise over simple channel interfaces. Each
// agent must answer its observation (a random digit) plus a hint (its
// reward application's node id, 0..4); reward = exp(-|error|). Agents are
// Go agents stepped through rl.MultiAgentEnv; after training, one greedy
// episode is evaluated.
//
//	defiance-addition -agent qlearning -episodes 5 -seed 1
//
// It prints each training episode's mean reward and the greedy mean
// reward (a random agent gets about 0.07). --openGymPort serves one
// episode to Python agents over ns3-gym's protocol instead; --ns3ai over
// ns3-ai's Gym interface, which is single-agent (so with --pairs=1). -h
// prints the flags.
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/rl/ns3ai"
	"github.com/netgym/netgym/rl/opengym"
	"github.com/netgym/netgym/rl/rlexamples"
	"github.com/netgym/netgym/sim"
)

func main() {
	os.Exit(cli.Main("defiance-addition", func(stderr io.Writer) int { return run(os.Args[1:], os.Stdout, stderr) }))
}

func run(args []string, out, diag io.Writer) int {
	p := cli.New("defiance-addition", "Trains agents on DEFIANCE's addition example (observation, reward, agent and action applications on their own nodes), then evaluates one greedy episode.")
	cfg := rlexamples.DefaultAdditionConfig()
	fs := p.Flags
	kind := cli.Choice(fs, "agent", rlexamples.AgentQLearning, "agent", rlexamples.AgentRandom, rlexamples.AgentQLearning)
	episodes := fs.Int("episodes", 5, "training episodes before the greedy evaluation")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	fs.IntVar(&cfg.Pairs, "pairs", cfg.Pairs, "observation/reward/agent/action quadruples")
	delay := cli.Time(fs, "delay-ms", 0, sim.Millisecond, 0, 1e6*sim.Second, "propagation delay of the simple interfaces, ms")
	actionDelay := cli.Time(fs, "action-delay-ms", 0, sim.Millisecond, 0, 1e6*sim.Second, "agents' action delay, ms")
	port := fs.Int("openGymPort", 0, "serve one episode to Python agents over ns3-gym's protocol on this port instead of training Go agents")
	var gym ns3ai.GymFlags
	gym.Register(fs)
	simSeed := fs.Uint64("simSeed", 1, "run number of the served episode (ns3-gym's seed argument)")
	return p.Run(args, out, diag, func() error {
		cfg.Delay, cfg.ActionDelay = *delay, *actionDelay
		if err := cfg.Validate(); err != nil {
			return cli.Invalid(err)
		}
		if *episodes < 0 {
			return cli.Invalidf("-episodes %d must be >= 0", *episodes)
		}
		if *port != 0 && gym.Enabled {
			return cli.Invalidf("--openGymPort and --ns3ai choose two ways to serve the agent: give one")
		}
		if *port != 0 || gym.Enabled {
			build, err := rlexamples.AdditionScenario(cfg)
			if err != nil {
				return err
			}
			var r opengym.Result
			if gym.Enabled {
				opts, oerr := gym.Options()
				if oerr != nil {
					return cli.Invalid(oerr)
				}
				r, err = ns3ai.ServeScenario(context.Background(), build, *simSeed, opts)
			} else {
				r, err = opengym.ServeScenario(context.Background(), build, *simSeed, *port)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(diag, "served %d turns (stopped=%v, game over=%v)\n", r.Steps, r.Stopped, r.GameOver)
			return nil
		}
		res, err := rlexamples.TrainAddition(cfg, *kind, *episodes)
		if err != nil {
			return err
		}
		for i, r := range res.TrainingCurve() {
			fmt.Fprintf(out, "episode %d mean reward %.4f\n", i+1, r)
		}
		fmt.Fprintf(out, "greedy mean reward %.4f\n", res.Eval.MeanReward())
		return nil
	})
}
