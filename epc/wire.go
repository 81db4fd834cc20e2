package epc

import (
	"encoding/binary"

	"github.com/netgym/netgym/sim/pcap"
)

var _ pcap.WireHeader = (*GTPUHeader)(nil)

// AppendWire appends the header's 12 bytes as ns-3's GtpuHeader::Serialize
// writes them (TS 29.281 5.1: flags, message type, length, TEID, sequence
// number, N-PDU number, next extension type), for pcap traces: Wireshark
// then dissects S1-U and S5-U frames down to the user packet.
func (h *GTPUHeader) AppendWire(b []byte) []byte {
	b = append(b, h.FirstByte(), h.MessageType)
	b = binary.BigEndian.AppendUint16(b, h.Length)
	b = binary.BigEndian.AppendUint32(b, h.TEID)
	b = binary.BigEndian.AppendUint16(b, h.SequenceNumber)
	return append(b, h.NPDUNumber, h.NextExtensionType)
}
