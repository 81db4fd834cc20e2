// Package bssgrid is netgym's large Wi-Fi scenario: a square grid of
// 802.11a BSSs on one channel, each an AP with stations around it, every
// station sending small UDP packets to its AP. It measures how the
// simulator scales with the number of nodes (scenarios/wifi-grid prints
// wall time per simulated second, events, memory per node and delivery).
//
// # The scenario
//
// BSS b's AP stands at (col*Spacing, row*Spacing) with cols =
// ceil(sqrt(BSSs)) columns filled row by row (a square for a square
// number of BSSs); its StationsPerBSS stations are drawn uniformly in the
// disc of radius Radius around it. All nodes share one mac80211.Medium
// (one channel, ns-3's YANS defaults: LogDistance loss with exponent 3,
// speed-of-light delay, the -101 dBm floor that culls what ns-3's
// RxSensitivity drops anyway) and use ns-3's default 802.11a PHY
// (16.0206 dBm, 7 dB noise figure, table-based error model) and MAC with
// a constant 54 Mb/s data rate (6 Mb/s control and management, as
// ns-3's ConstantRateWifiManager). Every station sends Payload-byte UDP
// datagrams to port 9 of its AP, Poisson with mean Interval or CBR every
// Interval from a random start, during [Warmup, Warmup+Duration); the
// delivery ratio counts what the APs received of them by
// Warmup+Duration+Drain.
//
// # Ad-hoc with static ARP, or infrastructure
//
// By default every node is an ad-hoc (IBSS) station (ns-3's
// AdhocWifiMac) and each station's ARP cache holds its AP: no ARP or
// management traffic, only the data frames and their ACKs, which is what
// the scaling measurement is about. With Infrastructure the APs beacon
// (BSS b's SSID is "bss-b") and the stations scan passively and associate
// during the warm-up (ns-3's ApWifiMac/StaWifiMac): 1,000 APs' beacons and
// thousands of association exchanges on one channel take much of the
// first second, so Warmup must cover them (Result.Associated says how many
// made it).
package bssgrid

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// Port is the UDP port the APs receive on.
const Port = 9

// MaxNodes bounds the scenario (one /8 of addresses, and memory).
const MaxNodes = 1 << 22

// Config configures the grid.
type Config struct {
	// BSSs is the number of BSSs (100: 1,000 nodes with 9 stations each).
	BSSs int
	// StationsPerBSS is the number of stations around each AP (9).
	StationsPerBSS int
	// Spacing is the distance between neighbouring APs, metres (50).
	Spacing float64
	// Radius bounds the distance from a station to its AP, metres (10).
	Radius float64
	// Payload is the UDP payload of every packet, bytes (200).
	Payload int
	// Interval is the mean time between a station's packets (100 ms).
	Interval sim.Time
	// Poisson draws exponential gaps of mean Interval; otherwise CBR every
	// Interval from a start uniform in [Warmup, Warmup+Interval) (true).
	Poisson bool
	// Infrastructure makes APs and associating stations; otherwise ad-hoc
	// with static ARP (false).
	Infrastructure bool
	// Warmup is the time before traffic starts (0.5 s).
	Warmup sim.Time
	// Duration is the traffic window (1 s).
	Duration sim.Time
	// Drain is how long after the window packets may still arrive
	// (100 ms).
	Drain sim.Time
	// Seed and Run select the random streams (1, 1).
	Seed, Run uint64
	// Install configures every device (ns-3's defaults: 802.11a, 54 Mb/s
	// data, 6 Mb/s control); its Role, Addresses and SSIDs are set here.
	Install mac80211.InstallConfig
	// Medium configures the one channel (ns-3's YANS defaults).
	Medium mac80211.MediumConfig
}

// DefaultConfig returns 100 BSSs of an AP and 9 stations (1,000 nodes),
// 50 m apart, stations within 10 m, 200-byte Poisson packets every 100 ms
// on average, ad-hoc with static ARP, 0.5 s warm-up, 1 s of traffic,
// ns-3's default PHY, MAC and channel.
func DefaultConfig() Config {
	return Config{BSSs: 100, StationsPerBSS: 9, Spacing: 50, Radius: 10, Payload: 200,
		Interval: 100 * sim.Millisecond, Poisson: true, Warmup: 500 * sim.Millisecond,
		Duration: sim.Second, Drain: 100 * sim.Millisecond, Seed: 1, Run: 1,
		Install: mac80211.DefaultInstallConfig(), Medium: mac80211.DefaultMediumConfig()}
}

// Nodes returns the number of nodes: BSSs * (1 + StationsPerBSS).
func (c Config) Nodes() int { return c.BSSs * (1 + c.StationsPerBSS) }

// Validate reports the first unusable setting.
func (c Config) Validate() error {
	switch {
	case c.BSSs < 1:
		return fmt.Errorf("bssgrid: BSSs %d must be at least 1", c.BSSs)
	case c.StationsPerBSS < 1:
		return fmt.Errorf("bssgrid: StationsPerBSS %d must be at least 1", c.StationsPerBSS)
	case c.BSSs > MaxNodes || c.StationsPerBSS > MaxNodes || c.Nodes() > MaxNodes:
		return fmt.Errorf("bssgrid: %d BSSs of %d stations is more than %d nodes", c.BSSs, c.StationsPerBSS, MaxNodes)
	case !(c.Spacing > 0) || math.IsInf(c.Spacing, 0):
		return fmt.Errorf("bssgrid: Spacing %v must be a positive number of metres", c.Spacing)
	case !(c.Radius >= 0) || math.IsInf(c.Radius, 0):
		return fmt.Errorf("bssgrid: Radius %v must be a non-negative number of metres", c.Radius)
	case c.Payload < 1 || c.Payload > mac80211.MTU-inet.IPv4HeaderSize-inet.UDPHeaderSize:
		return fmt.Errorf("bssgrid: Payload %d outside [1, %d]", c.Payload, mac80211.MTU-inet.IPv4HeaderSize-inet.UDPHeaderSize)
	case c.Interval <= 0:
		return fmt.Errorf("bssgrid: Interval %v must be positive", c.Interval)
	case c.Warmup < 0 || c.Duration <= 0 || c.Drain < 0:
		return fmt.Errorf("bssgrid: Warmup %v and Drain %v must be >= 0 and Duration %v positive", c.Warmup, c.Drain, c.Duration)
	}
	if err := c.Install.Phy.Validate(); err != nil {
		return err
	}
	if err := c.Install.Mac.Validate(); err != nil {
		return err
	}
	if c.Infrastructure {
		if err := c.Install.Ap.Validate(); err != nil {
			return err
		}
		if err := c.Install.Sta.Validate(); err != nil {
			return err
		}
	}
	return c.Medium.Validate()
}

// Result is what a run measured.
type Result struct {
	// Nodes is the number of nodes (APs and stations).
	Nodes int
	// Sent counts the packets the stations sent in the traffic window;
	// Received those their APs received by the end of the drain.
	Sent, Received uint64
	// Associated counts the stations associated when traffic started
	// (infrastructure; all of them ad-hoc).
	Associated int
	// FirstAssociations holds, in infrastructure mode, the first
	// association time of each station associated by the end of the
	// warm-up (those Associated counts, and those that associated and lost
	// their AP again), in increasing order; stations that had not
	// associated by then are left out. Nil ad-hoc.
	FirstAssociations []sim.Time
	// AssociationDelays holds, for the same stations, the first
	// association time less the station's power-on time
	// (mac80211.Mac.PowerOnTime: 0, or its StartJitter draw), in
	// increasing order: the passive scan and the association exchange,
	// whatever the start.
	AssociationDelays []sim.Time
	// Events is the number of events executed in all; TrafficEvents
	// those of the traffic window.
	Events, TrafficEvents uint64
	// Medium is what the channel counted (transmissions, examined pairs,
	// deliveries).
	Medium mac80211.MediumStats
	// Phy is what every PHY counted, summed over the APs and stations at
	// the end of the run (received frames, drops by reason), for setting
	// beside ns-3's PhyRxDrop, RxOk and RxError traces.
	Phy mac80211.PhyCounters
	// BuildWall, WarmupWall and TrafficWall are the wall-clock times of
	// building the network, of the warm-up and of the traffic window.
	BuildWall, WarmupWall, TrafficWall time.Duration
	// SimSeconds is the traffic window in simulated seconds.
	SimSeconds float64
	// PeakPending is the largest event-queue population seen at the
	// checkpoints (every 10 ms of the traffic window).
	PeakPending int
}

// AssociationQuantileMs returns the p-quantile (p in [0, 1]) of
// FirstAssociations in milliseconds, as sorted[floor(p*(n-1))] (the ns-3
// peer's assoc_ms uses the same rule), or NaN if there are none.
func (r Result) AssociationQuantileMs(p float64) float64 {
	return quantileMs(r.FirstAssociations, p)
}

// AssociationDelayQuantileMs returns the p-quantile of AssociationDelays
// in milliseconds, by AssociationQuantileMs's rule.
func (r Result) AssociationDelayQuantileMs(p float64) float64 {
	return quantileMs(r.AssociationDelays, p)
}

// quantileMs returns sorted t's p-quantile in ms, sorted[floor(p*(n-1))],
// or NaN if t is empty or p is outside [0, 1].
func quantileMs(t []sim.Time, p float64) float64 {
	if len(t) == 0 || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	return t[int(p*float64(len(t)-1))].Seconds() * 1e3
}

// Delivery returns Received/Sent (NaN if nothing was sent).
func (r Result) Delivery() float64 {
	if r.Sent == 0 {
		return math.NaN()
	}
	return float64(r.Received) / float64(r.Sent)
}

// WallPerSimSecond returns the wall time of one simulated second of
// traffic.
func (r Result) WallPerSimSecond() time.Duration {
	return time.Duration(float64(r.TrafficWall) / r.SimSeconds)
}

// Grid is a built scenario, ready to run: Run is Build then Grid.Run.
type Grid struct {
	Cfg      Config
	Sim      *sim.Simulator
	Net      *inet.Network
	Medium   *mac80211.Medium
	APs      []*mac80211.Device
	Stations []*mac80211.Device
	// OnPhase, if set, is called as each phase of Run starts: "warmup",
	// "traffic", "drain", then "done" (a binary reads its CPU time there).
	OnPhase  func(phase string)
	senders  []*sender
	received uint64
	build    time.Duration
}

// sender is one station's traffic source.
type sender struct {
	g    *Grid
	sock *inet.UDPSocket
	rng  *rand.Rand
	fire func(any)
	sent uint64
}

func (s *sender) onSend(any) {
	g := s.g
	s.sent++
	_ = s.sock.Send(g.Cfg.Payload) // a full queue drops it: counted as lost
	var gap sim.Time
	if g.Cfg.Poisson {
		gap = sim.Time(math.Round(s.rng.ExpFloat64() * float64(g.Cfg.Interval)))
	} else {
		gap = g.Cfg.Interval
	}
	if g.Sim.Now()+gap < g.Cfg.Warmup+g.Cfg.Duration {
		g.Sim.ScheduleWith(gap, s.fire, nil)
	}
}

// placer draws the geometry: APs on the grid, stations uniform in the
// disc around their AP, from the "bssgrid/positions" stream, BSS by BSS.
type placer struct {
	cfg  Config
	cols int
	rng  *rand.Rand
}

func newPlacer(cfg Config) placer {
	return placer{cfg: cfg, cols: int(math.Ceil(math.Sqrt(float64(cfg.BSSs)))),
		rng: sim.NewStream(cfg.Seed, cfg.Run, "bssgrid/positions")}
}

// ap returns BSS b's AP position (it draws nothing).
func (p placer) ap(b int) mobility.Vector {
	return mobility.Vector{X: float64(b%p.cols) * p.cfg.Spacing, Y: float64(b/p.cols) * p.cfg.Spacing}
}

// station draws the next station around ap: radius Radius*sqrt(U), angle
// 2*pi*U, uniform in the disc.
func (p placer) station(ap mobility.Vector) mobility.Vector {
	r := p.cfg.Radius * math.Sqrt(p.rng.Float64())
	th := 2 * math.Pi * p.rng.Float64()
	return mobility.Vector{X: ap.X + r*math.Cos(th), Y: ap.Y + r*math.Sin(th)}
}

// Positions returns the position of every node that Build places for cfg,
// in Build's node order: BSS by BSS, the AP and then its StationsPerBSS
// stations. It builds nothing, so a peer simulator (bench/ns3/wifi-grid.cc)
// can be given the same geometry cheaply.
func Positions(cfg Config) ([]mobility.Vector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	place := newPlacer(cfg)
	out := make([]mobility.Vector, 0, cfg.Nodes())
	for b := range cfg.BSSs {
		ap := place.ap(b)
		out = append(out, ap)
		for range cfg.StationsPerBSS {
			out = append(out, place.station(ap))
		}
	}
	return out, nil
}

// Build makes the grid: nodes, devices, addresses, static ARP (ad-hoc),
// sockets and the first packet of every station.
func Build(cfg Config) (*Grid, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	t0 := time.Now()
	s := sim.New(cfg.Seed, cfg.Run)
	medium, err := mac80211.NewMedium(s, cfg.Medium)
	if err != nil {
		return nil, err
	}
	g := &Grid{Cfg: cfg, Sim: s, Net: inet.NewNetwork(s), Medium: medium}
	addrs, err := g.Net.NewAddressHelper(inet.IPv4AddrFrom4(10, 0, 0, 0), 0xff000000, inet.IPv4AddrFrom4(0, 0, 0, 1))
	if err != nil {
		return nil, err
	}
	place := newPlacer(cfg)
	ncfg := inet.DefaultNodeConfig()
	k := cfg.StationsPerBSS
	g.senders = make([]*sender, 0, cfg.BSSs*k)
	apMobs := make([]mobility.Model, 1)
	staMobs := make([]mobility.Model, k)
	for b := range cfg.BSSs {
		nodes, err := g.Net.NewNodes(1+k, ncfg)
		if err != nil {
			return nil, err
		}
		ap := place.ap(b)
		apMobs[0] = mobility.NewConstantPosition(ap)
		for i := range k {
			staMobs[i] = mobility.NewConstantPosition(place.station(ap))
		}
		ic := cfg.Install
		ic.Addresses = addrs
		ic.Role = mac80211.RoleAdhoc
		if cfg.Infrastructure {
			ssid := fmt.Sprintf("bss-%d", b)
			ic.Ap.SSID, ic.Sta.SSID = ssid, ssid
			ic.Role = mac80211.RoleAP
		}
		apDev, err := mac80211.Install(g.Net, medium, nodes[:1], apMobs, ic)
		if err != nil {
			return nil, err
		}
		if cfg.Infrastructure {
			ic.Role = mac80211.RoleSTA
		}
		staDevs, err := mac80211.Install(g.Net, medium, nodes[1:], staMobs, ic)
		if err != nil {
			return nil, err
		}
		g.APs = append(g.APs, apDev[0])
		g.Stations = append(g.Stations, staDevs...)
		apNode := nodes[0]
		apIf := apNode.Interfaces()[0]
		sink := apNode.NewUDPSocket()
		if err := sink.Bind(Port); err != nil {
			return nil, err
		}
		sink.SetRecvCallback(g.onReceive)
		for i, n := range nodes[1:] {
			staIf := n.Interfaces()[0]
			if err := n.AddStaticNeighbor(staIf, apIf.Address(), apDev[0].Address()); err != nil {
				return nil, err
			}
			sock := n.NewUDPSocket()
			if err := sock.Connect(apIf.Address(), Port); err != nil {
				return nil, err
			}
			id := b*k + i
			snd := &sender{g: g, sock: sock, rng: s.StreamFor("bssgrid/traffic", id)}
			snd.fire = snd.onSend
			first := cfg.Warmup
			if cfg.Poisson {
				first += sim.Time(math.Round(snd.rng.ExpFloat64() * float64(cfg.Interval)))
			} else {
				first += sim.Time(snd.rng.Float64() * float64(cfg.Interval))
			}
			if first < cfg.Warmup+cfg.Duration {
				if _, err := s.ScheduleAtWith(first, snd.fire, nil); err != nil {
					return nil, err
				}
			}
			g.senders = append(g.senders, snd)
		}
	}
	g.build = time.Since(t0)
	return g, nil
}

func (g *Grid) onReceive(_ *inet.UDPSocket, _ *packet.Packet, _ inet.RecvInfo) { g.received++ }

// Run runs the warm-up, the traffic window and the drain, checking ctx
// every 10 simulated milliseconds.
func (g *Grid) Run(ctx context.Context) (Result, error) {
	cfg := g.Cfg
	res := Result{Nodes: cfg.Nodes(), BuildWall: g.build, SimSeconds: cfg.Duration.Seconds()}
	step := 10 * sim.Millisecond
	runTo := func(end sim.Time) error {
		for g.Sim.Now() < end {
			if err := ctx.Err(); err != nil {
				return err
			}
			g.Sim.RunUntil(min(g.Sim.Now()+step, end))
			res.PeakPending = max(res.PeakPending, g.Sim.Pending())
		}
		return nil
	}
	phase := func(p string) {
		if g.OnPhase != nil {
			g.OnPhase(p)
		}
	}
	phase("warmup")
	t0 := time.Now()
	if err := runTo(cfg.Warmup); err != nil {
		return res, err
	}
	res.WarmupWall = time.Since(t0)
	for _, d := range g.Stations {
		if !cfg.Infrastructure || d.Mac().IsAssociated() {
			res.Associated++
		}
	}
	if cfg.Infrastructure {
		for _, d := range g.Stations {
			if t := d.Mac().AssociationTimes(); len(t) > 0 {
				res.FirstAssociations = append(res.FirstAssociations, t[0])
				on, _ := d.Mac().PowerOnTime()
				res.AssociationDelays = append(res.AssociationDelays, t[0]-on)
			}
		}
		slices.Sort(res.FirstAssociations)
		slices.Sort(res.AssociationDelays)
	}
	ev0 := g.Sim.EventCount()
	phase("traffic")
	t1 := time.Now()
	if err := runTo(cfg.Warmup + cfg.Duration); err != nil {
		return res, err
	}
	res.TrafficWall = time.Since(t1)
	res.TrafficEvents = g.Sim.EventCount() - ev0
	phase("drain")
	if err := runTo(cfg.Warmup + cfg.Duration + cfg.Drain); err != nil {
		return res, err
	}
	for _, s := range g.senders {
		res.Sent += s.sent
	}
	res.Received = g.received
	res.Events = g.Sim.EventCount()
	res.Medium = g.Medium.Stats()
	for _, devs := range [][]*mac80211.Device{g.APs, g.Stations} {
		for _, d := range devs {
			res.Phy.Add(d.Mac().Phy().Counters())
		}
	}
	phase("done")
	return res, nil
}

// Run builds and runs the scenario.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if ctx == nil {
		return Result{}, errors.New("bssgrid: Run needs a context")
	}
	g, err := Build(cfg)
	if err != nil {
		return Result{}, err
	}
	return g.Run(ctx)
}
