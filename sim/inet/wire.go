package inet

import (
	"encoding/binary"

	"github.com/netgym/netgym/sim/pcap"
)

// This file writes the headers' bytes for pcap traces (pcap.WireHeader);
// nothing here runs unless a trace is enabled. Layouts: RFC 791 (IPv4),
// RFC 768 (UDP), RFC 792 (ICMP), RFC 826 (ARP), RFC 1661 (PPP protocol
// field, as ns-3's PppHeader writes it).

// AppendWire appends the 20-byte IPv4 header; FillChecksum completes it.
func (h *IPv4Header) AppendWire(b []byte) []byte {
	flags := uint16(0)
	if h.DontFragment {
		flags = 0x4000
	}
	b = append(b, 0x45, h.TOS)
	b = binary.BigEndian.AppendUint16(b, uint16(h.TotalLength()))
	b = binary.BigEndian.AppendUint16(b, h.ID)
	b = binary.BigEndian.AppendUint16(b, flags)
	b = append(b, h.TTL, h.Protocol, 0, 0)
	b = binary.BigEndian.AppendUint32(b, uint32(h.Src))
	return binary.BigEndian.AppendUint32(b, uint32(h.Dst))
}

// FillChecksum writes the header checksum over the header's 20 bytes.
func (h *IPv4Header) FillChecksum(b []byte) {
	binary.BigEndian.PutUint16(b[10:], pcap.InternetChecksum(b[:IPv4HeaderSize]))
}

// AppendWire appends the 8-byte UDP header. The checksum is 0, "not
// computed", which RFC 768 allows over IPv4 (ns-3 writes 0 too unless
// checksums are enabled).
func (h *UDPHeader) AppendWire(b []byte) []byte {
	b = binary.BigEndian.AppendUint16(b, h.SrcPort)
	b = binary.BigEndian.AppendUint16(b, h.DstPort)
	b = binary.BigEndian.AppendUint16(b, h.Length)
	return append(b, 0, 0)
}

// AppendWire appends type, code and a checksum that FillChecksum
// completes.
func (h *ICMPv4Header) AppendWire(b []byte) []byte { return append(b, h.Type, h.Code, 0, 0) }

// FillChecksum writes the ICMP checksum over the whole message.
func (h *ICMPv4Header) FillChecksum(b []byte) {
	binary.BigEndian.PutUint16(b[2:], pcap.InternetChecksum(b))
}

// AppendWire appends identifier and sequence number.
func (h *ICMPv4Echo) AppendWire(b []byte) []byte {
	b = binary.BigEndian.AppendUint16(b, h.Identifier)
	return binary.BigEndian.AppendUint16(b, h.Sequence)
}

// AppendWire appends the 28-byte ARP packet for IPv4 over Ethernet-style
// 48-bit addresses (hardware type 1).
func (h *ARPHeader) AppendWire(b []byte) []byte {
	b = append(b, 0, 1, 0x08, 0x00, 6, 4)
	b = binary.BigEndian.AppendUint16(b, h.Op)
	b = append(b, h.SrcMAC[:]...)
	b = binary.BigEndian.AppendUint32(b, uint32(h.SrcIP))
	b = append(b, h.DstMAC[:]...)
	return binary.BigEndian.AppendUint32(b, uint32(h.DstIP))
}

// AppendWire appends the 2-byte PPP protocol field.
func (h *PPPHeader) AppendWire(b []byte) []byte {
	return binary.BigEndian.AppendUint16(b, h.Protocol)
}

var (
	_ pcap.ChecksumHeader = (*IPv4Header)(nil)
	_ pcap.WireHeader     = (*UDPHeader)(nil)
	_ pcap.ChecksumHeader = (*ICMPv4Header)(nil)
	_ pcap.WireHeader     = (*ICMPv4Echo)(nil)
	_ pcap.WireHeader     = (*ARPHeader)(nil)
	_ pcap.WireHeader     = (*PPPHeader)(nil)
)
