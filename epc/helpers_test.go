package epc_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/epc/stubran"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// world is a core with a remote host, stub cells and UEs, recording what
// happens.
type world struct {
	t      testing.TB
	s      *sim.Simulator
	net    *inet.Network
	e      *epc.EPC
	rh     *epc.RemoteHost
	radio  sim.Time
	cells  []*stubran.Cell
	events []epc.ControlEvent
	drops  []string
}

func newWorld(t testing.TB, cfg epc.Config, rhCfg epc.RemoteHostConfig, radio sim.Time) *world {
	t.Helper()
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	e, err := epc.New(net, cfg)
	require.NoError(t, err)
	w := &world{t: t, s: s, net: net, e: e, radio: radio}
	e.OnControl = func(ev epc.ControlEvent) { w.events = append(w.events, ev) }
	e.OnDrop = func(p *packet.Packet, r epc.DropReason, where epc.Entity) {
		w.drops = append(w.drops, fmt.Sprintf("%v at %v: %v", r, where, p))
	}
	w.rh, err = e.SetupRemoteHost(rhCfg)
	require.NoError(t, err)
	return w
}

func (w *world) addCell(cellID uint16) *stubran.Cell {
	w.t.Helper()
	node, err := w.net.NewNode()
	require.NoError(w.t, err)
	cfg := stubran.DefaultConfig()
	cfg.Delay = w.radio
	c, err := stubran.New(w.e, node, cellID, cfg)
	require.NoError(w.t, err)
	w.cells = append(w.cells, c)
	return c
}

// addUE registers a UE on a new node with a device of cell c; attach
// says whether to attach it now.
func (w *world) addUE(c *stubran.Cell, imsi uint64, attach bool) *epc.UE {
	w.t.Helper()
	node, err := w.net.NewNode()
	require.NoError(w.t, err)
	ue, err := w.e.AddUE(node, c.NewUEDevice(), imsi)
	require.NoError(w.t, err)
	if attach {
		require.NoError(w.t, c.Attach(ue))
	}
	return ue
}

// frameKind tells a frame on a point-to-point link: GTP-U, GTP-C, S1-AP
// or a plain user packet.
func frameKind(p *packet.Packet) string {
	if ip, ok := p.HeaderAt(1).(*inet.IPv4Header); ok && ip.Protocol == inet.ProtoUDP {
		if u, ok := p.HeaderAt(2).(*inet.UDPHeader); ok {
			for _, port := range []uint16{u.SrcPort, u.DstPort} {
				switch port {
				case epc.GTPUPort:
					return "gtpu"
				case epc.GTPCPort:
					return "gtpc"
				case epc.S1APPort:
					return "s1ap"
				}
			}
		}
	}
	return "user"
}

// tap records the frames a link's devices send, by direction and kind.
type tap struct {
	frames map[string][]int // "0 gtpu" -> sizes sent by device 0
}

func newTap(link *inet.PointToPointLink) *tap {
	tp := &tap{frames: make(map[string][]int)}
	for i, d := range link.Devices {
		d.OnTx = func(_ *inet.PointToPointDevice, p *packet.Packet) {
			k := fmt.Sprintf("%d %s", i, frameKind(p))
			tp.frames[k] = append(tp.frames[k], p.Size())
		}
	}
	return tp
}

func (tp *tap) reset() { clear(tp.frames) }

// only asserts that the link carried exactly the given frames (key ->
// sizes) and nothing else.
func (tp *tap) only(t testing.TB, name string, want map[string][]int) {
	t.Helper()
	got := make(map[string][]int)
	for k, v := range tp.frames {
		if len(v) > 0 {
			got[k] = v
		}
	}
	if want == nil {
		want = map[string][]int{}
	}
	require.Equal(t, want, got, name)
}

// txTime is the time a frame of n bytes (PPP header included) takes on a
// link of config l.
func txTime(l epc.LinkConfig, n int) sim.Time { return l.DataRate.TxTime(n) }
