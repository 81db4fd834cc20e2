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
// latency and the greedy mean reward after training. With --openGymPort
// (ns3-gym's ZeroMQ) or --ns3ai (ns3-ai's Gym interface over shared
// memory: --segName, --ns3aiTimeout, --peerPid) it serves one episode at
// the first distance to a Python agent instead (--simSeed is its run
// number). -h prints the flags.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/rl/ns3ai"
	"github.com/netgym/netgym/rl/opengym"
	"github.com/netgym/netgym/rl/rlexamples"
	"github.com/netgym/netgym/sim"
)

func main() {
	os.Exit(cli.Main("rl-wifi", func(stderr io.Writer) int { return run(os.Args[1:], os.Stdout, stderr) }))
}

func run(args []string, out, diag io.Writer) int {
	p := cli.New("rl-wifi", "Trains an agent on the addition task with its observations crossing 802.11a (UDP socket channel interfaces), for each distance, and prints what arrived and the greedy reward.")
	cfg := rlexamples.DefaultWifiAdditionConfig()
	fs := p.Flags
	distances := fs.String("distance", "10,40,45,50,55,60", "comma-separated distances in metres")
	kind := cli.Choice(fs, "agent", rlexamples.AgentQLearning, "agent", rlexamples.AgentRandom, rlexamples.AgentQLearning)
	episodes := fs.Int("episodes", 5, "training episodes per distance")
	fs.Float64Var(&cfg.ShadowingSigma, "sigma", cfg.ShadowingSigma, "per-frame shadowing standard deviation, dB")
	fs.Float64Var(&cfg.TxPowerDbm, "tx-power", cfg.TxPowerDbm, "transmit power, dBm")
	fs.IntVar(&cfg.Retries, "retries", cfg.Retries, "most transmissions of a frame")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	length := cli.Time(fs, "episode-s", cfg.Truncation, sim.Second, 2*sim.Second, 1e6*sim.Second, "episode length, simulated seconds")
	port := fs.Int("openGymPort", 0, "serve one episode (at the first distance) to Python agents over ns3-gym's protocol on this port instead of training Go agents")
	var gym ns3ai.GymFlags
	gym.Register(fs)
	simSeed := fs.Uint64("simSeed", 1, "run number of the served episode (ns3-gym's seed argument)")
	return p.Run(args, out, diag, func() error {
		cfg.Truncation = *length
		ds, err := parseDistances(*distances)
		if err != nil {
			return cli.InvalidValue("distance", *distances, err)
		}
		for _, d := range ds {
			c := cfg
			c.Distance = d
			if err := c.Validate(); err != nil {
				return cli.Invalid(err)
			}
		}
		if *episodes < 0 {
			return cli.Invalidf("-episodes %d must be >= 0", *episodes)
		}
		if *port != 0 && gym.Enabled {
			return cli.Invalidf("--openGymPort and --ns3ai choose two ways to serve the agent: give one")
		}
		if *port != 0 || gym.Enabled {
			cfg.Distance = ds[0]
			build, _, err := rlexamples.WifiAdditionScenario(cfg)
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
	})
}

// parseDistances parses the comma-separated list of -distance.
func parseDistances(list string) ([]float64, error) {
	if strings.TrimSpace(list) == "" {
		return nil, errors.New("empty list")
	}
	var ds []float64
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		d, err := strconv.ParseFloat(f, 64)
		if err != nil || math.IsNaN(d) || math.IsInf(d, 0) {
			return nil, fmt.Errorf("%q is not a number", f)
		}
		ds = append(ds, d)
	}
	return ds, nil
}
