// Command mmwave-cell runs the reference mmWave cell of issue 16 on
// netgym's ns3-mmwave RAN: one eNB, n UEs on a ring, downlink UDP constant
// bit rate from a remote host through the EPC, ns3-mmwave v7.0's defaults
// (bench/ns3/mmwave/mmwave-cell.cc is the same cell on ns3-mmwave).
//
//	go run ./scenarios/mmwave-cell                  # 10 UEs at 100 m, 20 Mb/s each
//	go run ./scenarios/mmwave-cell -n 4 -distance 150 -json
//	go run ./scenarios/mmwave-cell -scheduler maxrate  # or pf; rr is the default
//
// It prints the goodput (UDP payload received by the UEs over the traffic
// window), the events and the wall time of the run (construction
// excluded); -json prints {goodput_mbps, events, wall_s, per_ue_mbps}.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/pkg/profile"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/mmwave"
	"github.com/netgym/netgym/sim"
)

func main() {
	os.Exit(cli.Main("mmwave-cell", func(stderr io.Writer) int { return run(os.Args[1:], os.Stdout, stderr) }))
}

func run(args []string, out, diag io.Writer) int {
	p := cli.New("mmwave-cell", "Runs the reference ns3-mmwave cell: n UEs on a ring around one eNB, downlink UDP CBR from a remote host; prints the goodput.")
	cfg := mmwave.DefaultCellConfig()
	fs := p.Flags
	fs.IntVar(&cfg.UEs, "n", cfg.UEs, "number of UEs")
	fs.Float64Var(&cfg.BandwidthHz, "bandwidth", cfg.BandwidthHz, "carrier bandwidth in Hz")
	fs.Float64Var(&cfg.FrequencyHz, "freq", cfg.FrequencyHz, "carrier frequency in Hz")
	fs.Float64Var(&cfg.Distance, "distance", cfg.Distance, "ring radius in metres")
	fs.Float64Var(&cfg.RateBps, "rate", cfg.RateBps, "downlink CBR per UE in b/s")
	fs.IntVar(&cfg.PacketSize, "packet", cfg.PacketSize, "UDP payload bytes")
	duration := fs.Duration("duration", cfg.Duration.Duration(), "traffic duration")
	warmup := fs.Duration("warmup", cfg.Warmup.Duration(), "time before the traffic starts")
	fs.Float64Var(&cfg.EnbHeight, "enb-height", cfg.EnbHeight, "eNB height in metres")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	fs.Uint64Var(&cfg.Run, "run", cfg.Run, "run number")
	fs.BoolVar(&cfg.Uplink, "uplink", false, "send the CBR uplink, from the UEs to the remote host")
	sched := cli.Choice(fs, "scheduler", "rr", "MAC scheduler: rr (round robin, MmWaveFlexTtiMacScheduler), pf (proportional fair) or maxrate (highest MCS first)", "rr", "pf", "maxrate")
	asJSON := fs.Bool("json", false, "print one JSON object")
	prof := cli.Choice(fs, "profile", "", "write a profile to the current directory (github.com/pkg/profile)", "", "cpu", "mem")
	return p.Run(args, out, diag, func() error {
		cfg.Duration = sim.FromDuration(*duration)
		cfg.Warmup = sim.FromDuration(*warmup)
		kind, err := mmwave.ParseSchedulerKind(*sched)
		if err != nil {
			return cli.Invalid(err)
		}
		cfg.Radio.Scheduler.Kind = kind
		if err := cfg.Validate(); err != nil {
			return cli.Invalid(err)
		}
		c, err := mmwave.NewCell(cfg)
		if err != nil {
			return err
		}
		switch *prof {
		case "cpu":
			defer profile.Start(profile.CPUProfile, profile.ProfilePath("."), profile.Quiet).Stop()
		case "mem":
			defer profile.Start(profile.MemProfile, profile.ProfilePath("."), profile.Quiet).Stop()
		}
		res := c.Run()
		if *asJSON {
			return json.NewEncoder(out).Encode(res)
		}
		st := res.Stats
		fmt.Fprintf(out, "%d UEs at %g m, %g Mb/s each, %v of traffic after %v\n", cfg.UEs, cfg.Distance, cfg.RateBps/1e6, cfg.Duration, cfg.Warmup)
		fmt.Fprintf(out, "goodput %.1f Mb/s; per UE %v\n", res.GoodputMbps, res.PerUEMbps)
		fmt.Fprintf(out, "TBs DL %d (%d corrupted, %d retx), UL %d (%d corrupted); RLC drops %d\n",
			st.DlTBs, st.DlCorrupted, st.DlRetx, st.UlTBs, st.UlCorrupted, st.RlcDrops)
		fmt.Fprintf(out, "%d events in %.3f s wall\n", res.Events, res.WallS)
		return nil
	})
}
