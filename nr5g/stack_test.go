package nr5g

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// testNet is a cell of one gNB and one UE on a StaticChannel, with the
// core, a remote host, NetRL's dedicated bearer (5QI 80 for remote port 9)
// and sockets both ways.
type testNet struct {
	s       *sim.Simulator
	nr      *Network
	ch      *StaticChannel
	g       *Gnb
	ue      *UeDevice
	rh      *epc.RemoteHost
	up      *inet.UDPSocket // UE -> remote host:9
	down    *inet.UDPSocket // remote host -> UE:5000
	pool    *packet.Pool
	arrived map[uint64]sim.Time // uid -> arrival at the remote host
	ueRx    int                 // bytes the UE received
	tbs     []TbTrace
}

func newTestNet(t *testing.T, mu Numerology, bandwidthHz, sinrDb float64, opts ...func(*NetworkConfig)) *testNet {
	t.Helper()
	s := sim.New(1, 1)
	cfg := DefaultNetworkConfig()
	for _, o := range opts {
		o(&cfg)
	}
	cfg.Gnb.Phy.Numerology = mu
	cfg.Gnb.Phy.BandwidthHz = bandwidthHz
	cfg.Gnb.TxPowerDbm = 30
	cfg.Ue.TxPowerDbm = 23
	rbs, err := cfg.Gnb.Phy.RbCount()
	require.NoError(t, err)
	ch, err := NewStaticChannel(rbs, sinrDb)
	require.NoError(t, err)
	n, err := NewNetworkWith(inet.NewNetwork(s), cfg, ch)
	require.NoError(t, err)
	rh, err := n.EPC().SetupRemoteHost(epc.DefaultRemoteHostConfig())
	require.NoError(t, err)
	g, err := n.AddGnb(mobility.Vector{Z: 3})
	require.NoError(t, err)
	ue, err := n.AddUE(mobility.Vector{X: 50, Z: 1.5})
	require.NoError(t, err)
	f := epc.DefaultPacketFilter()
	f.RemotePortStart, f.RemotePortEnd = 9, 9
	tft, err := epc.NewTFT(f)
	require.NoError(t, err)
	_, err = n.EPC().ActivateDedicatedBearer(ue.IMSI(), epc.Bearer{QCI: epc.NGBRLowLatEMBB}, tft)
	require.NoError(t, err)
	require.NoError(t, n.Attach(ue, g))
	tn := &testNet{s: s, nr: n, ch: ch, g: g, ue: ue, rh: rh, pool: n.Inet().Pool(), arrived: map[uint64]sim.Time{}}
	g.OnTb = func(tr TbTrace) { tn.tbs = append(tn.tbs, tr) }
	srv := rh.Node.NewUDPSocket()
	require.NoError(t, srv.Bind(9))
	srv.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) { tn.arrived[p.UID()] = s.Now() })
	tn.up = ue.Node().NewUDPSocket()
	require.NoError(t, tn.up.Connect(rh.Address, 9))
	sink := ue.Node().NewUDPSocket()
	require.NoError(t, sink.Bind(5000))
	sink.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) { tn.ueRx += p.Size() })
	tn.down = rh.Node.NewUDPSocket()
	return tn
}

// send sends a datagram of size payload bytes uplink and returns its uid.
func (tn *testNet) send(t *testing.T, size int) uint64 {
	p := tn.pool.New(size)
	uid := p.UID()
	require.NoError(t, tn.up.SendPacket(p))
	return uid
}

// coreDelay is the serialisation of an uplink datagram of size payload
// bytes through the core: S1-U and S5 (PPP + GTP-U tunnel) and the remote
// host's link (PPP), with 0 s propagation as configured.
func (tn *testNet) coreDelay(size int) sim.Time {
	c := tn.nr.EPC().Config()
	user := size + inet.IPv4HeaderSize + inet.UDPHeaderSize
	tunnel := user + epc.TunnelOverhead + 2
	return c.S1U.DataRate.TxTime(tunnel) + c.S5.DataRate.TxTime(tunnel) + epc.DefaultRemoteHostConfig().Link.DataRate.TxTime(user+2)
}

// TestAttach: the UE camps at the first MIB (slot 0), gets SIB2 at 16 ms
// after that slot has started (5G-LENA's ideal RRC delivers it in an event
// of its own), sends its preamble in the next slot's UL control, the gNB
// answers with the RAR in the DL control of 3 slots later
// (L1L2CtrlLatency + K2 ahead of the UL slot, one slot after the
// preamble's reception), the ideal RRC connects it at once, and the core
// attaches it with both bearers within the following microseconds (GTP-C
// over 10 Gb/s links). At mu 2 the connection completes at 17.017856 ms,
// the time 5G-LENA nr-4.1's NrGnbRrc ConnectionEstablished trace gives
// for the reference cell (bench/ns3/nr-cell.cc).
func TestAttach(t *testing.T) {
	for _, mu := range []Numerology{0, 1, 2, 3} {
		tn := newTestNet(t, mu, 100e6, 30)
		slot := tn.g.SlotDuration()
		sib := 16 * sim.Millisecond
		rar := sib + 4*slot + sim.Time(tn.g.cfg.Phy.DlCtrlSymbols)*tn.g.cfg.Phy.SymbolDuration() - 1
		tn.s.RunUntil(rar)
		require.Equal(t, "IDLE_RANDOM_ACCESS", tn.ue.RrcState(), "mu %d", mu)
		require.Zero(t, tn.ue.RNTI())
		tn.s.RunUntil(rar + 1)
		require.Equal(t, "CONNECTED_NORMALLY", tn.ue.RrcState(), "mu %d", mu)
		require.Equal(t, uint16(1), tn.ue.RNTI())
		require.False(t, tn.ue.Ready())
		if mu == 2 {
			require.Equal(t, 17017856*sim.Nanosecond, tn.ue.AttachedAt())
		}
		tn.s.RunUntil(rar + 10*sim.Microsecond)
		require.True(t, tn.ue.Ready(), "mu %d", mu)
		require.Len(t, tn.ue.UE().Bearers(), 2)
		for _, b := range tn.ue.UE().Bearers() {
			require.Equal(t, "active", b.State)
		}
	}
}

// TestUplinkLatency: a lone 64-byte datagram on a settled link (UL MCS 28
// from earlier PUSCH CQI) takes the scheduling-request path. Sent during
// slot k, the BSR reaches the UE MAC at once; the SR leaves in the UE's
// slot-indication of slot k+1 and goes out L1L2CtrlLatency (2) slots later
// in the UL control of slot k+3; the gNB MAC hands it to the scheduler at
// the start of slot k+4, which schedules UL slot k+4+K2+L1L2 = k+8 (12
// bytes per group: one symbol at MCS 28, the last data symbol 12); the UL
// DCI goes out in slot k+6; the PUSCH ends 1 ns before symbol 13; the gNB
// decodes it 100 us later, and the core adds its links' serialisation.
// The same arithmetic holds at every numerology, in slots of 1 ms / 2^mu.
func TestUplinkLatency(t *testing.T) {
	for _, tc := range []struct {
		mu   Numerology
		want sim.Time // the e2e latency the arithmetic gives for a send 10 us into slot k
	}{
		{0, 8*sim.Millisecond + 13*71428 - 1 + 100*sim.Microsecond - 10*sim.Microsecond},
		{1, 8*500*sim.Microsecond + 13*35714 - 1 + 100*sim.Microsecond - 10*sim.Microsecond},
		{2, 8*250*sim.Microsecond + 13*17857 - 1 + 100*sim.Microsecond - 10*sim.Microsecond},
		{3, 8*125*sim.Microsecond + 13*8928 - 1 + 100*sim.Microsecond - 10*sim.Microsecond},
	} {
		tn := newTestNet(t, tc.mu, 100e6, 30)
		slot := tn.g.SlotDuration()
		sym := tn.g.cfg.Phy.SymbolDuration()
		require.Equal(t, sim.Millisecond>>tc.mu, slot)
		tn.s.RunUntil(100 * sim.Millisecond)
		require.True(t, tn.ue.Ready())
		for range 5 { // settle the UL MCS
			tn.send(t, 64)
			tn.s.RunUntil(tn.s.Now() + 20*sim.Millisecond)
		}
		info, ok := tn.g.Scheduler().UEInfo(tn.ue.RNTI())
		require.True(t, ok)
		require.Equal(t, uint8(28), info.UlMcs, "mu %d", tc.mu)
		tn.s.RunUntil(tn.s.Now() + 100*sim.Millisecond) // idle: no grant, no HARQ under way
		k := uint64(tn.s.Now()/slot) + 1
		t0 := sim.Time(k)*slot + 10*sim.Microsecond
		tn.s.RunUntil(t0)
		tn.tbs = tn.tbs[:0]
		uid := tn.send(t, 64)
		tn.s.RunUntil(t0 + 20*slot + 200*sim.Microsecond)
		at, ok := tn.arrived[uid]
		require.True(t, ok, "mu %d: not delivered", tc.mu)
		require.Len(t, tn.tbs, 1, "mu %d: one TB", tc.mu)
		tb := tn.tbs[0]
		require.Equal(t, k+8, tb.Slot, "mu %d: PUSCH slot", tc.mu)
		require.Equal(t, uint8(12), tb.SymStart)
		require.Equal(t, uint8(1), tb.NumSym)
		require.Equal(t, uint8(28), tb.MCS)
		radio := sim.Time(k+8)*slot + 13*sym - 1 + tn.g.cfg.Phy.TbDecodeLatency - t0
		require.Equal(t, tc.want, radio, "mu %d: slot arithmetic", tc.mu)
		require.Equal(t, radio+tn.coreDelay(64), at-t0, "mu %d: end-to-end latency", tc.mu)
	}
}

// TestFullBufferThroughput: with a saturating flow at high SINR the
// scheduler gives the UE every data symbol of every slot, at MCS 28, and
// the transport blocks go through without loss, so the MAC throughput is
// the closed form of 5G-LENA's TBS: in UL the 12 data symbols (14 less the
// DL and UL control symbols) of every slot but the UE's SRS slot (one slot
// in 80, where the SRS allocation keeps the UE from new UL data); in DL
// the 12 symbols left by the UL control, 11 in the SRS slot.
//
// Full buffer means the RLC always holds more than a grant: with 5G-LENA's
// default 10 KiB RLC buffer a UE's BSR reports what is left after the
// grant being filled, the scheduler overwrites its view with each BSR and
// subtracts each grant, so the slot after a slot without PUSCH (the SRS
// slot) gets only what that BSR left: docs/nr.md gives the figures.
func TestFullBufferThroughput(t *testing.T) {
	for _, dir := range []Direction{Uplink, Downlink} {
		// 53 RBs, 0.5 ms slots; an RLC buffer that never runs dry.
		tn := newTestNet(t, 1, 20e6, 30, func(c *NetworkConfig) { c.Gnb.Rlc.MaxTxBufferBytes = 1 << 20 })
		amc := tn.g.amc
		rbs := tn.g.numRbs
		tbs12, err := amc.CalculateTbSize(28, 1, uint32(rbs*12))
		require.NoError(t, err)
		tbs11, err := amc.CalculateTbSize(28, 1, uint32(rbs*11))
		require.NoError(t, err)
		require.Equal(t, uint32(4809), tbs12) // floor(11*636*6*0.92/8) = 4827, less 6 code-block CRCs
		tn.s.RunUntil(50 * sim.Millisecond)
		require.True(t, tn.ue.Ready())
		// 1400-byte datagrams every 80 us: 140 Mb/s, above the cell's ~77.
		var tick func(any)
		tick = func(any) {
			if dir == Uplink {
				p := tn.pool.New(1400)
				if tn.up.SendPacket(p) != nil {
					p.Release()
				}
			} else {
				_ = tn.down.SendTo(1400, tn.ue.UE().Address(), 5000)
			}
			tn.s.ScheduleWith(80*sim.Microsecond, tick, nil)
		}
		tick(nil)
		tn.s.RunUntil(150 * sim.Millisecond) // settle the MCS and the pipeline
		st0 := tn.g.Stats()
		slots := uint64(800) // 400 ms, a multiple of the SRS periodicity (80)
		tn.s.RunUntil(150*sim.Millisecond + sim.Time(slots)*tn.g.SlotDuration())
		st := tn.g.Stats()
		srsSlots := slots / 80
		var got, want uint64
		if dir == Uplink {
			got = st.UlBytes - st0.UlBytes
			want = (slots - srsSlots) * uint64(tbs12)
			require.Zero(t, st.UlTbsFailed-st0.UlTbsFailed)
		} else {
			got = st.DlBytes - st0.DlBytes
			want = (slots-srsSlots)*uint64(tbs12) + srsSlots*uint64(tbs11)
			require.Zero(t, st.DlTbsFailed-st0.DlTbsFailed)
		}
		require.InEpsilon(t, float64(want), float64(got), 0.01, "%v: %d bytes in %d slots, closed form %d", dir, got, slots, want)
		mbps := float64(got) * 8 / (float64(slots) * tn.g.SlotDuration().Seconds()) / 1e6
		require.InDelta(t, 76.5, mbps, 1.0, "%v Mb/s", dir)
	}
}
