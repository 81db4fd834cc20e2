package mac80211

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// txRec is what a test keeps of a frame put on the air (a hook's frame is
// valid only during the call).
type txRec struct {
	node         int
	typ          FrameType
	a1, a2, a3   packet.Mac48
	toDS, fromDS bool
	retry        bool
	seq          uint16
	mode         Mode
	at           sim.Time
	mpduBytes    int
}

func recordTx(node int, f *Frame, now sim.Time) txRec {
	h := &f.Header
	return txRec{node: node, typ: h.Type, a1: h.Addr1, a2: h.Addr2, a3: h.Addr3, toDS: h.ToDS,
		fromDS: h.FromDS, retry: h.Retry, seq: h.Seq, mode: f.Mode, at: now, mpduBytes: f.Size()}
}

// traceTx records every frame each MAC sends.
func traceTx(s *sim.Simulator, macs []*Mac) *[]txRec {
	var log []txRec
	for i, m := range macs {
		m.OnTx = func(f *Frame) { log = append(log, recordTx(i, f, s.Now())) }
	}
	return &log
}

func ofType(log []txRec, t FrameType) []txRec {
	var out []txRec
	for _, r := range log {
		if r.typ == t {
			out = append(out, r)
		}
	}
	return out
}

func macsOf(w *Network) []*Mac {
	var out []*Mac
	for _, d := range w.Devices {
		out = append(out, d.Mac())
	}
	return out
}

// infraNetwork builds an AP (node 0) and n stations on a 5 m ring, static
// ARP, and runs until every station has associated.
func infraNetwork(t *testing.T, n int, edit func(*NetworkConfig)) (*sim.Simulator, *Network) {
	t.Helper()
	s := sim.New(1, 1)
	cfg := DefaultNetworkConfig()
	cfg.Infrastructure = true
	cfg.StaticARP = true
	if edit != nil {
		edit(&cfg)
	}
	pos := append([]mobility.Vector{{}}, mobility.Ring(mobility.Vector{}, 5, n)...)
	w, err := NewNetwork(s, cfg, pos)
	require.NoError(t, err)
	s.RunUntil(300 * sim.Millisecond)
	for i, d := range w.Devices[1:] {
		require.True(t, d.Mac().IsAssociated(), "station %d", i+1)
	}
	require.Equal(t, n, w.Devices[0].Mac().AssociatedStations())
	return s, w
}

// TestInfraDataPaths checks the three unicast paths of an infrastructure
// BSS against ns-3 3.37 (StaWifiMac::Enqueue, ApWifiMac::Receive and
// ForwardDown): uplink (ToDS: Addr1 = BSSID, Addr2 = STA, Addr3 = final
// destination), downlink (FromDS: Addr1 = STA, Addr2 = BSSID, Addr3 =
// source) and STA to STA, which the AP relays: one frame up, one frame
// down, delivered once, and never handed to the AP's own IP stack.
func TestInfraDataPaths(t *testing.T) {
	tests := []struct {
		name     string
		from, to int
		// data frames expected on the air: sender node, Addr1..3 as node
		// indexes, ToDS
		want []struct{ node, a1, a2, a3 int }
	}{
		{"uplink STA to AP", 1, 0, []struct{ node, a1, a2, a3 int }{{1, 0, 1, 0}}},
		{"downlink AP to STA", 0, 1, []struct{ node, a1, a2, a3 int }{{0, 1, 0, 0}}},
		{"STA to STA via the AP", 1, 2, []struct{ node, a1, a2, a3 int }{{1, 0, 1, 2}, {0, 2, 0, 1}}},
		{"STA to STA the other way", 3, 1, []struct{ node, a1, a2, a3 int }{{3, 0, 3, 1}, {0, 1, 0, 3}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, w := infraNetwork(t, 3, nil)
			got := make([]int, len(w.Nodes))
			var from []inet.IPv4Addr
			for i, n := range w.Nodes {
				sock := n.NewUDPSocket()
				require.NoError(t, sock.Bind(9))
				sock.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
					got[i]++
					from = append(from, info.From)
					assert.Equal(t, 700, p.PayloadSize())
				})
			}
			macs := macsOf(w)
			before := make([]MacCounters, len(macs))
			for i, m := range macs {
				before[i] = m.Counters
			}
			apStats := w.Nodes[0].Stats()
			log := traceTx(s, macs)
			tx := w.Nodes[tc.from].NewUDPSocket()
			require.NoError(t, tx.Connect(w.Addr(tc.to), 9))
			require.NoError(t, tx.Send(700))
			s.RunUntil(400 * sim.Millisecond)

			want := make([]int, len(w.Nodes))
			want[tc.to] = 1
			assert.Equal(t, want, got, "datagrams per node")
			assert.Equal(t, []inet.IPv4Addr{w.Addr(tc.from)}, from)

			data := ofType(*log, FrameData)
			require.Len(t, data, len(tc.want))
			addr := func(i int) packet.Mac48 { return w.Devices[i].Address() }
			for i, wf := range tc.want {
				d := data[i]
				assert.Equal(t, wf.node, d.node, "frame %d sender", i)
				assert.Equal(t, addr(wf.a1), d.a1, "frame %d Addr1", i)
				assert.Equal(t, addr(wf.a2), d.a2, "frame %d Addr2", i)
				assert.Equal(t, addr(wf.a3), d.a3, "frame %d Addr3", i)
				fromAP := wf.node == 0
				assert.Equal(t, !fromAP, d.toDS, "frame %d ToDS", i)
				assert.Equal(t, fromAP, d.fromDS, "frame %d FromDS", i)
				assert.False(t, d.retry)
				assert.Equal(t, OfdmRate54Mbps, d.mode)
				// 700 + UDP 8 + IPv4 20 + LLC/SNAP 8 + MAC 24 + FCS 4
				assert.Equal(t, 764, d.mpduBytes)
			}
			// every data frame was acknowledged once
			assert.Len(t, ofType(*log, FrameACK), len(tc.want))
			// the AP relays at the MAC: its IP stack sees only what is
			// addressed to it
			apRx := w.Nodes[0].Stats().IPRx - apStats.IPRx
			if tc.to == 0 {
				assert.Equal(t, uint64(1), apRx)
			} else {
				assert.Zero(t, apRx, "the AP's IP stack must not see relayed traffic")
			}
			ap := macs[0].Counters
			relayed := uint64(len(tc.want) - 1)
			if tc.from == 0 {
				assert.Equal(t, uint64(1), ap.TxData-before[0].TxData)
				assert.Zero(t, ap.RxData-before[0].RxData)
			} else {
				assert.Equal(t, uint64(1), ap.RxData-before[0].RxData)
				assert.Equal(t, relayed, ap.TxData-before[0].TxData)
			}
			for i, m := range macs {
				assert.Zero(t, m.Counters.Drops-before[i].Drops, "node %d drops", i)
				assert.Zero(t, m.Counters.TxRetries-before[i].TxRetries, "node %d retries", i)
				assert.Zero(t, m.Counters.RxDuplicates-before[i].RxDuplicates, "node %d duplicates", i)
			}
			assert.Equal(t, uint64(1), macs[tc.from].Counters.TxOk-before[tc.from].TxOk, "the sender's frame was acknowledged")
		})
	}
}

// TestInfraBroadcastFromSta: a STA's broadcast goes to the AP as a unicast
// ToDS frame (acknowledged, at the data rate), the AP hands it to its own
// stack and re-broadcasts it FromDS at the non-unicast rate (6 Mb/s, no
// ACK). Every other station gets it once; the sender, which hears its own
// frame come back with Addr3 = its address, drops it (ns-3 3.37
// StaWifiMac::Receive: "packet sent by us").
func TestInfraBroadcastFromSta(t *testing.T) {
	s, w := infraNetwork(t, 3, nil)
	got := make([]int, len(w.Nodes))
	for i, n := range w.Nodes {
		sock := n.NewUDPSocket()
		require.NoError(t, sock.Bind(9))
		sock.SetRecvCallback(func(_ *inet.UDPSocket, _ *packet.Packet, info inet.RecvInfo) {
			got[i]++
			assert.Equal(t, w.Addr(2), info.From)
		})
	}
	macs := macsOf(w)
	log := traceTx(s, macs)
	tx := w.Nodes[2].NewUDPSocket()
	tx.SetAllowBroadcast(true)
	require.NoError(t, tx.SendTo(200, inet.IPv4Broadcast, 9))
	s.RunUntil(400 * sim.Millisecond)

	assert.Equal(t, []int{1, 1, 0, 1}, got, "AP and the other stations once, the sender never")
	data := ofType(*log, FrameData)
	require.Len(t, data, 2)
	up, down := data[0], data[1]
	assert.Equal(t, 2, up.node)
	assert.Equal(t, w.Devices[0].Address(), up.a1)
	assert.Equal(t, packet.BroadcastMac48, up.a3)
	assert.True(t, up.toDS)
	assert.Equal(t, OfdmRate54Mbps, up.mode)
	assert.Equal(t, 0, down.node)
	assert.Equal(t, packet.BroadcastMac48, down.a1)
	assert.Equal(t, w.Devices[0].Address(), down.a2)
	assert.Equal(t, w.Devices[2].Address(), down.a3)
	assert.True(t, down.fromDS)
	assert.Equal(t, OfdmRate6Mbps, down.mode)
	assert.Len(t, ofType(*log, FrameACK), 1, "only the uplink frame is acknowledged")
}

// TestInfraUnassociatedAndUnknown: a STA drops data while it is not
// associated (ns-3 StaWifiMac::Enqueue: NotifyTxDrop), an AP drops data for
// a station that is not associated with it (ApWifiMac::Enqueue).
func TestInfraUnassociatedAndUnknown(t *testing.T) {
	s := sim.New(1, 1)
	cfg := DefaultNetworkConfig()
	cfg.Infrastructure = true
	w, err := NewNetwork(s, cfg, []mobility.Vector{{}, {X: 5}})
	require.NoError(t, err)
	ap, sta := w.Devices[0].Mac(), w.Devices[1].Mac()
	var drops []DropReason
	var dropped []packet.Mac48
	for _, m := range []*Mac{ap, sta} {
		m.OnDrop = func(f *Frame, r DropReason) {
			drops = append(drops, r)
			dropped = append(dropped, f.Header.Addr1)
		}
	}
	pool := packet.NewPool()
	msdu := func() *packet.Packet {
		p := pool.New(100)
		p.Push(&LLCSNAPHeader{EtherType: inet.EtherTypeIPv4})
		return p
	}
	s.RunUntil(10 * sim.Millisecond)
	require.False(t, sta.IsAssociated())
	assert.ErrorIs(t, sta.Send(msdu(), ap.Address()), ErrNotAssociated)
	stranger := packet.Mac48{0, 0, 0, 0, 0, 0x42}
	assert.ErrorIs(t, ap.Send(msdu(), stranger), ErrUnknownDestination)
	assert.ErrorIs(t, ap.Send(msdu(), sta.Address()), ErrUnknownDestination, "the STA is not associated yet")
	assert.Equal(t, []DropReason{DropNotAssociated, DropUnknownDestination, DropUnknownDestination}, drops)
	assert.Equal(t, []packet.Mac48{ap.Address(), stranger, sta.Address()}, dropped)
	assert.Equal(t, uint64(1), sta.Counters.Drops)
	assert.Equal(t, uint64(2), ap.Counters.Drops)
	assert.Zero(t, sta.QueueLen())
	assert.Equal(t, "not associated", DropNotAssociated.String())

	s.RunUntil(300 * sim.Millisecond)
	require.True(t, sta.IsAssociated())
	require.NoError(t, ap.Send(msdu(), sta.Address()))
	require.NoError(t, sta.Send(msdu(), ap.Address()))
	// a group address is always accepted by the AP
	require.NoError(t, ap.Send(msdu(), packet.BroadcastMac48))
	assert.Len(t, drops, 3)
}

// TestInfraScanning: passive scanning associates at the end of the 120 ms
// beacon wait, active probing at the end of the 50 ms probe timeout (ns-3
// 3.37 StaWifiMac WaitBeaconTimeout, ProbeRequestTimeout; the probe request
// goes after a ProbeDelay of Uniform[50, 250] us, as
// WifiDefaultAssocManager::DoStartScanning does). The association request,
// its ACK, the response and its ACK take well under 2 ms on an idle channel.
func TestInfraScanning(t *testing.T) {
	tests := []struct {
		name        string
		active      bool
		first, last sim.Time // association window
	}{
		{"passive", false, 120 * sim.Millisecond, 122 * sim.Millisecond},
		{"active", true, 50*sim.Millisecond + 50*sim.Microsecond, 52*sim.Millisecond + 250*sim.Microsecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 5; seed++ {
				s := sim.New(seed, 1)
				cfg := DefaultNetworkConfig()
				cfg.Infrastructure = true
				cfg.Sta.ActiveProbing = tc.active
				w, err := NewNetwork(s, cfg, []mobility.Vector{{}, {X: 5}})
				require.NoError(t, err)
				log := traceTx(s, macsOf(w))
				s.RunUntil(300 * sim.Millisecond)
				times := w.Devices[1].Mac().AssociationTimes()
				require.Len(t, times, 1, "seed %d", seed)
				assert.GreaterOrEqual(t, times[0], tc.first, "seed %d", seed)
				assert.Less(t, times[0], tc.last, "seed %d", seed)

				probes := ofType(*log, FrameProbeRequest)
				responses := ofType(*log, FrameProbeResponse)
				reqs := ofType(*log, FrameAssocRequest)
				require.Len(t, reqs, 1, "seed %d", seed)
				assert.Equal(t, w.Devices[0].Address(), reqs[0].a1)
				if !tc.active {
					assert.Empty(t, probes)
					assert.Empty(t, responses)
					assert.GreaterOrEqual(t, reqs[0].at, cfg.Sta.WaitBeaconTimeout)
					continue
				}
				require.Len(t, probes, 1, "seed %d", seed)
				require.Len(t, responses, 1, "seed %d", seed)
				p, r := probes[0], responses[0]
				assert.Equal(t, packet.BroadcastMac48, p.a1)
				assert.Equal(t, OfdmRate6Mbps, p.mode)
				assert.GreaterOrEqual(t, p.at, 50*sim.Microsecond, "after the probe delay")
				assert.Less(t, p.at, 250*sim.Microsecond+DIFS+15*Slot)
				assert.Equal(t, w.Devices[1].Address(), r.a1)
				assert.Greater(t, r.at, p.at)
				assert.Less(t, r.at, sim.Millisecond)
				assert.GreaterOrEqual(t, reqs[0].at, cfg.Sta.ProbeRequestTimeout+50*sim.Microsecond)
			}
		})
	}
}

// bss is a hand-built infrastructure BSS whose nodes move as the test
// says.
type bss struct {
	s      *sim.Simulator
	medium *Medium
	ap     *Mac
	stas   []*Mac
}

func newBSS(t *testing.T, apPos mobility.Model, staPos []mobility.Model, sta StaConfig) *bss {
	t.Helper()
	s := sim.New(1, 1)
	medium, err := NewMedium(s, DefaultMediumConfig())
	require.NoError(t, err)
	var addrs packet.MacAllocator
	b := &bss{s: s, medium: medium}
	mk := func(pos mobility.Model) (*Phy, MacConfig) {
		phy, err := NewPhy(s, DefaultPhyConfig())
		require.NoError(t, err)
		require.NoError(t, medium.Attach(phy, pos))
		cfg := DefaultMacConfig()
		cfg.Address = addrs.Allocate()
		return phy, cfg
	}
	phy, cfg := mk(apPos)
	b.ap, err = NewApMac(s, phy, cfg, DefaultApConfig())
	require.NoError(t, err)
	for _, pos := range staPos {
		phy, cfg := mk(pos)
		m, err := NewStaMac(s, phy, cfg, sta)
		require.NoError(t, err)
		b.stas = append(b.stas, m)
	}
	b.ap.Start()
	for _, m := range b.stas {
		m.Start()
	}
	return b
}

func stateOf(m *Mac) staState { return m.role.(*staRole).state }

// TestInfraAssociationRetry: the AP's association responses are lost
// (the AP transmits them at -100 dBm) until 200 ms: the AP gives up on the
// first one after its 7 transmissions, the station stays waiting and
// resends its request AssocRequestTimeout (500 ms) after the first, and
// associates then.
func TestInfraAssociationRetry(t *testing.T) {
	s := sim.New(1, 1)
	cfg := DefaultNetworkConfig()
	cfg.Infrastructure = true
	w, err := NewNetwork(s, cfg, []mobility.Vector{{}, {X: 5}})
	require.NoError(t, err)
	ap, sta := w.Devices[0].Mac(), w.Devices[1].Mac()
	log := traceTx(s, []*Mac{ap, sta})
	power := ap.Phy().Config().TxPowerDbm
	apTx := ap.OnTx
	ap.OnTx = func(f *Frame) {
		p := power
		if f.Header.Type == FrameAssocResponse && s.Now() < 200*sim.Millisecond {
			p = -100
		}
		require.NoError(t, ap.Phy().SetTxPowerDbm(p))
		apTx(f)
	}
	var apDrops []FrameType
	ap.OnDrop = func(f *Frame, r DropReason) {
		assert.Equal(t, DropRetryLimit, r)
		apDrops = append(apDrops, f.Header.Type)
	}

	s.RunUntil(619 * sim.Millisecond)
	assert.Equal(t, staWaitAssocResp, stateOf(sta))
	assert.Zero(t, ap.AssociatedStations(), "the AP counts a station only once its response is acknowledged")
	assert.Equal(t, []FrameType{FrameAssocResponse}, apDrops)
	assert.Len(t, ofType(*log, FrameAssocResponse), cfg.Mac.RetryLimit)
	reqs := ofType(*log, FrameAssocRequest)
	require.Len(t, reqs, 1)
	// the request was queued when the 120 ms beacon wait ended
	first := cfg.Sta.WaitBeaconTimeout
	assert.Less(t, reqs[0].at, first+sim.Millisecond)

	s.RunUntil(sim.Second)
	reqs = ofType(*log, FrameAssocRequest)
	require.Len(t, reqs, 2)
	assert.False(t, reqs[1].retry, "a new request, not a retransmission")
	assert.GreaterOrEqual(t, reqs[1].at, first+cfg.Sta.AssocRequestTimeout)
	times := sta.AssociationTimes()
	require.Len(t, times, 1)
	assert.GreaterOrEqual(t, times[0], first+cfg.Sta.AssocRequestTimeout)
	assert.Less(t, times[0], first+cfg.Sta.AssocRequestTimeout+2*sim.Millisecond)
	assert.Equal(t, 1, ap.AssociatedStations())
	assert.Len(t, ofType(*log, FrameAssocResponse), cfg.Mac.RetryLimit+1)
	assert.Equal(t, uint16(1), sta.role.(*staRole).aid, "the retried request keeps the AID the AP allotted first")
}

// TestInfraOutOfRangeThenInRange: a station 300 m from the AP hears no
// beacon and rescans every WaitBeaconTimeout; once moved to 10 m (a course
// change the medium follows), it associates at the end of a scan.
func TestInfraOutOfRangeThenInRange(t *testing.T) {
	staPos := mobility.NewConstantPosition(mobility.Vector{X: 300})
	b := newBSS(t, mobility.NewConstantPosition(mobility.Vector{}), []mobility.Model{staPos}, DefaultStaConfig())
	sta := b.stas[0]
	var beacons int
	sta.OnRx = func(f *Frame, _ RxInfo) {
		if f.Header.Type == FrameBeacon {
			beacons++
		}
	}
	b.s.RunUntil(sim.Second)
	assert.Zero(t, beacons)
	assert.Equal(t, staScanning, stateOf(sta))
	assert.Nil(t, sta.AssociationTimes())

	staPos.SetPosition(b.s.Now(), mobility.Vector{X: 10})
	b.s.RunUntil(1300 * sim.Millisecond)
	times := sta.AssociationTimes()
	require.Len(t, times, 1)
	assert.Greater(t, beacons, 0)
	// scans end at multiples of 120 ms; the first one to end after the
	// move with a beacon in it leads to the association
	wait := DefaultStaConfig().WaitBeaconTimeout
	assert.Greater(t, times[0], sim.Second)
	assert.Less(t, times[0]%wait, 2*sim.Millisecond, "association at %v: not at the end of a scan", times[0])
	assert.Equal(t, 1, b.ap.AssociatedStations())
}

// TestInfraMissedBeacons: once the station stops hearing beacons it stays
// associated for MaxMissedBeacons beacon intervals after the last one
// (10 x 102.4 ms), then considers itself unassociated, drops data with
// DropNotAssociated and scans again; back in range it associates again.
// The loss of contact comes from the STA jumping away, the STA driving
// away (ConstantVelocity), or the AP jumping away.
func TestInfraMissedBeacons(t *testing.T) {
	type mover func(now sim.Time)
	tests := []struct {
		name string
		// build returns the AP's and the STA's mobility, the move at
		// 0.5 s and the return at 2.5 s
		build func() (ap, sta mobility.Model, away, back mover)
	}{
		{"station jumps away", func() (mobility.Model, mobility.Model, mover, mover) {
			sta := mobility.NewConstantPosition(mobility.Vector{X: 5})
			return mobility.NewConstantPosition(mobility.Vector{}), sta,
				func(now sim.Time) { sta.SetPosition(now, mobility.Vector{X: 500}) },
				func(now sim.Time) { sta.SetPosition(now, mobility.Vector{X: 5}) }
		}},
		{"station drives away", func() (mobility.Model, mobility.Model, mover, mover) {
			sta := mobility.NewConstantVelocity(mobility.Vector{X: 5}, mobility.Vector{}, 0)
			return mobility.NewConstantPosition(mobility.Vector{}), sta,
				func(now sim.Time) { sta.SetVelocity(now, mobility.Vector{X: 100}) },
				func(now sim.Time) { sta.SetPosition(now, mobility.Vector{Y: 5}) }
		}},
		{"AP jumps away", func() (mobility.Model, mobility.Model, mover, mover) {
			ap := mobility.NewConstantPosition(mobility.Vector{})
			return ap, mobility.NewConstantPosition(mobility.Vector{X: 5}),
				func(now sim.Time) { ap.SetPosition(now, mobility.Vector{Y: 1000}) },
				func(now sim.Time) { ap.SetPosition(now, mobility.Vector{}) }
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			apPos, staPos, away, back := tc.build()
			b := newBSS(t, apPos, []mobility.Model{staPos}, DefaultStaConfig())
			sta, s := b.stas[0], b.s
			var lastBeacon sim.Time
			sta.OnRx = func(f *Frame, _ RxInfo) {
				if f.Header.Type == FrameBeacon {
					lastBeacon = s.Now()
				}
			}
			var drops []DropReason
			sta.OnDrop = func(_ *Frame, r DropReason) { drops = append(drops, r) }

			s.RunUntil(500 * sim.Millisecond)
			require.True(t, sta.IsAssociated())
			away(s.Now())
			s.RunUntil(1200 * sim.Millisecond)
			require.True(t, sta.IsAssociated(), "ten beacon intervals have not passed")
			require.Less(t, lastBeacon, sim.Second, "the last beacon came before the move took effect")
			limit := sim.Time(DefaultStaConfig().MaxMissedBeacons) * DefaultApConfig().BeaconInterval
			require.Equal(t, 1024*sim.Millisecond, limit)

			// RunUntil(t) runs the events before t: the watchdog fires
			// exactly at lastBeacon + limit
			s.RunUntil(lastBeacon + limit)
			assert.True(t, sta.IsAssociated())
			s.RunUntil(lastBeacon + limit + 1)
			assert.False(t, sta.IsAssociated())
			assert.Equal(t, staScanning, stateOf(sta), "the station rescans at once")
			lost := s.Now() - 1

			pool := packet.NewPool()
			p := pool.New(100)
			p.Push(&LLCSNAPHeader{EtherType: inet.EtherTypeIPv4})
			assert.ErrorIs(t, sta.Send(p, b.ap.Address()), ErrNotAssociated)
			assert.Equal(t, []DropReason{DropNotAssociated}, drops)

			s.RunUntil(2500 * sim.Millisecond)
			assert.False(t, sta.IsAssociated())
			back(s.Now())
			s.RunUntil(3 * sim.Second)
			times := sta.AssociationTimes()
			require.Len(t, times, 2)
			assert.Greater(t, times[1], 2500*sim.Millisecond)
			wait := DefaultStaConfig().WaitBeaconTimeout
			assert.Less(t, (times[1]-lost)%wait, 2*sim.Millisecond, "re-association at the end of a scan")
			assert.Equal(t, 1, b.ap.AssociatedStations())
		})
	}
}

// TestInfraApIgnoresUnicastForStrangers: the AP relays a STA's unicast
// frame only to an associated station and hands up only frames for itself
// or a group; a frame for an unknown station is neither relayed nor passed
// to the AP's stack (ns-3 3.37 ApWifiMac::Receive -> ForwardUp to another
// host, which WifiNetDevice::ForwardUp classes PACKET_OTHERHOST and does
// not deliver).
func TestInfraApIgnoresUnicastForStrangers(t *testing.T) {
	b := newBSS(t, mobility.NewConstantPosition(mobility.Vector{}),
		[]mobility.Model{mobility.NewConstantPosition(mobility.Vector{X: 5})}, DefaultStaConfig())
	sta := b.stas[0]
	type up struct{ src, dst packet.Mac48 }
	var delivered []up
	b.ap.SetReceiveCallback(func(_ *packet.Packet, src, dst packet.Mac48) { delivered = append(delivered, up{src, dst}) })
	staGot := 0
	sta.SetReceiveCallback(func(*packet.Packet, packet.Mac48, packet.Mac48) { staGot++ })
	b.s.RunUntil(300 * sim.Millisecond)
	require.True(t, sta.IsAssociated())
	log := traceTx(b.s, []*Mac{b.ap, sta})
	pool := packet.NewPool()
	send := func(dst packet.Mac48) {
		p := pool.New(100)
		p.Push(&LLCSNAPHeader{EtherType: inet.EtherTypeIPv4})
		require.NoError(t, sta.Send(p, dst))
	}
	stranger := packet.Mac48{0, 0, 0, 0, 0, 0x42}
	send(stranger)
	send(b.ap.Address())
	send(packet.BroadcastMac48)
	b.s.RunUntil(400 * sim.Millisecond)

	assert.Equal(t, []up{{sta.Address(), b.ap.Address()}, {sta.Address(), packet.BroadcastMac48}}, delivered)
	data := ofType(*log, FrameData)
	require.Len(t, data, 4, "three uplink frames and the re-broadcast")
	assert.Equal(t, stranger, data[0].a3)
	assert.Equal(t, 0, data[3].node)
	assert.Equal(t, packet.BroadcastMac48, data[3].a1)
	assert.Equal(t, uint64(3), b.ap.Counters.RxData)
	assert.Zero(t, staGot, "the station drops its own broadcast coming back")
}

// TestInfraActiveScanHearsBeacons: during an active scan a beacon makes a
// candidate as well as a probe response does (ns-3 3.37
// WifiDefaultAssocManager::CanBeInserted accepts both while the scan timer
// runs). The AP's probe responses are all lost here (sent at -100 dBm), but
// its first beacon, unjittered at t = 0, falls in the first scan: the
// station associates when that scan ends, at about 50 ms.
func TestInfraActiveScanHearsBeacons(t *testing.T) {
	s := sim.New(1, 1)
	cfg := DefaultNetworkConfig()
	cfg.Infrastructure = true
	cfg.Sta.ActiveProbing = true
	cfg.Ap.BeaconJitter = false
	w, err := NewNetwork(s, cfg, []mobility.Vector{{}, {X: 5}})
	require.NoError(t, err)
	ap, sta := w.Devices[0].Mac(), w.Devices[1].Mac()
	log := traceTx(s, []*Mac{ap, sta})
	power := ap.Phy().Config().TxPowerDbm
	apTx := ap.OnTx
	ap.OnTx = func(f *Frame) {
		p := power
		if f.Header.Type == FrameProbeResponse {
			p = -100
		}
		require.NoError(t, ap.Phy().SetTxPowerDbm(p))
		apTx(f)
	}
	s.RunUntil(200 * sim.Millisecond)
	times := sta.AssociationTimes()
	require.Len(t, times, 1)
	assert.GreaterOrEqual(t, times[0], 50*sim.Millisecond+50*sim.Microsecond)
	assert.Less(t, times[0], 52*sim.Millisecond+250*sim.Microsecond)
	beacons := ofType(*log, FrameBeacon)
	require.NotEmpty(t, beacons)
	assert.Less(t, beacons[0].at, sim.Millisecond)
	assert.Len(t, ofType(*log, FrameProbeRequest), 1)
	assert.Len(t, ofType(*log, FrameProbeResponse), cfg.Mac.RetryLimit, "every response lost")
}

// TestInfraLostResponsesRestartScanning: the beacon watchdog starts when
// the scan ends (ns-3 3.37 StaWifiMac::ScanningTimeout), so a station whose
// association responses are all lost for longer than MaxMissedBeacons
// beacon intervals (1.024 s) gives up waiting, scans again and associates
// once responses get through.
func TestInfraLostResponsesRestartScanning(t *testing.T) {
	s := sim.New(1, 1)
	cfg := DefaultNetworkConfig()
	cfg.Infrastructure = true
	w, err := NewNetwork(s, cfg, []mobility.Vector{{}, {X: 5}})
	require.NoError(t, err)
	ap, sta := w.Devices[0].Mac(), w.Devices[1].Mac()
	power := ap.Phy().Config().TxPowerDbm
	lossUntil := 1500 * sim.Millisecond
	ap.OnTx = func(f *Frame) {
		p := power
		if f.Header.Type == FrameAssocResponse && s.Now() < lossUntil {
			p = -100
		}
		require.NoError(t, ap.Phy().SetTxPowerDbm(p))
	}
	scanEnd := cfg.Sta.WaitBeaconTimeout
	watchdog := scanEnd + sim.Time(cfg.Sta.MaxMissedBeacons)*cfg.Ap.BeaconInterval
	s.RunUntil(watchdog - sim.Millisecond)
	assert.Equal(t, staWaitAssocResp, stateOf(sta), "still waiting before the watchdog ends")
	s.RunUntil(watchdog + sim.Millisecond)
	assert.Equal(t, staScanning, stateOf(sta), "the watchdog sent the station back to scanning")
	s.RunUntil(3 * sim.Second)
	times := sta.AssociationTimes()
	require.Len(t, times, 1)
	assert.Greater(t, times[0], lossUntil)
	assert.True(t, sta.IsAssociated())
}

// With StartJitter each station scans from its own power-on, a draw of its
// stream mac80211/sta-start/<address>, and associates when its passive
// scan ends, WaitBeaconTimeout later: the association requests no longer
// all contend at the same instant.
func TestInfraStartJitter(t *testing.T) {
	const n = 20
	pos := []mobility.Vector{{}}
	for i := range n {
		a := 2 * math.Pi * float64(i) / n
		pos = append(pos, mobility.Vector{X: 5 * math.Cos(a), Y: 5 * math.Sin(a)})
	}
	for _, seed := range []uint64{1, 2} {
		s := sim.New(seed, 1)
		cfg := DefaultNetworkConfig()
		cfg.Infrastructure = true
		cfg.Sta.StartJitter = 100 * sim.Millisecond
		w, err := NewNetwork(s, cfg, pos)
		require.NoError(t, err)
		s.RunUntil(600 * sim.Millisecond)
		var first, last sim.Time = sim.MaxTime, 0
		for _, d := range w.Devices[1:] {
			times := d.Mac().AssociationTimes()
			require.Len(t, times, 1, "seed %d: %s", seed, d.Address())
			on := sim.Time(sim.NewStream(seed, 1, "mac80211/sta-start/"+d.Address().String()).Int64N(int64(100 * sim.Millisecond)))
			got, ok := d.Mac().PowerOnTime()
			require.True(t, ok)
			assert.Equal(t, on, got, "seed %d: %s: PowerOnTime is the draw", seed, d.Address())
			assert.GreaterOrEqual(t, times[0], on+cfg.Sta.WaitBeaconTimeout, "seed %d: %s", seed, d.Address())
			assert.Less(t, times[0], on+cfg.Sta.WaitBeaconTimeout+3*sim.Millisecond, "seed %d: %s", seed, d.Address())
			first, last = min(first, times[0]), max(last, times[0])
		}
		assert.Greater(t, last-first, 50*sim.Millisecond, "seed %d: associations spread over the jitter", seed)
		_, ok := w.Devices[0].Mac().PowerOnTime()
		assert.False(t, ok, "an AP has no power-on time")
	}
}

// A MAC starts once: Start called again, by a user after a helper that
// already started it, or later in the run, changes nothing. Before, an AP
// beaconed twice per interval and a station scanned (or powered on) twice.
func TestMacStartsOnce(t *testing.T) {
	pos := []mobility.Vector{{}}
	for i := range 8 {
		a := 2 * math.Pi * float64(i) / 8
		pos = append(pos, mobility.Vector{X: 5 * math.Cos(a), Y: 5 * math.Sin(a)})
	}
	for _, jitter := range []sim.Time{0, 50 * sim.Millisecond} {
		run := func(again bool) (MediumStats, [][]sim.Time) {
			s := sim.New(3, 1)
			cfg := DefaultNetworkConfig()
			cfg.Infrastructure = true
			cfg.Sta.StartJitter = jitter
			w, err := NewNetwork(s, cfg, pos)
			require.NoError(t, err)
			if again {
				for _, d := range w.Devices {
					d.Mac().Start()
				}
				s.RunUntil(30 * sim.Millisecond)
				for _, d := range w.Devices {
					d.Mac().Start()
				}
			}
			s.RunUntil(500 * sim.Millisecond)
			var times [][]sim.Time
			for _, d := range w.Devices[1:] {
				times = append(times, d.Mac().AssociationTimes())
			}
			return w.Medium.Stats(), times
		}
		once, onceTimes := run(false)
		twice, twiceTimes := run(true)
		// 500 ms of beacons every 102.4 ms (the first within one interval).
		assert.InDelta(t, 5, once.TxByType[FrameBeacon], 1, "jitter %v", jitter)
		assert.Equal(t, once, twice, "jitter %v", jitter)
		assert.Equal(t, onceTimes, twiceTimes, "jitter %v", jitter)
		for i, times := range onceTimes {
			assert.Len(t, times, 1, "jitter %v: station %d associates once", jitter, i+1)
		}
	}
}

// Without StartJitter a station powers on when Start is called; before
// Start it has no power-on time.
func TestPowerOnTimeWithoutJitter(t *testing.T) {
	s := sim.New(1, 1)
	cfg := DefaultNetworkConfig()
	cfg.Infrastructure = true
	w, err := NewNetwork(s, cfg, []mobility.Vector{{}, {X: 5}})
	require.NoError(t, err)
	on, ok := w.Devices[1].Mac().PowerOnTime()
	require.True(t, ok)
	assert.Equal(t, sim.Time(0), on)

	phy, err := NewPhy(s, DefaultPhyConfig())
	require.NoError(t, err)
	require.NoError(t, w.Medium.Attach(phy, mobility.NewConstantPosition(mobility.Vector{X: 7})))
	m, err := NewStaMac(s, phy, DefaultMacConfig(), DefaultStaConfig())
	require.NoError(t, err)
	_, ok = m.PowerOnTime()
	assert.False(t, ok, "not started")
	s.RunUntil(3 * sim.Millisecond)
	m.Start()
	on, ok = m.PowerOnTime()
	require.True(t, ok)
	assert.Equal(t, 3*sim.Millisecond, on)
}
