package inet

import (
	"errors"
	"fmt"
	"math"
	"math/bits"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// NetDevice is the seam between IPv4 and a link: a point-to-point device,
// an 802.11 station, an NR UE. IP and the sockets above it see nothing else
// of the technology below.
type NetDevice interface {
	// Address returns the device's link-layer address.
	Address() packet.Mac48
	// Broadcast returns the link's broadcast address.
	Broadcast() packet.Mac48
	// MTU returns the largest L3 packet (IP header included) the link
	// carries.
	MTU() int
	// NeedsARP reports whether IPv4 must resolve next hops to link-layer
	// addresses (false on point-to-point links).
	NeedsARP() bool
	// Send queues p for dst or starts sending it, and takes ownership of
	// it. It returns an error (e.g. ErrQueueFull) when the packet is not
	// accepted; the packet then stays with the caller, unchanged.
	Send(p *packet.Packet, dst packet.Mac48, etherType uint16) error
	// SetReceiveCallback sets the function that receives every frame the
	// device accepts, with the device's own headers removed. The callback
	// owns the packet.
	SetReceiveCallback(cb ReceiveCallback)
}

// ReceiveCallback receives a packet from a device: the packet (the callee
// owns it), its EtherType and the link-layer source and destination.
type ReceiveCallback func(dev NetDevice, p *packet.Packet, etherType uint16, src, dst packet.Mac48)

// Errors returned by devices, nodes and sockets.
var (
	// ErrQueueFull: the device's transmit queue is full (drop-tail).
	ErrQueueFull = errors.New("inet: device queue full")
	// ErrLinkDown: the device is not attached to a working channel.
	ErrLinkDown = errors.New("inet: link down")
	// ErrUnsupportedProtocol: the device cannot carry this EtherType.
	ErrUnsupportedProtocol = errors.New("inet: protocol not supported by device")
	// ErrMessageTooLarge: the datagram exceeds the link MTU or the IPv4
	// limit. netgym does not fragment (a deviation from ns-3).
	ErrMessageTooLarge = errors.New("inet: message too large")
	// ErrNoRoute: no route to the destination.
	ErrNoRoute = errors.New("inet: no route to host")
	// ErrPortInUse: another socket of the node is bound to the same
	// local address and port.
	ErrPortInUse = errors.New("inet: port in use")
	// ErrAddressNotAvailable: binding to an address the node does not
	// have.
	ErrAddressNotAvailable = errors.New("inet: address not available")
	// ErrNoPorts: no ephemeral port is free.
	ErrNoPorts = errors.New("inet: no ephemeral port available")
	// ErrNotConnected: Send on a socket without a default peer.
	ErrNotConnected = errors.New("inet: socket not connected")
	// ErrAlreadyBound: Bind on a socket that is already bound.
	ErrAlreadyBound = errors.New("inet: socket already bound")
	// ErrClosed: the socket is closed.
	ErrClosed = errors.New("inet: socket closed")
	// ErrBroadcastNotAllowed: sending to a broadcast address without
	// SetAllowBroadcast(true).
	ErrBroadcastNotAllowed = errors.New("inet: broadcast not allowed on socket")
	// ErrInvalidSize: a negative datagram size.
	ErrInvalidSize = errors.New("inet: invalid datagram size")
)

// maxDelay bounds configured delays and timeouts (about 73 years), so that
// scheduling them can never overflow simulated time.
const maxDelay = sim.MaxTime / 4

// DataRate is a link bit rate in bit/s, as ns-3's DataRate.
type DataRate uint64

// Common data rates.
const (
	BitPerSecond DataRate = 1
	Kbps                  = 1000 * BitPerSecond
	Mbps                  = 1000 * Kbps
	Gbps                  = 1000 * Mbps
)

// TxTime returns how long sending n bytes takes at rate r, rounded to the
// nearest nanosecond as ns-3's DataRate::CalculateBytesTxTime. A zero rate,
// or a time beyond sim.MaxTime, returns sim.MaxTime; a negative n counts as
// 0.
func (r DataRate) TxTime(n int) sim.Time {
	if r == 0 {
		return sim.MaxTime
	}
	b := uint64(max(n, 0))
	if b > math.MaxUint64/8 {
		return sim.MaxTime
	}
	hi, lo := bits.Mul64(b*8, uint64(sim.Second))
	var carry uint64
	lo, carry = bits.Add64(lo, uint64(r)/2, 0)
	hi += carry
	if hi >= uint64(r) {
		return sim.MaxTime
	}
	q, _ := bits.Div64(hi, lo, uint64(r))
	if q > math.MaxInt64 {
		return sim.MaxTime
	}
	return sim.Time(q)
}

// String formats r with the largest unit that divides it, e.g. "100Mbps".
func (r DataRate) String() string {
	switch {
	case r != 0 && r%Gbps == 0:
		return fmt.Sprintf("%dGbps", r/Gbps)
	case r != 0 && r%Mbps == 0:
		return fmt.Sprintf("%dMbps", r/Mbps)
	case r != 0 && r%Kbps == 0:
		return fmt.Sprintf("%dKbps", r/Kbps)
	}
	return fmt.Sprintf("%dbps", uint64(r))
}
