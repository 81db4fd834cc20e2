// Command wifi-multi-ue-sim is a drop-in replacement for NetRL's ns-3
// multi-UE Wi-Fi backend (ns3_wifi_multi_ue_sim): point the sim_binary of
// NetRL's NS3WifiMultiUEConfig at it. It speaks NetRL's line protocol on
// stdin/stdout (READY, TRANSMIT <ue> <step> [size], FLUSH, RESET, QUIT,
// plus netgym's STEP) over wifi.NewMultiUEBackend's scenario: an 802.11a
// infrastructure BSS, the AP (SSID "netrl-bss") at the origin and one
// station per UE at its distance on the x axis, 54 Mb/s data / 6 Mb/s
// control, LogDistance loss, uplink UDP/IPv4 with ARP to the AP's port 9,
// and a 500 ms warm-up in which the stations associate by active probing.
//
//	wifi-multi-ue-sim --n-ues=3 --distances=10.0,20.0,30.0 --step-ms=1.0 \
//	    --tx-power=20 --loss-exp=3 --retries=7 --pkt-size=64
//
// FLUSH replies "RECV ue:step ...". --distances is a comma-separated list
// in metres; the last value repeats for the remaining UEs. --seed and --run
// (both 1) choose the random streams; RESET moves to the next run. Only
// protocol replies go to stdout; diagnostics go to stderr. -h prints the
// flags.
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
	os.Exit(cli.Main("wifi-multi-ue-sim", func(stderr io.Writer) int { return run(os.Args[1:], os.Stdin, os.Stdout, stderr) }))
}

func run(args []string, in io.Reader, out, diag io.Writer) int {
	p := cli.New("wifi-multi-ue-sim", "Serves NetRL's multi-UE Wi-Fi program (an 802.11a AP and one station per UE) over NetRL's line protocol on stdin/stdout.")
	cfg := wifi.DefaultMultiUEConfig()
	distances := "10.0"
	fs := p.Flags
	fs.Float64Var(&cfg.StepMs, "step-ms", cfg.StepMs, "simulated milliseconds per step")
	fs.IntVar(&cfg.NUEs, "n-ues", cfg.NUEs, "number of UEs (stations)")
	fs.StringVar(&distances, "distances", distances, "comma-separated UE-to-AP distances in metres; the last repeats")
	fs.Float64Var(&cfg.TxPowerDbm, "tx-power", cfg.TxPowerDbm, "transmit power in dBm")
	fs.Float64Var(&cfg.LossExponent, "loss-exp", cfg.LossExponent, "LogDistance path-loss exponent")
	fs.IntVar(&cfg.Retries, "retries", cfg.Retries, "most transmissions of a frame")
	fs.IntVar(&cfg.PacketSize, "pkt-size", cfg.PacketSize, "default payload bytes")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	fs.Uint64Var(&cfg.Run, "run", cfg.Run, "first run number (RESET moves to the next)")
	fs.Float64Var(&cfg.MaxAdvanceS, "max-advance-s", cfg.MaxAdvanceS, "most simulated seconds one FLUSH or STEP may advance (ERROR beyond)")
	return p.Run(args, out, diag, func() error {
		if err := cfg.Validate(); err != nil && cfg.NUEs < 1 {
			return cli.Invalid(err) // report n-ues before the distances it is needed for
		}
		ds, err := wifi.ParseDistances(distances, cfg.NUEs)
		if err != nil {
			return cli.Invalid(err)
		}
		cfg.Distances = ds
		if err := cfg.Validate(); err != nil {
			return cli.Invalid(err)
		}
		backend, err := wifi.NewMultiUEBackend(cfg)
		if err != nil {
			return err
		}
		return channelif.Serve(in, out, backend, channelif.ServeOptions{
			Ready:   true,
			OnError: func(line string, err error) { fmt.Fprintf(diag, "wifi-multi-ue-sim: %q: %v\n", line, err) },
		})
	})
}
