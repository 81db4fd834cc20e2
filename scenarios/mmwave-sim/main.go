// Command mmwave-sim is a drop-in replacement for NetRL's ns3-mmwave
// backend (ns3_mmwave_sim): point NetRL's NS3MmWaveConfig(sim_binary=...)
// at it. It speaks NetRL's line protocol on stdin/stdout (READY, TRANSMIT,
// FLUSH, RESET, QUIT, plus netgym's STEP) over channelif/mmwave's
// scenario: one UE sending uplink through an ns3-mmwave eNB and the EPC
// to a remote host, stepped by channelif's generic backend.
//
//	mmwave-sim --step-ms=1.0 --distance=50 --freq=28e9 --bandwidth=200e6 --tx-power=23 \
//	  --enb-tx-power=30 --noise-fig=9 --enb-noise-fig=5 --scenario=UMa --harq=1 --rlc-am=0 --pkt-size=64
//
// netgym adds --scheduler=rr|pf|maxrate (default rr, ns3-mmwave's and
// NetRL's round-robin MmWaveFlexTtiMacScheduler).
//
// Only protocol replies go to stdout; diagnostics go to stderr. -h prints
// the flags.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/mmwave"
	"github.com/netgym/netgym/cli"
)

func main() {
	os.Exit(cli.Main("mmwave-sim", func(stderr io.Writer) int { return run(os.Args[1:], os.Stdin, os.Stdout, stderr) }))
}

func run(args []string, in io.Reader, out, diag io.Writer) int {
	p := cli.New("mmwave-sim", "Serves NetRL's ns3-mmwave program (one UE uplink through an mmWave eNB and the EPC) over NetRL's line protocol on stdin/stdout.")
	cfg := mmwave.DefaultConfig()
	harq, rlcAm := 1, 0
	fs := p.Flags
	fs.Float64Var(&cfg.StepMs, "step-ms", cfg.StepMs, "simulated milliseconds per step")
	fs.Float64Var(&cfg.Distance, "distance", cfg.Distance, "UE-eNB distance in metres")
	fs.Float64Var(&cfg.FreqHz, "freq", cfg.FreqHz, "carrier frequency in Hz")
	fs.Float64Var(&cfg.BandwidthHz, "bandwidth", cfg.BandwidthHz, "carrier bandwidth in Hz")
	fs.Float64Var(&cfg.TxPowerDbm, "tx-power", cfg.TxPowerDbm, "UE transmit power in dBm")
	fs.Float64Var(&cfg.EnbTxPowerDbm, "enb-tx-power", cfg.EnbTxPowerDbm, "eNB transmit power in dBm")
	fs.Float64Var(&cfg.NoiseFigDb, "noise-fig", cfg.NoiseFigDb, "UE noise figure in dB")
	fs.Float64Var(&cfg.EnbNoiseFigDb, "enb-noise-fig", cfg.EnbNoiseFigDb, "eNB noise figure in dB")
	fs.StringVar(&cfg.Scenario, "scenario", cfg.Scenario, "3GPP fast-fading scenario: RMa, UMa, UMi-StreetCanyon, InH-OfficeMixed or InH-OfficeOpen")
	fs.IntVar(&harq, "harq", harq, "HARQ enabled (0 or 1)")
	fs.IntVar(&rlcAm, "rlc-am", rlcAm, "RLC AM instead of RLC UM LowLat (0 or 1)")
	fs.IntVar(&cfg.PacketSize, "pkt-size", cfg.PacketSize, "default payload bytes")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	fs.Uint64Var(&cfg.Run, "run", cfg.Run, "first run number (RESET moves to the next)")
	fs.Float64Var(&cfg.MaxAdvanceS, "max-advance-s", cfg.MaxAdvanceS, "most simulated seconds one FLUSH or STEP may advance (ERROR beyond)")
	sched := cli.Choice(fs, "scheduler", cfg.Scheduler, "MAC scheduler (netgym's flag): rr (round robin, MmWaveFlexTtiMacScheduler, NetRL's), pf (proportional fair) or maxrate (highest MCS first)", "rr", "pf", "maxrate")
	return p.Run(args, out, diag, func() error {
		for _, f := range []struct {
			name string
			v    int
		}{{"harq", harq}, {"rlc-am", rlcAm}} {
			if f.v != 0 && f.v != 1 {
				return cli.Invalid(fmt.Errorf("mmwave channel: %s %d is not 0 or 1", f.name, f.v))
			}
		}
		cfg.Harq, cfg.RlcAm = harq != 0, rlcAm != 0
		cfg.Scheduler = *sched
		if err := cfg.Validate(); err != nil {
			return cli.Invalid(err)
		}
		ch, err := mmwave.NewChannel(cfg)
		if err != nil {
			return err
		}
		return channelif.Serve(in, out, ch.Backend(), channelif.ServeOptions{
			Ready:   true,
			OnError: func(line string, err error) { fmt.Fprintf(diag, "mmwave-sim: %q: %v\n", line, err) },
		})
	})
}
