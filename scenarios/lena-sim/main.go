// Command lena-sim is a drop-in replacement for NetRL's 5G-LENA backend
// (ns3_lena_sim): point NetRL's NS3LenaConfig(sim_binary=...) at it. It
// speaks NetRL's line protocol on stdin/stdout (READY, TRANSMIT, FLUSH,
// RESET, QUIT, plus netgym's STEP) over channelif/nr's scenario: one gNB
// and one UE with 5G-LENA's NR stack (package nr5g), uplink through the
// EPC to a remote host's UDP port 9 on a dedicated 5QI 80 bearer, stepped
// by channelif's generic backend.
//
//	lena-sim --step-ms=1.0 --distance=50 --freq=28e9 --bandwidth=100e6 --ue-tx-power=23 \
//	         --gnb-tx-power=30 --scenario=UMa --numerology=3 --shadowing=0 --pkt-size=64
//
// Only protocol replies go to stdout; diagnostics go to stderr. -h prints
// the flags.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/nr"
	"github.com/netgym/netgym/cli"
)

func main() {
	os.Exit(cli.Main("lena-sim", func(stderr io.Writer) int { return run(os.Args[1:], os.Stdin, os.Stdout, stderr) }))
}

func run(args []string, in io.Reader, out, diag io.Writer) int {
	p := cli.New("lena-sim", "Serves NetRL's 5G-LENA program (one gNB, one UE, uplink through the EPC) over NetRL's line protocol on stdin/stdout.")
	cfg := nr.DefaultConfig()
	shadowing := 0
	fs := p.Flags
	fs.Float64Var(&cfg.StepMs, "step-ms", cfg.StepMs, "simulated milliseconds per step")
	fs.Float64Var(&cfg.Distance, "distance", cfg.Distance, "metres between gNB and UE on the ground")
	fs.Float64Var(&cfg.FreqHz, "freq", cfg.FreqHz, "carrier frequency in Hz")
	fs.Float64Var(&cfg.BandwidthHz, "bandwidth", cfg.BandwidthHz, "channel bandwidth in Hz")
	fs.Float64Var(&cfg.UeTxPowerDbm, "ue-tx-power", cfg.UeTxPowerDbm, "UE transmit power in dBm")
	fs.Float64Var(&cfg.GnbTxPowerDb, "gnb-tx-power", cfg.GnbTxPowerDb, "gNB transmit power in dBm")
	fs.StringVar(&cfg.Scenario, "scenario", cfg.Scenario, "3GPP scenario: UMa, UMi (or UMi-StreetCanyon), RMa, InH-OfficeMixed, InH-OfficeOpen")
	fs.IntVar(&cfg.Numerology, "numerology", cfg.Numerology, "NR numerology")
	fs.IntVar(&shadowing, "shadowing", shadowing, "enable shadowing (0/1)")
	fs.IntVar(&cfg.PacketSize, "pkt-size", cfg.PacketSize, "default payload bytes")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	fs.Uint64Var(&cfg.Run, "run", cfg.Run, "first run number (RESET moves to the next)")
	fs.Float64Var(&cfg.MaxAdvanceS, "max-advance-s", cfg.MaxAdvanceS, "most simulated seconds one FLUSH or STEP may advance (ERROR beyond)")
	return p.Run(args, out, diag, func() error {
		cfg.Shadowing = shadowing != 0
		if err := cfg.Validate(); err != nil {
			return cli.Invalid(err)
		}
		ch, err := nr.NewChannel(cfg)
		if err != nil {
			return err
		}
		return channelif.Serve(in, out, ch.Backend(), channelif.ServeOptions{
			Ready:   true,
			OnError: func(line string, err error) { fmt.Fprintf(diag, "lena-sim: %q: %v\n", line, err) },
		})
	})
}
