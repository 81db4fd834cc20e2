// Command rl-wifi trains an agent whose observations cross 802.11a: the
// addition task (answer digit + 1) with the observation application on a
// node Distance metres from the agent's node, over UDP socket channel
// interfaces through netgym's ad-hoc 802.11a stack (LogDistance loss with
// per-frame normal shadowing). Lost observations make the agent act on a
// stale digit; the action is scored against the true one, so the learned
// reward falls with distance.
//
//	rl-wifi -distance 10,40,50,55,60 -episodes 5 -seed 1
//
// For each distance it prints the observations delivered, their mean
// latency and the greedy mean reward after training.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/rl/opengym"
	"github.com/netgym/netgym/rl/rlexamples"
	"github.com/netgym/netgym/sim"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "rl-wifi:", err)
		os.Exit(1)
	}
}

func run(args []string, out, diag io.Writer) error {
	cfg := rlexamples.DefaultWifiAdditionConfig()
	fs := flag.NewFlagSet("rl-wifi", flag.ContinueOnError)
	fs.SetOutput(diag)
	distances := fs.String("distance", "10,40,45,50,55,60", "comma-separated distances in metres")
	kind := fs.String("agent", rlexamples.AgentQLearning, "agent: random or qlearning")
	episodes := fs.Int("episodes", 5, "training episodes per distance")
	fs.Float64Var(&cfg.ShadowingSigma, "sigma", cfg.ShadowingSigma, "per-frame shadowing standard deviation, dB")
	fs.Float64Var(&cfg.TxPowerDbm, "tx-power", cfg.TxPowerDbm, "transmit power, dBm")
	fs.IntVar(&cfg.Retries, "retries", cfg.Retries, "most transmissions of a frame")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	length := fs.Float64("episode-s", cfg.Truncation.Seconds(), "episode length, simulated seconds")
	port := fs.Int("openGymPort", 0, "serve one episode (at the first distance) to Python agents over ns3-gym's protocol on this port instead of training Go agents")
	simSeed := fs.Uint64("simSeed", 1, "run number of the served episode (ns3-gym's seed argument)")
	if err := channelif.ParseFlags(fs, args); err != nil {
		return err
	}
	cfg.Truncation = sim.Seconds(*length)
	var ds []float64
	for _, f := range strings.Split(*distances, ",") {
		d, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return fmt.Errorf("bad distance %q: %w", f, err)
		}
		ds = append(ds, d)
	}
	if *port != 0 {
		cfg.Distance = ds[0]
		build, _, err := rlexamples.WifiAdditionScenario(cfg)
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
	fmt.Fprintln(out, "distance_m delivered sent latency greedy_mean_reward")
	for _, d := range ds {
		cfg.Distance = d
		res, err := rlexamples.TrainWifiAddition(cfg, *kind, *episodes)
		if err != nil {
			return err
		}
		c := res.EvalChannel
		fmt.Fprintf(out, "%g %d %d %v %.4f\n", d, c.Received, c.Sent, c.MeanLatency, res.Eval.MeanReward())
	}
	return nil
}
