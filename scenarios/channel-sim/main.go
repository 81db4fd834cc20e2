// Command channel-sim serves a simple channel model over NetRL's line
// protocol (READY, TRANSMIT, FLUSH, RESET, QUIT, STEP): a lossless
// PerfectChannel or NetRL's Gilbert-Elliott channel, with no network
// simulation behind it. It is the fastest possible backend, useful as a
// baseline (the ceiling of any backend through a given client) and for
// agents that want NetRL's GE channel behind a subprocess.
//
//	channel-sim --channel=perfect
//	channel-sim --channel=ge --p-gb=0.1 --p-bg=0.3 --loss-good=0.01 --loss-bad=0.2 --delay-steps=0 --seed=42
//
// -h prints the flags.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/cli"
)

func main() {
	os.Exit(cli.Main("channel-sim", func(stderr io.Writer) int { return run(os.Args[1:], os.Stdin, os.Stdout, stderr) }))
}

// geFlags are the flags of the Gilbert-Elliott channel only.
var geFlags = map[string]bool{"p-gb": true, "p-bg": true, "loss-good": true, "loss-bad": true, "delay-steps": true, "seed": true}

func run(args []string, in io.Reader, out, diag io.Writer) int {
	p := cli.New("channel-sim", "Serves NetRL's perfect or Gilbert-Elliott channel (no network simulation) over NetRL's line protocol on stdin/stdout.")
	ge := channelif.DefaultGEConfig()
	fs := p.Flags
	kind := cli.Choice(fs, "channel", "perfect", "channel model", "perfect", "ge")
	fs.Float64Var(&ge.PGB, "p-gb", ge.PGB, "GE: probability GOOD -> BAD per transmission")
	fs.Float64Var(&ge.PBG, "p-bg", ge.PBG, "GE: probability BAD -> GOOD per transmission")
	fs.Float64Var(&ge.LossGood, "loss-good", ge.LossGood, "GE: loss probability in GOOD")
	fs.Float64Var(&ge.LossBad, "loss-bad", ge.LossBad, "GE: loss probability in BAD")
	fs.IntVar(&ge.DelaySteps, "delay-steps", ge.DelaySteps, "GE: steps from transmission to arrival")
	fs.Int64Var(&ge.Seed, "seed", ge.Seed, "GE: random seed")
	cfg := channelif.DefaultChannelBackendConfig()
	fs.IntVar(&cfg.DefaultPacketSize, "pkt-size", cfg.DefaultPacketSize, "default packet size in bytes (the channels ignore sizes)")
	return p.Run(args, out, diag, func() error {
		if err := cfg.Validate(); err != nil {
			return cli.Invalid(err)
		}
		if *kind != "ge" {
			// The GE flags would be silently ignored: refuse them.
			var stray []string
			fs.Visit(func(f *flag.Flag) {
				if geFlags[f.Name] {
					stray = append(stray, "-"+f.Name)
				}
			})
			switch len(stray) {
			case 0:
			case 1:
				return cli.Invalidf("%s only applies to -channel=ge (the channel is %s)", stray[0], *kind)
			default:
				return cli.Invalidf("%s only apply to -channel=ge (the channel is %s)", strings.Join(stray, ", "), *kind)
			}
		}
		var ch channelif.CommChannel = channelif.NewPerfectChannel()
		if *kind == "ge" {
			if err := ge.Validate(); err != nil {
				return cli.Invalid(err)
			}
			g, err := channelif.NewGEChannel(ge)
			if err != nil {
				return err
			}
			ch = g
		}
		b, err := channelif.NewChannelBackend(ch, cfg)
		if err != nil {
			return err
		}
		return channelif.Serve(in, out, b, channelif.ServeOptions{
			Ready:   true,
			OnError: func(line string, err error) { fmt.Fprintf(diag, "channel-sim: %q: %v\n", line, err) },
		})
	})
}
