package flowmon_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/apps"
	"github.com/netgym/netgym/flowmon"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

func TestOutputs(t *testing.T) {
	l := newLine(t)
	l.s.RunUntil(6 * sim.Second)

	var js bytes.Buffer
	require.NoError(t, l.mon.WriteJSON(&js))
	var doc struct {
		TimeNs           int64 `json:"timeNs"`
		MaxPerHopDelayNs int64 `json:"maxPerHopDelayNs"`
		Flows            []map[string]any
	}
	require.NoError(t, json.Unmarshal(js.Bytes(), &doc))
	require.Equal(t, int64(6e9), doc.TimeNs)
	require.Equal(t, int64(10e9), doc.MaxPerHopDelayNs)
	require.Len(t, doc.Flows, 5)
	f1 := doc.Flows[0]
	require.Equal(t, "10.1.1.1", f1["sourceAddress"])
	require.Equal(t, float64(49153), f1["sourcePort"])
	require.Equal(t, float64(99), f1["rxPackets"])
	require.Equal(t, float64(21064000), f1["meanDelayNs"])
	require.Equal(t, float64(2085336000), f1["delaySumNs"])
	require.InDelta(t, 101772*8/1.001064, f1["throughputBps"], 1e-6)
	require.Equal(t, map[string]any{"binWidth": 0.001, "nBins": float64(22),
		"bins": []any{map[string]any{"index": float64(21), "start": 0.021, "width": 0.001, "count": float64(99)}}},
		f1["delayHistogram"])
	require.Equal(t, []any{}, f1["packetsDropped"])
	require.Equal(t, []any{float64(3)}, doc.Flows[2]["packetsDropped"])
	require.Equal(t, []any{float64(1584)}, doc.Flows[2]["bytesDropped"])

	var cb bytes.Buffer
	require.NoError(t, l.mon.WriteCSV(&cb))
	rows, err := csv.NewReader(&cb).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 6)
	require.Equal(t, flowmon.CSVHeader, rows[0])
	require.Equal(t, []string{"1", "10.1.1.1", "49153", "10.1.2.2", "9", "17", "99", "101772", "99", "101772",
		"0", "0", "99", "1.01", "1.99", "1.031064", "2.011064", "2.085336", "0.021064", "0.021064", "0.021064",
		"0", "0", "813310.6374817195", ""}, rows[1])
	require.Equal(t, "3", rows[3][10])
	require.Equal(t, "1", rows[3][11])
	require.Equal(t, "NoRoute:3", rows[3][24])

	var sum bytes.Buffer
	require.NoError(t, l.mon.WriteSummary(&sum))
	require.True(t, strings.HasPrefix(sum.String(), "Flow 1 (10.1.1.1:49153 > 10.1.2.2:9 UDP)\n"+
		"  Tx Packets: 99   Tx Bytes: 101772   Rx Packets: 99   Rx Bytes: 101772\n"+
		"  Lost Packets: 0 (0.0%)   Throughput: 0.8133 Mbps\n"+
		"  Delay: mean 21.064 ms, min 21.064 ms, max 21.064 ms   Jitter: mean 0 ms\n"+
		"Flow 2 (10.1.1.1:49154 > 10.1.2.2:10 UDP)\n"), sum.String())
	require.Contains(t, sum.String(), "Flow 3 (10.1.1.1:49155 > 10.9.9.9:9 UDP)\n  Tx Packets: 3   Tx Bytes: 1584   Rx Packets: 0   Rx Bytes: 0\n  Lost Packets: 3 (100.0%)")
}

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("disk full") }

func TestWriteErrors(t *testing.T) {
	l := newLine(t)
	l.s.RunUntil(2 * sim.Second)
	require.ErrorContains(t, l.mon.WriteJSON(errWriter{}), "flowmon: writing JSON: disk full")
	require.ErrorContains(t, l.mon.WriteCSV(errWriter{}), "flowmon: writing CSV")
	require.ErrorContains(t, l.mon.WriteSummary(errWriter{}), "flowmon: writing summary")
}

// Installed on the end nodes only, the monitor sees no forwarding; on the
// sender only, nothing is received and every packet is lost after 10 s.
func TestChosenNodes(t *testing.T) {
	run := func(install func(l *line)) flowmon.Flow {
		l := newLine(t)
		l.mon.Uninstall()
		install(l)
		l.s.RunUntil(3 * sim.Second)
		f, ok := l.mon.Flow(1)
		require.True(t, ok)
		return f
	}
	f := run(func(l *line) {
		mon, err := flowmon.New(l.s, flowmon.DefaultConfig())
		require.NoError(t, err)
		require.NoError(t, mon.Install(l.n[0], l.n[2]))
		l.mon = mon
	})
	require.Equal(t, uint64(99), f.Stats.RxPackets)
	require.Zero(t, f.Stats.TimesForwarded)
	require.Equal(t, 21064*sim.Microsecond, f.Stats.MaxDelay)

	var mon *flowmon.Monitor
	f = run(func(l *line) {
		var err error
		mon, err = flowmon.New(l.s, flowmon.DefaultConfig())
		require.NoError(t, err)
		require.NoError(t, mon.Install(l.n[0]))
		l.mon = mon
	})
	require.Equal(t, uint64(99), f.Stats.TxPackets)
	require.Zero(t, f.Stats.RxPackets)
	require.Zero(t, f.Stats.LostPackets)
	require.NoError(t, mon.Stop(3*sim.Second)) // Stop checks for lost packets at 3 s: none unseen 10 s yet
}

func TestConfigAndInstallErrors(t *testing.T) {
	s := sim.New(1, 1)
	for _, mutate := range []func(*flowmon.Config){
		func(c *flowmon.Config) { c.MaxPerHopDelay = 0 },
		func(c *flowmon.Config) { c.DelayBinWidth = 0 },
		func(c *flowmon.Config) { c.JitterBinWidth = -1 },
		func(c *flowmon.Config) { c.PacketSizeBinWidth = 0 },
		func(c *flowmon.Config) { c.FlowInterruptionsMinTime = -1 },
	} {
		c := flowmon.DefaultConfig()
		mutate(&c)
		_, err := flowmon.New(s, c)
		require.Error(t, err)
	}
	_, err := flowmon.New(nil, flowmon.DefaultConfig())
	require.Error(t, err)
	mon, err := flowmon.New(s, flowmon.DefaultConfig())
	require.NoError(t, err)
	w := inet.NewNetwork(s)
	n, err := w.NewNode()
	require.NoError(t, err)
	require.NoError(t, mon.Install(n))
	require.ErrorContains(t, mon.Install(n), "already installed on node 0")
	require.NoError(t, mon.InstallAll(w), "InstallAll skips installed nodes")
	require.Error(t, mon.Install(nil))
	require.Error(t, mon.InstallAll(nil))
	other, err := inet.NewNode(sim.New(1, 1), 7, inet.DefaultNodeConfig())
	require.NoError(t, err)
	require.ErrorContains(t, mon.Install(other), "another simulation")
	s.RunUntil(sim.Second)
	require.Error(t, mon.Start(0))
	require.Error(t, mon.Stop(0))
	_, ok := mon.Flow(1)
	require.False(t, ok)
	require.Equal(t, "NoRoute", flowmon.DropNoRoute.String())
	require.Equal(t, "MTUExceeded", flowmon.DropMTUExceeded.String())
	require.Equal(t, "DropReason(42)", flowmon.DropReason(42).String())
}

// While disabled (Stop, Disable), packets are not counted.
func TestStartStop(t *testing.T) {
	l := newLine(t)
	require.NoError(t, l.mon.Stop(1500*sim.Millisecond))
	require.NoError(t, l.mon.Start(1700*sim.Millisecond))
	l.s.RunUntil(3 * sim.Second)
	f, _ := l.mon.Flow(1)
	// Sent at 1.01..1.49 s and 1.70..1.99 s: 49 + 30; the ones sent at
	// 1.48 and 1.49 s arrive 21 ms later, while the monitor is off.
	require.Equal(t, uint64(79), f.Stats.TxPackets)
	require.Equal(t, uint64(77), f.Stats.RxPackets)
	require.Equal(t, 1, l.mon.NumFlows())
	l.mon.Disable() // flows 2 and 3 (3 s) go unseen
	l.s.RunUntil(3500 * sim.Millisecond)
	require.Equal(t, 1, l.mon.NumFlows())
	l.mon.Enable() // the echo flows (4 s) are seen
	l.s.RunUntil(6 * sim.Second)
	require.Equal(t, 3, l.mon.NumFlows())
}

// gtpu is a 12-byte tunnel header.
type gtpu struct{}

func (gtpu) Size() int      { return 12 }
func (gtpu) String() string { return "GTP-U" }

// A flow through a GTP-U-style tunnel is one flow from the inner
// sender to the inner receiver: the outer datagrams carry its tag and are
// not counted again, and the tunnel end that receives the outer header
// does not take it for the flow's arrival (the addresses differ).
func TestTunnelledFlow(t *testing.T) {
	s := sim.New(1, 1)
	w := inet.NewNetwork(s)
	nodes, err := w.NewNodes(2, inet.DefaultNodeConfig())
	require.NoError(t, err)
	a, b := nodes[0], nodes[1]
	link, err := w.ConnectPointToPoint(a, b, 10*inet.Mbps, sim.Millisecond)
	require.NoError(t, err)
	end := func(n *inet.Node, local, peer, tunAddr inet.IPv4Addr) {
		sock := n.NewUDPSocket()
		require.NoError(t, sock.BindAddr(local, 2152))
		dev, err := inet.NewTunDevice(s, w.MACs().Allocate(), inet.DefaultTunDeviceConfig(),
			func(_ *inet.TunDevice, p *packet.Packet, _ packet.Mac48, _ uint16) error {
				p.Push(gtpu{})
				if err := sock.SendPacketTo(p, peer, 2152); err != nil {
					p.Pop()
					return err
				}
				return nil
			})
		require.NoError(t, err)
		sock.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
			q := p.Copy()
			q.Pop()
			_ = dev.Receive(q, inet.EtherTypeIPv4)
		})
		_, err = w.AssignAddress(n, dev, tunAddr, 0xff000000)
		require.NoError(t, err)
	}
	end(a, link.Interfaces[0].Address(), link.Interfaces[1].Address(), inet.IPv4AddrFrom4(7, 0, 0, 1))
	end(b, link.Interfaces[1].Address(), link.Interfaces[0].Address(), inet.IPv4AddrFrom4(7, 0, 0, 2))
	mon, err := flowmon.New(s, flowmon.DefaultConfig())
	require.NoError(t, err)
	require.NoError(t, mon.InstallAll(w))
	sink, err := apps.NewPacketSink(b, apps.PacketSinkConfig{Port: 9})
	require.NoError(t, err)
	require.NoError(t, sink.Start(0))
	tx := a.NewUDPSocket()
	for i := range 5 {
		s.Schedule(sim.Time(i)*10*sim.Millisecond, func() { require.NoError(t, tx.SendTo(100, inet.IPv4AddrFrom4(7, 0, 0, 2), 9)) })
	}
	s.RunUntil(sim.Second)
	require.Equal(t, uint64(5), sink.Stats().RxPackets)
	flows := mon.Flows()
	require.Len(t, flows, 1)
	f := flows[0]
	require.Equal(t, "7.0.0.1:49153 > 7.0.0.2:9 UDP", f.Tuple.String())
	require.Equal(t, uint64(5), f.Stats.RxPackets)
	require.Equal(t, uint64(5*128), f.Stats.RxBytes)
	// 168 + 2 bytes at 10 Mb/s (136 us) and 1 ms on the wire.
	require.Equal(t, sim.Millisecond+136*sim.Microsecond, f.Stats.MaxDelay)
	require.Zero(t, f.Stats.LostPackets)
}

// A monitor changes neither the events of the simulation nor its
// allocations per packet.
func TestChangesNothingAllocatesNothing(t *testing.T) {
	run := func(monitor bool) (uint64, float64) {
		l := newLine(t)
		if !monitor {
			l.mon.Uninstall()
		}
		l.s.RunUntil(1100 * sim.Millisecond)
		allocs := testing.AllocsPerRun(50, func() { l.s.RunUntil(l.s.Now() + 10*sim.Millisecond) })
		l.s.RunUntil(6 * sim.Second)
		return l.s.EventCount(), allocs
	}
	evWith, allocsWith := run(true)
	evWithout, allocsWithout := run(false)
	require.Equal(t, evWithout, evWith)
	require.Equal(t, allocsWithout, allocsWith)
}
