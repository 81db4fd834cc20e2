package inet

import (
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// Network is the per-simulation helper that ns-3 spreads over
// NodeContainer, PointToPointHelper and Ipv4AddressHelper: it creates
// nodes that share one packet pool, numbers device addresses
// (00:00:00:00:00:01, ...) and hands out subnets for links. Nothing in it
// is global: each simulation has its own.
type Network struct {
	sim    *sim.Simulator
	pool   *packet.Pool
	macs   packet.MacAllocator
	nodes  []*Node
	subnet IPv4Addr
	mask   IPv4Mask
	// exhausted: the last subnet has been handed out.
	exhausted bool
}

// NewNetwork returns an empty network for s. Links get subnets 10.1.1.0/24,
// 10.1.2.0/24, ... (see SetSubnetBase).
func NewNetwork(s *sim.Simulator) *Network {
	return &Network{
		sim:    s,
		pool:   packet.NewPool(),
		subnet: IPv4AddrFrom4(10, 1, 1, 0),
		mask:   0xffffff00,
	}
}

// Sim returns the simulator.
func (w *Network) Sim() *sim.Simulator { return w.sim }

// Pool returns the packet pool shared by the network's nodes.
func (w *Network) Pool() *packet.Pool { return w.pool }

// MACs returns the allocator of link-layer addresses, for devices created
// outside ConnectPointToPoint (e.g. radios).
func (w *Network) MACs() *packet.MacAllocator { return &w.macs }

// Nodes returns the network's nodes in creation order (a new slice).
func (w *Network) Nodes() []*Node { return append([]*Node(nil), w.nodes...) }

// NewNode creates a node with DefaultNodeConfig and the next id (0, 1, ...).
func (w *Network) NewNode() (*Node, error) { return w.NewNodeWithConfig(DefaultNodeConfig()) }

// NewNodeWithConfig creates a node with cfg and the next id; cfg.Pool is
// replaced by the network's pool.
func (w *Network) NewNodeWithConfig(cfg NodeConfig) (*Node, error) {
	cfg.Pool = w.pool
	n, err := NewNode(w.sim, len(w.nodes), cfg)
	if err != nil {
		return nil, err
	}
	w.nodes = append(w.nodes, n)
	return n, nil
}

// SetSubnetBase sets the next subnet NextSubnet hands out; later ones
// follow it (base + size of the subnet, ...). The mask must leave at least
// two host bits.
func (w *Network) SetSubnetBase(base IPv4Addr, mask IPv4Mask) error {
	if !mask.IsValid() || mask.PrefixLength() > 30 {
		return fmt.Errorf("inet: subnet mask %v must be contiguous and at most /30", mask)
	}
	w.subnet, w.mask, w.exhausted = base.Mask(mask), mask, false
	return nil
}

// NextSubnet returns the next subnet and advances, as ns-3's
// Ipv4AddressHelper::NewNetwork.
func (w *Network) NextSubnet() (IPv4Addr, IPv4Mask, error) {
	if w.exhausted {
		return 0, 0, fmt.Errorf("inet: no subnets left after %v", w.subnet)
	}
	net, mask := w.subnet, w.mask
	next := uint64(net) + uint64(^uint32(mask)) + 1
	if next > 0xffffffff {
		w.exhausted = true
	} else {
		w.subnet = IPv4Addr(next)
	}
	return net, mask, nil
}

// PointToPointLink is what ConnectPointToPoint builds: a channel, a device
// on each node and the interfaces, in the order of the nodes given.
type PointToPointLink struct {
	Channel    *PointToPointChannel   // the wire
	Devices    [2]*PointToPointDevice // the device on each node
	Interfaces [2]*Interface          // the interface on each node
}

// ConnectPointToPoint links a and b with a point-to-point channel of the
// given rate and delay (ns-3 defaults for MTU and queue), gives the two
// devices the next link-layer addresses and the next subnet (a gets host
// .1, b host .2) and adds the connected routes.
func (w *Network) ConnectPointToPoint(a, b *Node, rate DataRate, delay sim.Time) (*PointToPointLink, error) {
	cfg := DefaultPointToPointDeviceConfig()
	cfg.DataRate = rate
	return w.ConnectPointToPointWith(a, b, cfg, delay)
}

// ConnectPointToPointWith is ConnectPointToPoint with a full device
// configuration.
func (w *Network) ConnectPointToPointWith(a, b *Node, cfg PointToPointDeviceConfig, delay sim.Time) (*PointToPointLink, error) {
	if a == nil || b == nil || a == b {
		return nil, fmt.Errorf("inet: ConnectPointToPoint needs two distinct nodes")
	}
	if a.sim != w.sim || b.sim != w.sim {
		return nil, fmt.Errorf("inet: ConnectPointToPoint: node from another simulation")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ch, err := NewPointToPointChannel(w.sim, delay)
	if err != nil {
		return nil, err
	}
	net, mask, err := w.NextSubnet()
	if err != nil {
		return nil, err
	}
	link := &PointToPointLink{Channel: ch}
	for i, n := range [2]*Node{a, b} {
		dev, err := NewPointToPointDevice(w.sim, w.macs.Allocate(), cfg)
		if err != nil {
			return nil, err
		}
		if err := dev.Attach(ch); err != nil {
			return nil, err
		}
		ifc, err := n.AddInterface(dev, net+IPv4Addr(i+1), mask)
		if err != nil {
			return nil, err
		}
		link.Devices[i] = dev
		link.Interfaces[i] = ifc
	}
	return link, nil
}
