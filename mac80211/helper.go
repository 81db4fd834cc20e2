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
	// traffic is ever sent.
	StaticARP bool
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
}

// NewNetwork builds a network with one node at each position and starts
// the MACs at the current time (AP beacons, STA scanning). Example:
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
	if cfg.Infrastructure && len(positions) < 2 {
		return nil, errors.New("mac80211: an infrastructure network needs an AP and at least one station")
	}
	if int(^uint32(cfg.Mask)) < len(positions)+1 {
		return nil, fmt.Errorf("mac80211: subnet %v/%v too small for %d nodes", cfg.Subnet, cfg.Mask, len(positions))
	}
	medium, err := NewMedium(s, cfg.Medium)
	if err != nil {
		return nil, err
	}
	w := &Network{Sim: s, Inet: inet.NewNetwork(s), Medium: medium}
	for i, pos := range positions {
		phy, err := NewPhy(s, cfg.Phy)
		if err != nil {
			return nil, err
		}
		if err := medium.Attach(phy, mobility.NewConstantPosition(pos)); err != nil {
			return nil, err
		}
		mcfg := cfg.Mac
		mcfg.Address = w.Inet.MACs().Allocate()
		if cfg.NewRate != nil {
			mcfg.Rate = cfg.NewRate()
		}
		var mac *Mac
		switch {
		case !cfg.Infrastructure:
			mac, err = NewAdhocMac(s, phy, mcfg)
		case i == 0:
			mac, err = NewApMac(s, phy, mcfg, cfg.Ap)
		default:
			mac, err = NewStaMac(s, phy, mcfg, cfg.Sta)
		}
		if err != nil {
			return nil, err
		}
		node, err := w.Inet.NewNodeWithConfig(cfg.Node)
		if err != nil {
			return nil, err
		}
		dev := NewDevice(mac)
		ifc, err := node.AddInterface(dev, inet.IPv4Addr(uint32(cfg.Subnet)+uint32(i)+1), cfg.Mask)
		if err != nil {
			return nil, err
		}
		w.Nodes = append(w.Nodes, node)
		w.Devices = append(w.Devices, dev)
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
