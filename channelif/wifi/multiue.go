package wifi

import (
	"errors"
	"fmt"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// Facts of NetRL's multi-UE Wi-Fi program (ns3_wifi_multi_ue_sim.cc).
const (
	// MultiUESSID is the SSID of the access point and its stations.
	MultiUESSID = "netrl-bss"
	// MultiUEMaxUEs is the most UEs the 10.1.1.0/24 subnet numbers: the
	// AP takes 10.1.1.1, STA i takes 10.1.1.(i+2), .255 is the broadcast.
	MultiUEMaxUEs = 253
	// MultiUEWarmup is the multi-UE program's warm-up, whatever the step:
	// time for every station to probe and associate before step 0.
	MultiUEWarmup = 500 * sim.Millisecond
)

// MultiUEConfig configures NetRL's multi-UE Wi-Fi program
// (NewMultiUEBackend), with the defaults of NetRL's multi-UE Wi-Fi backend
// (flags of its ns-3 program).
type MultiUEConfig struct {
	StepMs float64 // --step-ms: simulated milliseconds per step (1.0)
	NUEs   int     // --n-ues: number of UEs, i.e. stations (2)
	// Distances (--distances) are the metres from each UE's station to the
	// AP: UE i gets Distances[i], the last value repeats for the remaining
	// UEs and values beyond NUEs are ignored ({10}).
	Distances    []float64
	TxPowerDbm   float64 // --tx-power, of every node (20)
	LossExponent float64 // --loss-exp: LogDistance exponent (3; 46.6777 dB at 1 m)
	Retries      int     // --retries: most transmissions of a frame (7)
	PacketSize   int     // --pkt-size: default payload bytes (64)
	Seed, Run    uint64  // --seed, --run (1, 1)
	// MaxAdvanceS (--max-advance-s) is the most simulated seconds one
	// FLUSH or STEP may advance: a request beyond it gets ERROR
	// (channelif.Spec.MaxAdvance; default DefaultMaxAdvanceS, 600).
	MaxAdvanceS float64
}

// DefaultMultiUEConfig returns NetRL's defaults: 2 UEs at 10 m, 1 ms
// steps, 20 dBm, exponent 3, 7 transmissions, 64-byte payloads, seed 1,
// run 1.
func DefaultMultiUEConfig() MultiUEConfig {
	return MultiUEConfig{StepMs: 1, NUEs: 2, Distances: []float64{10}, TxPowerDbm: 20,
		LossExponent: 3, Retries: 7, PacketSize: channelif.DefaultPacketSize, Seed: 1, Run: 1,
		MaxAdvanceS: DefaultMaxAdvanceS}
}

// Validate reports the first invalid setting, naming the flag and its
// range: n-ues in [1, MultiUEMaxUEs], every used distance in
// (0, MaxDistance], and the ranges Config.Validate checks for the other
// flags.
func (c MultiUEConfig) Validate() error {
	switch {
	case c.NUEs < 1 || c.NUEs > MultiUEMaxUEs:
		return fmt.Errorf("wifi multi-UE: n-ues %d out of range [1,%d]", c.NUEs, MultiUEMaxUEs)
	case len(c.Distances) == 0:
		return errors.New("wifi multi-UE: no distances")
	}
	if err := commonChecks("wifi multi-UE", c.StepMs, c.MaxAdvanceS, c.TxPowerDbm, c.LossExponent, c.Retries, c.PacketSize); err != nil {
		return err
	}
	for i, d := range c.Distances {
		if i >= c.NUEs {
			break
		}
		if !(d > 0 && d <= MaxDistance) {
			return fmt.Errorf("wifi multi-UE: distance %v of UE %d out of range (0, %g] m", d, i, float64(MaxDistance))
		}
	}
	return nil
}

// Distance returns UE ue's distance to the AP: Distances[ue], or the last
// value for a UE beyond the list (0 if the list is empty).
func (c MultiUEConfig) Distance(ue int) float64 {
	if len(c.Distances) == 0 || ue < 0 {
		return 0
	}
	return c.Distances[min(ue, len(c.Distances)-1)]
}

// MultiUEBackend is NetRL's multi-UE Wi-Fi scenario simulated by netgym on
// the generic channelif.SimBackend: an 802.11a infrastructure BSS with the
// AP (node 0, 10.1.1.1, SSID "netrl-bss") at the origin and UE i's station
// (node i+1, 10.1.1.(i+2)) at (d_i, 0, 0), as NetRL places them; constant
// rate 54 Mb/s data and 6 Mb/s control, LogDistance loss, stations with
// active probing that associate during a 500 ms warm-up. Data flows uplink:
// each UE's packet goes over UDP/IPv4 (with ARP) from its station to port 9
// of the AP, where the receive callback reports it.
//
// Step t occupies [start + t*step, start + (t+1)*step) with start = 500 ms;
// the packets of step t are sent at the start of the step (NetRL's multi-UE
// offset 0), hence 1 ns after the previous Flush ended. A packet carries
// max(size, 8) payload bytes: NetRL's 8-byte (ue id, step id) field,
// zero-padded; the ids themselves stay on the Go side.
//
// The embedded SimBackend implements channelif.Backend for Serve and hands
// out per-UE CommChannel views (UE, Views, Factory) for CentralNode; this
// type adds the Wi-Fi state of the current episode. Not safe for concurrent
// use.
type MultiUEBackend struct {
	*channelif.SimBackend
	cfg MultiUEConfig // Distances expanded to NUEs values
}

// NewMultiUEBackend validates cfg, builds the scenario and runs its
// 500 ms warm-up.
func NewMultiUEBackend(cfg MultiUEConfig) (*MultiUEBackend, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ds := make([]float64, cfg.NUEs)
	for i := range ds {
		ds[i] = cfg.Distance(i)
	}
	cfg.Distances = ds
	b, err := channelif.NewSimBackend(multiUE{cfg: cfg}, cfg.Seed, cfg.Run)
	if err != nil {
		return nil, err
	}
	return &MultiUEBackend{SimBackend: b, cfg: cfg}, nil
}

// Config returns the configuration, with Distances expanded to one value
// per UE.
func (b *MultiUEBackend) Config() MultiUEConfig {
	if b == nil {
		return MultiUEConfig{}
	}
	c := b.cfg
	c.Distances = append([]float64(nil), b.cfg.Distances...)
	return c
}

// Network returns the Wi-Fi network of the current episode (a new one after
// every Reset): node 0 is the AP, node 1+i UE i's station. It is nil for a
// backend not made by NewMultiUEBackend.
func (b *MultiUEBackend) Network() *mac80211.Network {
	if sc := b.scenario(); sc != nil {
		return sc.net
	}
	return nil
}

// scenario returns the current episode, nil for a zero backend.
func (b *MultiUEBackend) scenario() *multiUEScenario {
	if b == nil {
		return nil
	}
	sc, _ := b.Scenario().(*multiUEScenario)
	return sc
}

// IsAssociated reports whether UE ue's station is associated with the AP
// (false for a UE out of range).
func (b *MultiUEBackend) IsAssociated(ue int) bool {
	sc := b.scenario()
	if sc == nil || ue < 0 || ue >= b.cfg.NUEs {
		return false
	}
	return sc.net.Devices[1+ue].Mac().IsAssociated()
}

// AssociationTimes returns the simulated times at which UE ue's station
// associated in the current episode, oldest first (nil for a UE out of
// range).
func (b *MultiUEBackend) AssociationTimes(ue int) []sim.Time {
	sc := b.scenario()
	if sc == nil || ue < 0 || ue >= b.cfg.NUEs {
		return nil
	}
	return sc.net.Devices[1+ue].Mac().AssociationTimes()
}

// multiUE builds NetRL's multi-UE Wi-Fi program.
type multiUE struct{ cfg MultiUEConfig }

// Spec returns the multi-UE timing: offset 0, a fixed 500 ms warm-up.
func (m multiUE) Spec() channelif.Spec {
	return channelif.Spec{
		Name:              "wifi multi-UE",
		NumUEs:            m.cfg.NUEs,
		StepDuration:      stepDuration(m.cfg.StepMs),
		MaxAdvance:        maxAdvance(m.cfg.MaxAdvanceS),
		SendOffset:        channelif.MultiUESendOffset,
		Warmup:            MultiUEWarmup,
		MaxPacketSize:     MaxPacketSize,
		DefaultPacketSize: m.cfg.PacketSize,
	}
}

// Build makes the BSS: the AP at the origin, station i at (d_i, 0, 0), one
// UDP socket per station connected to the AP's port 9.
func (m multiUE) Build(ep channelif.Episode) (channelif.Scenario, error) {
	cfg := m.cfg
	nc := networkConfig(cfg.TxPowerDbm, cfg.LossExponent, cfg.Retries)
	nc.Infrastructure = true
	nc.Ap.SSID = MultiUESSID
	nc.Sta.SSID = MultiUESSID
	nc.Sta.ActiveProbing = true
	pos := make([]mobility.Vector, 1+cfg.NUEs) // AP at the origin
	for i, d := range cfg.Distances {
		pos[1+i] = mobility.Vector{X: d}
	}
	w, err := mac80211.NewNetwork(ep.Sim, nc, pos)
	if err != nil {
		return nil, err
	}
	rx := w.Nodes[0].NewUDPSocket()
	if err := rx.Bind(Port); err != nil {
		return nil, err
	}
	rx.SetRecvCallback(receiveHook(ep.Received))
	tx := make([]*inet.UDPSocket, cfg.NUEs)
	for i := range tx {
		tx[i] = w.Nodes[1+i].NewUDPSocket()
		if err := tx[i].Connect(w.Addr(0), Port); err != nil {
			return nil, err
		}
	}
	return &multiUEScenario{net: w, pos: pos, pool: w.Inet.Pool(), tx: tx}, nil
}

// multiUEScenario is one episode of the BSS.
type multiUEScenario struct {
	net  *mac80211.Network
	pos  []mobility.Vector // pos[0]: the AP; pos[1+ue]: UE ue's station
	pool *packet.Pool
	tx   []*inet.UDPSocket // tx[ue]: UE ue's socket, connected to the AP
}

// Send sends size bytes from UE ue's station to the AP.
func (s *multiUEScenario) Send(ue, size int) (uint64, error) {
	return sendFrom(s.pool, s.tx[ue], size)
}

// Ready is always true: NetRL's program warms up for 500 ms whatever the
// stations did, and a station out of range (e.g. 70 m) never associates
// and delivers nothing, as in ns-3. IsAssociated tells.
func (s *multiUEScenario) Ready() bool { return true }
