package mac80211

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/pcap"
)

// This file writes 802.11 frames to pcap traces as ns-3 3.37's
// YansWifiPhyHelper::EnablePcap does with DLT_IEEE802_11_RADIO
// (wifi-helper.cc: PcapSniffTxEvent, PcapSniffRxEvent, GetRadiotapHeader):
// every frame the PHY starts to send (MonitorSnifferTx, in WifiPhy::Send)
// and every frame it receives correctly, addressed to it or not
// (MonitorSnifferRx, in PhyEntity::EndReceivePayload), behind a radiotap
// header with the capture time in microseconds, the FCS flag, the rate in
// 500 kb/s units and the channel (frequency, OFDM, 5 GHz); received frames
// add the signal and noise in dBm, noise being the received power over
// the SINR as ns-3 computes it. Frames are serialised to their real bytes
// (IEEE 802.11-2016 9.2-9.4) only here: MAC header, LLC/SNAP and IP for
// data frames, fixed fields and information elements for management
// frames, and the FCS (a real CRC-32, where ns-3 writes zero unless
// checksums are enabled).

var _ pcap.Device = (*Device)(nil)

// PcapLinkType returns pcap.LinkTypeRadiotap.
func (d *Device) PcapLinkType() pcap.LinkType { return pcap.LinkTypeRadiotap }

// SetPcap makes the device's PHY write every frame it sends and every
// frame it receives correctly to w (ns-3's monitor sniffer); nil stops it.
// The writer must have pcap.LinkTypeRadiotap.
func (d *Device) SetPcap(w *pcap.Writer) error { return d.mac.phy.SetPcap(w) }

// SetPcap makes the PHY write every frame it sends and every frame it
// receives correctly to w, with radiotap headers; nil stops it.
func (p *Phy) SetPcap(w *pcap.Writer) error {
	if w != nil && w.LinkType() != pcap.LinkTypeRadiotap {
		return fmt.Errorf("mac80211: pcap writer has link type %v, 802.11 devices write %v",
			w.LinkType(), pcap.LinkTypeRadiotap)
	}
	p.pcap = w
	return nil
}

// EnablePcap traces each of devs into its own file, path(i) for devs[i]
// (e.g. a function returning pcap.FileName("wifi", nodeID, 0)), as ns-3's
// YansWifiPhyHelper::EnablePcap. Devices that are interfaces of their
// nodes are traced by inet.Network.EnablePcapAll too. On error the files
// already opened are closed and detached.
func EnablePcap(devs []*Device, path func(i int) string) (pcap.Writers, error) {
	if path == nil {
		return nil, errors.New("mac80211: EnablePcap needs a file name function")
	}
	var out pcap.Writers
	for i, d := range devs {
		if d == nil {
			out.Close()
			detach(devs[:i])
			return nil, fmt.Errorf("mac80211: EnablePcap: device %d is nil", i)
		}
		w, err := inet.EnablePcap(path(i), d)
		if err != nil {
			out.Close()
			detach(devs[:i])
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

func detach(devs []*Device) {
	for _, d := range devs {
		_ = d.SetPcap(nil)
	}
}

// sniff writes f, which the PHY sends (rx false) or received correctly
// with info, to the PHY's pcap writer.
func (p *Phy) sniff(f *Frame, rx bool, info RxInfo) {
	now := p.s.Now()
	r := pcap.Radiotap{
		TSFT:         uint64(max(now, 0) / sim.Microsecond),
		Flags:        pcap.RadiotapFlagFCS,
		Rate:         uint8(f.Mode.DataRate() / 500000),
		ChannelMHz:   p.channelMHz(),
		ChannelFlags: pcap.RadiotapChannelOFDM | pcap.RadiotapChannel5GHz,
	}
	if r.ChannelMHz < 2500 {
		r.ChannelFlags = pcap.RadiotapChannelOFDM | pcap.RadiotapChannel2GHz
	}
	if rx {
		// ns-3: signal = WToDbm(rxPower), noise = WToDbm(rxPower / snr).
		r.HasSignal = true
		r.SignalDbm = info.RSSIDbm
		r.NoiseDbm = info.RSSIDbm - info.SNRDb
	}
	w := p.pcap
	b := pcap.AppendRadiotap(w.Buffer(), &r)
	b = f.AppendWire(b, now)
	w.WriteFrame(now, b)
}

// channelMHz is the PHY's channel frequency: its medium's, or channel 36
// (5180 MHz, ns-3 3.37's default for 802.11a) when not said.
func (p *Phy) channelMHz() uint16 {
	if p.medium != nil && p.medium.freqHz > 0 && p.medium.freqHz < 65536e6 {
		return uint16(math.Round(p.medium.freqHz / 1e6))
	}
	return 5180
}

// Frame control type/subtype bytes (IEEE 802.11-2016 9.2.4.1.3, Table
// 9-1): subtype << 4 | type << 2.
var frameControl = [...]byte{
	FrameData:          0x08,
	FrameACK:           0xd4,
	FrameRTS:           0xb4,
	FrameCTS:           0xc4,
	FrameBeacon:        0x80,
	FrameProbeRequest:  0x40,
	FrameProbeResponse: 0x50,
	FrameAssocRequest:  0x00,
	FrameAssocResponse: 0x10,
	FrameDisassoc:      0xa0,
}

// Information elements of netgym's management frames.
const (
	ieSSID           = 0
	ieSupportedRates = 1
)

// supportedRates is the Supported Rates element of an 802.11a station:
// the eight rates in 500 kb/s units, the mandatory ones (6, 12, 24 Mb/s)
// marked basic (bit 7), as ns-3's ApWifiMac::GetSupportedRates gives them
// with WifiRemoteStationManager's default basic rate set.
var supportedRates = [...]byte{ieSupportedRates, 8, 0x8c, 0x12, 0x98, 0x24, 0xb0, 0x48, 0x60, 0x6c}

// Capability information: ESS (an infrastructure BSS).
const capabilityESS = 0x0001

// AppendWire appends the frame's bytes (MAC header, body, FCS) to b: f.Size()
// bytes. now is the time of the capture, written as the timestamp of
// beacons and probe responses.
func (f *Frame) AppendWire(b []byte, now sim.Time) []byte {
	start := len(b)
	h := &f.Header
	fc1 := byte(0)
	if h.ToDS {
		fc1 |= 0x01
	}
	if h.FromDS {
		fc1 |= 0x02
	}
	if h.Retry {
		fc1 |= 0x08
	}
	t := byte(0)
	if int(h.Type) < len(frameControl) {
		t = frameControl[h.Type]
	}
	b = append(b, t, fc1)
	b = binary.LittleEndian.AppendUint16(b, uint16(min(max(h.Duration/sim.Microsecond, 0), 32767)))
	b = append(b, h.Addr1[:]...)
	switch h.Type {
	case FrameACK, FrameCTS:
	case FrameRTS:
		b = append(b, h.Addr2[:]...)
	default:
		b = append(b, h.Addr2[:]...)
		b = append(b, h.Addr3[:]...)
		b = binary.LittleEndian.AppendUint16(b, (h.Seq&0x0fff)<<4)
	}
	switch {
	case h.Type == FrameData:
		if f.MSDU != nil {
			b = pcap.AppendPacket(b, f.MSDU)
		}
	case h.Type.IsManagement():
		b = f.appendMgmt(b, now)
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
}

// appendMgmt appends the management frame body, exactly f.Mgmt.Size bytes
// (IEEE 802.11-2016 9.3.3: fixed fields, then the SSID and Supported Rates
// elements).
func (f *Frame) appendMgmt(b []byte, now sim.Time) []byte {
	start := len(b)
	m := &f.Mgmt
	switch f.Header.Type {
	case FrameBeacon, FrameProbeResponse:
		b = binary.LittleEndian.AppendUint64(b, uint64(max(now, 0)/sim.Microsecond))
		b = binary.LittleEndian.AppendUint16(b, uint16(min(m.BeaconInterval/(1024*sim.Microsecond), 65535)))
		b = binary.LittleEndian.AppendUint16(b, capabilityESS)
		b = appendSSID(b, m.SSID)
		b = append(b, supportedRates[:]...)
	case FrameProbeRequest:
		b = appendSSID(b, m.SSID)
		b = append(b, supportedRates[:]...)
	case FrameAssocRequest:
		b = binary.LittleEndian.AppendUint16(b, capabilityESS)
		b = binary.LittleEndian.AppendUint16(b, 0) // listen interval
		b = appendSSID(b, m.SSID)
		b = append(b, supportedRates[:]...)
	case FrameAssocResponse:
		b = binary.LittleEndian.AppendUint16(b, capabilityESS)
		b = binary.LittleEndian.AppendUint16(b, m.StatusCode)
		b = binary.LittleEndian.AppendUint16(b, m.AID|0xc000) // 9.4.1.8: the two MSBs set
		b = append(b, supportedRates[:]...)
	case FrameDisassoc:
		b = binary.LittleEndian.AppendUint16(b, 0) // reason code
	}
	// The body is as long as the size the MAC counted on the air.
	if n := len(b) - start; n > m.Size {
		b = b[:start+max(m.Size, 0)]
	} else if n < m.Size {
		b = append(b, make([]byte, m.Size-n)...)
	}
	return b
}

func appendSSID(b []byte, ssid string) []byte {
	b = append(b, ieSSID, byte(len(ssid)))
	return append(b, ssid...)
}

// AppendWire appends the 8-byte LLC/SNAP header (RFC 1042): AA AA 03,
// OUI 00 00 00, EtherType.
func (h *LLCSNAPHeader) AppendWire(b []byte) []byte {
	b = append(b, 0xaa, 0xaa, 0x03, 0, 0, 0)
	return binary.BigEndian.AppendUint16(b, h.EtherType)
}
