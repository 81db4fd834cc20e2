package epc

import (
	"errors"
	"fmt"
	"sort"

	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// Direction is the direction a packet filter applies to, with ns-3's
// values (EpcTft::Direction): a bit set of Downlink and Uplink.
type Direction uint8

// Directions.
const (
	Downlink      Direction = 1 // network to UE
	Uplink        Direction = 2 // UE to network
	Bidirectional Direction = 3 // both
)

// String returns "downlink", "uplink" or "bidirectional".
func (d Direction) String() string {
	switch d {
	case Downlink:
		return "downlink"
	case Uplink:
		return "uplink"
	case Bidirectional:
		return "bidirectional"
	}
	return fmt.Sprintf("Direction(%d)", uint8(d))
}

// MaxPacketFilters is the most packet filters a TFT holds (TS 24.008
// 10.5.6.12; ns-3's EpcTft::Add aborts past it).
const MaxPacketFilters = 16

// PacketFilter is one packet filter of a traffic flow template, as ns-3's
// EpcTft::PacketFilter (TS 24.008 10.5.6.12): a packet matches when the
// filter applies to its direction, its remote and local addresses match
// under the masks, its remote and local ports are in the ranges and its
// type of service matches under the mask. Remote and local are seen from
// the UE: in the uplink the local address is the packet's source, in the
// downlink its destination. Packets that are neither UDP nor TCP have
// ports 0 (as in ns-3's classifier), so a filter with a port range that
// excludes 0 never matches them.
type PacketFilter struct {
	// Precedence orders the filters of one TFT (lower first). ns-3: 255.
	Precedence uint8
	// Direction the filter applies to. ns-3: Bidirectional.
	Direction Direction
	// RemoteAddress and RemoteMask select the remote address. ns-3:
	// 0.0.0.0/0.0.0.0 (any).
	RemoteAddress inet.IPv4Addr
	RemoteMask    inet.IPv4Mask // see RemoteAddress
	// LocalAddress and LocalMask select the UE's address. ns-3: any.
	LocalAddress inet.IPv4Addr
	LocalMask    inet.IPv4Mask // see LocalAddress
	// RemotePortStart..RemotePortEnd is the remote port range, inclusive.
	// ns-3: 0..65535.
	RemotePortStart, RemotePortEnd uint16
	// LocalPortStart..LocalPortEnd is the local port range, inclusive.
	// ns-3: 0..65535.
	LocalPortStart, LocalPortEnd uint16
	// TypeOfService is compared with the packet's IPv4 TOS under
	// TypeOfServiceMask. ns-3: 0 and 0 (any).
	TypeOfService, TypeOfServiceMask uint8
}

// DefaultPacketFilter returns ns-3's default filter, which matches every
// packet in both directions.
func DefaultPacketFilter() PacketFilter {
	return PacketFilter{
		Precedence:    255,
		Direction:     Bidirectional,
		RemotePortEnd: 65535,
		LocalPortEnd:  65535,
	}
}

// Validate reports the first unusable field: a direction other than
// Downlink, Uplink or Bidirectional, a non-contiguous mask, or an empty
// port range (start after end).
func (f PacketFilter) Validate() error {
	switch {
	case f.Direction < Downlink || f.Direction > Bidirectional:
		return fmt.Errorf("epc: packet filter Direction %d is not Downlink (1), Uplink (2) or Bidirectional (3)", f.Direction)
	case !f.RemoteMask.IsValid():
		return fmt.Errorf("epc: packet filter RemoteMask %v is not contiguous", f.RemoteMask)
	case !f.LocalMask.IsValid():
		return fmt.Errorf("epc: packet filter LocalMask %v is not contiguous", f.LocalMask)
	case f.RemotePortStart > f.RemotePortEnd:
		return fmt.Errorf("epc: packet filter remote port range %d..%d is empty (RemotePortStart > RemotePortEnd)",
			f.RemotePortStart, f.RemotePortEnd)
	case f.LocalPortStart > f.LocalPortEnd:
		return fmt.Errorf("epc: packet filter local port range %d..%d is empty (LocalPortStart > LocalPortEnd)",
			f.LocalPortStart, f.LocalPortEnd)
	}
	return nil
}

// Matches reports whether a packet with the given direction, addresses,
// ports and type of service matches the filter (ns-3's
// EpcTft::PacketFilter::Matches).
func (f *PacketFilter) Matches(d Direction, remote, local inet.IPv4Addr, remotePort, localPort uint16, tos uint8) bool {
	return d&f.Direction != 0 &&
		f.RemoteMask.Contains(f.RemoteAddress, remote) &&
		f.LocalMask.Contains(f.LocalAddress, local) &&
		f.RemotePortStart <= remotePort && remotePort <= f.RemotePortEnd &&
		f.LocalPortStart <= localPort && localPort <= f.LocalPortEnd &&
		tos&f.TypeOfServiceMask == f.TypeOfService&f.TypeOfServiceMask
}

// String describes the filter.
func (f PacketFilter) String() string {
	return fmt.Sprintf("prec=%d %v remote=%v/%d:%d-%d local=%v/%d:%d-%d tos=0x%02x/0x%02x",
		f.Precedence, f.Direction, f.RemoteAddress, f.RemoteMask.PrefixLength(), f.RemotePortStart, f.RemotePortEnd,
		f.LocalAddress, f.LocalMask.PrefixLength(), f.LocalPortStart, f.LocalPortEnd, f.TypeOfService, f.TypeOfServiceMask)
}

// TFT is a traffic flow template: the packet filters that decide which
// packets travel on a bearer (ns-3's EpcTft). A packet matches the TFT when
// it matches any of its filters. The zero value is an empty TFT, which
// matches nothing.
type TFT struct {
	filters []PacketFilter
}

// NewTFT returns a TFT with the given filters (see Add).
func NewTFT(filters ...PacketFilter) (*TFT, error) {
	t := &TFT{}
	for i, f := range filters {
		if err := t.Add(f); err != nil {
			return nil, fmt.Errorf("filter %d: %w", i, err)
		}
	}
	return t, nil
}

// DefaultTFT returns a TFT with the one default filter, which matches
// everything (ns-3's EpcTft::Default): the default bearer's.
func DefaultTFT() *TFT { return &TFT{filters: []PacketFilter{DefaultPacketFilter()}} }

// Add adds f after the filters of lower or equal precedence, as ns-3's
// EpcTft::Add. It is an error for an invalid filter or a TFT that already
// has MaxPacketFilters filters.
func (t *TFT) Add(f PacketFilter) error {
	if err := f.Validate(); err != nil {
		return err
	}
	if len(t.filters) >= MaxPacketFilters {
		return fmt.Errorf("epc: a TFT holds at most %d packet filters", MaxPacketFilters)
	}
	i := sort.Search(len(t.filters), func(i int) bool { return t.filters[i].Precedence > f.Precedence })
	t.filters = append(t.filters, PacketFilter{})
	copy(t.filters[i+1:], t.filters[i:])
	t.filters[i] = f
	return nil
}

// Filters returns the filters in precedence order (a new slice).
func (t *TFT) Filters() []PacketFilter { return append([]PacketFilter(nil), t.filters...) }

// Len returns the number of filters.
func (t *TFT) Len() int { return len(t.filters) }

// Matches reports whether any filter matches (ns-3's EpcTft::Matches).
func (t *TFT) Matches(d Direction, remote, local inet.IPv4Addr, remotePort, localPort uint16, tos uint8) bool {
	for i := range t.filters {
		if t.filters[i].Matches(d, remote, local, remotePort, localPort, tos) {
			return true
		}
	}
	return false
}

// clone returns an independent copy, so that a TFT handed to the core
// cannot change behind its back.
func (t *TFT) clone() *TFT {
	if t == nil {
		return nil
	}
	return &TFT{filters: append([]PacketFilter(nil), t.filters...)}
}

// MaxClassifierEntries is the most TFTs one classifier holds (ns-3's
// EpcTftClassifier asserts at most 16 bearers per UE).
const MaxClassifierEntries = 16

// Classifier maps packets to bearers with the TFTs of one UE, as ns-3's
// EpcTftClassifier: each TFT is stored under an id (a bearer id in the UE's
// NAS, a TEID in the PGW) and Classify tries them from the highest id down,
// so that the default bearer (added first, lowest id) is tried last; the
// first TFT that matches wins. Precedence orders filters within a TFT only:
// as in ns-3, it does not order TFTs. The zero value is ready to use.
type Classifier struct {
	// entries sorted by id, highest first.
	entries []classifierEntry
}

type classifierEntry struct {
	id  uint32
	tft *TFT
}

// Add stores tft under id, replacing the TFT already there (ns-3's map
// assignment). Id 0 is reserved for "no match"; a nil TFT or more than
// MaxClassifierEntries TFTs is an error.
func (c *Classifier) Add(id uint32, tft *TFT) error {
	if id == 0 {
		return errors.New("epc: classifier id 0 is reserved for \"no match\"")
	}
	if tft == nil {
		return errors.New("epc: classifier needs a TFT")
	}
	i := sort.Search(len(c.entries), func(i int) bool { return c.entries[i].id <= id })
	if i < len(c.entries) && c.entries[i].id == id {
		c.entries[i].tft = tft
		return nil
	}
	if len(c.entries) >= MaxClassifierEntries {
		return fmt.Errorf("epc: a classifier holds at most %d TFTs", MaxClassifierEntries)
	}
	c.entries = append(c.entries, classifierEntry{})
	copy(c.entries[i+1:], c.entries[i:])
	c.entries[i] = classifierEntry{id: id, tft: tft}
	return nil
}

// Delete removes the TFT stored under id, if any, and reports whether there
// was one.
func (c *Classifier) Delete(id uint32) bool {
	for i := range c.entries {
		if c.entries[i].id == id {
			c.entries = append(c.entries[:i], c.entries[i+1:]...)
			return true
		}
	}
	return false
}

// Len returns the number of TFTs.
func (c *Classifier) Len() int { return len(c.entries) }

// IDs returns the ids in classification order (highest first).
func (c *Classifier) IDs() []uint32 {
	out := make([]uint32, len(c.entries))
	for i, e := range c.entries {
		out[i] = e.id
	}
	return out
}

// ClassifyFlow returns the id of the first TFT, highest id first, that
// matches a packet of the given direction, addresses (remote and local as
// seen from the UE), ports and type of service, or 0 when none does.
func (c *Classifier) ClassifyFlow(d Direction, remote, local inet.IPv4Addr, remotePort, localPort uint16, tos uint8) uint32 {
	for i := range c.entries {
		if c.entries[i].tft.Matches(d, remote, local, remotePort, localPort, tos) {
			return c.entries[i].id
		}
	}
	return 0
}

// Classify returns the id of the TFT that p matches in direction d
// (Uplink: p leaves the UE; Downlink: p goes to the UE), or 0 when none
// does or p does not start with an IPv4 header. As ns-3's
// EpcTftClassifier::Classify, the ports come from the UDP header of a UDP
// packet and are 0 otherwise. It allocates nothing.
func (c *Classifier) Classify(p *packet.Packet, d Direction) uint32 {
	ip, ok := p.Peek().(*inet.IPv4Header)
	if !ok {
		return 0
	}
	var srcPort, dstPort uint16
	if ip.Protocol == inet.ProtoUDP {
		if udp, ok := p.HeaderAt(1).(*inet.UDPHeader); ok {
			srcPort, dstPort = udp.SrcPort, udp.DstPort
		}
	}
	if d == Uplink {
		return c.ClassifyFlow(d, ip.Dst, ip.Src, dstPort, srcPort, ip.TOS)
	}
	return c.ClassifyFlow(d, ip.Src, ip.Dst, srcPort, dstPort, ip.TOS)
}
