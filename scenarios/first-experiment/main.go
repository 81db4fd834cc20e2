// Command first-experiment is the first experiment of docs/first-experiment.md:
// four 802.11a stations on a ring around an access point send UDP to it
// with OnOff applications; a flow monitor prints what each flow got, and
// every device writes a pcap trace that Wireshark or tshark opens.
//
//	go run ./scenarios/first-experiment
//	go run ./scenarios/first-experiment -stations=8 -rate=4Mbps -json=flows.json
//	tshark -r first-0-0.pcap | head
//
// The defaults are ns-3's (802.11a at 54 Mb/s, log-distance loss, OnOff
// with 1 s on and 0 s off, i.e. constant bit rate) except that each
// application starts up to 100 ms late, at random, so that the stations'
// first ARP requests do not collide (apps.DefaultStartJitter); -jitter=0
// gives ns-3's exact start.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/netgym/netgym/apps"
	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/flowmon"
	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/pcap"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// config is the experiment's settings (the flags).
type config struct {
	stations   int
	distance   float64       // m from the AP
	rate       inet.DataRate // per station, while on
	size       int           // UDP payload bytes
	on, off    float64       // constant on and off times, s
	start      sim.Time      // applications start
	duration   sim.Time      // of the traffic
	jitter     sim.Time      // start jitter
	pcapPrefix string        // "" for no traces
	jsonPath   string
	csvPath    string
	seed, run  uint64
}

func run(args []string, stdout, stderr io.Writer) int {
	p := cli.New("first-experiment", "Four 802.11a stations send UDP to an access point with OnOff applications; a flow monitor\n"+
		"prints each flow, every device writes a pcap trace (docs/first-experiment.md).")
	fs := p.Flags
	cfg := config{rate: 2 * inet.Mbps}
	fs.IntVar(&cfg.stations, "stations", 4, "number of stations")
	fs.Float64Var(&cfg.distance, "distance", 10, "distance of the stations from the AP, m")
	fs.TextVar(&cfg.rate, "rate", 2*inet.Mbps, "OnOff data rate of each station, ns-3 style (\"2Mbps\", \"500kb/s\")")
	fs.IntVar(&cfg.size, "size", 1000, "UDP payload bytes per packet")
	fs.Float64Var(&cfg.on, "on", 1, "OnOff OnTime, constant, s")
	fs.Float64Var(&cfg.off, "off", 0, "OnOff OffTime, constant, s")
	startS := fs.Float64("start", 1, "application start time, s")
	durS := fs.Float64("duration", 10, "traffic duration, s")
	jitterS := fs.Float64("jitter", apps.DefaultStartJitter.Seconds(), "random start jitter of each application, s (0: ns-3's exact start)")
	fs.StringVar(&cfg.pcapPrefix, "pcap", "first", "pcap file prefix: PREFIX-NODE-IF.pcap per device (\"\": no traces)")
	fs.StringVar(&cfg.jsonPath, "json", "", "also write the flow monitor's JSON to this file")
	fs.StringVar(&cfg.csvPath, "csv", "", "also write the flow monitor's CSV to this file")
	fs.Uint64Var(&cfg.seed, "seed", 1, "random seed")
	fs.Uint64Var(&cfg.run, "run", 1, "run number")
	return p.Run(args, stdout, stderr, func() error {
		var err error
		if cfg.start, err = seconds("start", *startS); err != nil {
			return err
		}
		if cfg.duration, err = seconds("duration", *durS); err != nil {
			return err
		}
		if cfg.jitter, err = seconds("jitter", *jitterS); err != nil {
			return err
		}
		if cfg.stations < 1 || cfg.stations > 250 {
			return cli.InvalidValue("stations", fmt.Sprint(cfg.stations), errors.New("want 1..250"))
		}
		if !(cfg.distance >= 0) {
			return cli.InvalidValue("distance", fmt.Sprint(cfg.distance), errors.New("want a distance >= 0"))
		}
		return experiment(cfg, stdout)
	})
}

// seconds converts a flag in seconds, refusing negative and absurd values.
func seconds(name string, v float64) (sim.Time, error) {
	t, err := sim.FromFloat(v, sim.Second)
	if err != nil || t < 0 {
		return 0, cli.InvalidValue(name, fmt.Sprint(v), errors.New("want a time >= 0 in seconds"))
	}
	return t, nil
}

// experiment builds the network, runs it and prints the results.
func experiment(cfg config, out io.Writer) error {
	s := sim.New(cfg.seed, cfg.run)

	// 1. The AP at the origin, the stations on a ring around it.
	positions := append([]mobility.Vector{{}}, mobility.Ring(mobility.Vector{}, cfg.distance, cfg.stations)...)
	mobs := make([]mobility.Model, len(positions))
	for i, p := range positions {
		mobs[i] = mobility.NewConstantPosition(p)
	}
	wcfg := mac80211.DefaultNetworkConfig()
	wcfg.Infrastructure = true // node 0 is the AP, the others associate with it
	net, err := mac80211.NewNetworkWithMobility(s, wcfg, mobs)
	if err != nil {
		return err
	}

	// 2. A sink on the AP, an OnOff source on every station.
	sink, err := apps.NewPacketSink(net.Nodes[0], apps.PacketSinkConfig{Port: 9})
	if err != nil {
		return err
	}
	if err := sink.Start(0); err != nil {
		return err
	}
	stop := cfg.start + cfg.duration
	for _, n := range net.Nodes[1:] {
		ocfg := apps.DefaultOnOffConfig(net.Addr(0), 9)
		ocfg.DataRate, ocfg.PacketSize = cfg.rate, cfg.size
		ocfg.OnTime, ocfg.OffTime = apps.ConstantVariable{Value: cfg.on}, apps.ConstantVariable{Value: cfg.off}
		ocfg.StartJitter = cfg.jitter
		src, err := apps.NewOnOff(n, ocfg)
		if err != nil {
			return cli.Invalid(err)
		}
		if err := src.Start(cfg.start); err != nil {
			return err
		}
		if err := src.Stop(stop); err != nil {
			return err
		}
	}

	// 3. The flow monitor and pcap traces, on every node.
	mon, err := flowmon.New(s, flowmon.DefaultConfig())
	if err != nil {
		return err
	}
	if err := mon.InstallAll(net.Inet); err != nil {
		return err
	}
	var traces pcap.Writers
	if cfg.pcapPrefix != "" {
		if traces, err = net.Inet.EnablePcapAll(cfg.pcapPrefix); err != nil {
			return err
		}
		defer traces.Close()
	}

	// 4. Run until every packet has had a second to arrive, then report.
	s.RunUntil(stop + sim.Second)
	fmt.Fprintf(out, "%d stations at %g m from the AP, OnOff %v (on %g s, off %g s), %d-byte payloads, %v to %v\n\n",
		cfg.stations, cfg.distance, cfg.rate, cfg.on, cfg.off, cfg.size, cfg.start, stop)
	if err := mon.WriteSummary(out); err != nil {
		return err
	}
	st := sink.Stats()
	fmt.Fprintf(out, "\nAP received %d packets, %d bytes: %.3f Mb/s over the %v of traffic\n",
		st.RxPackets, st.RxBytes, float64(st.RxBytes)*8/cfg.duration.Seconds()/1e6, cfg.duration)
	for _, w := range []struct {
		path  string
		write func(io.Writer) error
	}{{cfg.jsonPath, mon.WriteJSON}, {cfg.csvPath, mon.WriteCSV}} {
		if w.path == "" {
			continue
		}
		if err := writeFile(w.path, w.write); err != nil {
			return err
		}
		fmt.Fprintf(out, "flow monitor: %s\n", w.path)
	}
	if len(traces) > 0 {
		if err := traces.Close(); err != nil {
			return err
		}
		fmt.Fprintf(out, "pcap traces: %s-N-0.pcap for node N (the AP is node 0), e.g.\n  tshark -r %s\n",
			cfg.pcapPrefix, traces[0].Name())
	}
	return nil
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
