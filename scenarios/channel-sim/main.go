// Command channel-sim serves a simple channel model over NetRL's line
// protocol (READY, TRANSMIT, FLUSH, RESET, QUIT, STEP): a lossless
// PerfectChannel or NetRL's Gilbert-Elliott channel, with no network
// simulation behind it. It is the fastest possible backend, useful as a
// baseline (the ceiling of any backend through a given client) and for
// agents that want NetRL's GE channel behind a subprocess.
//
//	channel-sim --channel=perfect
//	channel-sim --channel=ge --p-gb=0.1 --p-bg=0.3 --loss-good=0.01 --loss-bad=0.2 --delay-steps=0 --seed=42
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
		fmt.Fprintln(os.Stderr, "channel-sim:", err)
		os.Exit(1)
	}
}

func run(args []string, in io.Reader, out, diag io.Writer) error {
	ge := channelif.DefaultGEConfig()
	fs := flag.NewFlagSet("channel-sim", flag.ContinueOnError)
	fs.SetOutput(diag)
	kind := fs.String("channel", "perfect", "perfect or ge")
	fs.Float64Var(&ge.PGB, "p-gb", ge.PGB, "GE: probability GOOD -> BAD per transmission")
	fs.Float64Var(&ge.PBG, "p-bg", ge.PBG, "GE: probability BAD -> GOOD per transmission")
	fs.Float64Var(&ge.LossGood, "loss-good", ge.LossGood, "GE: loss probability in GOOD")
	fs.Float64Var(&ge.LossBad, "loss-bad", ge.LossBad, "GE: loss probability in BAD")
	fs.IntVar(&ge.DelaySteps, "delay-steps", ge.DelaySteps, "GE: steps from transmission to arrival")
	fs.Int64Var(&ge.Seed, "seed", ge.Seed, "GE: random seed")
	pktSize := fs.Int("pkt-size", channelif.DefaultPacketSize, "default packet size in bytes")
	if err := channelif.ParseFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.PrintDefaults()
		}
		return err
	}
	var ch channelif.CommChannel
	switch *kind {
	case "perfect":
		ch = channelif.NewPerfectChannel()
	case "ge":
		g, err := channelif.NewGEChannel(ge)
		if err != nil {
			return err
		}
		ch = g
	default:
		return fmt.Errorf("--channel %q: want perfect or ge", *kind)
	}
	cfg := channelif.DefaultChannelBackendConfig()
	cfg.DefaultPacketSize = *pktSize
	b, err := channelif.NewChannelBackend(ch, cfg)
	if err != nil {
		return err
	}
	return channelif.Serve(in, out, b, channelif.ServeOptions{
		Ready:   true,
		OnError: func(line string, err error) { fmt.Fprintf(diag, "channel-sim: %q: %v\n", line, err) },
	})
}
