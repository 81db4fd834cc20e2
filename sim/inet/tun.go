package inet

import (
	"errors"
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/sim/pcap"
)

// TunDeviceConfig configures a tunnel device. The default is ns-3's
// VirtualNetDevice (Mtu 1500); ns-3's EPC helpers give the PGW's device
// 30000.
type TunDeviceConfig struct {
	// MTU is the largest packet (IP header included) the device accepts
	// from IPv4. ns-3: 1500.
	MTU int
}

// DefaultTunDeviceConfig returns ns-3's VirtualNetDevice default.
func DefaultTunDeviceConfig() TunDeviceConfig { return TunDeviceConfig{MTU: 1500} }

// Validate reports whether the configuration is usable.
func (c TunDeviceConfig) Validate() error {
	if c.MTU < IPv4HeaderSize+UDPHeaderSize || c.MTU > 65535 {
		return fmt.Errorf("inet: tunnel MTU %d is outside %d..65535", c.MTU, IPv4HeaderSize+UDPHeaderSize)
	}
	return nil
}

// TunSendFunc is what a tunnel device does with a packet IPv4 sends
// through it (ns-3's VirtualNetDevice send callback): typically push a
// tunnel header and send the result over a UDP socket (GTP-U). p carries
// its IPv4 header outermost; dst is the link-layer destination IPv4 chose
// (the device's broadcast address: a tunnel needs no ARP). On nil error
// the function owns p; on error it must leave p as it got it, and the
// device counts a drop and hands the error back to IPv4, which drops the
// packet (DropDeviceError, or DropDeviceQueueFull for ErrQueueFull).
type TunSendFunc func(dev *TunDevice, p *packet.Packet, dst packet.Mac48, etherType uint16) error

// TunDropReason says why a tunnel device dropped a packet.
type TunDropReason uint8

// Tunnel device drop reasons.
const (
	// TunDropTooLarge: a packet from IPv4 larger than the MTU.
	TunDropTooLarge TunDropReason = iota + 1
	// TunDropNoSendFunc: a packet from IPv4 while no send function is set.
	TunDropNoSendFunc
	// TunDropSendFailed: the send function returned an error.
	TunDropSendFailed
	// TunDropNoReceiver: a re-injected packet found no receive callback
	// (the device is on no interface).
	TunDropNoReceiver
)

// String returns the reason's name.
func (r TunDropReason) String() string {
	switch r {
	case TunDropTooLarge:
		return "TooLarge"
	case TunDropNoSendFunc:
		return "NoSendFunc"
	case TunDropSendFailed:
		return "SendFailed"
	case TunDropNoReceiver:
		return "NoReceiver"
	}
	return fmt.Sprintf("TunDropReason(%d)", uint8(r))
}

// TunStats counts a tunnel device's packets and bytes.
type TunStats struct {
	TxPackets uint64 // packets handed to the send function and accepted
	TxBytes   uint64 // their bytes
	RxPackets uint64 // packets re-injected and passed up
	RxBytes   uint64 // their bytes
	TxDrops   uint64 // packets from IPv4 refused (too large, no or failed send function)
	RxDrops   uint64 // re-injected packets with no receiver
}

var _ NetDevice = (*TunDevice)(nil)

// TunDevice is a virtual device for tunnels, after ns-3's VirtualNetDevice
// as its EPC uses it (the PGW's TUN device): IPv4 routes packets into it
// like into any device, and its Send hands them to a user function (which
// encapsulates them, e.g. in GTP-U over UDP); decapsulated packets come
// back with Receive, which passes them up to IPv4 in a zero-delay event,
// so that a packet received from a socket callback never re-enters the
// IPv4 receive path from inside it. The device needs no ARP and has a
// configurable MTU; it counts what it drops.
type TunDevice struct {
	// OnTx, when set, is called for each packet handed to the send
	// function (borrowed, before the function takes it).
	OnTx func(dev *TunDevice, p *packet.Packet)
	// OnRx, when set, is called for each re-injected packet as it is
	// passed up (borrowed).
	OnRx func(dev *TunDevice, p *packet.Packet)
	// OnDrop, when set, is called for each packet the device drops, with
	// the reason, before the packet goes back to IPv4 (send side) or to
	// its pool (receive side).
	OnDrop func(dev *TunDevice, p *packet.Packet, reason TunDropReason)

	sim   *sim.Simulator
	addr  packet.Mac48
	cfg   TunDeviceConfig
	send  TunSendFunc
	recv  ReceiveCallback
	stats TunStats
	pcap  *pcap.Writer

	// rx holds the re-injected packets waiting for their event, in order:
	// each Receive schedules one event that takes the oldest.
	rx   packet.FIFO[tunRx]
	rxFn func(any)
}

type tunRx struct {
	p         *packet.Packet
	etherType uint16
}

// NewTunDevice returns a tunnel device with link-layer address addr that
// sends through send (which may be set later with SetSendFunc).
func NewTunDevice(s *sim.Simulator, addr packet.Mac48, cfg TunDeviceConfig, send TunSendFunc) (*TunDevice, error) {
	if s == nil {
		return nil, errors.New("inet: NewTunDevice needs a simulator")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	d := &TunDevice{sim: s, addr: addr, cfg: cfg, send: send}
	d.rxFn = d.onReceive
	return d, nil
}

// SetSendFunc sets the function that takes the packets IPv4 sends.
func (d *TunDevice) SetSendFunc(fn TunSendFunc) { d.send = fn }

// Address returns the device's link-layer address.
func (d *TunDevice) Address() packet.Mac48 { return d.addr }

// Broadcast returns ff:ff:ff:ff:ff:ff.
func (d *TunDevice) Broadcast() packet.Mac48 { return packet.BroadcastMac48 }

// MTU returns the configured MTU.
func (d *TunDevice) MTU() int { return d.cfg.MTU }

// NeedsARP returns false, as ns-3's VirtualNetDevice by default.
func (d *TunDevice) NeedsARP() bool { return false }

// Config returns the device's configuration.
func (d *TunDevice) Config() TunDeviceConfig { return d.cfg }

// Stats returns the device's counters.
func (d *TunDevice) Stats() TunStats { return d.stats }

// SetReceiveCallback sets the upper layer's receive function.
func (d *TunDevice) SetReceiveCallback(cb ReceiveCallback) { d.recv = cb }

// Send hands p to the send function (ns-3's VirtualNetDevice::Send). It
// returns ErrMessageTooLarge for a packet larger than the MTU, ErrLinkDown
// without a send function, and the function's error; p then stays with
// the caller, and the device counts a drop.
func (d *TunDevice) Send(p *packet.Packet, dst packet.Mac48, etherType uint16) error {
	var err error
	reason := TunDropReason(0)
	switch {
	case p.Size() > d.cfg.MTU:
		err = fmt.Errorf("%w: %d bytes on a tunnel with MTU %d", ErrMessageTooLarge, p.Size(), d.cfg.MTU)
		reason = TunDropTooLarge
	case d.send == nil:
		err = fmt.Errorf("%w: tunnel device %v has no send function", ErrLinkDown, d.addr)
		reason = TunDropNoSendFunc
	}
	if reason == 0 {
		size := p.Size()
		if d.OnTx != nil {
			d.OnTx(d, p)
		}
		if d.pcap != nil {
			d.pcap.WriteFrame(d.sim.Now(), pcap.AppendPacket(d.pcap.Buffer(), p))
		}
		if err = d.send(d, p, dst, etherType); err == nil {
			d.stats.TxPackets++
			d.stats.TxBytes += uint64(size)
			return nil
		}
		reason = TunDropSendFailed
	}
	d.stats.TxDrops++
	if d.OnDrop != nil {
		d.OnDrop(d, p, reason)
	}
	return err
}

// Receive takes a decapsulated packet (its IPv4 header outermost for
// EtherTypeIPv4) and passes it up to the device's interface in a
// zero-delay event, in the order Receive was called; the device owns p
// from the call. From a socket's receive callback, which only borrows its
// packet, pass p.Copy(). It returns an error only for a nil packet.
func (d *TunDevice) Receive(p *packet.Packet, etherType uint16) error {
	if p == nil {
		return errors.New("inet: tunnel Receive needs a packet")
	}
	d.rx.Push(tunRx{p: p, etherType: etherType})
	d.sim.ScheduleWith(0, d.rxFn, nil)
	return nil
}

// onReceive passes the oldest waiting packet up.
func (d *TunDevice) onReceive(any) {
	e := d.rx.Pop()
	if d.recv == nil {
		d.stats.RxDrops++
		if d.OnDrop != nil {
			d.OnDrop(d, e.p, TunDropNoReceiver)
		}
		e.p.Release()
		return
	}
	d.stats.RxPackets++
	d.stats.RxBytes += uint64(e.p.Size())
	if d.OnRx != nil {
		d.OnRx(d, e.p)
	}
	if d.pcap != nil {
		d.pcap.WriteFrame(d.sim.Now(), pcap.AppendPacket(d.pcap.Buffer(), e.p))
	}
	d.recv(d, e.p, e.etherType, d.addr, d.addr)
}
