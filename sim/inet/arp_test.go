package inet_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

func ip(t testing.TB, s string) inet.IPv4Addr {
	t.Helper()
	a, err := inet.ParseIPv4(s)
	require.NoError(t, err)
	return a
}

func TestARPDefaultsAreNS3(t *testing.T) {
	c := inet.DefaultARPConfig()
	assert.Equal(t, 120*sim.Second, c.AliveTimeout)
	assert.Equal(t, 100*sim.Second, c.DeadTimeout)
	assert.Equal(t, sim.Second, c.WaitReplyTimeout)
	assert.Equal(t, 3, c.MaxRetries)
	assert.Equal(t, 3, c.PendingQueueSize)
	assert.Equal(t, 10*sim.Millisecond, c.RequestJitter)
	require.NoError(t, c.Validate())

	bad := []func(*inet.ARPConfig){
		func(c *inet.ARPConfig) { c.AliveTimeout = -1 },
		func(c *inet.ARPConfig) { c.DeadTimeout = -1 },
		func(c *inet.ARPConfig) { c.WaitReplyTimeout = 0 },
		func(c *inet.ARPConfig) { c.MaxRetries = -1 },
		func(c *inet.ARPConfig) { c.PendingQueueSize = -1 },
		func(c *inet.ARPConfig) { c.RequestJitter = -1 },
		func(c *inet.ARPConfig) { c.WaitReplyTimeout = sim.MaxTime },
		func(c *inet.ARPConfig) { c.RequestJitter = sim.MaxTime },
	}
	for i, mutate := range bad {
		c := inet.DefaultARPConfig()
		mutate(&c)
		assert.Error(t, c.Validate(), "case %d", i)
		nc := inet.DefaultNodeConfig()
		nc.ARP = c
		_, err := inet.NewNode(sim.New(1, 1), 0, nc)
		assert.Error(t, err, "NewNode case %d", i)
	}
}

// The first datagram to a neighbour: a broadcast request, a unicast reply,
// then the queued datagram; each hop on the bus takes 100 µs.
func TestARPResolution(t *testing.T) {
	bn := newBusNet(t, 2, noJitterARP())
	a, b := bn.nodes[0], bn.nodes[1]
	_, got := sink(t, b, 9)
	client := a.NewUDPSocket()
	require.NoError(t, client.Connect(bn.ifs[1].Address(), 9))
	at(t, bn.s, sim.Second, mustSend(t, client, 100))
	bn.s.Run()

	macA, macB := bn.ifs[0].Device().Address(), bn.ifs[1].Device().Address()
	require.Len(t, bn.bus.frames, 3)
	req, rep, data := bn.bus.frames[0], bn.bus.frames[1], bn.bus.frames[2]

	assert.Equal(t, sim.Second, req.At)
	assert.Equal(t, inet.EtherTypeARP, req.EtherType)
	assert.Equal(t, packet.BroadcastMac48, req.Dst)
	assert.Equal(t, 28, req.Size)
	assert.Equal(t, inet.ARPHeader{Op: inet.ARPRequest, SrcMAC: macA, SrcIP: ip(t, "10.0.0.1"),
		DstMAC: packet.BroadcastMac48, DstIP: ip(t, "10.0.0.2")}, *req.ARP)

	assert.Equal(t, sim.Second+100*sim.Microsecond, rep.At)
	assert.Equal(t, macA, rep.Dst, "reply is unicast")
	assert.Equal(t, inet.ARPHeader{Op: inet.ARPReply, SrcMAC: macB, SrcIP: ip(t, "10.0.0.2"),
		DstMAC: macA, DstIP: ip(t, "10.0.0.1")}, *rep.ARP)

	assert.Equal(t, sim.Second+200*sim.Microsecond, data.At)
	assert.Equal(t, inet.EtherTypeIPv4, data.EtherType)
	assert.Equal(t, macB, data.Dst)
	assert.Equal(t, 128, data.Size)

	require.Len(t, *got, 1)
	assert.Equal(t, sim.Second+300*sim.Microsecond, (*got)[0].At)

	n, ok := bn.ifs[0].Neighbor(ip(t, "10.0.0.2"))
	require.True(t, ok)
	assert.Equal(t, inet.Neighbor{IP: ip(t, "10.0.0.2"), MAC: macB, State: inet.NeighborAlive,
		LastSeen: sim.Second + 200*sim.Microsecond}, n)
	// As ns-3 (bug 107), answering a request does not teach B about A.
	assert.Empty(t, bn.ifs[1].Neighbors())
	assert.Equal(t, uint64(1), a.Stats().ARPRequests)
	assert.Equal(t, uint64(1), b.Stats().ARPReplies)

	// The next datagram goes straight out.
	at(t, bn.s, 2*sim.Second, mustSend(t, client, 100))
	bn.s.Run()
	assert.Len(t, bn.bus.frames, 4)
	assert.Len(t, *got, 2)
}

// While a resolution is pending, PendingQueueSize packets wait; the packet
// that starts the resolution is always queued.
func TestARPPendingQueueLimit(t *testing.T) {
	tests := []struct {
		queue     int
		delivered int
		dropped   uint64
	}{
		{queue: 3, delivered: 3, dropped: 1}, // ns-3 default: the 4th packet is dropped
		{queue: 1, delivered: 1, dropped: 3},
		{queue: 0, delivered: 1, dropped: 3},
		{queue: 5, delivered: 4, dropped: 0},
	}
	for _, tt := range tests {
		cfg := noJitterARP()
		cfg.PendingQueueSize = tt.queue
		bn := newBusNet(t, 2, cfg)
		_, got := sink(t, bn.nodes[1], 9)
		drops := logDrops(bn.nodes[0])
		client := bn.nodes[0].NewUDPSocket()
		require.NoError(t, client.Connect(bn.ifs[1].Address(), 9))
		at(t, bn.s, 0, func() {
			for range 4 {
				require.NoError(t, client.Send(100))
			}
		})
		bn.s.Run()
		assert.Len(t, *got, tt.delivered, "queue %d", tt.queue)
		assert.Equal(t, tt.dropped, bn.nodes[0].Drops(inet.DropARPQueueFull), "queue %d", tt.queue)
		for i, r := range drops.reasons {
			assert.Equal(t, inet.DropARPQueueFull, r)
			assert.Equal(t, sim.Time(0), drops.times[i])
		}
	}
}

// With no one answering, ns-3 sends the request, retransmits it MaxRetries
// times one WaitReplyTimeout apart, then at the next timeout drops the
// pending packets and marks the entry dead for DeadTimeout.
func TestARPRetriesThenDead(t *testing.T) {
	tests := []struct{ maxRetries int }{{3}, {0}, {1}}
	for _, tt := range tests {
		cfg := noJitterARP()
		cfg.MaxRetries = tt.maxRetries
		bn := newBusNet(t, 1, cfg)
		a := bn.nodes[0]
		drops := logDrops(a)
		ghost := ip(t, "10.0.0.9")
		sock := a.NewUDPSocket()
		require.NoError(t, sock.Connect(ghost, 9))
		at(t, bn.s, 0, func() {
			require.NoError(t, sock.Send(10))
			require.NoError(t, sock.Send(10))
		})
		bn.s.Run()

		reqs := bn.bus.arpFrames()
		require.Len(t, reqs, 1+tt.maxRetries, "MaxRetries %d: 1 request + MaxRetries retransmissions", tt.maxRetries)
		for i, f := range reqs {
			assert.Equal(t, sim.Time(i)*sim.Second, f.At)
			assert.Equal(t, ghost, f.ARP.DstIP)
		}
		deadAt := sim.Time(1+tt.maxRetries) * sim.Second
		assert.Equal(t, []inet.DropReason{inet.DropARPRetriesExhausted, inet.DropARPRetriesExhausted}, drops.reasons)
		assert.Equal(t, []sim.Time{deadAt, deadAt}, drops.times)
		n, ok := bn.ifs[0].Neighbor(ghost)
		require.True(t, ok)
		assert.Equal(t, inet.NeighborDead, n.State)
		assert.Equal(t, deadAt, n.LastSeen)

		// Dead for DeadTimeout (strictly longer than 100 s): dropped without
		// a request.
		drops.reasons = nil
		at(t, bn.s, deadAt+50*sim.Second, mustSend(t, sock, 10))
		at(t, bn.s, deadAt+100*sim.Second, mustSend(t, sock, 10))
		bn.s.RunUntil(deadAt + 100*sim.Second + 1)
		assert.Equal(t, []inet.DropReason{inet.DropARPDeadEntry, inet.DropARPDeadEntry}, drops.reasons)
		assert.Len(t, bn.bus.arpFrames(), 1+tt.maxRetries)

		// Then the entry expires and a new resolution starts.
		retry := deadAt + 100*sim.Second + sim.Millisecond
		at(t, bn.s, retry, mustSend(t, sock, 10))
		bn.s.RunUntil(retry + 1)
		reqs = bn.bus.arpFrames()
		require.Len(t, reqs, 2+tt.maxRetries)
		assert.Equal(t, retry, reqs[len(reqs)-1].At)
	}
}

// ns-3 has one retransmission timer per cache: an entry that starts waiting
// while the timer runs retransmits at the timer's next expiry, not a full
// WaitReplyTimeout after its own request.
func TestARPSharedWaitReplyTimer(t *testing.T) {
	bn := newBusNet(t, 1, noJitterARP())
	a := bn.nodes[0]
	sock := a.NewUDPSocket()
	require.NoError(t, sock.Bind(0))
	g1, g2 := ip(t, "10.0.0.9"), ip(t, "10.0.0.8")
	at(t, bn.s, 0, func() { require.NoError(t, sock.SendTo(10, g1, 9)) })
	at(t, bn.s, 500*sim.Millisecond, func() { require.NoError(t, sock.SendTo(10, g2, 9)) })
	bn.s.Run()

	type req struct {
		at sim.Time
		ip inet.IPv4Addr
	}
	var got []req
	for _, f := range bn.bus.arpFrames() {
		got = append(got, req{f.At, f.ARP.DstIP})
	}
	ms := sim.Millisecond
	// At each expiry entries are visited in address order (10.0.0.8 first).
	assert.Equal(t, []req{
		{0, g1}, {500 * ms, g2},
		{1000 * ms, g2}, {1000 * ms, g1},
		{2000 * ms, g2}, {2000 * ms, g1},
		{3000 * ms, g2}, {3000 * ms, g1},
	}, got)
	assert.Equal(t, uint64(2), a.Drops(inet.DropARPRetriesExhausted))
}

// An entry expires AliveTimeout after it was last confirmed; a packet sent
// after that is queued behind a new request. IPv4 packets received from
// the neighbour keep the entry fresh.
func TestARPAliveTimeout(t *testing.T) {
	tests := []struct {
		name         string
		peerSendsAt  sim.Time // 0: the peer never sends
		wantRequests int      // from node A
	}{
		{"expires", 0, 2},
		{"refreshed by traffic from the neighbour", 110 * sim.Second, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bn := newBusNet(t, 2, noJitterARP())
			a, b := bn.nodes[0], bn.nodes[1]
			_, gotB := sink(t, b, 9)
			_, _ = sink(t, a, 9)
			toB := a.NewUDPSocket()
			require.NoError(t, toB.Connect(bn.ifs[1].Address(), 9))
			toA := b.NewUDPSocket()
			require.NoError(t, toA.Connect(bn.ifs[0].Address(), 9))

			at(t, bn.s, 0, mustSend(t, toB, 10))
			at(t, bn.s, 100*sim.Second, mustSend(t, toB, 10)) // within 120 s: no request
			if tt.peerSendsAt > 0 {
				at(t, bn.s, tt.peerSendsAt, mustSend(t, toA, 10))
			}
			at(t, bn.s, 121*sim.Second, mustSend(t, toB, 10))
			bn.s.Run()

			var fromA []sim.Time
			for _, f := range bn.bus.arpFrames() {
				if f.ARP.Op == inet.ARPRequest && f.Src == bn.ifs[0].Device().Address() {
					fromA = append(fromA, f.At)
				}
			}
			assert.Len(t, fromA, tt.wantRequests)
			if tt.wantRequests == 2 {
				assert.Equal(t, 121*sim.Second, fromA[1])
			}
			require.Len(t, *gotB, 3, "all three datagrams delivered")
			assert.Equal(t, 121*sim.Second+sim.Time(2*tt.wantRequests-1)*100*sim.Microsecond, (*gotB)[2].At)
		})
	}
}

func TestARPStaticNeighborSkipsResolution(t *testing.T) {
	bn := newBusNet(t, 2, noJitterARP())
	a := bn.nodes[0]
	_, got := sink(t, bn.nodes[1], 9)
	require.NoError(t, a.AddStaticNeighbor(bn.ifs[0], bn.ifs[1].Address(), bn.ifs[1].Device().Address()))
	sock := a.NewUDPSocket()
	require.NoError(t, sock.Connect(bn.ifs[1].Address(), 9))
	at(t, bn.s, 0, mustSend(t, sock, 10))
	// Long after AliveTimeout a permanent entry is still used.
	at(t, bn.s, 1000*sim.Second, mustSend(t, sock, 10))
	bn.s.Run()
	assert.Empty(t, bn.bus.arpFrames())
	require.Len(t, *got, 2)
	assert.Equal(t, 100*sim.Microsecond, (*got)[0].At)
	n, ok := bn.ifs[0].Neighbor(bn.ifs[1].Address())
	require.True(t, ok)
	assert.Equal(t, inet.NeighborPermanent, n.State)

	// Errors: another node's interface, an interface without ARP.
	assert.Error(t, a.AddStaticNeighbor(bn.ifs[1], 1, packet.Mac48{}))
	pp := newP2P(t, fastLink(), 0)
	assert.Error(t, pp.a.AddStaticNeighbor(pp.link.Interfaces[0], 1, packet.Mac48{}))
	_, ok = pp.link.Interfaces[0].Neighbor(1)
	assert.False(t, ok)
	assert.Nil(t, pp.link.Interfaces[0].Neighbors())
}

// A static entry added while packets wait for a resolution releases them.
func TestARPStaticNeighborFlushesPending(t *testing.T) {
	bn := newBusNet(t, 1, noJitterARP())
	a := bn.nodes[0]
	ghost := ip(t, "10.0.0.9")
	rogue := bn.bus.newDevice(packet.Mac48FromUint(99))
	var seen int
	rogue.SetReceiveCallback(func(_ inet.NetDevice, p *packet.Packet, et uint16, _, _ packet.Mac48) {
		if et == inet.EtherTypeIPv4 {
			seen++
		}
		p.Release()
	})
	sock := a.NewUDPSocket()
	require.NoError(t, sock.Connect(ghost, 9))
	at(t, bn.s, 0, mustSend(t, sock, 10))
	at(t, bn.s, 10*sim.Millisecond, func() {
		require.NoError(t, a.AddStaticNeighbor(bn.ifs[0], ghost, rogue.Address()))
	})
	bn.s.Run()
	assert.Equal(t, 1, seen)
	assert.Zero(t, a.Drops(inet.DropARPRetriesExhausted))
}

// A reply nobody asked for is dropped (ns-3 guards against cache
// poisoning); a request for another address is ignored.
func TestARPUnexpectedReplyAndForeignRequest(t *testing.T) {
	bn := newBusNet(t, 1, noJitterARP())
	a := bn.nodes[0]
	drops := logDrops(a)
	rogue := bn.bus.newDevice(packet.Mac48FromUint(99))
	me := bn.ifs[0]
	at(t, bn.s, 0, func() {
		p := bn.net.Pool().New(0)
		p.Push(&inet.ARPHeader{Op: inet.ARPReply, SrcMAC: rogue.Address(), SrcIP: ip(t, "10.0.0.66"),
			DstMAC: me.Device().Address(), DstIP: me.Address()})
		require.NoError(t, rogue.Send(p, me.Device().Address(), inet.EtherTypeARP))
		q := bn.net.Pool().New(0)
		q.Push(&inet.ARPHeader{Op: inet.ARPRequest, SrcMAC: rogue.Address(), SrcIP: ip(t, "10.0.0.66"),
			DstMAC: packet.BroadcastMac48, DstIP: ip(t, "10.0.0.77")})
		require.NoError(t, rogue.Send(q, packet.BroadcastMac48, inet.EtherTypeARP))
	})
	bn.s.Run()
	assert.Equal(t, []inet.DropReason{inet.DropARPUnexpectedReply}, drops.reasons)
	assert.Empty(t, me.Neighbors())
	assert.Zero(t, a.Stats().ARPReplies)
}

// ns-3 delays each first request by Uniform[0,10] ms converted with
// MilliSeconds(), which truncates to whole milliseconds; retransmissions are
// not jittered. The draws come from the node's named stream, so they repeat
// with the seed.
func TestARPRequestJitter(t *testing.T) {
	run := func(seed uint64) []sim.Time {
		s := sim.New(seed, 1)
		w := inet.NewNetwork(s)
		b := newBus(s, 0)
		n, err := w.NewNode()
		require.NoError(t, err)
		ifc, err := n.AddInterface(b.newDevice(w.MACs().Allocate()), ip(t, "10.0.0.1"), 0xffffff00)
		require.NoError(t, err)
		sock := n.NewUDPSocket()
		require.NoError(t, sock.Bind(0))
		at(t, s, 0, func() {
			for i := range 20 {
				require.NoError(t, sock.SendTo(10, inet.IPv4AddrFrom4(10, 0, 0, byte(100+i)), 9))
			}
		})
		s.RunUntil(1500 * sim.Millisecond)
		_ = ifc
		var times []sim.Time
		for _, f := range b.arpFrames() {
			times = append(times, f.At)
		}
		return times
	}
	first := run(1)
	require.Len(t, first, 40, "20 first requests, 20 retransmissions at 1 s")
	distinct := map[sim.Time]bool{}
	for _, at := range first[:20] {
		assert.GreaterOrEqual(t, at, sim.Time(0))
		assert.Less(t, at, 10*sim.Millisecond)
		assert.Zero(t, at%sim.Millisecond, "whole milliseconds")
		distinct[at] = true
	}
	assert.Greater(t, len(distinct), 3, "jitter varies")
	for _, at := range first[20:] {
		assert.Equal(t, sim.Second, at, "retransmissions are not jittered")
	}
	assert.Equal(t, first, run(1), "same seed, same draws")
	assert.NotEqual(t, first, run(2), "another seed, other draws")
}
