package mac80211

import (
	"errors"
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
)

// NetworkConfig describes a whole 802.11a network for NewNetwork: one
// medium, one PHY+MAC+device per node, an IPv4 stack on each node.
type NetworkConfig struct {
	Phy    PhyConfig
	Mac    MacConfig // template; each device gets its own address
	Medium MediumConfig
	// NewRate, if set, makes a rate manager per device (needed for
	// adaptive managers, which keep per-destination state). Otherwise
	// every device shares Mac.Rate, which is right for ConstantRate.
	NewRate func() RateManager
	// Infrastructure makes node 0 an access point and the others stations
	// that associate with it; otherwise every node is ad-hoc.
	Infrastructure bool
	Ap             ApConfig
	Sta            StaConfig
	// Node configures each IPv4 stack (ARP included).
	Node inet.NodeConfig
	// Subnet and Mask number the interfaces: node i gets Subnet + i + 1.
	Subnet inet.IPv4Addr
	Mask   inet.IPv4Mask
	// StaticARP fills every neighbour table at build time, so no ARP
	// traffic is ever sent (ns-3's examples do the same with
	// --staticArp=1).
	//
	// With dynamic ARP (false, the default, as ns-3) the first packet to
	// each neighbour waits for an ARP exchange: a broadcast request sent
	// after a random whole-millisecond jitter (ns-3's
	// ArpL3Protocol::RequestJitter, Uniform[0, 10) ms truncated to whole
	// ms), a unicast reply, while at most 3 packets wait (later ones are
	// dropped). Senders that start together therefore send their
	// broadcast requests in the same millisecond: they collide, and since
	// broadcasts are neither acknowledged nor retried at the MAC, most
	// requests are lost and retried only after a second, up to 3 times,
	// after which the entry is dead and its packets are dropped. With many
	// synchronised senders most stations never resolve the receiver and
	// deliver nothing, silently at the application, as in ns-3 3.37. The
	// losses show in Network.ARPDrops and Network.Drops; set StaticARP (or
	// stagger the senders' starts) when ARP is not what is being studied.
	StaticARP bool
}

// Validate reports the first invalid setting of any layer (PHY, MAC,
// medium, AP and STA when Infrastructure is set, IPv4 stack), naming the
// field and its range. A nil Mac.Rate is accepted when NewRate is set.
func (c NetworkConfig) Validate() error {
	if err := c.Phy.Validate(); err != nil {
		return err
	}
	mac := c.Mac
	if c.NewRate != nil && mac.Rate == nil {
		mac.Rate = NewConstantRate(OfdmRate54Mbps, OfdmRate6Mbps) // stands in for NewRate's managers
	}
	if err := mac.Validate(); err != nil {
		return err
	}
	if err := c.Medium.Validate(); err != nil {
		return err
	}
	if c.Infrastructure {
		if err := c.Ap.Validate(); err != nil {
			return err
		}
		if err := c.Sta.Validate(); err != nil {
			return err
		}
	}
	return c.Node.Validate()
}

// DefaultNetworkConfig returns ns-3's defaults for every layer, ad-hoc,
// on 10.1.1.0/24.
func DefaultNetworkConfig() NetworkConfig {
	return NetworkConfig{
		Phy:    DefaultPhyConfig(),
		Mac:    DefaultMacConfig(),
		Medium: DefaultMediumConfig(),
		Ap:     DefaultApConfig(),
		Sta:    DefaultStaConfig(),
		Node:   inet.DefaultNodeConfig(),
		Subnet: inet.IPv4AddrFrom4(10, 1, 1, 0),
		Mask:   0xffffff00,
	}
}

// Network is a built 802.11a network. Nodes, Devices and Positions are
// indexed alike; in infrastructure mode index 0 is the AP.
type Network struct {
	Sim     *sim.Simulator
	Inet    *inet.Network
	Medium  *Medium
	Nodes   []*inet.Node
	Devices []*Device
	Ifaces  []*inet.Interface
	// Mobility holds each node's mobility model (constant positions for
	// NewNetwork).
	Mobility []mobility.Model
}

// Role is what an 802.11 MAC does in its network.
type Role uint8

// MAC roles.
const (
	// RoleAdhoc: an ad-hoc (IBSS) station (ns-3 AdhocWifiMac); the zero
	// value.
	RoleAdhoc Role = iota
	// RoleAP: an access point (ns-3 ApWifiMac).
	RoleAP
	// RoleSTA: a station that scans for and associates with an AP (ns-3
	// StaWifiMac).
	RoleSTA
)

// String returns the role's name.
func (r Role) String() string {
	switch r {
	case RoleAdhoc:
		return "Adhoc"
	case RoleAP:
		return "AP"
	case RoleSTA:
		return "STA"
	}
	return fmt.Sprintf("Role(%d)", uint8(r))
}

// InstallConfig describes the 802.11a devices Install puts on nodes: one
// PHY, MAC and device per node, all with the same role.
type InstallConfig struct {
	Phy PhyConfig
	// Mac is a template: each device gets the next link-layer address of
	// the inet.Network (Mac.Address is ignored).
	Mac MacConfig
	// NewRate, if set, makes a rate manager per device (needed for
	// adaptive managers, which keep per-destination state). Otherwise
	// every device shares Mac.Rate, which is right for ConstantRate.
	NewRate func() RateManager
	// Role of every device installed by this call; install an AP and its
	// stations with two calls on the same medium.
	Role Role
	Ap   ApConfig  // for RoleAP
	Sta  StaConfig // for RoleSTA
	// Addresses, when set, gives device i the helper's next address on
	// nodes[i] (an interface with its connected route). Without it the
	// devices are not yet interfaces of their nodes: assign them with an
	// inet.AddressHelper or inet.Network.AssignAddress.
	Addresses *inet.AddressHelper
}

// DefaultInstallConfig returns ns-3's defaults for every layer, ad-hoc,
// without addresses.
func DefaultInstallConfig() InstallConfig {
	return InstallConfig{
		Phy: DefaultPhyConfig(),
		Mac: DefaultMacConfig(),
		Ap:  DefaultApConfig(),
		Sta: DefaultStaConfig(),
	}
}

// Install puts an 802.11a device on each of nodes, ns-3 WifiHelper style:
// a PHY attached to medium with mobilities[i] as its position, a MAC with
// cfg.Role and the next link-layer address of net, and a Device; with
// cfg.Addresses each device also gets the next address on its node. The
// MACs start at the current time (AP beacons, STA scanning). The nodes may
// carry other devices too (point-to-point backhaul, tunnels): net is the
// one inet.Network of the simulation. Example, an AP and two stations:
//
//	lan, _ := net.NewAddressHelper(inet.IPv4AddrFrom4(10, 1, 1, 0), 0xffffff00, 1)
//	cfg := mac80211.DefaultInstallConfig()
//	cfg.Addresses = lan
//	cfg.Role = mac80211.RoleAP
//	ap, err := mac80211.Install(net, medium, nodes[:1], mobs[:1], cfg)
//	cfg.Role = mac80211.RoleSTA
//	stas, err := mac80211.Install(net, medium, nodes[1:], mobs[1:], cfg)
func Install(net *inet.Network, medium *Medium, nodes []*inet.Node, mobilities []mobility.Model, cfg InstallConfig) ([]*Device, error) {
	devs, err := install(net, medium, nodes, mobilities, cfg)
	if err != nil {
		return nil, err
	}
	for _, d := range devs {
		d.Mac().Start()
	}
	return devs, nil
}

// install is Install without starting the MACs.
func install(net *inet.Network, medium *Medium, nodes []*inet.Node, mobilities []mobility.Model, cfg InstallConfig) ([]*Device, error) {
	switch {
	case net == nil || medium == nil:
		return nil, errors.New("mac80211: Install needs an inet.Network and a Medium")
	case len(nodes) != len(mobilities):
		return nil, fmt.Errorf("mac80211: Install: %d nodes but %d mobility models", len(nodes), len(mobilities))
	case cfg.Role > RoleSTA:
		return nil, fmt.Errorf("mac80211: Install: unknown role %v", cfg.Role)
	}
	s := net.Sim()
	for i, n := range nodes {
		if n == nil || mobilities[i] == nil {
			return nil, fmt.Errorf("mac80211: Install: node or mobility model %d is nil", i)
		}
		if n.Sim() != s {
			return nil, fmt.Errorf("mac80211: Install: node %d belongs to another simulation", n.ID())
		}
		if err := mobility.ValidatePosition(mobilities[i].Position(s.Now())); err != nil {
			return nil, fmt.Errorf("mac80211: Install: node %d: %w", n.ID(), err)
		}
	}
	// Everything that can fail is checked before anything is built: PHYs
	// stay attached to the medium and MACs start at once, so a failure
	// half-way would leave devices behind.
	if err := cfg.check(len(nodes)); err != nil {
		return nil, err
	}
	devs := make([]*Device, 0, len(nodes))
	for i, n := range nodes {
		phy, err := NewPhy(s, cfg.Phy)
		if err != nil {
			return nil, err
		}
		if err := medium.Attach(phy, mobilities[i]); err != nil {
			return nil, err
		}
		mcfg := cfg.Mac
		mcfg.Address = net.MACs().Allocate()
		if cfg.NewRate != nil {
			mcfg.Rate = cfg.NewRate()
		}
		var mac *Mac
		switch cfg.Role {
		case RoleAdhoc:
			mac, err = NewAdhocMac(s, phy, mcfg)
		case RoleAP:
			mac, err = NewApMac(s, phy, mcfg, cfg.Ap)
		case RoleSTA:
			mac, err = NewStaMac(s, phy, mcfg, cfg.Sta)
		}
		if err != nil {
			return nil, err
		}
		dev := NewDevice(mac)
		if cfg.Addresses != nil {
			if _, err := cfg.Addresses.Assign(n, dev); err != nil {
				return nil, err
			}
		}
		devs = append(devs, dev)
	}
	return devs, nil
}

// check validates cfg for installing n devices: every layer's
// configuration and, with Addresses, that n addresses are left.
func (cfg *InstallConfig) check(n int) error {
	if err := cfg.Phy.Validate(); err != nil {
		return err
	}
	mac := cfg.Mac
	if cfg.NewRate != nil && mac.Rate == nil {
		mac.Rate = NewConstantRate(OfdmRate6Mbps, OfdmRate6Mbps) // each device gets its own
	}
	if err := mac.Validate(); err != nil {
		return err
	}
	switch cfg.Role {
	case RoleAP:
		if err := cfg.Ap.Validate(); err != nil {
			return err
		}
	case RoleSTA:
		if err := cfg.Sta.Validate(); err != nil {
			return err
		}
	}
	if cfg.Addresses != nil {
		if err := cfg.Addresses.CheckNext(n); err != nil {
			return fmt.Errorf("mac80211: Install: %w", err)
		}
	}
	return nil
}

// NetDevices returns devs as inet.NetDevice values, e.g. for
// inet.AddressHelper.AssignAll.
func NetDevices(devs []*Device) []inet.NetDevice {
	out := make([]inet.NetDevice, len(devs))
	for i, d := range devs {
		out[i] = d
	}
	return out
}

// NewNetwork builds a network with one node at each position and starts
// the MACs at the current time (AP beacons, STA scanning): a convenience
// over inet.NewNetwork and Install. Node i gets address Subnet + i + 1;
// in infrastructure mode node 0 is the AP. It validates cfg and every
// position (finite coordinates within ±mobility.MaxCoordinate metres)
// first. Example:
//
//	net, err := mac80211.NewNetwork(s, mac80211.DefaultNetworkConfig(),
//		[]mobility.Vector{{X: 0}, {X: 10}})
func NewNetwork(s *sim.Simulator, cfg NetworkConfig, positions []mobility.Vector) (*Network, error) {
	if s == nil {
		return nil, errors.New("mac80211: NewNetwork needs a simulator")
	}
	if len(positions) == 0 {
		return nil, errors.New("mac80211: NewNetwork needs at least one position")
	}
	mobs := make([]mobility.Model, len(positions))
	for i, pos := range positions {
		mobs[i] = mobility.NewConstantPosition(pos)
	}
	return NewNetworkWithMobility(s, cfg, mobs)
}

// NewNetworkWithMobility is NewNetwork with a mobility model per node
// instead of fixed positions: constant velocity, random waypoint (see
// sim/mobility), or any mobility.Model. The medium follows the nodes as
// they move: it asks each model for its position at every transmission,
// re-indexes nodes that report a course change, and reuses a cached link
// gain only while both ends stay where they were. Example, stations
// wandering around an AP:
//
//	mobs := []mobility.Model{mobility.NewConstantPosition(mobility.Vector{X: 50, Y: 50})}
//	for i := range 4 {
//		rw, _ := mobility.NewRandomWaypoint(rwCfg, start[i], s.Now(), s.StreamFor("mobility/sta", i))
//		mobs = append(mobs, rw)
//	}
//	cfg.Infrastructure = true
//	net, err := mac80211.NewNetworkWithMobility(s, cfg, mobs)
func NewNetworkWithMobility(s *sim.Simulator, cfg NetworkConfig, mobs []mobility.Model) (*Network, error) {
	if s == nil {
		return nil, errors.New("mac80211: NewNetwork needs a simulator")
	}
	if len(mobs) == 0 {
		return nil, errors.New("mac80211: NewNetwork needs at least one node")
	}
	for i, m := range mobs {
		if m == nil {
			return nil, fmt.Errorf("mac80211: NewNetwork: mobility model %d is nil", i)
		}
	}
	if cfg.Infrastructure && len(mobs) < 2 {
		return nil, errors.New("mac80211: an infrastructure network needs an AP and at least one station")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	for i, m := range mobs {
		if err := mobility.ValidatePosition(m.Position(s.Now())); err != nil {
			return nil, fmt.Errorf("mac80211: NewNetwork: node %d: %w", i, err)
		}
	}
	if int(^uint32(cfg.Mask)) < len(mobs)+1 {
		return nil, fmt.Errorf("mac80211: subnet %v/%v too small for %d nodes", cfg.Subnet, cfg.Mask, len(mobs))
	}
	medium, err := NewMedium(s, cfg.Medium)
	if err != nil {
		return nil, err
	}
	w := &Network{Sim: s, Inet: inet.NewNetwork(s), Medium: medium, Mobility: append([]mobility.Model(nil), mobs...)}
	w.Nodes, err = w.Inet.NewNodes(len(mobs), cfg.Node)
	if err != nil {
		return nil, err
	}
	icfg := InstallConfig{Phy: cfg.Phy, Mac: cfg.Mac, NewRate: cfg.NewRate, Ap: cfg.Ap, Sta: cfg.Sta}
	if !cfg.Infrastructure {
		w.Devices, err = install(w.Inet, medium, w.Nodes, mobs, icfg)
	} else {
		icfg.Role = RoleAP
		w.Devices, err = install(w.Inet, medium, w.Nodes[:1], mobs[:1], icfg)
		if err == nil {
			icfg.Role = RoleSTA
			var stas []*Device
			stas, err = install(w.Inet, medium, w.Nodes[1:], mobs[1:], icfg)
			w.Devices = append(w.Devices, stas...)
		}
	}
	if err != nil {
		return nil, err
	}
	for i, n := range w.Nodes {
		ifc, err := w.Inet.AssignAddress(n, w.Devices[i], inet.IPv4Addr(uint32(cfg.Subnet)+uint32(i)+1), cfg.Mask)
		if err != nil {
			return nil, err
		}
		w.Ifaces = append(w.Ifaces, ifc)
	}
	if cfg.StaticARP {
		for i, n := range w.Nodes {
			for j, other := range w.Ifaces {
				if i != j {
					if err := n.AddStaticNeighbor(w.Ifaces[i], other.Address(), w.Devices[j].Address()); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	for _, d := range w.Devices {
		d.Mac().Start()
	}
	return w, nil
}

// Addr returns node i's IPv4 address.
func (w *Network) Addr(i int) inet.IPv4Addr { return w.Ifaces[i].Address() }

// arpDropReasons are the IPv4 drops due to address resolution.
var arpDropReasons = [...]inet.DropReason{inet.DropARPQueueFull, inet.DropARPRetriesExhausted, inet.DropARPDeadEntry}

// Drops returns how many packets the network's nodes dropped for reason r,
// summed over the nodes (each node counts its own: inet.Node.Drops). It
// only reads the counters.
func (w *Network) Drops(r inet.DropReason) uint64 {
	if w == nil {
		return 0
	}
	var n uint64
	for _, node := range w.Nodes {
		n += node.Drops(r)
	}
	return n
}

// DropCounts returns the non-zero drop counts of Drops, by reason.
func (w *Network) DropCounts() map[inet.DropReason]uint64 {
	out := make(map[inet.DropReason]uint64)
	for _, r := range inet.DropReasons() {
		if n := w.Drops(r); n > 0 {
			out[r] = n
		}
	}
	return out
}

// MacDrops returns the frames that left the network's MACs undelivered
// (queue full or expired, retry limits, not associated), summed over the
// devices' MacCounters.Drops.
func (w *Network) MacDrops() uint64 {
	if w == nil {
		return 0
	}
	var n uint64
	for _, d := range w.Devices {
		n += d.Mac().Counters.Drops
	}
	return n
}

// ARPDrops returns the packets lost to address resolution, summed over the
// nodes: dropped behind an unanswered request whose pending queue was full
// (inet.DropARPQueueFull), when the request stayed unanswered after its
// retries (DropARPRetriesExhausted), or sent to an address marked dead
// (DropARPDeadEntry). With dynamic ARP and synchronised senders this is
// where the silent losses show (see NetworkConfig.StaticARP).
func (w *Network) ARPDrops() uint64 {
	var n uint64
	for _, r := range arpDropReasons {
		n += w.Drops(r)
	}
	return n
}
