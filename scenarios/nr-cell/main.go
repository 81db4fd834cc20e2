// Command nr-cell runs issue 15's reference 5G NR cell on netgym's 5G-LENA
// stack (package nr5g): one gNB, n UEs on a ring, downlink UDP constant
// bit rate from a remote host through the EPC, 5G-LENA nr-4.1's defaults
// (bench/ns3/nr-cell.cc is the same cell on 5G-LENA).
//
//	go run ./scenarios/nr-cell                      # 10 UEs at 100 m, 10 Mb/s each
//	go run ./scenarios/nr-cell -n 4 -distance 50 -scheduler OfdmaPF -json
//
// It prints the goodput (UDP payload received by the UEs over the traffic
// window), each UE's share with its channel condition, MCS and SINR, and
// the events and wall time of the run (warm-up and traffic, construction
// excluded); -json prints {goodput_mbps, events, wall_s, per_ue_mbps}.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/pkg/profile"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/nr5g"
	"github.com/netgym/netgym/sim"
)

func main() {
	os.Exit(cli.Main("nr-cell", func(stderr io.Writer) int { return run(os.Args[1:], os.Stdout, stderr) }))
}

func run(args []string, out, diag io.Writer) int {
	var rrcDelay time.Duration
	p := cli.New("nr-cell", "Runs the reference 5G-LENA cell: n UEs on a ring around one gNB, downlink UDP CBR from a remote host through the EPC; prints the goodput.")
	cfg := nr5g.DefaultCellConfig()
	fs := p.Flags
	mu := fs.Int("mu", int(cfg.Numerology), "numerology")
	fs.IntVar(&cfg.UEs, "n", cfg.UEs, "number of UEs")
	fs.Float64Var(&cfg.BandwidthHz, "bandwidth", cfg.BandwidthHz, "channel bandwidth in Hz")
	fs.Float64Var(&cfg.FrequencyHz, "freq", cfg.FrequencyHz, "central frequency in Hz")
	fs.Float64Var(&cfg.Distance, "distance", cfg.Distance, "ring radius in metres")
	fs.Float64Var(&cfg.RateBps, "rate", cfg.RateBps, "downlink CBR per UE in b/s")
	fs.IntVar(&cfg.PacketSize, "packet", cfg.PacketSize, "UDP payload bytes")
	duration := fs.Duration("duration", cfg.Duration.Duration(), "traffic duration")
	warmup := fs.Duration("warmup", cfg.Warmup.Duration(), "time before the traffic starts")
	fs.Float64Var(&cfg.GnbHeight, "gnb-height", cfg.GnbHeight, "gNB height in metres")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	fs.Uint64Var(&cfg.Run, "run", cfg.Run, "run number")
	sched := fs.String("scheduler", "TdmaRR", "scheduler: TdmaRR, TdmaPF, TdmaMR, OfdmaRR, OfdmaPF, OfdmaMR")
	rlc := cli.Choice(fs, "rlc", "um", "RLC mode of the bearers: um, am or per-based (AM when the QCI's error rate is at most 1e-5)", "um", "am", "per-based")
	rrc := cli.Choice(fs, "rrc", "ideal", "RRC protocol: ideal or delayed (each message -rrc-delay after it is sent)", "ideal", "delayed")
	fs.DurationVar(&rrcDelay, "rrc-delay", cfg.Radio.Gnb.Rrc.MessageDelay.Duration(), "one-way delay of each RRC message with -rrc delayed")
	fs.BoolVar(&cfg.Radio.Gnb.Rrc.Rach.RandomPreambles, "random-preambles", false, "UEs draw random access preambles at random (they may collide); 5G-LENA numbers them")
	fs.BoolVar(&cfg.FlowMonitor, "flowmon", false, "measure each flow's end-to-end delay with the flow monitor")
	trace := fs.String("trace", "", "write the PHY, MAC, RLC and PDCP traces to this file as JSON lines")
	flows := fs.String("flows", "", "write the flow monitor's flows (per-flow delay and its histogram) to this file as JSON (implies -flowmon)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	prof := cli.Choice(fs, "profile", "", "write a profile to the current directory (github.com/pkg/profile)", "", "cpu", "mem")
	return p.Run(args, out, diag, func() error {
		if *mu < 0 || *mu > int(nr5g.MaxNumerology) {
			return cli.Invalid(fmt.Errorf("mu %d out of range [0, %d]", *mu, nr5g.MaxNumerology))
		}
		cfg.Numerology = nr5g.Numerology(*mu)
		cfg.Duration = sim.FromDuration(*duration)
		cfg.Warmup = sim.FromDuration(*warmup)
		st, err := nr5g.ParseSchedulerType(*sched)
		if err != nil {
			return cli.Invalid(err)
		}
		cfg.Radio.Gnb.Scheduler.Type = st
		cfg.Radio.Gnb.Rlc.Mode = map[string]nr5g.RlcMode{"um": nr5g.RlcUM, "am": nr5g.RlcAM, "per-based": nr5g.RlcPerBased}[*rlc]
		if *rrc == "delayed" {
			cfg.Radio.Gnb.Rrc.Protocol = nr5g.RrcDelayed
		}
		cfg.Radio.Gnb.Rrc.MessageDelay = sim.FromDuration(rrcDelay)
		if *flows != "" {
			cfg.FlowMonitor = true
		}
		if err := cfg.Validate(); err != nil {
			return cli.Invalid(err)
		}
		c, err := nr5g.NewCell(cfg)
		if err != nil {
			return err
		}
		var tw *nr5g.TraceWriter
		if *trace != "" {
			f, err := os.Create(*trace)
			if err != nil {
				return err
			}
			defer f.Close()
			tw = nr5g.NewTraceWriter(f)
			c.Network().SetTraces(tw.Traces())
		}
		switch *prof {
		case "cpu":
			defer profile.Start(profile.CPUProfile, profile.ProfilePath("."), profile.Quiet).Stop()
		case "mem":
			defer profile.Start(profile.MemProfile, profile.ProfilePath("."), profile.Quiet).Stop()
		}
		res := c.Run()
		if tw != nil {
			if err := tw.Flush(); err != nil {
				return err
			}
		}
		if *flows != "" {
			f, err := os.Create(*flows)
			if err != nil {
				return err
			}
			if err := c.FlowMonitor().WriteJSON(f); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
		}
		if *asJSON {
			return json.NewEncoder(out).Encode(res)
		}
		fmt.Fprintf(out, "%d UEs at %g m, %g Mb/s each, %v of traffic after %v, %v\n", cfg.UEs, cfg.Distance,
			cfg.RateBps/1e6, cfg.Duration, cfg.Warmup, st)
		fmt.Fprintf(out, "goodput %.2f Mb/s\n", res.GoodputMbps)
		fmt.Fprintf(out, "UE  RNTI  attached ms  Mb/s    condition  DL MCS  SINR dB  TBs (lost)     RLC drops")
		if cfg.FlowMonitor {
			fmt.Fprintf(out, "  delay ms")
		}
		fmt.Fprintln(out)
		for i, u := range res.UEs {
			fmt.Fprintf(out, "%-3d %4d  %11.6f %6.3f  %-9s  %6.1f  %7.1f  %6d (%5d)  %9d", i, u.RNTI, u.AttachedAt.Seconds()*1e3,
				u.Mbps, u.Los, u.McsMean, u.SinrDb, u.DlTbs, u.DlCorrupted, u.RlcDrops)
			if cfg.FlowMonitor {
				fmt.Fprintf(out, "  %8.1f", u.DelayMs)
			}
			fmt.Fprintln(out)
		}
		fmt.Fprintf(out, "%d events in %.3f s wall\n", res.Events, res.WallS)
		return nil
	})
}
