package epc_test

import (
	"fmt"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/epc/stubran"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// A 5G-LENA-style core with a remote host, one cell of the stub RAN (1 ms
// of radio each way) and one UE with NetRL's dedicated bearer (5QI 80 for
// remote port 9). The UE attaches, then sends a 64-byte datagram to the
// remote host's port 9: it travels in the dedicated bearer's GTP-U tunnel
// (TEID 2) over S1-U and S5-U, 64 + 28 + 40 bytes of IPv4 on each. The
// attach carried both bearers in one Create Session Request (223 bytes of
// GTP-C) and Response (205).
func Example() {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	core, err := epc.New(net, epc.DefaultConfig(epc.VariantNR))
	if err != nil {
		fmt.Println(err)
		return
	}
	rh, err := core.SetupRemoteHost(epc.DefaultRemoteHostConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	gnb, _ := net.NewNode()
	cell, err := stubran.New(core, gnb, 1, stubran.Config{Delay: sim.Millisecond, UEMTU: 30000})
	if err != nil {
		fmt.Println(err)
		return
	}

	ueNode, _ := net.NewNode()
	ue, err := core.AddUE(ueNode, cell.NewUEDevice(), 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	f := epc.DefaultPacketFilter()
	f.RemotePortStart, f.RemotePortEnd = 9, 9
	tft, _ := epc.NewTFT(f)
	id, err := core.ActivateDedicatedBearer(ue.IMSI(), epc.Bearer{QCI: epc.NGBRLowLatEMBB}, tft)
	if err != nil {
		fmt.Println(err)
		return
	}
	core.OnControl = func(ev epc.ControlEvent) {
		if ev.Stage == epc.StageAttached {
			fmt.Printf("%v: IMSI %d attached, bearers %v\n", ev.Time, ev.IMSI, ev.BearerIDs)
		}
	}
	if err := cell.Attach(ue); err != nil {
		fmt.Println(err)
		return
	}

	server := rh.Node.NewUDPSocket()
	_ = server.Bind(9)
	server.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
		fmt.Printf("%v: %d bytes from %v at %v\n", s.Now(), p.Size(), info.From, info.To)
	})
	client := ueNode.NewUDPSocket()
	_ = client.Connect(rh.Address, 9)
	s.Schedule(10*sim.Millisecond, func() { _ = client.Send(64) })
	s.Run()

	st := core.Stats()
	fmt.Printf("dedicated bearer %d, TEID %d\n", id, ue.Bearers()[1].TEID)
	fmt.Printf("S1-U uplink %d bytes, S5-U uplink %d bytes\n", st.S1UUplink.Bytes, st.S5UUplink.Bytes)
	fmt.Printf("GTP-C: S11 %d messages, %d bytes\n", st.S11.Packets, st.S11.Bytes)
	// Output:
	// 1.00078ms: IMSI 1 attached, bearers [1 2]
	// 11.000222ms: 64 bytes from 7.0.0.2 at 1.0.0.2
	// dedicated bearer 2, TEID 2
	// S1-U uplink 132 bytes, S5-U uplink 132 bytes
	// GTP-C: S11 2 messages, 484 bytes
}
