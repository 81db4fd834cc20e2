package packet

import (
	"fmt"
	"strconv"
	"strings"
)

// Mac48 is a 48-bit IEEE 802 link-layer address, as ns-3's Mac48Address.
// The zero value is 00:00:00:00:00:00.
type Mac48 [6]byte

// BroadcastMac48 is the broadcast address ff:ff:ff:ff:ff:ff. It is a value:
// treat it as a constant.
var BroadcastMac48 = Mac48{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// Mac48FromUint returns the address whose 48 bits are the low 48 bits of n,
// most significant byte first: Mac48FromUint(1) is 00:00:00:00:00:01, the
// first address ns-3's Mac48Address::Allocate hands out.
func Mac48FromUint(n uint64) Mac48 {
	return Mac48{byte(n >> 40), byte(n >> 32), byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
}

// ParseMac48 parses an address written as six colon-separated hexadecimal
// bytes, e.g. "00:00:00:00:00:0a".
func ParseMac48(s string) (Mac48, error) {
	var m Mac48
	parts := strings.Split(s, ":")
	if len(parts) != 6 {
		return m, fmt.Errorf("packet: bad MAC address %q: want six colon-separated bytes", s)
	}
	for i, part := range parts {
		if len(part) == 0 || len(part) > 2 {
			return m, fmt.Errorf("packet: bad MAC address %q: byte %d is %q", s, i, part)
		}
		v, err := strconv.ParseUint(part, 16, 8)
		if err != nil {
			return m, fmt.Errorf("packet: bad MAC address %q: byte %d is %q", s, i, part)
		}
		m[i] = byte(v)
	}
	return m, nil
}

// Uint64 returns the address as a number, the inverse of Mac48FromUint.
func (m Mac48) Uint64() uint64 {
	return uint64(m[0])<<40 | uint64(m[1])<<32 | uint64(m[2])<<24 |
		uint64(m[3])<<16 | uint64(m[4])<<8 | uint64(m[5])
}

// IsBroadcast reports whether m is ff:ff:ff:ff:ff:ff.
func (m Mac48) IsBroadcast() bool { return m == BroadcastMac48 }

// IsGroup reports whether m is a group (multicast or broadcast) address:
// the least significant bit of its first byte is set.
func (m Mac48) IsGroup() bool { return m[0]&1 == 1 }

// String formats m as six lower-case hexadecimal bytes separated by colons,
// e.g. "00:00:00:00:00:01".
func (m Mac48) String() string {
	const hex = "0123456789abcdef"
	var b [17]byte
	for i, v := range m {
		if i > 0 {
			b[3*i-1] = ':'
		}
		b[3*i] = hex[v>>4]
		b[3*i+1] = hex[v&0xf]
	}
	return string(b[:])
}

// MacAllocator hands out link-layer addresses 00:00:00:00:00:01,
// 00:00:00:00:00:02, ... in order, as ns-3's Mac48Address::Allocate does for
// every device its helpers create. ns-3 keeps that counter in a global; here
// each simulation's helpers hold their own allocator, so simulations running
// side by side number their devices independently. The zero value is ready
// to use.
type MacAllocator struct {
	last uint64
}

// Allocate returns the next address.
func (a *MacAllocator) Allocate() Mac48 {
	a.last++
	return Mac48FromUint(a.last)
}

// Allocated returns how many addresses have been handed out.
func (a *MacAllocator) Allocated() uint64 { return a.last }
