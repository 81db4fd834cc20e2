package pcap

import (
	"encoding/binary"
	"math"
)

// Radiotap flags (https://www.radiotap.org/fields/Flags.html), as ns-3's
// RadiotapHeader::FRAME_FLAG_*.
const (
	RadiotapFlagShortPreamble uint8 = 0x02
	RadiotapFlagFCS           uint8 = 0x10 // the frame ends with its 4-byte FCS
	RadiotapFlagShortGuard    uint8 = 0x80
)

// Radiotap channel flags (https://www.radiotap.org/fields/Channel.html),
// as ns-3's RadiotapHeader::CHANNEL_FLAG_*.
const (
	RadiotapChannelCCK  uint16 = 0x0020
	RadiotapChannelOFDM uint16 = 0x0040
	RadiotapChannel2GHz uint16 = 0x0080
	RadiotapChannel5GHz uint16 = 0x0100
)

// Radiotap is the radio information in front of an 802.11 frame: the
// fields ns-3 3.37's WifiPhyHelper::GetRadiotapHeader fills for a non-HT
// (802.11a/b/g) frame. Transmitted frames carry TSFT, Flags, Rate and
// Channel; received frames also carry the antenna signal and noise.
type Radiotap struct {
	// TSFT is the MAC timestamp in microseconds (ns-3: the simulation time
	// of the capture).
	TSFT uint64
	// Flags, e.g. RadiotapFlagFCS.
	Flags uint8
	// Rate is the data rate in units of 500 kb/s (108 for 54 Mb/s).
	Rate uint8
	// ChannelMHz is the centre frequency and ChannelFlags its flags (OFDM,
	// 5 GHz for 802.11a).
	ChannelMHz   uint16
	ChannelFlags uint16
	// HasSignal adds the dBm antenna signal and noise fields.
	HasSignal bool
	// SignalDbm and NoiseDbm are rounded to whole dBm and clamped to
	// [-128, 127], as ns-3's SetAntennaSignalPower.
	SignalDbm, NoiseDbm float64
}

// Radiotap present-word bits.
const (
	rtTSFT     = 1 << 0
	rtFlags    = 1 << 1
	rtRate     = 1 << 2
	rtChannel  = 1 << 3
	rtDbmSig   = 1 << 5
	rtDbmNoise = 1 << 6
)

// Len returns the radiotap header's length in bytes: 22 without signal, 24
// with it (the layout of ns-3's headers: version, pad, length, present
// word, TSFT, flags, rate, channel, signal, noise; every field at its
// natural alignment).
func (r *Radiotap) Len() int {
	if r.HasSignal {
		return 24
	}
	return 22
}

// AppendRadiotap appends r's radiotap header (little-endian, as radiotap
// requires) to b.
func AppendRadiotap(b []byte, r *Radiotap) []byte {
	present := uint32(rtTSFT | rtFlags | rtRate | rtChannel)
	if r.HasSignal {
		present |= rtDbmSig | rtDbmNoise
	}
	b = append(b, 0, 0) // version 0, pad
	b = binary.LittleEndian.AppendUint16(b, uint16(r.Len()))
	b = binary.LittleEndian.AppendUint32(b, present)
	b = binary.LittleEndian.AppendUint64(b, r.TSFT) // offset 8: 8-aligned
	b = append(b, r.Flags, r.Rate)
	b = binary.LittleEndian.AppendUint16(b, r.ChannelMHz) // offset 18: 2-aligned
	b = binary.LittleEndian.AppendUint16(b, r.ChannelFlags)
	if r.HasSignal {
		b = append(b, byte(dbmByte(r.SignalDbm)), byte(dbmByte(r.NoiseDbm)))
	}
	return b
}

// dbmByte is ns-3's RadiotapHeader::SetAntennaSignalPower: clamp to
// [-128, 127], else floor(x + 0.5).
func dbmByte(x float64) int8 {
	switch {
	case x > 127:
		return 127
	case x < -128 || math.IsNaN(x):
		return -128
	}
	return int8(math.Floor(x + 0.5))
}
