package mac80211

import (
	"errors"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// MTU is the largest MSDU payload an 802.11 device carries (IEEE
// 802.11-2016 9.2.4.7: 2304 octets, less the 8-byte LLC/SNAP header that
// ns-3 counts in it: WifiNetDevice's default Mtu is 2296).
const MTU = 2296

// Device is an 802.11 network device: it implements inet.NetDevice over a
// Mac, adding the LLC/SNAP header on the way down and removing it on the way
// up.
type Device struct {
	mac *Mac
	cb  inet.ReceiveCallback
	// LLC/SNAP headers are immutable once pushed, so one per EtherType is
	// shared by every packet the device sends: IPv4 and ARP without a map
	// lookup, others from the map.
	llcIPv4, llcARP *LLCSNAPHeader
	llc             map[uint16]*LLCSNAPHeader
}

// NewDevice wraps mac as an inet.NetDevice.
func NewDevice(mac *Mac) *Device {
	d := &Device{mac: mac, llc: make(map[uint16]*LLCSNAPHeader),
		llcIPv4: &LLCSNAPHeader{EtherType: inet.EtherTypeIPv4},
		llcARP:  &LLCSNAPHeader{EtherType: inet.EtherTypeARP}}
	if mac != nil {
		mac.SetReceiveCallback(d.receive)
	}
	return d
}

// errNoMac is returned by Send on a device made without a MAC.
var errNoMac = errors.New("mac80211: device has no MAC (NewDevice(nil) or a zero Device)")

// Mac returns the device's MAC.
func (d *Device) Mac() *Mac { return d.mac }

// Address implements inet.NetDevice.
func (d *Device) Address() packet.Mac48 {
	if d == nil || d.mac == nil {
		return packet.Mac48{}
	}
	return d.mac.Address()
}

// Broadcast implements inet.NetDevice.
func (d *Device) Broadcast() packet.Mac48 { return packet.BroadcastMac48 }

// MTU implements inet.NetDevice.
func (d *Device) MTU() int { return MTU }

// NeedsARP implements inet.NetDevice: 802.11 is a broadcast link.
func (d *Device) NeedsARP() bool { return true }

// Send implements inet.NetDevice.
// A device without a MAC (NewDevice(nil), a zero Device) or a nil packet
// is an error.
func (d *Device) Send(p *packet.Packet, dst packet.Mac48, etherType uint16) error {
	if d == nil || d.mac == nil {
		return errNoMac
	}
	if p == nil {
		return errors.New("mac80211: Send of a nil packet")
	}
	if p.Size() > MTU {
		return inet.ErrMessageTooLarge
	}
	p.Push(d.llcHeader(etherType))
	if err := d.mac.Send(p, dst); err != nil {
		p.Pop()
		if err == ErrQueueFull {
			return inet.ErrQueueFull
		}
		return err
	}
	return nil
}

func (d *Device) llcHeader(etherType uint16) *LLCSNAPHeader {
	switch etherType {
	case inet.EtherTypeIPv4:
		return d.llcIPv4
	case inet.EtherTypeARP:
		return d.llcARP
	}
	h := d.llc[etherType]
	if h == nil {
		h = &LLCSNAPHeader{EtherType: etherType}
		d.llc[etherType] = h
	}
	return h
}

// SetReceiveCallback implements inet.NetDevice.
func (d *Device) SetReceiveCallback(cb inet.ReceiveCallback) { d.cb = cb }

func (d *Device) receive(msdu *packet.Packet, src, dst packet.Mac48) {
	h, ok := msdu.Pop().(*LLCSNAPHeader)
	if !ok || d.cb == nil {
		return
	}
	d.cb(d, msdu, h.EtherType, src, dst)
}
