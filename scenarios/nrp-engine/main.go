// Command nrp-engine serves a netgym simulation as an NRP-core engine, in
// NRP-core's JSON/REST engine protocol and its gRPC engine protocol on one
// address, with the command line NRP-core gives its engine processes:
//
//	nrp-engine --engine=net --serverurl=localhost:9002 --regservurl=localhost:9001
//
// It registers its address at --regservurl (when given), as NRP-core's
// engine servers do, then answers /initialize (whose EngineExtraConfigs
// choose the scenario: {"Scenario": "wifi-relay", "Distance": 40}),
// /run_loop, /set_datapacks, /get_datapacks, /reset and /shutdown (or
// their gRPC methods) until shutdown. NRP-core has no generic external
// engine type: docs/nrp-core.md shows the configuration that starts this
// binary through NRP-core's python_json engine type (EngineProcCmd), or
// attaches to it (EmptyLaunchCommand).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/rl/cosim"
	"github.com/netgym/netgym/rl/cosim/engineserver"
	"github.com/netgym/netgym/rl/cosim/netgymengine"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main("nrp-engine", func(stderr io.Writer) int { return run(ctx, os.Args[1:], os.Stdout, stderr) })
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, out, diag io.Writer) int {
	p := cli.New("nrp-engine", "Serves a netgym simulation as an NRP-core engine (JSON/REST and gRPC engine protocols).")
	fs := p.Flags
	name := fs.String("engine", "netgym", "engine name (NRP-core's EngineName)")
	server := fs.String("serverurl", cosim.DefaultJSONServerAddress, "address to serve on, host:port (the next free port if taken)")
	reg := fs.String("regservurl", "", "NRP-core's registration server, host:port (none: do not register)")
	_ = fs.String("options", "", "python_json engine server options (accepted and ignored)")
	_ = fs.String("protobuf_plugins_path", "", "gRPC engines' protobuf plugin path (accepted and ignored: netgym knows its messages)")
	_ = fs.String("protobuf_plugins", "", "gRPC engines' protobuf packages (accepted and ignored)")
	scenario := fs.String("scenario", netgymengine.DefaultScenario, "scenario when EngineExtraConfigs names none: "+fmt.Sprint(netgymengine.Scenarios()))
	return p.Run(args, out, diag, func() error {
		ln, err := engineserver.Listen(*server)
		if err != nil {
			return err
		}
		def := *scenario
		srv := engineserver.New(*name, func(cfg cosim.EngineConfig) (cosim.Engine, error) {
			if _, ok := cfg.EngineExtraConfigs["Scenario"]; !ok {
				extra := map[string]any{"Scenario": def}
				for k, v := range cfg.EngineExtraConfigs {
					extra[k] = v
				}
				cfg.EngineExtraConfigs = extra
			}
			return netgymengine.New(cfg)
		})
		addr := ln.Addr().String()
		fmt.Fprintf(diag, "nrp-engine: engine %q serving on %s\n", *name, addr)
		errc := make(chan error, 1)
		go func() { errc <- srv.Serve(ctx, ln) }()
		if *reg != "" {
			if err := engineserver.Register(ctx, *reg, *name, addr, 20, time.Second); err != nil {
				ln.Close()
				return err
			}
		}
		return <-errc
	})
}
