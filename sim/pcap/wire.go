package pcap

import (
	"errors"

	"github.com/netgym/netgym/sim/packet"
)

// WireHeader is implemented by headers that can write their bytes: inet's
// IPv4, UDP, ICMP, ARP and PPP headers, mac80211's LLC/SNAP header, and
// the headers of other technologies (epc's GTP-U, ...). AppendWire appends
// exactly Size() bytes in network byte order; fields that depend on bytes
// after the header (a checksum) are left zero and filled by FillChecksum.
type WireHeader interface {
	packet.Header
	AppendWire(b []byte) []byte
}

// ChecksumHeader is a WireHeader with a checksum. AppendPacket calls
// FillChecksum once the whole packet is written, with the header's own
// bytes followed by every byte after it, so that the header can cover what
// it needs (IPv4: its 20 bytes; ICMP: the whole message).
type ChecksumHeader interface {
	WireHeader
	FillChecksum(b []byte)
}

// AppendPacket appends p's bytes to b: every header on its stack,
// outermost first, then the payload. A header that does not implement
// WireHeader is written as Size() zero bytes, and a payload without bytes
// (a virtual payload) as PayloadSize() zero bytes, so the result always
// has p.Size() bytes. It allocates nothing once b has room.
func AppendPacket(b []byte, p *packet.Packet) []byte {
	return AppendHeaders(b, p, 0)
}

// AppendHeaders is AppendPacket from the header at position from (0 is the
// outermost): a device that writes its own link-layer header skips the
// packet's copy of it.
func AppendHeaders(b []byte, p *packet.Packet, from int) []byte {
	n := p.NumHeaders()
	var hasSum bool
	for i := max(from, 0); i < n; i++ {
		h := p.HeaderAt(i)
		if w, ok := h.(WireHeader); ok {
			b = w.AppendWire(b)
			_, c := h.(ChecksumHeader)
			hasSum = hasSum || c
		} else {
			b = appendZeros(b, h.Size())
		}
	}
	if pl := p.Payload(); pl != nil {
		b = append(b, pl...)
	} else {
		b = appendZeros(b, p.PayloadSize())
	}
	if hasSum {
		// Innermost first, so that an outer checksum covers the inner one.
		off := len(b) - p.PayloadSize()
		for i := n - 1; i >= max(from, 0); i-- {
			h := p.HeaderAt(i)
			off -= h.Size()
			if c, ok := h.(ChecksumHeader); ok {
				c.FillChecksum(b[off:])
			}
		}
	}
	return b
}

// appendZeros appends n zero bytes without allocating when b has room.
func appendZeros(b []byte, n int) []byte {
	if n <= 0 {
		return b
	}
	l := len(b)
	if cap(b)-l < n {
		b = append(b, make([]byte, n)...)
		return b
	}
	b = b[:l+n]
	clear(b[l:])
	return b
}

// InternetChecksum returns the 16-bit one's complement of the one's
// complement sum of b (RFC 1071), the checksum of IPv4 headers and ICMP
// messages.
func InternetChecksum(b []byte) uint16 {
	var sum uint32
	for len(b) >= 2 {
		sum += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		sum += uint32(b[0]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

// Writers is a set of writers, as the pcap helpers of the technologies
// return them.
type Writers []*Writer

// Flush flushes every writer and returns their errors joined.
func (ws Writers) Flush() error {
	var errs []error
	for _, w := range ws {
		errs = append(errs, w.Flush())
	}
	return errors.Join(errs...)
}

// Close closes every writer and returns their errors joined.
func (ws Writers) Close() error {
	var errs []error
	for _, w := range ws {
		errs = append(errs, w.Close())
	}
	return errors.Join(errs...)
}
