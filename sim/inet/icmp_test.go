package inet_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// probeHeader is a 6-byte header of a made-up transport protocol.
type probeHeader struct{ Seq int }

func (h *probeHeader) Size() int      { return 6 }
func (h *probeHeader) String() string { return "probe" }

// probeL4 is a transport protocol registered on a node: it records what it
// gets and refuses odd sequence numbers.
type probeL4 struct {
	got []string
}

func (p *probeL4) Protocol() uint8 { return 253 } // RFC 3692 experimentation

func (p *probeL4) Receive(pkt *packet.Packet, h *inet.IPv4Header, in *inet.Interface) inet.DropReason {
	ph, ok := pkt.HeaderAt(1).(*probeHeader)
	if !ok {
		return inet.DropMalformed
	}
	if ph.Seq%2 == 1 {
		return inet.DropNoSocket
	}
	p.got = append(p.got, h.Src.String()+">"+h.Dst.String()+" "+in.String())
	pkt.Release()
	return 0
}

func TestProtocolRegistry(t *testing.T) {
	pp := newP2P(t, fastLink(), sim.Millisecond)
	assert.NotNil(t, pp.b.Protocol(inet.ProtoUDP))
	assert.Same(t, pp.b.ICMP(), pp.b.Protocol(inet.ProtoICMP))
	assert.Nil(t, pp.b.Protocol(inet.ProtoTCP))
	probe := &probeL4{}
	require.NoError(t, pp.b.RegisterProtocol(probe))
	assert.Same(t, probe, pp.b.Protocol(253))
	assert.Error(t, pp.b.RegisterProtocol(&probeL4{}), "number taken")
	assert.Error(t, pp.b.RegisterProtocol(nil))

	drops := logDrops(pp.b)
	dst := pp.link.Interfaces[1].Address()
	var wire []int
	pp.link.Devices[0].OnTx = func(_ *inet.PointToPointDevice, p *packet.Packet) { wire = append(wire, p.Size()) }
	at(t, pp.s, 0, func() {
		for seq := range 3 {
			p := pp.a.Pool().New(10)
			p.Push(&probeHeader{Seq: seq})
			require.NoError(t, pp.a.SendIPv4(p, inet.IPv4Any, dst, 253, 0))
		}
		// The node without the protocol drops it.
		p := pp.b.Pool().New(10)
		p.Push(&probeHeader{})
		require.NoError(t, pp.b.SendIPv4(p, inet.IPv4Any, pp.link.Interfaces[0].Address(), 253, 0))
	})
	pp.s.Run()
	assert.Equal(t, []string{"10.1.1.1>10.1.1.2 node 1 if 0 10.1.1.2/24", "10.1.1.1>10.1.1.2 node 1 if 0 10.1.1.2/24"}, probe.got)
	assert.Equal(t, []inet.DropReason{inet.DropNoSocket}, drops.reasons, "refused by the protocol, counted by the node")
	assert.Equal(t, []int{38, 38, 38}, wire, "10 + 6 + IPv4 20 + PPP 2")
	assert.Equal(t, uint64(2), pp.b.Stats().Delivered)
	assert.Equal(t, uint64(1), pp.a.Drops(inet.DropUnknownProtocol))

	// SendIPv4 errors leave the packet with the caller.
	p := pp.a.Pool().New(1500)
	assert.ErrorIs(t, pp.a.SendIPv4(p, inet.IPv4Any, dst, 253, 0), inet.ErrMessageTooLarge)
	assert.Equal(t, 1500, p.Size())
	assert.ErrorIs(t, pp.a.SendIPv4(p, inet.IPv4Any, ip(t, "9.9.9.9"), 253, 0), inet.ErrNoRoute)
	assert.ErrorIs(t, pp.a.SendIPv4(nil, inet.IPv4Any, dst, 253, 0), inet.ErrInvalidSize)
	assert.ErrorIs(t, pp.a.SendIPv4(pp.a.Pool().New(65516), inet.IPv4Any, dst, 253, 0), inet.ErrMessageTooLarge)
}

// pingLink is ns-3's first ping example in miniature: two nodes on a
// 1 Mb/s point-to-point link with 5 ms of delay.
func pingLink(t *testing.T) *p2pPair {
	t.Helper()
	cfg := inet.DefaultPointToPointDeviceConfig()
	cfg.DataRate = inet.Mbps
	return newP2P(t, cfg, 5*sim.Millisecond)
}

// The RTT of a ping over one link follows from the bytes: 56 data bytes +
// ICMP 8 + IPv4 20 + PPP 2 = 86 bytes take 688 µs at 1 Mb/s; there and
// back with 5 ms of delay each way is 2 * 5.688 ms = 11.376 ms.
func TestPingRTTOverPointToPoint(t *testing.T) {
	pp := pingLink(t)
	cfg := inet.DefaultPingConfig()
	cfg.Destination = pp.link.Interfaces[1].Address()
	cfg.Count = 3
	ping, err := inet.NewPing(pp.a, cfg)
	require.NoError(t, err)
	var txSizes []int
	var seqs []int
	ping.OnTx = func(seq int, p *packet.Packet) {
		seqs = append(seqs, seq)
		txSizes = append(txSizes, p.Size())
	}
	var report []inet.PingReport
	ping.OnReport = func(r inet.PingReport) { report = append(report, r) }
	require.NoError(t, ping.Start(sim.Second))
	pp.s.Run()

	const rtt = 11376 * sim.Microsecond
	replies := ping.Replies()
	require.Len(t, replies, 3)
	for i, r := range replies {
		assert.Equal(t, inet.PingReply{Seq: i, From: cfg.Destination, At: sim.Time(i+1)*sim.Second + rtt,
			RTT: rtt, TTL: 64, Bytes: 64}, r)
	}
	assert.Equal(t, []int{0, 1, 2}, seqs)
	assert.Equal(t, []int{64, 64, 64}, txSizes, "ICMP message: 56 + 8")
	require.Len(t, report, 1, "OnReport once")
	assert.Equal(t, inet.PingReport{Transmitted: 3, Received: 3, Duration: 2*sim.Second + rtt,
		RTTMin: rtt, RTTAvg: rtt, RTTMax: rtt}, report[0])
	assert.Equal(t, report[0], ping.Report())
	assert.False(t, ping.Running())
	assert.Equal(t, inet.PointToPointStats{TxPackets: 3, TxBytes: 3 * 86, RxPackets: 3, RxBytes: 3 * 86},
		pp.link.Devices[0].Stats())
	assert.Equal(t, inet.PointToPointStats{TxPackets: 3, TxBytes: 3 * 86, RxPackets: 3, RxBytes: 3 * 86},
		pp.link.Devices[1].Stats())
	assert.Equal(t, inet.ICMPv4Stats{EchoRequestsTx: 3, EchoRepliesRx: 3}, pp.a.ICMP().Stats())
	assert.Equal(t, inet.ICMPv4Stats{EchoRequestsRx: 3, EchoRepliesTx: 3}, pp.b.ICMP().Stats())
	assert.Equal(t, uint16(0xbeef), ping.Identifier())
	assert.Equal(t, int(pp.net.Pool().Allocated()), pp.net.Pool().Idle(), "every packet returned")
}

// Over a router the reply comes back with TTL 63, and RTTs vary with the
// request size only through the byte counts.
func TestPingThroughRouter(t *testing.T) {
	l := newLine(t, 64, 1500)
	cfg := inet.DefaultPingConfig()
	cfg.Destination = l.rb.Interfaces[1].Address()
	cfg.Size = 1000
	cfg.Count = 2
	cfg.Interval = 100 * sim.Millisecond
	ping, err := inet.NewPing(l.a, cfg)
	require.NoError(t, err)
	require.NoError(t, ping.Start(0))
	l.s.Run()
	// 1000 + 8 + 20 + 2 = 1030 bytes: 82.4 µs per hop at 100 Mb/s, plus
	// 1 ms per hop, four hops.
	const rtt = 4 * (82400 + sim.Millisecond)
	r := ping.Report()
	assert.Equal(t, 2, r.Received)
	assert.Equal(t, rtt, r.RTTMax)
	assert.Equal(t, rtt, r.RTTMin)
	assert.Equal(t, uint8(63), ping.Replies()[1].TTL)
	assert.Equal(t, 1008, ping.Replies()[1].Bytes)
	assert.Equal(t, uint64(4), l.r.Stats().Forwarded)
}

// Losses: a host that does not answer (no route back) gives 100 % loss and
// the ping stops Timeout after its last request; a destination without a
// route counts send errors.
func TestPingLossAndErrors(t *testing.T) {
	l := newLine(t, 64, 1500)
	// B's default route points back through the router; without it B
	// cannot answer.
	require.True(t, l.b.RemoveRoute(inet.Route{Gateway: l.rb.Interfaces[0].Address(), Interface: l.rb.Interfaces[1]}))
	cfg := inet.DefaultPingConfig()
	cfg.Destination = l.rb.Interfaces[1].Address()
	cfg.Count = 4
	ping, err := inet.NewPing(l.a, cfg)
	require.NoError(t, err)
	require.NoError(t, ping.Start(0))
	l.s.Run()
	assert.Equal(t, inet.PingReport{Transmitted: 4, Loss: 100, Duration: 3*sim.Second + cfg.Timeout}, ping.Report())
	assert.Equal(t, uint64(4), l.b.Drops(inet.DropNoRoute), "the replies had no route")

	noRoute := inet.DefaultPingConfig()
	noRoute.Destination = ip(t, "10.9.9.9")
	noRoute.Count = 2
	// The router has no default route.
	p2, err := inet.NewPing(l.r, noRoute)
	require.NoError(t, err)
	require.NoError(t, p2.Start(l.s.Now()))
	l.s.Run()
	assert.Equal(t, inet.PingReport{Transmitted: 2, SendErrors: 2, Loss: 100, Duration: sim.Second + noRoute.Timeout}, p2.Report())
}

// A ping to oneself is looped back in zero time; Stop ends an unlimited
// ping.
func TestPingSelfAndStop(t *testing.T) {
	pp := pingLink(t)
	cfg := inet.DefaultPingConfig()
	cfg.Destination = pp.link.Interfaces[0].Address()
	ping, err := inet.NewPing(pp.a, cfg)
	require.NoError(t, err)
	require.NoError(t, ping.Start(0))
	require.NoError(t, ping.Stop(2500*sim.Millisecond))
	pp.s.Run()
	r := ping.Report()
	assert.Equal(t, inet.PingReport{Transmitted: 3, Received: 3, Duration: 2500 * sim.Millisecond}, r)
	assert.Zero(t, pp.link.Devices[0].Stats().TxPackets, "nothing on the wire")
}

// A ping to a broadcast address counts the second answer to each request
// as a duplicate; the RTT statistics cover every answer.
func TestPingBroadcastDuplicates(t *testing.T) {
	bn := newBusNet(t, 3, noJitterARP())
	cfg := inet.DefaultPingConfig()
	cfg.Destination = ip(t, "10.0.0.255")
	cfg.Count = 2
	ping, err := inet.NewPing(bn.nodes[0], cfg)
	require.NoError(t, err)
	require.NoError(t, ping.Start(0))
	bn.s.Run()
	r := ping.Report()
	assert.Equal(t, 2, r.Transmitted)
	assert.Equal(t, 2, r.Received)
	assert.Equal(t, 2, r.Duplicates)
	// The first request's answers wait for ARP (0 jitter: request and
	// reply take 2 bus delays); the second's find the cache warm: 200 µs.
	assert.Equal(t, 200*sim.Microsecond, r.RTTMin)
	assert.Equal(t, 400*sim.Microsecond, r.RTTMax)
	var from []string
	for _, rep := range ping.Replies() {
		from = append(from, rep.From.String())
	}
	assert.ElementsMatch(t, []string{"10.0.0.2", "10.0.0.3", "10.0.0.2", "10.0.0.3"}, from)
	// Duration: the linger after the last request is twice the largest RTT.
	assert.Equal(t, sim.Second+2*r.RTTMax, r.Duration)
	// Mean 300 µs; sample deviation of (400, 400, 200, 200) µs.
	assert.Equal(t, 300*sim.Microsecond, r.RTTAvg)
	assert.Equal(t, sim.Time(115470), r.RTTMdev)
}

func TestPingConfigErrors(t *testing.T) {
	c := inet.DefaultPingConfig()
	assert.Equal(t, sim.Second, c.Interval)
	assert.Equal(t, 56, c.Size)
	assert.Equal(t, 0, c.Count)
	assert.Equal(t, sim.Second, c.Timeout)
	assert.Error(t, c.Validate(), "no destination")
	bad := map[string]func(*inet.PingConfig){
		"zero interval":  func(c *inet.PingConfig) { c.Interval = 0 },
		"size below 16":  func(c *inet.PingConfig) { c.Size = 15 },
		"size too large": func(c *inet.PingConfig) { c.Size = 65508 },
		"negative count": func(c *inet.PingConfig) { c.Count = -1 },
		"negative wait":  func(c *inet.PingConfig) { c.Timeout = -1 },
		"huge interval":  func(c *inet.PingConfig) { c.Interval = sim.MaxTime },
	}
	for name, mutate := range bad {
		c := inet.DefaultPingConfig()
		c.Destination = 1
		mutate(&c)
		assert.Error(t, c.Validate(), name)
	}
	c.Destination = 1
	c.Size = 65507
	assert.NoError(t, c.Validate(), "largest size")

	pp := pingLink(t)
	_, err := inet.NewPing(nil, c)
	assert.Error(t, err)
	c.Source = ip(t, "10.9.9.9")
	_, err = inet.NewPing(pp.a, c)
	assert.ErrorIs(t, err, inet.ErrAddressNotAvailable)
	c.Source = 0
	c.Size = 1
	_, err = inet.NewPing(pp.a, c)
	assert.Error(t, err)
	c.Size = 56
	ping, err := inet.NewPing(pp.a, c)
	require.NoError(t, err)
	require.NoError(t, ping.Start(sim.Second))
	assert.Error(t, ping.Start(2*sim.Second), "twice")
	pp.s.RunUntil(3 * sim.Second)
	assert.Error(t, ping.Stop(sim.Second), "in the past")
	p2, err := inet.NewPing(pp.a, c)
	require.NoError(t, err)
	assert.Error(t, p2.Start(0), "in the past")
	// Stopped before it starts: it never sends.
	require.NoError(t, p2.Start(5*sim.Second))
	require.NoError(t, p2.Stop(4*sim.Second))
	pp.s.RunUntil(10 * sim.Second)
	assert.Equal(t, inet.PingReport{}, p2.Report())
}

// A request to the limited broadcast is answered from the address on the
// requester's subnet; a request of a given size gets a reply of that size.
func TestEchoRequestAnswers(t *testing.T) {
	bn := newBusNet(t, 2, noJitterARP())
	require.NoError(t, bn.ifs[1].AddAddress(inet.InterfaceAddress{Local: ip(t, "172.16.0.2"), Mask: 0xffff0000}))
	var replies []string
	bn.nodes[0].OnRx = func(p *packet.Packet, _ *inet.Interface) {
		h := p.Peek().(*inet.IPv4Header)
		replies = append(replies, h.Src.String()+">"+h.Dst.String())
	}
	at(t, bn.s, 0, func() {
		require.NoError(t, bn.nodes[0].ICMP().SendEchoRequest(0, inet.IPv4Broadcast, 7, 1, 100, 0))
	})
	bn.s.Run()
	assert.Equal(t, []string{"10.0.0.2>10.0.0.1"}, replies)
	assert.Equal(t, uint64(1), bn.nodes[0].ICMP().Stats().EchoRepliesRx, "no ping listens: counted, ignored")
	assert.ErrorIs(t, bn.nodes[0].ICMP().SendEchoRequest(0, ip(t, "10.0.0.2"), 7, 1, -1, 0), inet.ErrInvalidSize)
	assert.ErrorIs(t, bn.nodes[0].ICMP().SendEchoRequest(0, ip(t, "10.0.0.2"), 7, 1, 1500, 0), inet.ErrMessageTooLarge)
}

// A ping that cannot get an echo identifier (all 65536 in use on its node)
// sends nothing and says why in its report.
func TestPingWithoutIdentifierReportsWhy(t *testing.T) {
	l := newLine(t, 64, 1500)
	cfg := inet.DefaultPingConfig()
	cfg.Destination = l.rb.Interfaces[1].Address()
	cfg.Count = 1
	cfg.Interval = sim.Second
	for range 1 << 16 {
		p, err := inet.NewPing(l.a, cfg)
		require.NoError(t, err)
		require.NoError(t, p.Start(0))
	}
	last, err := inet.NewPing(l.a, cfg)
	require.NoError(t, err)
	var reported []inet.PingReport
	last.OnReport = func(r inet.PingReport) { reported = append(reported, r) }
	require.NoError(t, last.Start(0))
	l.s.RunUntil(sim.Millisecond)
	require.Len(t, reported, 1)
	require.ErrorContains(t, reported[0].Err, "every ICMP echo identifier is in use")
	require.Zero(t, reported[0].Transmitted)
	require.ErrorContains(t, last.Report().Err, "in use")
	require.False(t, last.Running())
}
