// Command wifi-sim is a drop-in replacement for NetRL's ns-3 Wi-Fi ad-hoc
// backend: point NetRL's `sim_binary` at it. It speaks NetRL's line
// protocol on stdin/stdout (READY, TRANSMIT, FLUSH, RESET, QUIT, plus
// netgym's STEP) over wifi.NewChannel's scenario: two nodes, 802.11a
// ad-hoc, 54 Mb/s data / 6 Mb/s control, LogDistance loss, UDP/IPv4 with
// ARP, stepped by channelif's generic backend.
//
//	wifi-sim --step-ms=1.0 --distance=10 --tx-power=20 --loss-exp=3 --retries=7 --pkt-size=64
//
// Only protocol replies go to stdout; diagnostics go to stderr. -h prints
// the flags.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/wifi"
	"github.com/netgym/netgym/cli"
)

func main() {
	os.Exit(cli.Main("wifi-sim", func(stderr io.Writer) int { return run(os.Args[1:], os.Stdin, os.Stdout, stderr) }))
}

func run(args []string, in io.Reader, out, diag io.Writer) int {
	p := cli.New("wifi-sim", "Serves NetRL's Wi-Fi ad-hoc program (two 802.11a nodes) over NetRL's line protocol on stdin/stdout.")
	cfg := wifi.DefaultConfig()
	fs := p.Flags
	fs.Float64Var(&cfg.StepMs, "step-ms", cfg.StepMs, "simulated milliseconds per step")
	fs.Float64Var(&cfg.Distance, "distance", cfg.Distance, "metres between sender and receiver")
	fs.Float64Var(&cfg.TxPowerDbm, "tx-power", cfg.TxPowerDbm, "transmit power in dBm")
	fs.Float64Var(&cfg.LossExponent, "loss-exp", cfg.LossExponent, "LogDistance path-loss exponent")
	fs.IntVar(&cfg.Retries, "retries", cfg.Retries, "most transmissions of a frame")
	fs.IntVar(&cfg.PacketSize, "pkt-size", cfg.PacketSize, "default payload bytes")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	fs.Uint64Var(&cfg.Run, "run", cfg.Run, "first run number (RESET moves to the next)")
	fs.Float64Var(&cfg.MaxAdvanceS, "max-advance-s", cfg.MaxAdvanceS, "most simulated seconds one FLUSH or STEP may advance (ERROR beyond)")
	return p.Run(args, out, diag, func() error {
		if err := cfg.Validate(); err != nil {
			return cli.Invalid(err)
		}
		ch, err := wifi.NewChannel(cfg)
		if err != nil {
			return err
		}
		return channelif.Serve(in, out, ch.Backend(), channelif.ServeOptions{
			Ready:   true,
			OnError: func(line string, err error) { fmt.Fprintf(diag, "wifi-sim: %q: %v\n", line, err) },
		})
	})
}
