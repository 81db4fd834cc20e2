// Command wifi-sim is a drop-in replacement for NetRL's ns-3 Wi-Fi ad-hoc
// backend: point NetRL's `sim_binary` at it. It speaks NetRL's line
// protocol on stdin/stdout (READY, TRANSMIT, FLUSH, RESET, QUIT, plus
// netgym's STEP) over channelif.WifiChannel: two nodes, 802.11a ad-hoc,
// 54 Mb/s data / 6 Mb/s control, LogDistance loss, UDP/IPv4 with ARP.
//
//	wifi-sim --step-ms=1.0 --distance=10 --tx-power=20 --loss-exp=3 --retries=7 --pkt-size=64
//
// Only protocol replies go to stdout; diagnostics go to stderr.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/netgym/netgym/channelif"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "wifi-sim:", err)
		os.Exit(1)
	}
}

func run(args []string, in io.Reader, out, diag io.Writer) error {
	cfg := channelif.DefaultWifiConfig()
	fs := flag.NewFlagSet("wifi-sim", flag.ContinueOnError)
	fs.SetOutput(diag)
	fs.Float64Var(&cfg.StepMs, "step-ms", cfg.StepMs, "simulated milliseconds per step")
	fs.Float64Var(&cfg.Distance, "distance", cfg.Distance, "metres between sender and receiver")
	fs.Float64Var(&cfg.TxPowerDbm, "tx-power", cfg.TxPowerDbm, "transmit power in dBm")
	fs.Float64Var(&cfg.LossExponent, "loss-exp", cfg.LossExponent, "LogDistance path-loss exponent")
	fs.IntVar(&cfg.Retries, "retries", cfg.Retries, "most transmissions of a frame")
	fs.IntVar(&cfg.PacketSize, "pkt-size", cfg.PacketSize, "default payload bytes")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	fs.Uint64Var(&cfg.Run, "run", cfg.Run, "first run number (RESET moves to the next)")
	if err := channelif.ParseFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.PrintDefaults()
		}
		return err
	}
	ch, err := channelif.NewWifiChannel(cfg)
	if err != nil {
		return err
	}
	backend, err := channelif.NewChannelBackend(ch, channelif.ChannelBackendConfig{
		DefaultPacketSize: cfg.PacketSize,
		MaxPacketSize:     channelif.WifiMaxPacketSize,
	})
	if err != nil {
		return err
	}
	return channelif.Serve(in, out, backend, channelif.ServeOptions{
		Ready:   true,
		OnError: func(line string, err error) { fmt.Fprintf(diag, "wifi-sim: %q: %v\n", line, err) },
	})
}
