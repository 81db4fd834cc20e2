package inet_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// bus is a shared broadcast medium for tests: every frame reaches, after a
// fixed delay, each other device it is addressed to (or all of them for the
// broadcast address). Its devices need ARP, like an Ethernet or Wi-Fi
// device.
type bus struct {
	s      *sim.Simulator
	delay  sim.Time
	devs   []*busDevice
	frames []frame
}

// frame records one frame sent on the bus.
type frame struct {
	At        sim.Time
	Src, Dst  packet.Mac48
	EtherType uint16
	Size      int
	ARP       *inet.ARPHeader // non-nil for ARP frames
}

type busDevice struct {
	bus  *bus
	addr packet.Mac48
	recv inet.ReceiveCallback
}

func newBus(s *sim.Simulator, delay sim.Time) *bus { return &bus{s: s, delay: delay} }

func (b *bus) newDevice(addr packet.Mac48) *busDevice {
	d := &busDevice{bus: b, addr: addr}
	b.devs = append(b.devs, d)
	return d
}

// arpFrames returns the ARP frames sent so far.
func (b *bus) arpFrames() []frame {
	var out []frame
	for _, f := range b.frames {
		if f.ARP != nil {
			out = append(out, f)
		}
	}
	return out
}

func (d *busDevice) Address() packet.Mac48                      { return d.addr }
func (d *busDevice) Broadcast() packet.Mac48                    { return packet.BroadcastMac48 }
func (d *busDevice) MTU() int                                   { return 1500 }
func (d *busDevice) NeedsARP() bool                             { return true }
func (d *busDevice) SetReceiveCallback(cb inet.ReceiveCallback) { d.recv = cb }

func (d *busDevice) Send(p *packet.Packet, dst packet.Mac48, etherType uint16) error {
	b := d.bus
	f := frame{At: b.s.Now(), Src: d.addr, Dst: dst, EtherType: etherType, Size: p.Size()}
	if h, ok := p.Peek().(*inet.ARPHeader); ok {
		c := *h
		f.ARP = &c
	}
	b.frames = append(b.frames, f)
	for _, o := range b.devs {
		if o == d || o.recv == nil || !(dst.IsBroadcast() || dst == o.addr) {
			continue
		}
		q := p.Copy()
		o := o
		src := d.addr
		b.s.Schedule(b.delay, func() { o.recv(o, q, etherType, src, dst) })
	}
	p.Release()
	return nil
}

// busNet is a network of nodes on one bus, 10.0.0.1/24, 10.0.0.2/24, ...
type busNet struct {
	s     *sim.Simulator
	net   *inet.Network
	bus   *bus
	nodes []*inet.Node
	ifs   []*inet.Interface
}

// newBusNet builds n nodes on a bus with the given ARP configuration and a
// 100 µs bus delay.
func newBusNet(t *testing.T, n int, arp inet.ARPConfig) *busNet {
	t.Helper()
	s := sim.New(1, 1)
	bn := &busNet{s: s, net: inet.NewNetwork(s), bus: newBus(s, 100*sim.Microsecond)}
	cfg := inet.DefaultNodeConfig()
	cfg.ARP = arp
	for i := range n {
		node, err := bn.net.NewNodeWithConfig(cfg)
		require.NoError(t, err)
		dev := bn.bus.newDevice(bn.net.MACs().Allocate())
		ifc, err := node.AddInterface(dev, inet.IPv4AddrFrom4(10, 0, 0, byte(i+1)), 0xffffff00)
		require.NoError(t, err)
		bn.nodes = append(bn.nodes, node)
		bn.ifs = append(bn.ifs, ifc)
	}
	return bn
}

// noJitterARP is ns-3's ARP configuration without request jitter, so that
// request times are exact.
func noJitterARP() inet.ARPConfig {
	c := inet.DefaultARPConfig()
	c.RequestJitter = 0
	return c
}

// arrival records a datagram delivered to a socket.
type arrival struct {
	At       sim.Time
	Size     int
	From     inet.IPv4Addr
	FromPort uint16
	Payload  string
	To       inet.IPv4Addr // destination address of the datagram
	Iface    int           // index of the incoming interface
}

// sink binds a socket on node n to port and records what it receives.
func sink(t *testing.T, n *inet.Node, port uint16) (*inet.UDPSocket, *[]arrival) {
	t.Helper()
	var got []arrival
	sock := n.NewUDPSocket()
	require.NoError(t, sock.Bind(port))
	sock.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
		got = append(got, arrival{At: n.Sim().Now(), Size: p.Size(), From: info.From, FromPort: info.FromPort,
			Payload: string(p.Payload()), To: info.To, Iface: info.Interface.Index()})
	})
	return sock, &got
}

// dropLog records a node's drops.
type dropLog struct {
	reasons []inet.DropReason
	times   []sim.Time
}

func logDrops(n *inet.Node) *dropLog {
	l := &dropLog{}
	n.OnDrop = func(_ *packet.Packet, r inet.DropReason, _ *inet.Interface) {
		l.reasons = append(l.reasons, r)
		l.times = append(l.times, n.Sim().Now())
	}
	return l
}

// at schedules fn at absolute time t, failing the test on error.
func at(t *testing.T, s *sim.Simulator, when sim.Time, fn func()) {
	t.Helper()
	_, err := s.ScheduleAt(when, fn)
	require.NoError(t, err)
}

// mustSend returns a function that sends size bytes and fails the test on
// error.
func mustSend(t *testing.T, sock *inet.UDPSocket, size int) func() {
	return func() { require.NoError(t, sock.Send(size)) }
}
