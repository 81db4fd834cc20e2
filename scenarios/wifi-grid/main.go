// Command wifi-grid runs netgym's large Wi-Fi scenario (package
// mac80211/bssgrid): a square grid of 802.11a BSSs 50 m apart on one
// channel, each an AP with 9 stations within 10 m, every station sending
// 200-byte UDP packets to its AP every 100 ms (Poisson), and reports how
// the simulator copes: wall time per simulated second, events, memory per
// node and delivery ratio.
//
//	go run ./scenarios/wifi-grid -nodes 1000
//	go run ./scenarios/wifi-grid -nodes 10000 -duration 1s -json
//	go run ./scenarios/wifi-grid -bss 100 -infra -warmup 1s
//	go run ./scenarios/wifi-grid -nodes 1000 -positions /tmp/pos.txt
//
// -nodes N makes N/10 BSSs (with the default 9 stations each); -bss sets
// the number of BSSs directly. Memory is the Go heap in use after a
// garbage collection, after building and after running, divided by the
// number of nodes.
//
// -positions FILE also writes every node's position (bssgrid.Positions) to
// FILE before running: a comment line starting with '#', then one node a
// line, "x y" in metres with every digit Go needs to read the same float64
// back, BSS by BSS, the AP and then its stations. bench/ns3/wifi-grid.cc
// reads it to simulate the same geometry in ns-3.
//
// -starts FILE (with -infra) writes when each node's MAC powers on
// (mac80211.Mac.PowerOnTime): a '#' comment line, then one node a line, in
// the order of -positions, the time in nanoseconds (0 for the APs, and for
// every station without -start-jitter). bench/ns3/wifi-grid.cc --starts
// reads it to start each ns-3 station's scan at the same time.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pkg/profile"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/mac80211/bssgrid"
	"github.com/netgym/netgym/sim"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// report is what the binary prints.
type report struct {
	Nodes         int     `json:"nodes"`
	BSSs          int     `json:"bss"`
	Infra         bool    `json:"infra"`
	SimSeconds    float64 `json:"sim_s"`
	Sent          uint64  `json:"sent"`
	Received      uint64  `json:"received"`
	Delivery      float64 `json:"delivery"`
	Associated    int     `json:"associated"`
	Events        uint64  `json:"events"`
	TrafficEvents uint64  `json:"traffic_events"`
	EventsPerSimS float64 `json:"events_per_sim_s"`
	Transmissions uint64  `json:"transmissions"`
	Examined      uint64  `json:"examined"`
	Deliveries    uint64  `json:"deliveries"`
	Lazy          uint64  `json:"lazy_deliveries"`
	Weak          uint64  `json:"weak_deliveries"`
	Refused       refused `json:"lazy_refused"`
	Catchups      uint64  `json:"phy_catchups"`
	// What the PHYs did with the PPDUs that reached them, summed: received
	// frames, payloads that failed (ns-3's RxError), drops by ns-3's
	// WifiPhyRxfailureReason names (as bench/ns3/wifi-grid.cc reports them)
	// and drops below the sensitivity (which ns-3 does not trace).
	PhyRxOk             uint64            `json:"phy_rx_ok"`
	PhyRxError          uint64            `json:"phy_rx_error"`
	PhyDrops            map[string]uint64 `json:"phy_drops"`
	PhyBelowSensitivity uint64            `json:"phy_below_sensitivity"`
	PeakPending         int               `json:"peak_pending"`
	BuildWallS          float64           `json:"build_wall_s"`
	WarmupWallS         float64           `json:"warmup_wall_s"`
	TrafficWallS        float64           `json:"traffic_wall_s"`
	WallPerSimS         float64           `json:"wall_per_sim_s"`
	CPUPerSimS          float64           `json:"cpu_per_sim_s"`
	FloorDbm            float64           `json:"floor_dbm"`
	RxSensitivityDbm    float64           `json:"rx_sensitivity_dbm"`
	EventsPerWallS      float64           `json:"events_per_wall_s"`
	BuildBytesPerNd     float64           `json:"build_bytes_per_node"`
	FinalBytesPerNd     float64           `json:"final_bytes_per_node"`
	// QueueBytesPerNd is the part of FinalBytesPerNd that the event
	// queue's own arrays hold (sim.Simulator.QueueBytes): issue 19's
	// memory target counts what is beyond it.
	QueueBytesPerNd float64 `json:"queue_bytes_per_node"`
	PendingAtEnd    int     `json:"pending_at_end"`
	// AssocMs: in infrastructure mode, the first association times of the
	// stations associated by the end of the warm-up, ms: the first, the
	// 10th, 50th and 90th percentiles (sorted[floor(p*(n-1))]) and the
	// last (absent ad-hoc, or if none associated).
	AssocMs map[string]float64 `json:"assoc_ms,omitempty"`
	// AssocDelayMs: the same quantiles of each of those stations' first
	// association less its power-on time (-start-jitter's draw, or 0):
	// the passive scan and the association exchange.
	AssocDelayMs map[string]float64 `json:"assoc_delay_ms,omitempty"`
	// TxTypes: transmissions by frame type, under ns-3's names
	// (WifiMacHeader::GetTypeString, as the ns-3 peer's tx_types).
	TxTypes map[string]uint64 `json:"tx_types"`
	// AllocPerEvt: bytes allocated per event over the whole run (warm-up,
	// where infrastructure mode associates, included); TrafficAllocPerEvt
	// over the traffic window only.
	AllocPerEvt        float64 `json:"alloc_bytes_per_event"`
	TrafficAllocPerEvt float64 `json:"alloc_bytes_per_traffic_event"`
}

// refused is mac80211.LazyRefusals in the report: why sub-detection
// deliveries became events.
type refused struct {
	NotQuiet         uint64 `json:"not_quiet"`
	BelowSensitivity uint64 `json:"below_sensitivity"`
	Full             uint64 `json:"full"`
	Order            uint64 `json:"order"`
	Bound            uint64 `json:"bound"`
}

// allocated returns the bytes allocated so far, without a collection.
func allocated() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

func heap() (inUse uint64, total uint64) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc, m.TotalAlloc
}

func run(args []string, out, diag io.Writer) int {
	p := cli.New("wifi-grid", "Runs a square grid of 802.11a BSSs on one channel (every station sending small UDP packets to its AP) and reports wall time per simulated second, events, memory per node and delivery.")
	cfg := bssgrid.DefaultConfig()
	fs := p.Flags
	nodes := fs.Int("nodes", 0, "total nodes: sets -bss to nodes/(stations+1) (0: use -bss)")
	fs.IntVar(&cfg.BSSs, "bss", cfg.BSSs, "BSSs")
	fs.IntVar(&cfg.StationsPerBSS, "stations", cfg.StationsPerBSS, "stations per BSS")
	fs.Float64Var(&cfg.Spacing, "spacing", cfg.Spacing, "metres between neighbouring APs")
	fs.Float64Var(&cfg.Radius, "radius", cfg.Radius, "stations within this many metres of their AP")
	fs.IntVar(&cfg.Payload, "payload", cfg.Payload, "UDP payload bytes")
	interval := fs.Duration("interval", cfg.Interval.Duration(), "mean time between a station's packets")
	traffic := cli.Choice(fs, "traffic", "poisson", "poisson or cbr (random start)", "poisson", "cbr")
	fs.BoolVar(&cfg.Infrastructure, "infra", false, "APs and associating stations (default: ad-hoc, static ARP)")
	warmup := fs.Duration("warmup", cfg.Warmup.Duration(), "time before traffic")
	duration := fs.Duration("duration", cfg.Duration.Duration(), "traffic window")
	fs.Float64Var(&cfg.Medium.FloorDbm, "floor", cfg.Medium.FloorDbm, "medium floor, dBm: signals weaker than this reach no PHY (the PHYs' RxSensitivity drops them anyway; a higher floor ignores interference they would keep)")
	startJitter := fs.Duration("start-jitter", 0, "with -infra: each station powers on Uniform[0, this) after the start, staggering the association requests (0: every station scans from time 0, as ns-3's StaWifiMac, and all ask to associate at once when their scans end)")
	fs.Float64Var(&cfg.Install.Phy.RxSensitivityDbm, "rx-sensitivity", cfg.Install.Phy.RxSensitivityDbm, "every PHY's RxSensitivity, dBm (ns-3's YansWifiPhy attribute, default -101): weaker signals are not even interference, and the medium culls them")
	fs.BoolVar(&cfg.Medium.EagerWeak, "eager-weak", false, "every sub-detection signal an event, as in ns-3 (same results, more events; default: accounted lazily)")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	fs.Uint64Var(&cfg.Run, "run", cfg.Run, "run number")
	positions := fs.String("positions", "", "also write every node's position to this file (x y per line, BSS by BSS, AP first)")
	starts := fs.String("starts", "", "with -infra: also write when each node's MAC powers on to this file (ns per line, in -positions order; APs 0)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	prof := cli.Choice(fs, "profile", "", "write a profile to the current directory (github.com/pkg/profile)", "", "cpu", "mem")
	return p.Run(args, out, diag, func() error {
		if *nodes > 0 {
			cfg.BSSs = max(1, *nodes/(cfg.StationsPerBSS+1))
		}
		cfg.Interval = sim.FromDuration(*interval)
		cfg.Warmup = sim.FromDuration(*warmup)
		cfg.Duration = sim.FromDuration(*duration)
		cfg.Poisson = *traffic == "poisson"
		cfg.Install.Sta.StartJitter = sim.FromDuration(*startJitter)
		if err := cfg.Validate(); err != nil {
			return cli.Invalid(err)
		}
		if *positions != "" {
			if err := writePositions(*positions, cfg); err != nil {
				return err
			}
		}
		switch *prof {
		case "cpu":
			defer profile.Start(profile.CPUProfile, profile.ProfilePath("."), profile.Quiet).Stop()
		case "mem":
			defer profile.Start(profile.MemProfile, profile.ProfilePath("."), profile.Quiet).Stop()
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		h0, _ := heap()
		g, err := bssgrid.Build(cfg)
		if err != nil {
			return err
		}
		if *starts != "" {
			if err := writeStarts(*starts, g); err != nil {
				return err
			}
		}
		h1, a1 := heap()
		// CPU time of the traffic window, to set beside its wall time on
		// a shared machine.
		cpuAt := map[string]time.Duration{}
		// Bytes allocated by the start of each phase, for the traffic
		// window's allocations per event (no collection here: one forced
		// at the start of the traffic window would count in its CPU time
		// and change the heap it starts with).
		allocAt := map[string]uint64{}
		g.OnPhase = func(phase string) {
			cpuAt[phase] = cpuTime()
			if phase == "traffic" || phase == "drain" {
				allocAt[phase] = allocated()
			}
		}
		res, err := g.Run(ctx)
		if err != nil {
			return err
		}
		h2, a2 := heap()
		n := float64(res.Nodes)
		r := report{
			Nodes: res.Nodes, BSSs: cfg.BSSs, Infra: cfg.Infrastructure, SimSeconds: res.SimSeconds,
			Sent: res.Sent, Received: res.Received, Delivery: res.Delivery(), Associated: res.Associated,
			Events: res.Events, TrafficEvents: res.TrafficEvents,
			EventsPerSimS: float64(res.TrafficEvents) / res.SimSeconds,
			Transmissions: res.Medium.Transmissions, Examined: res.Medium.Examined, Deliveries: res.Medium.Deliveries,
			Lazy:                res.Medium.Lazy,
			Weak:                res.Medium.Weak,
			Refused:             refused(res.Medium.Refused),
			Catchups:            res.Medium.Catchups,
			PhyRxOk:             res.Phy.RxOk,
			PhyRxError:          res.Phy.Drops[mac80211.RxDropPayloadFailed],
			PhyDrops:            ns3Drops(res.Phy),
			PhyBelowSensitivity: res.Phy.Drops[mac80211.RxDropBelowSensitivity],
			PeakPending:         res.PeakPending,
			BuildWallS:          res.BuildWall.Seconds(), WarmupWallS: res.WarmupWall.Seconds(),
			TrafficWallS: res.TrafficWall.Seconds(), WallPerSimS: res.WallPerSimSecond().Seconds(),
			CPUPerSimS:       (cpuAt["drain"] - cpuAt["traffic"]).Seconds() / res.SimSeconds,
			FloorDbm:         cfg.Medium.FloorDbm,
			RxSensitivityDbm: cfg.Install.Phy.RxSensitivityDbm,
			EventsPerWallS:   float64(res.TrafficEvents) / res.TrafficWall.Seconds(),
			BuildBytesPerNd:  float64(int64(h1)-int64(h0)) / n,
			FinalBytesPerNd:  float64(int64(h2)-int64(h0)) / n,
			QueueBytesPerNd:  float64(g.Sim.QueueBytes()) / n,
			PendingAtEnd:     g.Sim.Pending(),
			AllocPerEvt:      float64(a2-a1) / float64(max(res.Events, 1)),
			TrafficAllocPerEvt: float64(allocAt["drain"]-allocAt["traffic"]) /
				float64(max(res.TrafficEvents, 1)),
		}
		r.TxTypes = map[string]uint64{}
		for ft, n := range res.Medium.TxByType {
			if n > 0 {
				r.TxTypes[mac80211.FrameType(ft).NS3Name()] = n
			}
		}
		if len(res.FirstAssociations) > 0 {
			r.AssocMs, r.AssocDelayMs = map[string]float64{}, map[string]float64{}
			for _, q := range []struct {
				name string
				p    float64
			}{{"first", 0}, {"p10", 0.1}, {"median", 0.5}, {"p90", 0.9}, {"last", 1}} {
				r.AssocMs[q.name] = res.AssociationQuantileMs(q.p)
				r.AssocDelayMs[q.name] = res.AssociationDelayQuantileMs(q.p)
			}
		}
		runtime.KeepAlive(g)
		if *asJSON {
			return json.NewEncoder(out).Encode(r)
		}
		fmt.Fprintf(out, "%d nodes (%d BSSs, %s), %.3g simulated s of traffic\n", r.Nodes, r.BSSs,
			map[bool]string{false: "ad-hoc, static ARP", true: "infrastructure"}[r.Infra], r.SimSeconds)
		fmt.Fprintf(out, "delivery %.4f (%d of %d), %d stations associated\n", r.Delivery, r.Received, r.Sent, r.Associated)
		fmt.Fprintf(out, "wall: build %.2f s, warm-up %.2f s, traffic %.2f s = %.2f s per simulated second (CPU %.2f s)\n",
			r.BuildWallS, r.WarmupWallS, r.TrafficWallS, r.WallPerSimS, r.CPUPerSimS)
		fmt.Fprintf(out, "events: %d in all, %.3g per simulated second, %.3g per wall second; peak queue %d\n",
			r.Events, r.EventsPerSimS, r.EventsPerWallS, r.PeakPending)
		fmt.Fprintf(out, "medium: %d transmissions, %d pairs examined, %d deliveries (%d sub-detection ones without events)\n",
			r.Transmissions, r.Examined, r.Deliveries, r.Lazy)
		if r.Weak > 0 {
			fmt.Fprintf(out, "sub-detection: %d deliveries, %d without events; events for a PHY not quiet %d, below its sensitivity %d, a full record %d, out of order %d, the power bound %d; %d PHY catch-ups\n",
				r.Weak, r.Lazy, r.Refused.NotQuiet, r.Refused.BelowSensitivity, r.Refused.Full, r.Refused.Order, r.Refused.Bound, r.Catchups)
		}
		fmt.Fprintf(out, "PHYs: %d received, %d payloads failed, drops %s, %d below the sensitivity\n",
			r.PhyRxOk, r.PhyRxError, dropsText(r.PhyDrops), r.PhyBelowSensitivity)
		fmt.Fprintf(out, "memory: %.0f B/node after building, %.0f B/node after the run (heap in use; %.0f B/node of it the event queue's arrays)\n",
			r.BuildBytesPerNd, r.FinalBytesPerNd, r.QueueBytesPerNd)
		return nil
	})
}

// ns3Drops returns c's drops that ns-3 traces as PhyRxDrop, by the ns-3
// reason's name (zero counts left out).
func ns3Drops(c mac80211.PhyCounters) map[string]uint64 {
	out := map[string]uint64{}
	for r, n := range c.Drops {
		if name := mac80211.RxDropReason(r).NS3Name(); name != "" && n > 0 {
			out[name] = n
		}
	}
	return out
}

// dropsText formats drops as "NAME n, NAME n" in name order ("none" if
// empty).
func dropsText(drops map[string]uint64) string {
	if len(drops) == 0 {
		return "none"
	}
	var b strings.Builder
	for i, name := range slices.Sorted(maps.Keys(drops)) {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", name, drops[name])
	}
	return b.String()
}

// writeStarts writes each node's power-on time (mac80211.Mac.PowerOnTime;
// 0 for the APs) to path, in Build's node order: a '#' comment line, then
// nanoseconds, one node a line.
func writeStarts(path string, g *bssgrid.Grid) error {
	buf := fmt.Appendf(nil, "# wifi-grid power-on times: %d BSSs of 1 AP + %d stations, start jitter %v, seed %d, run %d; ns per node, BSS by BSS, AP first\n",
		g.Cfg.BSSs, g.Cfg.StationsPerBSS, g.Cfg.Install.Sta.StartJitter, g.Cfg.Seed, g.Cfg.Run)
	k := g.Cfg.StationsPerBSS
	for b := range g.APs {
		buf = append(buf, "0\n"...)
		for _, d := range g.Stations[b*k : (b+1)*k] {
			on, _ := d.Mac().PowerOnTime() // 0 for an ad-hoc MAC
			buf = strconv.AppendInt(buf, int64(on), 10)
			buf = append(buf, '\n')
		}
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		return fmt.Errorf("writing power-on times: %w", err)
	}
	return nil
}

// writePositions writes bssgrid.Positions(cfg) to path: a '#' comment
// line, then "x y" per node with the shortest decimal form that reads back
// as the same float64.
func writePositions(path string, cfg bssgrid.Config) error {
	pos, err := bssgrid.Positions(cfg)
	if err != nil {
		return err
	}
	buf := fmt.Appendf(nil, "# wifi-grid positions: %d BSSs of 1 AP + %d stations, spacing %g m, radius %g m, seed %d, run %d; x y (m) per node, BSS by BSS, AP first\n",
		cfg.BSSs, cfg.StationsPerBSS, cfg.Spacing, cfg.Radius, cfg.Seed, cfg.Run)
	for _, p := range pos {
		buf = strconv.AppendFloat(buf, p.X, 'g', -1, 64)
		buf = append(buf, ' ')
		buf = strconv.AppendFloat(buf, p.Y, 'g', -1, 64)
		buf = append(buf, '\n')
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		return fmt.Errorf("writing positions: %w", err)
	}
	return nil
}
