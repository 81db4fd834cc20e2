package inet

import "fmt"

// InterfaceAddress is one IPv4 address of an interface with its network
// mask, as ns-3's Ipv4InterfaceAddress.
type InterfaceAddress struct {
	Local IPv4Addr // the address
	Mask  IPv4Mask // its network mask
	// Secondary marks an address that source-address selection skips, as
	// ns-3's Ipv4InterfaceAddress::SetSecondary. Addresses are primary by
	// default, as in ns-3.
	Secondary bool
}

// Network returns the address's network (Local masked with Mask).
func (a InterfaceAddress) Network() IPv4Addr { return a.Local.Mask(a.Mask) }

// Broadcast returns the subnet-directed broadcast address (ns-3's
// Ipv4InterfaceAddress::GetBroadcast: Local with every host bit set).
func (a InterfaceAddress) Broadcast() IPv4Addr { return a.Local.SubnetBroadcast(a.Mask) }

// Contains reports whether x is in the address's subnet.
func (a InterfaceAddress) Contains(x IPv4Addr) bool { return a.Mask.Contains(a.Local, x) }

// String formats the address as "10.1.1.1/24".
func (a InterfaceAddress) String() string {
	return fmt.Sprintf("%v/%d", a.Local, a.Mask.PrefixLength())
}

// Interface is a NetDevice attached to a node with one or more IPv4
// addresses and, when the device needs ARP, an ARP cache. The first address
// is the primary one (ns-3's GetAddress(interface, 0)): Address and Mask
// return it, and a limited broadcast leaves with it as source.
type Interface struct {
	node  *Node
	index int
	dev   NetDevice
	addrs []InterfaceAddress
	arp   *arpCache
}

// checkAddress validates a new address for the node: unicast, not the
// network or broadcast address of its subnet (below /31), not already on
// the node.
func (n *Node) checkAddress(addr IPv4Addr, mask IPv4Mask) error {
	if !mask.IsValid() {
		return fmt.Errorf("inet: node %d: mask %v is not contiguous", n.id, mask)
	}
	if addr.IsAny() || addr.IsBroadcast() || addr.IsMulticast() {
		return fmt.Errorf("inet: node %d: %v is not a unicast address", n.id, addr)
	}
	if mask.PrefixLength() < 31 && (addr.IsSubnetDirectedBroadcast(mask) || addr == addr.Mask(mask)) {
		return fmt.Errorf("inet: node %d: %v is the network or broadcast address of %v/%d",
			n.id, addr, addr.Mask(mask), mask.PrefixLength())
	}
	if ifc := n.interfaceFor(addr); ifc != nil {
		return fmt.Errorf("inet: node %d: address %v already on interface %d", n.id, addr, ifc.index)
	}
	return nil
}

// AddInterface attaches dev to the node with address addr/mask, adds the
// connected route for the subnet, and takes over dev's receive callback.
// As ns-3's Ipv4StaticRouting::NotifyInterfaceUp, a /32 or /0 address gets
// no connected route.
func (n *Node) AddInterface(dev NetDevice, addr IPv4Addr, mask IPv4Mask) (*Interface, error) {
	if dev == nil {
		return nil, fmt.Errorf("inet: node %d: AddInterface needs a device", n.id)
	}
	if err := n.checkAddress(addr, mask); err != nil {
		return nil, err
	}
	if dev.MTU() < IPv4HeaderSize+UDPHeaderSize {
		return nil, fmt.Errorf("inet: node %d: device MTU %d is too small for IPv4", n.id, dev.MTU())
	}
	if ifc := n.InterfaceForDevice(dev); ifc != nil {
		return nil, fmt.Errorf("inet: node %d: device already has interface %d", n.id, ifc.index)
	}
	ifc := &Interface{node: n, index: len(n.ifaces), dev: dev,
		addrs: []InterfaceAddress{{Local: addr, Mask: mask}}}
	if dev.NeedsARP() {
		if n.jitter == nil {
			n.jitter = n.sim.Stream(fmt.Sprintf("inet/arp-jitter/node-%d", n.id))
		}
		ifc.arp = newARPCache(ifc, n.cfg.ARP)
	}
	n.ifaces = append(n.ifaces, ifc)
	n.addConnectedRoute(ifc, ifc.addrs[0])
	dev.SetReceiveCallback(ifc.receive)
	return ifc, nil
}

// AddAddress adds a to the interface after the addresses it has, with the
// connected route for its subnet (none for /32 or /0), as ns-3's
// Ipv4L3Protocol::AddAddress. The address must be unicast and not already
// on the node.
func (i *Interface) AddAddress(a InterfaceAddress) error {
	if err := i.node.checkAddress(a.Local, a.Mask); err != nil {
		return err
	}
	i.addrs = append(i.addrs, a)
	i.node.addConnectedRoute(i, a)
	return nil
}

func (n *Node) addConnectedRoute(ifc *Interface, a InterfaceAddress) {
	if l := a.Mask.PrefixLength(); l == 0 || l == 32 {
		return
	}
	n.addRoute(Route{Dest: a.Network(), Mask: a.Mask, Interface: ifc})
}

// InterfaceForDevice returns the interface whose device is dev, or nil
// (ns-3's Ipv4::GetInterfaceForDevice).
func (n *Node) InterfaceForDevice(dev NetDevice) *Interface {
	for _, ifc := range n.ifaces {
		if ifc.dev == dev {
			return ifc
		}
	}
	return nil
}

// Node returns the interface's node.
func (i *Interface) Node() *Node { return i.node }

// Index returns the interface's index on its node (0 for the first).
func (i *Interface) Index() int { return i.index }

// Device returns the interface's device.
func (i *Interface) Device() NetDevice { return i.dev }

// Address returns the interface's primary IPv4 address.
func (i *Interface) Address() IPv4Addr { return i.addrs[0].Local }

// Mask returns the network mask of the primary address.
func (i *Interface) Mask() IPv4Mask { return i.addrs[0].Mask }

// Broadcast returns the subnet-directed broadcast address of the primary
// address.
func (i *Interface) Broadcast() IPv4Addr { return i.addrs[0].Broadcast() }

// Addresses returns the interface's addresses, primary first (a new
// slice).
func (i *Interface) Addresses() []InterfaceAddress {
	return append([]InterfaceAddress(nil), i.addrs...)
}

// NumAddresses returns how many addresses the interface has.
func (i *Interface) NumAddresses() int { return len(i.addrs) }

// MTU returns the device MTU.
func (i *Interface) MTU() int { return i.dev.MTU() }

// String formats the interface as "node 0 if 1 10.1.1.1/24" (primary
// address).
func (i *Interface) String() string {
	return fmt.Sprintf("node %d if %d %v", i.node.id, i.index, i.addrs[0])
}

// HasAddress reports whether a is one of the interface's addresses.
func (i *Interface) HasAddress(a IPv4Addr) bool {
	for k := range i.addrs {
		if i.addrs[k].Local == a {
			return true
		}
	}
	return false
}

// isSubnetBroadcast reports whether a is the subnet-directed broadcast
// address of one of the interface's addresses (/32 addresses have none).
func (i *Interface) isSubnetBroadcast(a IPv4Addr) bool {
	for k := range i.addrs {
		if a.IsSubnetDirectedBroadcast(i.addrs[k].Mask) {
			return true
		}
	}
	return false
}

// isLocalOrBroadcast is one interface's part of ns-3's
// Ipv4L3Protocol::IsDestinationAddress: one of its addresses or their
// broadcast addresses.
func (i *Interface) isLocalOrBroadcast(a IPv4Addr) bool {
	for k := range i.addrs {
		if a == i.addrs[k].Local || a == i.addrs[k].Broadcast() {
			return true
		}
	}
	return false
}

// sourceAddress is ns-3's Ipv4L3Protocol::SourceAddressSelection: with one
// address, that one; otherwise the first primary address whose subnet
// contains dest (the destination network of the route), else the first
// address.
func (i *Interface) sourceAddress(dest IPv4Addr) IPv4Addr {
	if len(i.addrs) == 1 {
		return i.addrs[0].Local
	}
	for _, a := range i.addrs {
		if !a.Secondary && a.Contains(dest) {
			return a.Local
		}
	}
	return i.addrs[0].Local
}

// selectSource is ns-3's Ipv4L3Protocol::SelectSourceAddress for the
// interface's device (what an ARP request uses): the first primary address
// on dst's subnet, else the first primary address, else the first address.
func (i *Interface) selectSource(dst IPv4Addr) IPv4Addr {
	first := -1
	for k, a := range i.addrs {
		if a.Secondary {
			continue
		}
		if a.Contains(dst) {
			return a.Local
		}
		if first < 0 {
			first = k
		}
	}
	if first < 0 {
		first = 0
	}
	return i.addrs[first].Local
}

// IsLocalAddress reports whether a is an address of one of the node's
// interfaces.
func (n *Node) IsLocalAddress(a IPv4Addr) bool { return n.interfaceFor(a) != nil }

// InterfaceFor returns the interface that has address a, or nil.
func (n *Node) InterfaceFor(a IPv4Addr) *Interface { return n.interfaceFor(a) }

func (n *Node) interfaceFor(a IPv4Addr) *Interface {
	for _, ifc := range n.ifaces {
		if ifc.HasAddress(a) {
			return ifc
		}
	}
	return nil
}

// isDestination is ns-3's Ipv4L3Protocol::IsDestinationAddress with the
// weak end-system model (its default): an address or broadcast address of
// the incoming interface, a multicast or the limited broadcast, then those
// of the other interfaces.
func (n *Node) isDestination(dst IPv4Addr, in *Interface) bool {
	if in.isLocalOrBroadcast(dst) || dst.IsBroadcast() || dst.IsMulticast() {
		return true
	}
	for _, ifc := range n.ifaces {
		if ifc != in && ifc.isLocalOrBroadcast(dst) {
			return true
		}
	}
	return false
}
