package inet

import (
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// Network is the per-simulation place every technology installs onto, ns-3
// helper style: it creates nodes that share one packet pool (so packet
// uids are unique), numbers link-layer addresses from one allocator
// (00:00:00:00:00:01, ...) and keeps one address plan, so that one
// simulation holds Wi-Fi, point-to-point backhaul, NR and EPC nodes
// together without two devices sharing an address. It plays the part of
// ns-3's NodeContainer, PointToPointHelper, Ipv4AddressHelper and
// Ipv4AddressGenerator; nothing in it is global: each simulation has its
// own.
//
// A radio technology installs its devices with the network's allocator
// (MACs) and gives them addresses with an AddressHelper made by
// NewAddressHelper, or with AssignAddress; ConnectPointToPoint does both
// for a wire.
type Network struct {
	sim    *sim.Simulator
	pool   *packet.Pool
	macs   packet.MacAllocator
	nodes  []*Node
	subnet IPv4Addr
	mask   IPv4Mask
	// exhausted: the last subnet has been handed out.
	exhausted bool
	// assigned is the address plan: every address handed out by the
	// network's helpers or assigned through it.
	assigned map[IPv4Addr]struct{}
}

// NewNetwork returns an empty network for s. Links get subnets 10.1.1.0/24,
// 10.1.2.0/24, ... (see SetSubnetBase).
func NewNetwork(s *sim.Simulator) *Network {
	return &Network{
		sim:      s,
		pool:     packet.NewPool(),
		subnet:   IPv4AddrFrom4(10, 1, 1, 0),
		mask:     0xffffff00,
		assigned: make(map[IPv4Addr]struct{}),
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

// NewNodes creates count nodes with cfg (see NewNodeWithConfig).
func (w *Network) NewNodes(count int, cfg NodeConfig) ([]*Node, error) {
	if count < 0 {
		return nil, fmt.Errorf("inet: NewNodes: negative count %d", count)
	}
	out := make([]*Node, 0, count)
	for range count {
		n, err := w.NewNodeWithConfig(cfg)
		if err != nil {
			return out, err
		}
		out = append(out, n)
	}
	return out, nil
}

// NewAddressHelper returns an address helper on the network's plan, set
// to network/mask from host base (see AddressHelper.SetBase), e.g.
//
//	ues, err := w.NewAddressHelper(inet.IPv4AddrFrom4(7, 0, 0, 0), 0xff000000, 1)
func (w *Network) NewAddressHelper(network IPv4Addr, mask IPv4Mask, base IPv4Addr) (*AddressHelper, error) {
	h := &AddressHelper{plan: w}
	if err := h.SetBase(network, mask, base); err != nil {
		return nil, err
	}
	return h, nil
}

// AssignAddress gives dev on node n the address addr/mask and records it
// in the plan: a new interface, or one more address on dev's interface
// (see AddressHelper.Assign). It is an error if the network already handed
// out addr.
func (w *Network) AssignAddress(n *Node, dev NetDevice, addr IPv4Addr, mask IPv4Mask) (*Interface, error) {
	if n == nil {
		return nil, fmt.Errorf("inet: AssignAddress needs a node")
	}
	if err := w.checkFree(addr); err != nil {
		return nil, err
	}
	ifc, err := n.attach(dev, addr, mask)
	if err != nil {
		return nil, err
	}
	w.assigned[addr] = struct{}{}
	return ifc, nil
}

// IsAssigned reports whether the network handed out or assigned addr.
func (w *Network) IsAssigned(addr IPv4Addr) bool {
	_, ok := w.assigned[addr]
	return ok
}

func (w *Network) checkFree(a IPv4Addr) error {
	if _, ok := w.assigned[a]; ok {
		return fmt.Errorf("inet: address %v is already assigned in this network (overlapping address plans?)", a)
	}
	return nil
}

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

// SetSubnetBase sets the next subnet NextSubnet (and so
// ConnectPointToPoint) hands out; later ones follow it (base + size of the
// subnet, ...). The mask must leave at least two host bits.
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
// .1, b host .2, both recorded in the address plan) and adds the connected
// routes.
func (w *Network) ConnectPointToPoint(a, b *Node, rate DataRate, delay sim.Time) (*PointToPointLink, error) {
	cfg := DefaultPointToPointDeviceConfig()
	cfg.DataRate = rate
	return w.ConnectPointToPointWith(a, b, cfg, delay)
}

// ConnectPointToPointWith is ConnectPointToPoint with a full device
// configuration.
func (w *Network) ConnectPointToPointWith(a, b *Node, cfg PointToPointDeviceConfig, delay sim.Time) (*PointToPointLink, error) {
	if err := w.checkLink(a, b, cfg); err != nil {
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
	addrs := [2]IPv4Addr{net + 1, net + 2}
	for _, x := range addrs {
		if err := w.checkFree(x); err != nil {
			return nil, err
		}
	}
	return w.buildLink(a, b, cfg, ch, func(i int, n *Node, dev NetDevice) (*Interface, error) {
		return w.AssignAddress(n, dev, addrs[i], mask)
	})
}

// ConnectPointToPointFrom is ConnectPointToPointWith with the two
// addresses taken from addrs, a helper of this network, instead of the
// network's link subnets: a gets its next address, b the one after. The
// helper stays on its current network; call its NewNetwork between links
// (ns-3's EPC helpers number S1-U, S5 and X2 links this way, in /30
// blocks). It is an error when addrs has fewer than two free addresses
// left.
func (w *Network) ConnectPointToPointFrom(a, b *Node, cfg PointToPointDeviceConfig, delay sim.Time, addrs *AddressHelper) (*PointToPointLink, error) {
	if err := w.checkLink(a, b, cfg); err != nil {
		return nil, err
	}
	if addrs == nil || addrs.plan != w {
		return nil, fmt.Errorf("inet: ConnectPointToPointFrom needs an address helper of this network (Network.NewAddressHelper)")
	}
	if addrs.mask == 0 || addrs.next+1 > addrs.max {
		return nil, fmt.Errorf("inet: ConnectPointToPointFrom: fewer than two addresses left in %v/%d",
			addrs.Network(), addrs.mask.PrefixLength())
	}
	for k := range uint32(2) {
		if err := w.checkFree(IPv4Addr(addrs.network<<addrs.shift | (addrs.next + k))); err != nil {
			return nil, err
		}
	}
	ch, err := NewPointToPointChannel(w.sim, delay)
	if err != nil {
		return nil, err
	}
	return w.buildLink(a, b, cfg, ch, func(_ int, n *Node, dev NetDevice) (*Interface, error) {
		return addrs.Assign(n, dev)
	})
}

func (w *Network) checkLink(a, b *Node, cfg PointToPointDeviceConfig) error {
	if a == nil || b == nil || a == b {
		return fmt.Errorf("inet: ConnectPointToPoint needs two distinct nodes")
	}
	if a.sim != w.sim || b.sim != w.sim {
		return fmt.Errorf("inet: ConnectPointToPoint: node from another simulation")
	}
	return cfg.Validate()
}

// buildLink makes the two devices on ch and gives each its address.
func (w *Network) buildLink(a, b *Node, cfg PointToPointDeviceConfig, ch *PointToPointChannel,
	assign func(i int, n *Node, dev NetDevice) (*Interface, error)) (*PointToPointLink, error) {
	link := &PointToPointLink{Channel: ch}
	for i, n := range [2]*Node{a, b} {
		dev, err := NewPointToPointDevice(w.sim, w.macs.Allocate(), cfg)
		if err != nil {
			return nil, err
		}
		if err := dev.Attach(ch); err != nil {
			return nil, err
		}
		ifc, err := assign(i, n, dev)
		if err != nil {
			return nil, err
		}
		link.Devices[i] = dev
		link.Interfaces[i] = ifc
	}
	return link, nil
}
