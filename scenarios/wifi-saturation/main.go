// Command wifi-saturation runs 802.11a saturation: every station sends to
// one receiver as fast as the MAC allows, and the goodput is printed.
//
//	go run ./scenarios/wifi-saturation -n 10 -rate 54 -duration 10s
//	go run ./scenarios/wifi-saturation -mode raw -n 50 -json
//	go run ./scenarios/wifi-saturation -infra -n 8 -json
//
// raw mode is the saturation of ns-3's wifi-bianchi validation (MSDUs
// straight to the MAC, no retry or queue limit) from a 1 m ring; udp mode is
// UDP/IPv4 CBR at 60 Mb/s per station from a 5 m ring, the scenario of
// bench/ns3/wifi-saturation.cc. ns-3's default channel in both.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/pkg/profile"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim"
)

func main() {
	os.Exit(cli.Main("wifi-saturation", func(stderr io.Writer) int { return run(os.Args[1:], os.Stdout, stderr) }))
}

func run(args []string, out, diag io.Writer) int {
	p := cli.New("wifi-saturation", "Runs 802.11a saturation: every station sends to one receiver as fast as the MAC allows; prints the goodput.")
	cfg := mac80211.DefaultSaturationConfig()
	fs := p.Flags
	fs.IntVar(&cfg.N, "n", cfg.N, "number of sending stations")
	fs.IntVar(&cfg.RateMbps, "rate", cfg.RateMbps, "data rate in Mb/s (6, 9, 12, 18, 24, 36, 48, 54)")
	duration := fs.Duration("duration", cfg.Duration.Duration(), "traffic duration")
	warmup := fs.Duration("warmup", cfg.Warmup.Duration(), "time before traffic starts")
	fs.IntVar(&cfg.Payload, "payload", cfg.Payload, "payload bytes per packet")
	mode := cli.Choice(fs, "mode", "udp", "raw: MSDUs to the MAC; udp: UDP/IPv4 CBR", "raw", "udp")
	fs.BoolVar(&cfg.Infra, "infra", false, "the receiver is an AP; stations associate during the warm-up")
	fs.Float64Var(&cfg.Radius, "radius", 0, "ring radius in metres (0: 1 m raw, 5 m udp)")
	fs.BoolVar(&cfg.StaticARP, "static-arp", false, "pre-fill ARP caches (no ARP traffic)")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	asJSON := fs.Bool("json", false, "print one JSON object")
	prof := cli.Choice(fs, "profile", "", "write a profile to the current directory (github.com/pkg/profile)", "", "cpu", "mem")
	return p.Run(args, out, diag, func() error {
		cfg.Raw = *mode == "raw"
		cfg.Duration = sim.FromDuration(*duration)
		cfg.Warmup = sim.FromDuration(*warmup)
		if err := cfg.Validate(); err != nil {
			return cli.Invalid(err)
		}
		switch *prof {
		case "cpu":
			defer profile.Start(profile.CPUProfile, profile.ProfilePath("."), profile.Quiet).Stop()
		case "mem":
			defer profile.Start(profile.MemProfile, profile.ProfilePath("."), profile.Quiet).Stop()
		}
		return saturate(cfg, *mode, *asJSON, out)
	})
}

func saturate(cfg mac80211.SaturationConfig, mode string, asJSON bool, out io.Writer) error {
	start := time.Now()
	res, err := mac80211.RunSaturation(cfg)
	if err != nil {
		return err
	}
	wall := time.Since(start).Seconds()
	if asJSON {
		return json.NewEncoder(out).Encode(struct {
			mac80211.SaturationResult
			WallS float64 `json:"wall_s"`
		}{res, wall})
	}
	fmt.Fprintf(out, "%d stations, %d Mb/s, %s mode, %d-byte payload (%d-byte MPDU)\n",
		res.N, res.RateMbps, mode, res.PayloadBytes, res.MPDUBytes)
	fmt.Fprintf(out, "throughput %.4f Mb/s over %.3g s; %d events in %.3f s wall\n",
		res.ThroughputMbps, res.DurationS, res.Events, wall)
	for i, ms := range res.AssocMs {
		fmt.Fprintf(out, "station %d associated at %.3f ms\n", i+1, ms)
	}
	return nil
}
