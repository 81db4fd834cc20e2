package inet

import "fmt"

// DropReason says why a node dropped a packet. Nodes count drops per reason
// (Node.Drops) and report each one to Node.OnDrop.
type DropReason uint8

// Drop reasons.
const (
	// DropNoRoute: no route to the destination (on output or when
	// forwarding).
	DropNoRoute DropReason = iota + 1
	// DropTTLExpired: the TTL reached zero when forwarding (ns-3 would send
	// an ICMP time-exceeded; netgym sends no ICMP errors).
	DropTTLExpired
	// DropNotForwarding: a packet for another host arrived on a node with
	// forwarding disabled.
	DropNotForwarding
	// DropARPQueueFull: the ARP entry is waiting for a reply and its
	// pending queue (PendingQueueSize) is full; the new packet is dropped.
	DropARPQueueFull
	// DropARPRetriesExhausted: the entry stayed unanswered after MaxRetries
	// retransmissions; its pending packets are dropped and it is marked
	// dead.
	DropARPRetriesExhausted
	// DropARPDeadEntry: the destination is marked dead (unresolved within
	// the last DeadTimeout).
	DropARPDeadEntry
	// DropARPUnexpectedReply: an ARP reply for which no entry was waiting
	// (ns-3 drops it to resist cache poisoning).
	DropARPUnexpectedReply
	// DropDeviceQueueFull: the device refused the packet with
	// ErrQueueFull.
	DropDeviceQueueFull
	// DropDeviceError: the device refused the packet for another reason
	// (link down, unsupported protocol, too large).
	DropDeviceError
	// DropMTUExceeded: a packet to forward is larger than the outgoing
	// link's MTU (netgym does not fragment).
	DropMTUExceeded
	// DropNoSocket: no UDP socket is bound to the destination address and
	// port (ns-3 would answer with ICMP port unreachable); a registered
	// transport protocol may return it too.
	DropNoSocket
	// DropUnknownProtocol: an EtherType, or an IP protocol with no
	// registered transport protocol.
	DropUnknownProtocol
	// DropMalformed: the packet's outermost header is not what its
	// EtherType or protocol announces.
	DropMalformed

	numDropReasons
)

var dropReasonNames = [...]string{
	DropNoRoute:             "NoRoute",
	DropTTLExpired:          "TTLExpired",
	DropNotForwarding:       "NotForwarding",
	DropARPQueueFull:        "ARPQueueFull",
	DropARPRetriesExhausted: "ARPRetriesExhausted",
	DropARPDeadEntry:        "ARPDeadEntry",
	DropARPUnexpectedReply:  "ARPUnexpectedReply",
	DropDeviceQueueFull:     "DeviceQueueFull",
	DropDeviceError:         "DeviceError",
	DropMTUExceeded:         "MTUExceeded",
	DropNoSocket:            "NoSocket",
	DropUnknownProtocol:     "UnknownProtocol",
	DropMalformed:           "Malformed",
}

// String returns the reason's name, e.g. "ARPQueueFull".
func (r DropReason) String() string {
	if r > 0 && r < numDropReasons {
		return dropReasonNames[r]
	}
	return fmt.Sprintf("DropReason(%d)", uint8(r))
}

// DropReasons returns every drop reason, in order.
func DropReasons() []DropReason {
	out := make([]DropReason, 0, numDropReasons-1)
	for r := DropReason(1); r < numDropReasons; r++ {
		out = append(out, r)
	}
	return out
}
