package inet

import (
	"fmt"

	"github.com/netgym/netgym/sim/packet"
)

// IPv4Probe observes a node's IPv4 layer at the four trace points of ns-3
// 3.37's Ipv4L3Protocol that its FlowMonitor connects to (Ipv4FlowProbe:
// SendOutgoing, UnicastForward, LocalDeliver and Drop). A flow monitor, a
// packet counter or a test attaches one to any node, whatever devices the
// node has (point-to-point, 802.11, tunnels, NR, the EPC's), with
// Node.AddProbe.
//
// Every method borrows p (see package packet's ownership rule): it may read
// the packet and add or remove tags, but must not keep it, release it or
// change its headers. In every call p carries its IPv4 header outermost
// (p.Peek() is h, for Drop when h is not nil), so p.Size() is the size of
// the IP packet. A probe must not send packets or schedule events that
// change what the simulation does: attaching one must leave every result
// of the simulation unchanged.
type IPv4Probe interface {
	// SendOutgoing is called for every packet the node originates
	// (a transport protocol's datagram with its new IPv4 header, before
	// ARP resolution or loopback), once per interface for a limited
	// broadcast: ns-3's SendOutgoing trace, fired in Ipv4L3Protocol::Send.
	SendOutgoing(n *Node, p *packet.Packet, h *IPv4Header, ifc *Interface)
	// UnicastForward is called for every packet the node forwards, after
	// the TTL is decremented, with the outgoing interface: ns-3's
	// UnicastForward trace (Ipv4L3Protocol::IpForward).
	UnicastForward(n *Node, p *packet.Packet, h *IPv4Header, ifc *Interface)
	// LocalDeliver is called for every packet addressed to the node
	// (unicast, broadcast or multicast), before it is handed to its
	// transport protocol, with the incoming interface: ns-3's LocalDeliver
	// trace. A datagram for a closed port is reported here and then
	// dropped with DropNoSocket, as in ns-3.
	LocalDeliver(n *Node, p *packet.Packet, h *IPv4Header, ifc *Interface)
	// Drop is called for every packet the node drops, with the reason (see
	// DropReason) and the interface involved (nil when none is): ns-3's
	// Drop trace, plus the drops ns-3 reports elsewhere (ARP, device
	// queues) or not at all. h is the packet's IPv4 header, or nil for a
	// packet that does not carry one outermost (an ARP packet, a malformed
	// frame).
	Drop(n *Node, p *packet.Packet, h *IPv4Header, reason DropReason, ifc *Interface)
}

// AddProbe attaches pr to the node's IPv4 layer. Probes are called in the
// order they were added (Drop after the node's OnDrop hook). A node without
// probes pays nothing for the hooks; attaching or removing one changes
// neither the order of events nor any random draw.
func (n *Node) AddProbe(pr IPv4Probe) error {
	if pr == nil {
		return fmt.Errorf("inet: node %d: AddProbe needs a probe", n.id)
	}
	for _, o := range n.probes {
		if o == pr {
			return fmt.Errorf("inet: node %d: probe already attached", n.id)
		}
	}
	n.probes = append(n.probes, pr)
	return nil
}

// RemoveProbe detaches pr and reports whether it was attached.
func (n *Node) RemoveProbe(pr IPv4Probe) bool {
	for i, o := range n.probes {
		if o == pr {
			n.probes = append(n.probes[:i], n.probes[i+1:]...)
			return true
		}
	}
	return false
}

// Probes returns the attached probes in order (a new slice).
func (n *Node) Probes() []IPv4Probe { return append([]IPv4Probe(nil), n.probes...) }
