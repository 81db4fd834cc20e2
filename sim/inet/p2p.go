package inet

import (
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/sim/pcap"
)

// PointToPointDeviceConfig configures a point-to-point device. The
// defaults are ns-3 3.37's PointToPointNetDevice and DropTailQueue
// attributes.
type PointToPointDeviceConfig struct {
	// DataRate is the transmission rate. ns-3: 32768 bit/s.
	DataRate DataRate
	// MTU is the largest L3 packet the device sends. ns-3: 1500.
	MTU int
	// QueueSize is the capacity, in packets, of the drop-tail transmit
	// queue; the packet being transmitted is not counted. ns-3: 100.
	QueueSize int
	// InterframeGap is the idle time after each frame. ns-3: 0.
	InterframeGap sim.Time
}

// DefaultPointToPointDeviceConfig returns ns-3 3.37's defaults.
func DefaultPointToPointDeviceConfig() PointToPointDeviceConfig {
	return PointToPointDeviceConfig{DataRate: 32768, MTU: 1500, QueueSize: 100}
}

// Validate reports whether the configuration is usable.
func (c PointToPointDeviceConfig) Validate() error {
	switch {
	case c.DataRate == 0:
		return fmt.Errorf("inet: point-to-point DataRate must be positive")
	case c.MTU < 1 || c.MTU > 65535:
		return fmt.Errorf("inet: point-to-point MTU %d is outside 1..65535", c.MTU)
	case c.QueueSize < 1:
		return fmt.Errorf("inet: point-to-point QueueSize %d must be at least 1", c.QueueSize)
	case c.InterframeGap < 0 || c.InterframeGap > maxDelay:
		return fmt.Errorf("inet: point-to-point InterframeGap %v is outside 0..%v", c.InterframeGap, maxDelay)
	}
	return nil
}

// PointToPointStats counts a point-to-point device's frames and bytes on
// the wire (PPP header included).
type PointToPointStats struct {
	TxPackets uint64 // frames whose transmission started
	TxBytes   uint64 // their bytes
	RxPackets uint64 // frames received
	RxBytes   uint64 // their bytes
	Drops     uint64 // frames refused because the queue was full
}

// PointToPointChannel is a full-duplex wire between two point-to-point
// devices with a fixed propagation delay (ns-3's PointToPointChannel).
type PointToPointChannel struct {
	sim   *sim.Simulator
	delay sim.Time
	devs  [2]*PointToPointDevice
	n     int
}

// NewPointToPointChannel returns a channel with the given propagation
// delay (ns-3 default: 0).
func NewPointToPointChannel(s *sim.Simulator, delay sim.Time) (*PointToPointChannel, error) {
	if s == nil {
		return nil, fmt.Errorf("inet: NewPointToPointChannel needs a simulator")
	}
	if delay < 0 || delay > maxDelay {
		return nil, fmt.Errorf("inet: point-to-point delay %v is outside 0..%v", delay, maxDelay)
	}
	return &PointToPointChannel{sim: s, delay: delay}, nil
}

// Delay returns the propagation delay.
func (c *PointToPointChannel) Delay() sim.Time { return c.delay }

// Device returns the i-th attached device (0 or 1), or nil.
func (c *PointToPointChannel) Device(i int) *PointToPointDevice {
	if i < 0 || i >= c.n {
		return nil
	}
	return c.devs[i]
}

var _ NetDevice = (*PointToPointDevice)(nil)

// PointToPointDevice is ns-3's PointToPointNetDevice: a drop-tail transmit
// queue in front of a transmitter that sends one frame at a time at
// DataRate, each frame carrying a 2-byte PPP header. A frame of n bytes
// (PPP header included) occupies the wire for n*8/DataRate and arrives at
// the peer one channel delay after its last bit. There is no ARP, and the
// device accepts only IPv4 and IPv6.
type PointToPointDevice struct {
	// OnTx, when set, is called as each frame (PPP header on) starts
	// transmission.
	OnTx func(dev *PointToPointDevice, p *packet.Packet)
	// OnRx, when set, is called for each frame (PPP header on) received,
	// before it is passed up.
	OnRx func(dev *PointToPointDevice, p *packet.Packet)
	// OnDrop, when set, is called for each packet refused because the
	// queue is full, before Send returns ErrQueueFull.
	OnDrop func(dev *PointToPointDevice, p *packet.Packet)

	sim     *sim.Simulator
	addr    packet.Mac48
	cfg     PointToPointDeviceConfig
	channel *PointToPointChannel
	peer    *PointToPointDevice

	queue []*packet.Packet // ring buffer of cfg.QueueSize
	head  int
	count int
	busy  bool

	recv  ReceiveCallback
	stats PointToPointStats
	pcap  *pcap.Writer

	pppIPv4, pppIPv6 PPPHeader
	txDoneFn, rxFn   func(any)
}

// NewPointToPointDevice returns a device with link-layer address addr,
// not yet attached to a channel.
func NewPointToPointDevice(s *sim.Simulator, addr packet.Mac48, cfg PointToPointDeviceConfig) (*PointToPointDevice, error) {
	if s == nil {
		return nil, fmt.Errorf("inet: NewPointToPointDevice needs a simulator")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	d := &PointToPointDevice{
		sim:     s,
		addr:    addr,
		cfg:     cfg,
		queue:   make([]*packet.Packet, cfg.QueueSize),
		pppIPv4: PPPHeader{Protocol: PPPProtoIPv4},
		pppIPv6: PPPHeader{Protocol: PPPProtoIPv6},
	}
	d.txDoneFn = d.onTransmitComplete
	d.rxFn = d.onReceive
	return d, nil
}

// Attach connects the device to ch. A channel takes two devices; the link
// is up once both are attached.
func (d *PointToPointDevice) Attach(ch *PointToPointChannel) error {
	if ch == nil {
		return fmt.Errorf("inet: Attach needs a channel")
	}
	if d.channel != nil {
		return fmt.Errorf("inet: device %v is already attached", d.addr)
	}
	if ch.n == 2 {
		return fmt.Errorf("inet: point-to-point channel already has two devices")
	}
	ch.devs[ch.n] = d
	ch.n++
	d.channel = ch
	if ch.n == 2 {
		ch.devs[0].peer, ch.devs[1].peer = ch.devs[1], ch.devs[0]
	}
	return nil
}

// Address returns the device's link-layer address.
func (d *PointToPointDevice) Address() packet.Mac48 { return d.addr }

// Broadcast returns ff:ff:ff:ff:ff:ff.
func (d *PointToPointDevice) Broadcast() packet.Mac48 { return packet.BroadcastMac48 }

// MTU returns the configured MTU.
func (d *PointToPointDevice) MTU() int { return d.cfg.MTU }

// NeedsARP returns false: a point-to-point link has one receiver.
func (d *PointToPointDevice) NeedsARP() bool { return false }

// Config returns the device's configuration.
func (d *PointToPointDevice) Config() PointToPointDeviceConfig { return d.cfg }

// Channel returns the attached channel, or nil.
func (d *PointToPointDevice) Channel() *PointToPointChannel { return d.channel }

// Stats returns the device's counters.
func (d *PointToPointDevice) Stats() PointToPointStats { return d.stats }

// QueueLen returns the number of packets waiting in the transmit queue
// (not counting the one being transmitted).
func (d *PointToPointDevice) QueueLen() int { return d.count }

// IsLinkUp reports whether both ends of the channel are attached.
func (d *PointToPointDevice) IsLinkUp() bool { return d.peer != nil }

// SetReceiveCallback sets the upper layer's receive function.
func (d *PointToPointDevice) SetReceiveCallback(cb ReceiveCallback) { d.recv = cb }

// Send puts the PPP header on p and starts transmitting it, or queues it
// behind the frame on the wire; dst is ignored (there is one receiver). It
// returns ErrLinkDown before both ends are attached, ErrUnsupportedProtocol
// for an EtherType other than IPv4 or IPv6, ErrMessageTooLarge for a packet
// larger than the MTU, and ErrQueueFull when the queue is full; p is then
// unchanged and still the caller's.
func (d *PointToPointDevice) Send(p *packet.Packet, _ packet.Mac48, etherType uint16) error {
	if d.peer == nil {
		return ErrLinkDown
	}
	var h *PPPHeader
	switch etherType {
	case EtherTypeIPv4:
		h = &d.pppIPv4
	case EtherTypeIPv6:
		h = &d.pppIPv6
	default:
		return fmt.Errorf("%w: EtherType 0x%04x on a point-to-point link", ErrUnsupportedProtocol, etherType)
	}
	if p.Size() > d.cfg.MTU {
		return fmt.Errorf("%w: %d bytes on a link with MTU %d", ErrMessageTooLarge, p.Size(), d.cfg.MTU)
	}
	if !d.busy {
		p.Push(h)
		d.transmitStart(p)
		return nil
	}
	if d.count == len(d.queue) {
		d.stats.Drops++
		if d.OnDrop != nil {
			d.OnDrop(d, p)
		}
		return ErrQueueFull
	}
	p.Push(h)
	d.queue[(d.head+d.count)%len(d.queue)] = p
	d.count++
	return nil
}

// transmitStart is ns-3's TransmitStart plus the channel's TransmitStart.
func (d *PointToPointDevice) transmitStart(p *packet.Packet) {
	d.busy = true
	size := p.Size()
	d.stats.TxPackets++
	d.stats.TxBytes += uint64(size)
	if d.OnTx != nil {
		d.OnTx(d, p)
	}
	if d.pcap != nil {
		d.pcap.WriteFrame(d.sim.Now(), pcap.AppendPacket(d.pcap.Buffer(), p))
	}
	txTime := d.cfg.DataRate.TxTime(size)
	d.sim.ScheduleWith(txTime+d.cfg.InterframeGap, d.txDoneFn, nil)
	d.sim.ScheduleWith(txTime+d.channel.delay, d.peer.rxFn, p)
}

func (d *PointToPointDevice) onTransmitComplete(any) {
	d.busy = false
	if d.count == 0 {
		return
	}
	p := d.queue[d.head]
	d.queue[d.head] = nil
	d.head = (d.head + 1) % len(d.queue)
	d.count--
	d.transmitStart(p)
}

func (d *PointToPointDevice) onReceive(arg any) {
	p := arg.(*packet.Packet)
	d.stats.RxPackets++
	d.stats.RxBytes += uint64(p.Size())
	if d.OnRx != nil {
		d.OnRx(d, p)
	}
	if d.pcap != nil {
		d.pcap.WriteFrame(d.sim.Now(), pcap.AppendPacket(d.pcap.Buffer(), p))
	}
	h, ok := p.Pop().(*PPPHeader)
	if !ok || d.recv == nil {
		p.Release()
		return
	}
	etherType := EtherTypeIPv4
	if h.Protocol == PPPProtoIPv6 {
		etherType = EtherTypeIPv6
	}
	d.recv(d, p, etherType, d.peer.addr, d.addr)
}
