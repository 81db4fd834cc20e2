package inet_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// recProbe records every probe call as one line.
type recProbe struct {
	s   *sim.Simulator
	log []string
}

func (r *recProbe) add(kind string, n *inet.Node, p *packet.Packet, h *inet.IPv4Header, ifc *inet.Interface, extra string) {
	hdr := "-"
	if h != nil {
		hdr = fmt.Sprintf("%v>%v ttl=%d", h.Src, h.Dst, h.TTL)
	}
	idx := -1
	if ifc != nil {
		idx = ifc.Index()
	}
	r.log = append(r.log, fmt.Sprintf("%v %s node=%d if=%d size=%d %s%s", r.s.Now(), kind, n.ID(), idx, p.Size(), hdr, extra))
}

func (r *recProbe) SendOutgoing(n *inet.Node, p *packet.Packet, h *inet.IPv4Header, ifc *inet.Interface) {
	r.add("tx", n, p, h, ifc, "")
}

func (r *recProbe) UnicastForward(n *inet.Node, p *packet.Packet, h *inet.IPv4Header, ifc *inet.Interface) {
	r.add("fwd", n, p, h, ifc, "")
}

func (r *recProbe) LocalDeliver(n *inet.Node, p *packet.Packet, h *inet.IPv4Header, ifc *inet.Interface) {
	r.add("rx", n, p, h, ifc, "")
}

func (r *recProbe) Drop(n *inet.Node, p *packet.Packet, h *inet.IPv4Header, reason inet.DropReason, ifc *inet.Interface) {
	r.add("drop", n, p, h, ifc, " "+reason.String())
}

// chain builds a - r - b over two 8 Mb/s, 1 ms point-to-point links with
// default routes through r.
func chain(t *testing.T) (s *sim.Simulator, a, r, b *inet.Node) {
	t.Helper()
	s = sim.New(1, 1)
	w := inet.NewNetwork(s)
	nodes, err := w.NewNodes(3, inet.DefaultNodeConfig())
	require.NoError(t, err)
	a, r, b = nodes[0], nodes[1], nodes[2]
	l1, err := w.ConnectPointToPoint(a, r, 8*inet.Mbps, sim.Millisecond)
	require.NoError(t, err)
	l2, err := w.ConnectPointToPoint(r, b, 8*inet.Mbps, sim.Millisecond)
	require.NoError(t, err)
	require.NoError(t, a.AddDefaultRoute(l1.Interfaces[1].Address(), l1.Interfaces[0]))
	require.NoError(t, b.AddDefaultRoute(l2.Interfaces[0].Address(), l2.Interfaces[1]))
	return s, a, r, b
}

func TestProbeTracePoints(t *testing.T) {
	s, a, r, b := chain(t)
	rec := &recProbe{s: s}
	for _, n := range []*inet.Node{a, r, b} {
		require.NoError(t, n.AddProbe(rec))
	}
	require.Error(t, a.AddProbe(rec), "attached twice")
	require.Error(t, a.AddProbe(nil))

	sink := b.NewUDPSocket()
	require.NoError(t, sink.Bind(9))
	tx := a.NewUDPSocket()
	// 972 payload bytes: a 1000-byte IP packet, 1002 bytes with PPP at
	// 8 Mb/s is 1.002 ms on each link, plus 1 ms propagation.
	require.NoError(t, tx.SendTo(972, b.Address(), 9))
	require.NoError(t, tx.SendTo(72, b.Address(), 10)) // closed port
	// No route at r for 10.9.9.9: a sends it to its default gateway.
	require.NoError(t, tx.SendTo(72, inet.IPv4AddrFrom4(10, 9, 9, 9), 9))
	s.Run()

	require.Equal(t, []string{
		"0s tx node=0 if=0 size=1000 10.1.1.1>10.1.2.2 ttl=64",
		"0s tx node=0 if=0 size=100 10.1.1.1>10.1.2.2 ttl=64",
		"0s tx node=0 if=0 size=100 10.1.1.1>10.9.9.9 ttl=64",
		"2.002ms fwd node=1 if=1 size=1000 10.1.1.1>10.1.2.2 ttl=63",
		"2.104ms fwd node=1 if=1 size=100 10.1.1.1>10.1.2.2 ttl=63",
		"2.206ms drop node=1 if=0 size=100 10.1.1.1>10.9.9.9 ttl=64 NoRoute",
		"4.004ms rx node=2 if=0 size=1000 10.1.1.1>10.1.2.2 ttl=63",
		"4.106ms rx node=2 if=0 size=100 10.1.1.1>10.1.2.2 ttl=63",
		"4.106ms drop node=2 if=0 size=100 10.1.1.1>10.1.2.2 ttl=63 NoSocket",
	}, rec.log)

	require.True(t, a.RemoveProbe(rec))
	require.False(t, a.RemoveProbe(rec))
	require.Len(t, r.Probes(), 1)
}

// nopProbe does nothing: it measures the cost of the hooks.
type nopProbe struct{ n int }

func (p *nopProbe) SendOutgoing(*inet.Node, *packet.Packet, *inet.IPv4Header, *inet.Interface) {
	p.n++
}
func (p *nopProbe) UnicastForward(*inet.Node, *packet.Packet, *inet.IPv4Header, *inet.Interface) {
	p.n++
}
func (p *nopProbe) LocalDeliver(*inet.Node, *packet.Packet, *inet.IPv4Header, *inet.Interface) {
	p.n++
}
func (p *nopProbe) Drop(*inet.Node, *packet.Packet, *inet.IPv4Header, inet.DropReason, *inet.Interface) {
	p.n++
}

func TestProbeAllocatesNothingAndChangesNothing(t *testing.T) {
	// The event queue allocates now and then as time moves into new
	// buckets; the probes must add nothing to that.
	run := func(probe bool) (uint64, int, float64) {
		s, a, r, b := chain(t)
		p := &nopProbe{}
		if probe {
			for _, n := range []*inet.Node{a, r, b} {
				require.NoError(t, n.AddProbe(p))
			}
		}
		sink := b.NewUDPSocket()
		require.NoError(t, sink.Bind(9))
		tx := a.NewUDPSocket()
		require.NoError(t, tx.Connect(b.Address(), 9))
		send := func() {
			require.NoError(t, tx.Send(500))
			s.RunUntil(s.Now() + 10*sim.Millisecond)
		}
		send() // warm the pools
		allocs := testing.AllocsPerRun(100, send)
		return s.EventCount(), p.n, allocs
	}
	without, _, allocsWithout := run(false)
	with, calls, allocsWith := run(true)
	require.Equal(t, without, with)
	require.Equal(t, allocsWithout, allocsWith)
	require.Equal(t, 3*102, calls) // tx, fwd, rx per datagram: 1 + 1 warm-up + 100 runs
}
