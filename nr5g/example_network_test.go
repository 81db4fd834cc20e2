package nr5g_test

import (
	"fmt"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/nr5g"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/sim/spectrum/threegpp"
)

// A 5G-LENA cell in a few lines: NetRL's band (28 GHz, 100 MHz, numerology
// 3), powers, arrays and direct-path beams on the TR 38.901 channel with
// fast fading, a remote host behind the core, one UE 50 m away
// with a dedicated 5QI 80 bearer for remote port 9. The UE attaches at
// 16.5 ms (SIB2 at 16 ms, the preamble in the next slot, the RAR 3 slots
// later, the ideal RRC and the core's GTP-C);
// then a 64-byte datagram goes uplink: SR, grant, PUSCH 8 slots after the
// send, decoded 100 us after its last symbol.
func ExampleNetwork() {
	s := sim.New(1, 1)
	cfg := nr5g.DefaultNetworkConfig()
	cfg.Gnb.Phy.Numerology, cfg.Gnb.Phy.BandwidthHz = 3, 100e6
	cfg.Gnb.TxPowerDbm, cfg.Ue.TxPowerDbm = 30, 23
	cfg.Gnb.Array = nr5g.ArrayConfig{Rows: 4, Columns: 8}
	cfg.Ue.Array = nr5g.ArrayConfig{Rows: 2, Columns: 4}
	cfg.Shadowing = false
	cfg.Beamforming.Method = threegpp.DirectPath // 5G-LENA's default is cell scan
	nr, err := nr5g.NewNetwork(s, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	rh, _ := nr.EPC().SetupRemoteHost(epc.DefaultRemoteHostConfig())
	gnb, _ := nr.AddGnb(mobility.Vector{Z: 3})
	ue, _ := nr.AddUE(mobility.Vector{X: 50, Z: 1.5})
	f := epc.DefaultPacketFilter()
	f.RemotePortStart, f.RemotePortEnd = 9, 9
	tft, _ := epc.NewTFT(f)
	_, _ = nr.EPC().ActivateDedicatedBearer(ue.IMSI(), epc.Bearer{QCI: epc.NGBRLowLatEMBB}, tft)
	if err := nr.Attach(ue, gnb); err != nil {
		fmt.Println(err)
		return
	}
	nr.EPC().OnControl = func(ev epc.ControlEvent) {
		if ev.Stage == epc.StageAttached {
			fmt.Printf("%v: attached with bearers %v\n", ev.Time, ev.BearerIDs)
		}
	}
	var sent sim.Time
	srv := rh.Node.NewUDPSocket()
	_ = srv.Bind(9)
	srv.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
		fmt.Printf("%d bytes after %v\n", p.Size(), s.Now()-sent)
	})
	cli := ue.Node().NewUDPSocket()
	_ = cli.Connect(rh.Address, 9)
	send := func() {
		sent = s.Now()
		_ = cli.Send(64)
	}
	s.Schedule(100*sim.Millisecond, send) // the first one also settles the UL MCS
	s.Schedule(200*sim.Millisecond+10*sim.Microsecond, send)
	s.RunUntil(300 * sim.Millisecond)
	info, _ := gnb.Scheduler().UEInfo(ue.RNTI())
	fmt.Printf("UL MCS %d at %.1f dB\n", info.UlMcs, info.UlCqiSinrDbMean)
	// Output:
	// 16.509707ms: attached with bearers [1 2]
	// 64 bytes after 1.716285ms
	// 64 bytes after 1.206285ms
	// UL MCS 28 at 41.1 dB
}
