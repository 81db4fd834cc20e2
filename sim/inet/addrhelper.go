package inet

import (
	"errors"
	"fmt"
)

// AddressHelper hands out IPv4 addresses from one network, then from the
// networks after it, as ns-3's Ipv4AddressHelper: SetBase chooses the
// network, its mask and the first host address ("0.0.0.1" by default),
// NewAddress returns the next address (post-increment: the first call
// returns the base), NewNetwork moves to the next network of the same size
// and starts again at the base, and Assign puts the next address on a
// device.
//
// Helpers made with Network.NewAddressHelper share the network's address
// plan: an address handed out twice, by two helpers with overlapping
// ranges or by a helper and Network.AssignAddress, is an error (ns-3's
// Ipv4AddressGenerator aborts the simulation on it). Use one helper per
// purpose, as ns-3's EPC helpers do (UE pool 7.0.0.0/8, S1-U 10.0.0.0/30,
// ...).
type AddressHelper struct {
	plan    *Network
	network uint32 // network number, shifted down by shift
	mask    IPv4Mask
	shift   uint
	base    uint32 // first host number in each network
	next    uint32 // next host number
	max     uint32 // largest host number (broadcast excluded)
}

// NewAddressHelper returns a helper of its own (no shared plan) set to
// network/mask from host base (see SetBase).
func NewAddressHelper(network IPv4Addr, mask IPv4Mask, base IPv4Addr) (*AddressHelper, error) {
	h := &AddressHelper{}
	if err := h.SetBase(network, mask, base); err != nil {
		return nil, err
	}
	return h, nil
}

// SetBase sets the network the next addresses come from, as ns-3's
// Ipv4AddressHelper::SetBase: network must have no host bits under mask,
// mask must be contiguous with a prefix of 1..30 bits, and base (the first
// host address, e.g. 0.0.0.1, or 0.0.0.2 to keep .1 for a router) must
// have only host bits and be below the broadcast address.
func (h *AddressHelper) SetBase(network IPv4Addr, mask IPv4Mask, base IPv4Addr) error {
	l := mask.PrefixLength()
	switch {
	case !mask.IsValid() || l < 1 || l > 30:
		return fmt.Errorf("inet: address helper mask %v must be contiguous with a prefix of 1..30 bits", mask)
	case network.Mask(mask) != network:
		return fmt.Errorf("inet: address helper network %v has host bits under /%d", network, l)
	case base.Mask(mask) != 0:
		return fmt.Errorf("inet: address helper base %v has network bits under /%d (want e.g. 0.0.0.1)", base, l)
	}
	shift := uint(32 - l)
	maxHost := uint32(1)<<shift - 2
	if uint32(base) < 1 || uint32(base) > maxHost {
		return fmt.Errorf("inet: address helper base %v is outside the hosts of a /%d (0.0.0.1..%v)", base, l, IPv4Addr(maxHost))
	}
	h.network = uint32(network) >> shift
	h.mask = mask
	h.shift = shift
	h.base = uint32(base)
	h.next = h.base
	h.max = maxHost
	return nil
}

// Network returns the current network.
func (h *AddressHelper) Network() IPv4Addr { return IPv4Addr(h.network << h.shift) }

// Mask returns the mask of the networks the helper hands out.
func (h *AddressHelper) Mask() IPv4Mask { return h.mask }

// peek returns the address NewAddress would return. An address the plan
// already holds is an error, and is skipped so that the next call moves
// on (as ns-3's post-increment before its duplicate check).
func (h *AddressHelper) peek() (IPv4Addr, error) {
	if h.mask == 0 {
		return 0, errors.New("inet: address helper has no base (use SetBase)")
	}
	if h.next > h.max {
		return 0, fmt.Errorf("inet: no addresses left in %v/%d (call NewNetwork)", h.Network(), h.mask.PrefixLength())
	}
	a := IPv4Addr(h.network<<h.shift | h.next)
	if h.plan != nil {
		if err := h.plan.checkFree(a); err != nil {
			h.next++
			return 0, err
		}
	}
	return a, nil
}

// CheckNext reports, without consuming anything, the error that one of the
// next n calls of NewAddress or Assign would meet: no base, too few
// addresses left in the network, or an address the plan already holds.
// Installers call it before they build anything, so that a failure leaves
// no half-installed devices behind.
func (h *AddressHelper) CheckNext(n int) error {
	if h.mask == 0 {
		return errors.New("inet: address helper has no base (use SetBase)")
	}
	for i := range n {
		next := h.next + uint32(i)
		if next > h.max || next < h.next {
			return fmt.Errorf("inet: %d addresses needed but only %d left in %v/%d (call NewNetwork)",
				n, i, h.Network(), h.mask.PrefixLength())
		}
		if h.plan != nil {
			if err := h.plan.checkFree(IPv4Addr(h.network<<h.shift | next)); err != nil {
				return err
			}
		}
	}
	return nil
}

// commit consumes the address peek returned.
func (h *AddressHelper) commit(a IPv4Addr) {
	h.next++
	if h.plan != nil {
		h.plan.assigned[a] = struct{}{}
	}
}

// NewAddress returns the next address of the current network and
// advances. It is an error when the network has no address left or,
// for a helper of a Network, when the address was already handed out
// (the helper then skips it).
func (h *AddressHelper) NewAddress() (IPv4Addr, error) {
	a, err := h.peek()
	if err != nil {
		return 0, err
	}
	h.commit(a)
	return a, nil
}

// NewNetwork moves to the next network (network + 2^host bits) and back to
// the base host, and returns the new network, as ns-3's
// Ipv4AddressHelper::NewNetwork. It is an error past 255.255.255.255.
func (h *AddressHelper) NewNetwork() (IPv4Addr, error) {
	if h.mask == 0 {
		return 0, errors.New("inet: address helper has no base (use SetBase)")
	}
	if uint64(h.network+1)<<h.shift > 0xffffffff {
		return 0, fmt.Errorf("inet: no network after %v/%d", h.Network(), h.mask.PrefixLength())
	}
	h.network++
	h.next = h.base
	return h.Network(), nil
}

// Assign gives dev on node n the next address, as ns-3's
// Ipv4AddressHelper::Assign: a device that is not yet an interface of n
// becomes one (AddInterface, with the connected route), a device that is
// gets the address added (AddAddress). An address the plan already holds
// is an error and skipped, as in NewAddress; if n refuses the address (a
// duplicate on the node, a device MTU too small) nothing is consumed.
func (h *AddressHelper) Assign(n *Node, dev NetDevice) (*Interface, error) {
	if n == nil {
		return nil, errors.New("inet: Assign needs a node")
	}
	a, err := h.peek()
	if err != nil {
		return nil, err
	}
	ifc, err := n.attach(dev, a, h.mask)
	if err != nil {
		return nil, err
	}
	h.commit(a)
	return ifc, nil
}

// AssignAll assigns the next addresses to devs[i] on nodes[i], in order.
func (h *AddressHelper) AssignAll(nodes []*Node, devs []NetDevice) ([]*Interface, error) {
	if len(nodes) != len(devs) {
		return nil, fmt.Errorf("inet: AssignAll: %d nodes but %d devices", len(nodes), len(devs))
	}
	out := make([]*Interface, 0, len(devs))
	for i, dev := range devs {
		ifc, err := h.Assign(nodes[i], dev)
		if err != nil {
			return out, err
		}
		out = append(out, ifc)
	}
	return out, nil
}

// attach gives dev the address addr/mask on n: a new interface, or one
// more address on dev's interface.
func (n *Node) attach(dev NetDevice, addr IPv4Addr, mask IPv4Mask) (*Interface, error) {
	if dev == nil {
		return nil, fmt.Errorf("inet: node %d: no device to assign %v to", n.id, addr)
	}
	if ifc := n.InterfaceForDevice(dev); ifc != nil {
		if err := ifc.AddAddress(InterfaceAddress{Local: addr, Mask: mask}); err != nil {
			return nil, err
		}
		return ifc, nil
	}
	return n.AddInterface(dev, addr, mask)
}
