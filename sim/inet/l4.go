package inet

import (
	"fmt"

	"github.com/netgym/netgym/sim/packet"
)

// L4Protocol is a transport protocol a node delivers IPv4 packets to,
// after ns-3's IpL4Protocol: the node keeps a registry from IP protocol
// number to protocol, and hands every packet addressed to it (one of its
// addresses, a broadcast or a multicast) to the protocol registered for
// the packet's protocol field. Every node has UDP (17) and ICMPv4 (1), as
// ns-3's InternetStackHelper installs them; RegisterProtocol adds others.
// A protocol sends with Node.SendIPv4.
type L4Protocol interface {
	// Protocol returns the IP protocol number the protocol handles.
	Protocol() uint8
	// Receive is handed a packet addressed to the node: p still carries
	// the IPv4 header h outermost (p.Peek() is h), and in is the interface
	// it arrived on. Receive returns 0 when it took the packet (it then
	// owns p and its headers and releases them when done); otherwise it
	// leaves p untouched and returns why it refuses it (DropNoSocket,
	// DropMalformed, ...), and the node counts, traces and releases it.
	Receive(p *packet.Packet, h *IPv4Header, in *Interface) DropReason
}

type l4Entry struct {
	proto uint8
	l4    L4Protocol
}

// RegisterProtocol adds a transport protocol to the node. It is an error
// to register a number that already has a protocol (UDP and ICMP are
// registered from the start).
func (n *Node) RegisterProtocol(p L4Protocol) error {
	if p == nil {
		return fmt.Errorf("inet: node %d: RegisterProtocol needs a protocol", n.id)
	}
	num := p.Protocol()
	if n.Protocol(num) != nil {
		return fmt.Errorf("inet: node %d: IP protocol %d already has a handler", n.id, num)
	}
	n.l4 = append(n.l4, l4Entry{proto: num, l4: p})
	return nil
}

// Protocol returns the transport protocol registered for IP protocol
// number num, or nil.
func (n *Node) Protocol(num uint8) L4Protocol {
	for _, e := range n.l4 {
		if e.proto == num {
			return e.l4
		}
	}
	return nil
}
