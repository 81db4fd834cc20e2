// Command cosim runs a co-simulation described by an NRP-core simulation
// configuration (EngineConfigs, DataPackProcessingFunctions,
// StatusFunction, SimulationTimeout) on netgym's FTI loop, as NRP-core's
// NRPCoreSim -c does: Python engines and functions in their own
// processes, netgym's simulations in process (EngineType "netgym"), JSON
// and gRPC engine servers at their addresses.
//
//	cosim -c python/examples/nrp_cartpole/simulation_config.json -set net.Distance=40
//
// The status function's observations are printed on stdout, one JSON
// value a line; a summary goes to stderr.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/rl/cosim"
	"github.com/netgym/netgym/rl/cosim/netgymengine"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main("cosim", func(stderr io.Writer) int { return run(ctx, os.Args[1:], os.Stdout, stderr) })
	stop()
	os.Exit(code)
}

// sets collects -set flags.
type sets []string

// String implements flag.Value.
func (s *sets) String() string { return strings.Join(*s, ",") }

// Set implements flag.Value.
func (s *sets) Set(v string) error { *s = append(*s, v); return nil }

// override sets EngineExtraConfigs[key] of an engine from "engine.key=value"
// (value as JSON, else as a string).
func override(cfg *cosim.SimulationConfig, set string) error {
	lhs, value, ok := strings.Cut(set, "=")
	engine, key, ok2 := strings.Cut(lhs, ".")
	if !ok || !ok2 || engine == "" || key == "" {
		return cli.Invalidf("-set %q: want engine.Key=value", set)
	}
	var v any
	if err := json.Unmarshal([]byte(value), &v); err != nil {
		v = value
	}
	for i := range cfg.EngineConfigs {
		e := &cfg.EngineConfigs[i]
		if e.EngineName != engine {
			continue
		}
		if e.EngineExtraConfigs == nil {
			e.EngineExtraConfigs = map[string]any{}
		}
		e.EngineExtraConfigs[key] = v
		if e.Raw != nil {
			e.Raw["EngineExtraConfigs"] = e.EngineExtraConfigs
		}
		return nil
	}
	return cli.Invalidf("-set %q: the configuration has no engine %q", set, engine)
}

func run(ctx context.Context, args []string, out, diag io.Writer) int {
	p := cli.New("cosim", "Runs an NRP-core simulation configuration on netgym's co-simulation loop.")
	fs := p.Flags
	path := fs.String("c", "", "simulation configuration (JSON, NRP-core's schema)")
	timeout := fs.Float64("timeout", -1, "SimulationTimeout in simulated seconds (default: the configuration's)")
	var overrides sets
	fs.Var(&overrides, "set", "engine.Key=value: set EngineExtraConfigs[Key] of an engine (repeatable)")
	return p.Run(args, out, diag, func() error {
		if *path == "" {
			return cli.Invalidf("-c: a simulation configuration is required")
		}
		cfg, err := cosim.LoadSimulationConfig(*path)
		if err != nil {
			return err
		}
		if *timeout >= 0 {
			cfg.SimulationTimeout = *timeout
		}
		for _, s := range overrides {
			if err := override(cfg, s); err != nil {
				return err
			}
		}
		if cfg.Timeout() == 0 && cfg.StatusFunction == nil {
			return cli.Invalidf("the configuration has neither SimulationTimeout nor a StatusFunction: it would never end")
		}
		x, err := cosim.NewExperiment(ctx, cfg, netgymengine.NewRegistry(), cosim.ExperimentOptions{})
		if err != nil {
			return err
		}
		enc := json.NewEncoder(out)
		var werr error
		emit := func() {
			for _, o := range x.Loop.Trajectory() {
				if werr == nil {
					werr = enc.Encode(o)
				}
			}
		}
		runErr := func() error {
			if err := x.Loop.Initialize(ctx); err != nil {
				return err
			}
			for {
				if err := x.Loop.Step(ctx); err != nil {
					return err
				}
				emit()
				if x.Loop.Done() || (cfg.Timeout() > 0 && x.Loop.NextTime() >= cfg.Timeout()) {
					return nil
				}
			}
		}()
		err = errors.Join(runErr, x.Close(), werr)
		st := x.Loop.Stats()
		fmt.Fprintf(diag, "cosim: %s: %d loop steps, t = %.3f s, done = %v, %d datapacks sent, %d dropped\n",
			cfg.SimulationName, st.Iterations, float64(x.Loop.Time())/1e9, x.Loop.Done(), st.Sent, st.Dropped)
		return err
	})
}
