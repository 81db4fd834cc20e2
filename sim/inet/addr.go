package inet

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// IPv4Addr is an IPv4 address, held as a number in host order
// (10.1.1.2 is 0x0a010102) so that masking and comparing are integer
// operations. The zero value is 0.0.0.0, the "any" address.
type IPv4Addr uint32

// Well-known IPv4 addresses.
const (
	// IPv4Any is 0.0.0.0: "any local address" for binding, "no gateway" in
	// a route.
	IPv4Any IPv4Addr = 0
	// IPv4Broadcast is 255.255.255.255, the limited broadcast address.
	IPv4Broadcast IPv4Addr = 0xffffffff
	// IPv4Loopback is 127.0.0.1.
	IPv4Loopback IPv4Addr = 0x7f000001
)

// IPv4AddrFrom4 returns the address a.b.c.d.
func IPv4AddrFrom4(a, b, c, d byte) IPv4Addr {
	return IPv4Addr(uint32(a)<<24 | uint32(b)<<16 | uint32(c)<<8 | uint32(d))
}

// ParseIPv4 parses a dotted-quad address such as "10.1.1.2".
func ParseIPv4(s string) (IPv4Addr, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return 0, fmt.Errorf("inet: bad IPv4 address %q: want four dot-separated numbers", s)
	}
	var a uint32
	for _, part := range parts {
		if part == "" || len(part) > 3 {
			return 0, fmt.Errorf("inet: bad IPv4 address %q", s)
		}
		v, err := strconv.ParseUint(part, 10, 8)
		if err != nil {
			return 0, fmt.Errorf("inet: bad IPv4 address %q: %q is not a number in 0..255", s, part)
		}
		a = a<<8 | uint32(v)
	}
	return IPv4Addr(a), nil
}

// As4 returns the four bytes of the address, most significant first.
func (a IPv4Addr) As4() [4]byte {
	return [4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)}
}

// String formats a as a dotted quad.
func (a IPv4Addr) String() string {
	b := make([]byte, 0, 15)
	for i, v := range a.As4() {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(v), 10)
	}
	return string(b)
}

// IsAny reports whether a is 0.0.0.0.
func (a IPv4Addr) IsAny() bool { return a == IPv4Any }

// IsBroadcast reports whether a is the limited broadcast 255.255.255.255.
func (a IPv4Addr) IsBroadcast() bool { return a == IPv4Broadcast }

// IsMulticast reports whether a is in 224.0.0.0/4.
func (a IPv4Addr) IsMulticast() bool { return a>>28 == 0xe }

// Mask returns the network part of a under m.
func (a IPv4Addr) Mask(m IPv4Mask) IPv4Addr { return IPv4Addr(uint32(a) & uint32(m)) }

// SubnetBroadcast returns the subnet-directed broadcast address of a's
// subnet under m (host bits all ones).
func (a IPv4Addr) SubnetBroadcast(m IPv4Mask) IPv4Addr {
	return IPv4Addr(uint32(a) | ^uint32(m))
}

// IsSubnetDirectedBroadcast reports whether the host part of a under m is
// all ones, as ns-3's Ipv4Address::IsSubnetDirectedBroadcast. A /32 mask
// has no host part, so no address is a broadcast under it.
func (a IPv4Addr) IsSubnetDirectedBroadcast(m IPv4Mask) bool {
	if m == 0xffffffff {
		return false
	}
	return uint32(a)|uint32(m) == 0xffffffff
}

// IPv4Mask is an IPv4 network mask, e.g. 255.255.255.0 (0xffffff00).
type IPv4Mask uint32

// MaskFromPrefix returns the mask with the given prefix length in 0..32.
func MaskFromPrefix(prefixLen int) (IPv4Mask, error) {
	if prefixLen < 0 || prefixLen > 32 {
		return 0, fmt.Errorf("inet: prefix length %d is outside 0..32", prefixLen)
	}
	if prefixLen == 0 {
		return 0, nil
	}
	return IPv4Mask(^uint32(0) << (32 - prefixLen)), nil
}

// ParseIPv4Mask parses a mask written as a dotted quad ("255.255.255.0")
// or as a prefix length ("24" or "/24").
func ParseIPv4Mask(s string) (IPv4Mask, error) {
	if !strings.Contains(s, ".") {
		n, err := strconv.Atoi(strings.TrimPrefix(s, "/"))
		if err != nil {
			return 0, fmt.Errorf("inet: bad IPv4 mask %q", s)
		}
		return MaskFromPrefix(n)
	}
	a, err := ParseIPv4(s)
	if err != nil {
		return 0, fmt.Errorf("inet: bad IPv4 mask %q", s)
	}
	m := IPv4Mask(a)
	if !m.IsValid() {
		return 0, fmt.Errorf("inet: bad IPv4 mask %q: the one bits are not contiguous", s)
	}
	return m, nil
}

// ParseCIDR parses "10.1.1.2/24" into the address and its mask.
func ParseCIDR(s string) (IPv4Addr, IPv4Mask, error) {
	addr, mask, ok := strings.Cut(s, "/")
	if !ok {
		return 0, 0, fmt.Errorf("inet: bad CIDR %q: want address/prefix", s)
	}
	a, err := ParseIPv4(addr)
	if err != nil {
		return 0, 0, err
	}
	m, err := ParseIPv4Mask(mask)
	if err != nil {
		return 0, 0, err
	}
	return a, m, nil
}

// IsValid reports whether the one bits of m are contiguous from the top.
func (m IPv4Mask) IsValid() bool {
	inv := ^uint32(m)
	return inv&(inv+1) == 0
}

// PrefixLength returns the number of leading one bits of m.
func (m IPv4Mask) PrefixLength() int { return bits.LeadingZeros32(^uint32(m)) }

// Contains reports whether a is in network's subnet under m.
func (m IPv4Mask) Contains(network, a IPv4Addr) bool {
	return uint32(network)&uint32(m) == uint32(a)&uint32(m)
}

// String formats m as a dotted quad.
func (m IPv4Mask) String() string { return IPv4Addr(m).String() }
