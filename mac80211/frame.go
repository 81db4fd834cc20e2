package mac80211

import (
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// FrameType is the type and subtype of an 802.11 MAC frame.
type FrameType uint8

// The frame types netgym models (IEEE 802.11-2016 9.2.4.1.3).
const (
	FrameData FrameType = iota + 1
	FrameACK
	FrameRTS
	FrameCTS
	FrameBeacon
	FrameProbeRequest
	FrameProbeResponse
	FrameAssocRequest
	FrameAssocResponse
	FrameDisassoc
)

var frameTypeNames = [...]string{"", "Data", "ACK", "RTS", "CTS", "Beacon",
	"ProbeRequest", "ProbeResponse", "AssocRequest", "AssocResponse", "Disassoc"}

// String returns the frame type's name, e.g. "ACK".
func (t FrameType) String() string {
	if int(t) < len(frameTypeNames) && t != 0 {
		return frameTypeNames[t]
	}
	return fmt.Sprintf("FrameType(%d)", uint8(t))
}

// NumFrameTypes bounds the FrameType values: arrays indexed by FrameType
// (MediumStats.TxByType) have this length.
const NumFrameTypes = int(FrameDisassoc) + 1

var frameTypeNS3Names = [...]string{"", "DATA", "CTL_ACK", "CTL_RTS", "CTL_CTS", "MGT_BEACON",
	"MGT_PROBE_REQUEST", "MGT_PROBE_RESPONSE", "MGT_ASSOCIATION_REQUEST", "MGT_ASSOCIATION_RESPONSE",
	"MGT_DISASSOCIATION"}

// NS3Name returns the name ns-3 3.37's WifiMacHeader::GetTypeString gives
// the type (e.g. "CTL_ACK", "MGT_BEACON"), for setting netgym's counts
// beside an ns-3 trace's; "" for a value that is no frame type.
func (t FrameType) NS3Name() string {
	if int(t) < len(frameTypeNS3Names) {
		return frameTypeNS3Names[t]
	}
	return ""
}

// IsControl reports whether t is a control frame (ACK, RTS, CTS).
func (t FrameType) IsControl() bool { return t == FrameACK || t == FrameRTS || t == FrameCTS }

// IsManagement reports whether t is a management frame.
func (t FrameType) IsManagement() bool { return t >= FrameBeacon }

// MACHeader is the MAC header of a frame, held by value. Its wire size
// depends on the type: 24 bytes for data and management frames (three
// addresses, no QoS), 10 bytes for ACK and CTS, 16 bytes for RTS
// (IEEE 802.11-2016 9.3); the 4-byte FCS is counted by Frame.Size.
type MACHeader struct {
	Type FrameType
	// Duration is the Duration/ID field: how long the medium stays reserved
	// after this frame ends (the NAV), in whole microseconds on the air.
	Duration sim.Time
	Addr1    packet.Mac48 // receiver address
	Addr2    packet.Mac48 // transmitter address (absent in ACK and CTS)
	Addr3    packet.Mac48 // BSSID, or the final destination/source via an AP
	Seq      uint16       // sequence number (12 bits)
	Retry    bool         // the Retry bit: this is a retransmission
	ToDS     bool         // frame goes to the distribution system (STA to AP)
	FromDS   bool         // frame comes from the distribution system (AP to STA)
}

// Size returns the header's size in bytes, without the FCS.
func (h *MACHeader) Size() int {
	switch h.Type {
	case FrameACK, FrameCTS:
		return 10
	case FrameRTS:
		return 16
	default:
		return MACHeaderSize
	}
}

// Frame is an MPDU on its way through the PHY and the medium: a MAC header,
// for data frames the MSDU (an LLC/SNAP-encapsulated packet), for management
// frames a body, and the transmission mode and power.
//
// The medium copies a Frame by value into each transmission, so the sender may
// reuse its Frame as soon as Phy.Send returns. Receivers get a pointer valid
// for the duration of the PhyRxEnd call: they copy what they keep.
type Frame struct {
	Header MACHeader
	// MSDU is the payload of a data frame (nil for control frames). Its
	// Size includes the LLC/SNAP header.
	MSDU *packet.Packet
	// Mgmt is the body of a management frame.
	Mgmt MgmtBody
	// Mode is the OFDM mode the frame is sent at.
	Mode Mode
	// TxPowerDbm is the transmit power.
	TxPowerDbm float64
}

// Size returns the MPDU size in bytes: header, body and FCS. This is what
// the frame's airtime depends on.
func (f *Frame) Size() int {
	n := f.Header.Size() + FCSSize
	switch {
	case f.Header.Type == FrameData:
		if f.MSDU != nil {
			n += f.MSDU.Size()
		}
	case f.Header.Type.IsManagement():
		n += f.Mgmt.Size
	}
	return n
}

// Duration returns the frame's airtime at its mode.
func (f *Frame) Duration() sim.Time { return FrameDuration(f.Size(), f.Mode) }

// MgmtBody is the content of a management frame that netgym's MACs use; Size
// is its exact byte count on the air (fixed fields and information
// elements).
type MgmtBody struct {
	Size       int
	SSID       string
	AID        uint16 // association ID, in association responses
	StatusCode uint16 // 0 = success, in association responses
	// BeaconInterval is the advertised beacon interval (beacons and probe
	// responses).
	BeaconInterval sim.Time
}

// RxInfo describes a received frame.
type RxInfo struct {
	RSSIDbm float64 // received power
	SNRDb   float64 // signal to noise plus interference ratio at the end of reception, in dB
}

// PhyListener receives the PHY's notifications; the MAC implements it. All
// times are absolute simulated times.
type PhyListener interface {
	// PhyRxStart is PHY-RXSTART: the PHY detected a preamble, decoded the
	// PHY header (SIGNAL field) and now receives the payload, which ends at
	// end. As in ns-3 3.37 (PhyEntity::StartReceivePayload: SwitchToRx and
	// the PhyRxPayloadBegin trace), this comes 20 us after the frame began;
	// between preamble detection and then the PHY reports PhyCcaBusy.
	PhyRxStart(end sim.Time)
	// PhyRxEnd reports the end of a locked reception: ok with the frame, or
	// a reception error (the frame is then nil or partial and must not be
	// used), after which the MAC defers EIFS instead of DIFS.
	PhyRxEnd(f *Frame, ok bool, info RxInfo)
	// PhyCcaBusy reports that clear channel assessment finds the medium busy
	// until at least end (energy or an unlocked signal above threshold).
	PhyCcaBusy(end sim.Time)
}

// LLCSNAPHeader is the 8-byte LLC/SNAP header (RFC 1042) that 802.11 puts in
// front of every data MSDU, carrying the EtherType of the payload.
type LLCSNAPHeader struct {
	EtherType uint16
}

// Size returns 8.
func (*LLCSNAPHeader) Size() int { return LLCSNAPSize }

// String describes the header.
func (h *LLCSNAPHeader) String() string { return fmt.Sprintf("LLC/SNAP type=0x%04x", h.EtherType) }
