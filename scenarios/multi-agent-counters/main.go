// Command multi-agent-counters trains agents that each drive a counter,
// starting uniformly in [-42, 42], towards 0 by adding -5..+5 once per
// second, with reward -|counter|, in 60 s episodes. The counters, their
// observation, reward and action applications, and the agents are
// DEFIANCE-style RL applications on their own nodes, stepped turn by turn
// through rl.MultiAgentEnv.
//
//	multi-agent-counters -agent qlearning -agents 3 -episodes 600 -eval 5 -seed 1
//
// It prints the mean final |counter| of training episodes and, for the
// greedy evaluation episodes, every counter's start and end. -h prints the
// flags.
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/rl/opengym"
	"github.com/netgym/netgym/rl/rlexamples"
	"github.com/netgym/netgym/sim"
)

func main() {
	os.Exit(cli.Main("multi-agent-counters", func(stderr io.Writer) int { return run(os.Args[1:], os.Stdout, stderr) }))
}

func run(args []string, out, diag io.Writer) int {
	p := cli.New("multi-agent-counters", "Trains agents that each drive a counter towards 0 (DEFIANCE-style RL applications, one step per simulated second), then evaluates them greedily.")
	cfg := rlexamples.DefaultCountersConfig()
	fs := p.Flags
	kind := cli.Choice(fs, "agent", rlexamples.AgentQLearning, "agent", rlexamples.AgentRandom, rlexamples.AgentQLearning)
	episodes := fs.Int("episodes", 600, "training episodes")
	eval := fs.Int("eval", 5, "greedy evaluation episodes")
	every := fs.Int("report-every", 100, "print the training curve every this many episodes (0: never)")
	fs.IntVar(&cfg.Agents, "agents", cfg.Agents, "agents (one counter each)")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	delay := cli.Time(fs, "delay-ms", 0, sim.Millisecond, 0, 1e6*sim.Second, "propagation delay of the simple interfaces, ms")
	actionDelay := cli.Time(fs, "action-delay-ms", 0, sim.Millisecond, 0, 1e6*sim.Second, "agents' action delay, ms")
	port := fs.Int("openGymPort", 0, "serve one episode to Python agents over ns3-gym's protocol on this port instead of training Go agents")
	simSeed := fs.Uint64("simSeed", 1, "run number of the served episode (ns3-gym's seed argument)")
	return p.Run(args, out, diag, func() error {
		cfg.Delay, cfg.ActionDelay = *delay, *actionDelay
		if err := cfg.Validate(); err != nil {
			return cli.Invalid(err)
		}
		switch {
		case *episodes < 0:
			return cli.Invalidf("-episodes %d must be >= 0", *episodes)
		case *eval < 0:
			return cli.Invalidf("-eval %d must be >= 0", *eval)
		case *every < 0:
			return cli.Invalidf("-report-every %d must be >= 0", *every)
		}
		if *port != 0 {
			build, _, err := rlexamples.CountersScenario(cfg)
			if err != nil {
				return err
			}
			r, err := opengym.ServeScenario(context.Background(), build, *simSeed, *port)
			if err != nil {
				return err
			}
			fmt.Fprintf(diag, "served %d turns (stopped=%v, game over=%v)\n", r.Steps, r.Stopped, r.GameOver)
			return nil
		}
		res, err := rlexamples.TrainCounters(cfg, *kind, *episodes, *eval)
		if err != nil {
			return err
		}
		for i, a := range res.FinalAbs {
			if *every > 0 && (i+1)%*every == 0 {
				fmt.Fprintf(out, "episode %d mean final |counter| %.2f mean reward %.2f\n", i+1, a, res.Training[i].MeanReward())
			}
		}
		fmt.Fprintf(out, "evaluation: start %v\n", res.EvalStart)
		fmt.Fprintf(out, "evaluation: end   %v\n", res.EvalFinal)
		fmt.Fprintf(out, "evaluation: mean final |counter| %.2f mean reward %.2f\n", res.EvalFinalAbs(), res.EvalMeanReward())
		return nil
	})
}
