package epc_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/epc/stubran"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
)

// TestDefaultConfig: the helpers' attribute defaults.
func TestDefaultConfig(t *testing.T) {
	g10 := 10 * inet.Gbps
	nr := epc.DefaultConfig(epc.VariantNR)
	require.NoError(t, nr.Validate())
	require.Equal(t, epc.LinkConfig{DataRate: g10, Delay: 0, MTU: 2000, QueueSize: 100}, nr.S1U)
	require.Equal(t, epc.LinkConfig{DataRate: g10, Delay: 0, MTU: 2000, QueueSize: 100}, nr.S5)
	require.Equal(t, epc.LinkConfig{DataRate: g10, Delay: 0, MTU: 2000, QueueSize: 100}, nr.S11)
	require.Equal(t, epc.LinkConfig{DataRate: g10, Delay: 0, MTU: 3000, QueueSize: 100}, nr.X2)
	require.Equal(t, 30000, nr.TunMTU)
	require.Equal(t, epc.Release18, nr.Release)
	require.Equal(t, epc.NGBRVideoTCPDefault, nr.DefaultBearer.QCI)
	require.Equal(t, "7.0.0.0/8", nr.UEPool.String())
	require.Equal(t, "10.0.0.0/8", nr.S1UPool.String())
	require.Equal(t, "11.0.0.0/8", nr.S1APPool.String())
	require.Equal(t, "12.0.0.0/8", nr.X2Pool.String())
	require.Equal(t, "13.0.0.0/8", nr.S11Pool.String())
	require.Equal(t, "14.0.0.0/8", nr.S5Pool.String())

	mm := epc.DefaultConfig(epc.VariantMmWave)
	require.NoError(t, mm.Validate())
	require.Equal(t, epc.LinkConfig{DataRate: g10, Delay: sim.Millisecond, MTU: 2000, QueueSize: 100}, mm.S1U)
	require.Equal(t, epc.LinkConfig{DataRate: g10, Delay: 15 * sim.Millisecond, MTU: 10000, QueueSize: 100}, mm.S1AP)
	require.Equal(t, epc.LinkConfig{DataRate: 100 * inet.Gbps, Delay: sim.Millisecond, MTU: 10000, QueueSize: 100}, mm.X2)
	require.Equal(t, epc.Release15, mm.Release)

	rh := epc.DefaultRemoteHostConfig()
	require.NoError(t, rh.Validate())
	require.Equal(t, epc.LinkConfig{DataRate: 100 * inet.Gbps, MTU: 2500, QueueSize: 100}, rh.Link)
	require.Equal(t, "1.0.0.0/8", rh.Pool.String())
}

// TestAddressing: ns-3's addresses, in ns-3's order.
func TestAddressing(t *testing.T) {
	nr := newWorld(t, epc.DefaultConfig(epc.VariantNR), epc.DefaultRemoteHostConfig(), 0)
	require.Equal(t, "7.0.0.1", nr.e.UEGateway().String())
	require.Equal(t, "14.0.0.5", nr.e.S5Link().Interfaces[0].Address().String(), "PGW on S5")
	require.Equal(t, "14.0.0.6", nr.e.S5Link().Interfaces[1].Address().String(), "SGW on S5")
	require.Equal(t, "13.0.0.5", nr.e.S11Link().Interfaces[0].Address().String(), "MME on S11")
	require.Equal(t, "13.0.0.6", nr.e.S11Link().Interfaces[1].Address().String(), "SGW on S11")
	require.Equal(t, "1.0.0.1", nr.rh.PGWAddress.String())
	require.Equal(t, "1.0.0.2", nr.rh.Address.String())
	require.Equal(t, []int{0, 1, 2, 3}, []int{nr.e.PGW().ID(), nr.e.SGW().ID(), nr.e.MME().ID(), nr.rh.Node.ID()})
	c1, c2 := nr.addCell(1), nr.addCell(2)
	require.Equal(t, "10.0.0.5", c1.RANNode().S1UAddress().String())
	require.Equal(t, "10.0.0.6", c1.RANNode().SGWAddress().String())
	require.Equal(t, "10.0.0.9", c2.RANNode().S1UAddress().String())
	require.Nil(t, c1.RANNode().S1APLink())
	x2, err := nr.e.AddX2(c1.RANNode(), c2.RANNode())
	require.NoError(t, err)
	require.Equal(t, "12.0.0.5", x2.Interfaces[0].Address().String())
	require.Equal(t, "12.0.0.6", x2.Interfaces[1].Address().String())
	require.Equal(t, 10*inet.Gbps, x2.Devices[0].Config().DataRate)
	require.Equal(t, 3000, x2.Devices[0].Config().MTU)
	ue := nr.addUE(c1, 1, false)
	require.Equal(t, "7.0.0.2", ue.Address().String())
	r, ok := ue.Node().LookupRoute(inet.IPv4AddrFrom4(1, 0, 0, 2))
	require.True(t, ok)
	require.Equal(t, nr.e.UEGateway(), r.Gateway)
	require.Equal(t, ue.Interface(), r.Interface)
	r, ok = nr.rh.Node.LookupRoute(ue.Address())
	require.True(t, ok)
	require.Equal(t, nr.rh.Link.Interfaces[1], r.Interface)

	mm := newWorld(t, epc.DefaultConfig(epc.VariantMmWave), epc.DefaultRemoteHostConfig(), 0)
	require.Same(t, mm.e.PGW(), mm.e.SGW())
	require.Nil(t, mm.e.S5Link())
	require.Nil(t, mm.e.S11Link())
	c := mm.addCell(1)
	require.Equal(t, "10.0.0.5", c.RANNode().S1UAddress().String())
	require.Equal(t, "11.0.0.5", c.RANNode().S1APLink().Interfaces[0].Address().String())
	require.Equal(t, "11.0.0.6", c.RANNode().S1APLink().Interfaces[1].Address().String())
	require.Equal(t, 15*sim.Millisecond, c.RANNode().S1APLink().Channel.Delay())
	require.Equal(t, 10000, c.RANNode().S1APLink().Devices[0].Config().MTU)
}

func TestConfigBadInput(t *testing.T) {
	cases := []struct {
		name string
		mut  func(*epc.Config)
		msg  string
	}{
		{"variant", func(c *epc.Config) { c.Variant = 3 }, "Variant 3 is not VariantNR (1) or VariantMmWave (2)"},
		{"S1-U rate", func(c *epc.Config) { c.S1U.DataRate = 0 }, "S1U.DataRate must be positive"},
		{"S5 delay", func(c *epc.Config) { c.S5.Delay = -1 }, "S5.Delay -1ns is outside 0.."},
		{"S11 MTU", func(c *epc.Config) { c.S11.MTU = 67 }, "S11.MTU 67 is outside 68..65535"},
		{"X2 queue", func(c *epc.Config) { c.X2.QueueSize = 0 }, "X2.QueueSize 0 must be at least 1"},
		{"S1-AP MTU", func(c *epc.Config) { c.S1AP.MTU = 70000 }, "S1AP.MTU 70000 is outside 68..65535"},
		{"tunnel MTU", func(c *epc.Config) { c.TunMTU = 20 }, "TunMTU 20 is outside 28..65535"},
		{"UE pool overlaps S1-U", func(c *epc.Config) { c.UEPool = epc.Pool{Network: inet.IPv4AddrFrom4(10, 0, 0, 0), Mask: 0xffff0000} },
			"address pools overlap: UEPool 10.0.0.0/16 and S1UPool 10.0.0.0/8"},
		{"S5 inside UE pool", func(c *epc.Config) { c.S5Pool = epc.Pool{Network: inet.IPv4AddrFrom4(7, 1, 0, 0), Mask: 0xffff0000} },
			"address pools overlap: UEPool 7.0.0.0/8 and S5Pool 7.1.0.0/16"},
		{"X2 equals S11", func(c *epc.Config) { c.X2Pool = c.S11Pool }, "address pools overlap: X2Pool 13.0.0.0/8 and S11Pool 13.0.0.0/8"},
		{"host bits", func(c *epc.Config) { c.S1UPool.Network = inet.IPv4AddrFrom4(10, 0, 0, 1) }, "S1UPool network 10.0.0.1 has host bits under /8"},
		{"mask with a hole", func(c *epc.Config) { c.UEPool.Mask = 0xff00ff00 }, "UEPool mask 255.0.255.0 is not contiguous"},
		{"link pool too small", func(c *epc.Config) { c.S11Pool.Mask = 0xfffffffc }, "S11Pool 13.0.0.0/30: prefix length must be in 1..29"},
		{"UE pool too small", func(c *epc.Config) { c.UEPool.Mask = 0xffffffff }, "UEPool 7.0.0.0/32: prefix length must be in 1..30"},
		{"release", func(c *epc.Config) { c.Release = 12 }, "QoS release 12 has no QCI table"},
		{"default bearer unknown in release", func(c *epc.Config) { c.Release, c.DefaultBearer.QCI = 11, epc.NGBRLowLatEMBB },
			"DefaultBearer: epc: QCI 80 is not defined in release 11"},
	}
	for _, tc := range cases {
		for _, v := range []epc.Variant{epc.VariantNR, epc.VariantMmWave} {
			cfg := epc.DefaultConfig(v)
			tc.mut(&cfg)
			require.ErrorContains(t, cfg.Validate(), tc.msg, tc.name)
			_, err := epc.New(inet.NewNetwork(sim.New(1, 1)), cfg)
			require.ErrorContains(t, err, tc.msg, tc.name)
		}
	}
	_, err := epc.New(nil, epc.DefaultConfig(epc.VariantNR))
	require.ErrorContains(t, err, "New needs an inet.Network")

	rh := epc.DefaultRemoteHostConfig()
	rh.Link.DataRate = 0
	require.ErrorContains(t, rh.Validate(), "RemoteHost.Link.DataRate must be positive")
	rh = epc.DefaultRemoteHostConfig()
	rh.Pool.Mask = 0xfffffffe
	require.ErrorContains(t, rh.Validate(), "RemoteHost.Pool 1.0.0.0/31: prefix length must be in 1..30")
}

// TestNetworkPlanConflicts: an address of the core that the network
// already handed out is an error, not a silent duplicate.
func TestNetworkPlanConflicts(t *testing.T) {
	net := inet.NewNetwork(sim.New(1, 1))
	a, _ := net.NewNode()
	b, _ := net.NewNode()
	h, err := net.NewAddressHelper(inet.IPv4AddrFrom4(14, 0, 0, 4), 0xfffffffc, 1)
	require.NoError(t, err)
	_, err = net.ConnectPointToPointFrom(a, b, inet.DefaultPointToPointDeviceConfig(), 0, h)
	require.NoError(t, err)
	_, err = epc.New(net, epc.DefaultConfig(epc.VariantNR))
	require.ErrorContains(t, err, "S5 link")
	require.ErrorContains(t, err, "address 14.0.0.5 is already assigned")
}

func TestRemoteHostBadInput(t *testing.T) {
	w := newWorld(t, epc.DefaultConfig(epc.VariantNR), epc.DefaultRemoteHostConfig(), 0)
	_, err := w.e.SetupRemoteHost(epc.DefaultRemoteHostConfig())
	require.ErrorContains(t, err, "address pools overlap: RemoteHost.Pool 1.0.0.0/8 and the pool 1.0.0.0/8 of an earlier remote host")
	cfg := epc.DefaultRemoteHostConfig()
	cfg.Pool = epc.Pool{Network: inet.IPv4AddrFrom4(7, 7, 0, 0), Mask: 0xffff0000}
	_, err = w.e.SetupRemoteHost(cfg)
	require.ErrorContains(t, err, "address pools overlap: RemoteHost.Pool 7.7.0.0/16 and UEPool 7.0.0.0/8")
	cfg.Pool = epc.Pool{Network: inet.IPv4AddrFrom4(2, 0, 0, 0), Mask: 0xff000000}
	rh2, err := w.e.SetupRemoteHost(cfg)
	require.NoError(t, err)
	require.Equal(t, "2.0.0.2", rh2.Address.String())
	require.Equal(t, "2.0.0.1", rh2.PGWAddress.String())
}

// TestBadInput: wrong calls return errors naming what is wrong; nothing
// panics and nothing changes.
func TestBadInput(t *testing.T) {
	w := newWorld(t, epc.DefaultConfig(epc.VariantNR), epc.DefaultRemoteHostConfig(), 0)
	cell := w.addCell(1)
	other, _ := w.net.NewNode()

	_, err := w.e.AddRANNode(nil, 2, cell)
	require.ErrorContains(t, err, "AddRANNode needs a node")
	_, err = w.e.AddRANNode(other, 2, nil)
	require.ErrorContains(t, err, "cell 2 needs a RAN")
	_, err = w.e.AddRANNode(other, 0, cell)
	require.ErrorContains(t, err, "cell id 0 is reserved")
	_, err = w.e.AddRANNode(other, 1, cell)
	require.ErrorContains(t, err, "cell 1 already has a RAN node")
	_, err = w.e.AddRANNode(w.e.SGW(), 2, cell)
	require.ErrorContains(t, err, "a core node cannot be a RAN node")
	foreign, _ := inet.NewNetwork(sim.New(1, 1)).NewNode()
	_, err = w.e.AddRANNode(foreign, 2, cell)
	require.ErrorContains(t, err, "node from another simulation")
	_, err = w.e.AddX2(cell.RANNode(), cell.RANNode())
	require.ErrorContains(t, err, "two distinct RAN nodes")
	_, err = stubran.New(nil, other, 2, stubran.DefaultConfig())
	require.ErrorContains(t, err, "needs a core")

	ueNode, _ := w.net.NewNode()
	dev := cell.NewUEDevice()
	_, err = w.e.AddUE(nil, dev, 1)
	require.ErrorContains(t, err, "AddUE needs a node and the RAN's device")
	_, err = w.e.AddUE(ueNode, dev, 0)
	require.ErrorContains(t, err, "IMSI 0 is not valid")
	ue, err := w.e.AddUE(ueNode, dev, 1)
	require.NoError(t, err)
	_, err = w.e.AddUE(ueNode, cell.NewUEDevice(), 1)
	require.ErrorContains(t, err, "IMSI 1 is already registered")
	_, err = w.e.AddUE(ueNode, dev, 2)
	require.ErrorContains(t, err, "the device of IMSI 2 already has an address")
	require.Len(t, w.e.UEs(), 1)

	// Bearers for unknown UEs, bad bearers, bad TFTs.
	_, err = w.e.ActivateDedicatedBearer(42, epc.DefaultBearer(), port9TFT(t))
	require.ErrorContains(t, err, "no UE with IMSI 42 (AddUE first)")
	_, err = w.e.ActivateDedicatedBearer(1, epc.Bearer{QCI: 42}, port9TFT(t))
	require.ErrorContains(t, err, "IMSI 1: epc: QCI 42 is not defined in release 18")
	_, err = w.e.ActivateDedicatedBearer(1, epc.DefaultBearer(), nil)
	require.ErrorContains(t, err, "the TFT needs at least one packet filter")
	_, err = w.e.ActivateDedicatedBearer(1, epc.DefaultBearer(), &epc.TFT{})
	require.ErrorContains(t, err, "the TFT needs at least one packet filter")
	empty := epc.DefaultPacketFilter()
	empty.LocalPortStart, empty.LocalPortEnd = 5000, 4000
	_, err = epc.NewTFT(empty)
	require.ErrorContains(t, err, "local port range 5000..4000 is empty")
	for i := 2; i <= epc.MaxBearers; i++ {
		id, err := w.e.ActivateDedicatedBearer(1, epc.DefaultBearer(), port9TFT(t))
		require.NoError(t, err)
		require.Equal(t, uint8(i), id)
	}
	_, err = w.e.ActivateDedicatedBearer(1, epc.DefaultBearer(), port9TFT(t))
	require.ErrorContains(t, err, "IMSI 1 already has 11 bearers")

	require.ErrorContains(t, w.e.ReleaseBearer(42, 2), "no UE with IMSI 42")
	require.ErrorContains(t, w.e.ReleaseBearer(1, 12), "IMSI 1 has no bearer 12")
	require.ErrorContains(t, w.e.ReleaseBearer(1, 1), "bearer 1 of IMSI 1 is the default bearer")

	// The RAN side.
	r := cell.RANNode()
	require.ErrorContains(t, r.InitialUEMessage(42, 1), "InitialUEMessage for unknown IMSI 42 (AddUE first)")
	require.ErrorContains(t, r.InitialUEMessage(1, 0), "with RNTI 0")
	require.ErrorContains(t, r.SendUplink(nil, 1, 1), "SendUplink needs a packet")
	p := w.net.Pool().New(10)
	require.ErrorContains(t, r.SendUplink(p, 1, 1), "no tunnel for RNTI 1 bearer 1")
	require.Equal(t, 10, p.Size(), "a refused packet stays with the caller, unchanged")
	require.ErrorContains(t, r.SendUplink(p, 1, 200), "no tunnel for RNTI 1 bearer 200")
	require.Equal(t, uint64(2), w.e.Stats().Drops[epc.DropNoContext])
	require.ErrorContains(t, cell.Attach(nil), "Attach needs a UE")
	cell2 := w.addCell(2)
	require.ErrorContains(t, cell2.Attach(ue), "IMSI 1 is not on a device of cell 2")
	require.NoError(t, cell.Attach(ue))
	require.ErrorContains(t, cell.Attach(ue), "IMSI 1 is already attached to cell 1")
	w.s.Run()
	require.True(t, ue.Attached())
	require.NoError(t, r.InitialUEMessage(1, 2), "the same UE under another RNTI: a new attach")
	require.ErrorContains(t, func() error {
		u2 := w.addUE(cell, 2, false)
		return r.InitialUEMessage(u2.IMSI(), 2)
	}(), "RNTI 2 already belongs to IMSI 1")
}
