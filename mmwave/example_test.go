package mmwave_test

import (
	"fmt"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/mmwave"
	"github.com/netgym/netgym/nr5g"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// NewHelper wires ns3-mmwave's RAN on an EPC core: one eNB, one UE 50 m
// away attaching with the ideal RRC, and a remote host. The UE sends 100
// datagrams uplink, one per millisecond.
func ExampleNewHelper() {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	ec := epc.DefaultConfig(epc.VariantMmWave)
	ec.S1AP.Delay = 0
	core, err := epc.New(net, ec)
	if err != nil {
		fmt.Println(err)
		return
	}
	rh, err := core.SetupRemoteHost(epc.DefaultRemoteHostConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err := mmwave.NewHelper(core, mmwave.DefaultConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	en, _ := net.NewNode()
	enb, err := h.InstallEnb(en, mobility.NewConstantPosition(mobility.Vector{Z: 3}))
	if err != nil {
		fmt.Println(err)
		return
	}
	un, _ := net.NewNode()
	ue, err := h.InstallUe(un, mobility.NewConstantPosition(mobility.Vector{X: 50, Z: 1.5}))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := h.Attach(ue, enb); err != nil {
		fmt.Println(err)
		return
	}
	received := 0
	sink := rh.Node.NewUDPSocket()
	_ = sink.Bind(9)
	sink.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
		received++
		p.Release()
	})
	src := un.NewUDPSocket()
	_ = src.Connect(rh.Address, 9)
	for i := range 100 {
		s.Schedule(100*sim.Millisecond+sim.Time(i)*sim.Millisecond, func() {
			_ = src.SendPacket(net.Pool().New(64))
		})
	}
	s.RunUntil(100 * sim.Millisecond)
	fmt.Println("ready:", ue.Ready(), "RNTI", ue.RNTI())
	s.RunUntil(300 * sim.Millisecond)
	fmt.Println("received", received, "of 100")
	// Output:
	// ready: true RNTI 1
	// received 100 of 100
}

// The AMC's transport block sizes follow mmwave-amc.cc: 11 of 12
// subcarriers of every RB carry data, minus 24 bits of CRC per code block
// when the block is segmented. A full 200 MHz slot (278 RBs, 12 data
// symbols) at MCS 28 carries 25523 bytes.
func ExampleAmc_TbSize() {
	amc, err := mmwave.NewAmc(nr5g.EesmIrT1, mmwave.AmcErrorModel, 0.00005, 278)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range []struct{ mcs, sym int }{{0, 1}, {10, 1}, {28, 1}, {28, 12}} {
		fmt.Printf("MCS %2d, %2d symbols: %5d bytes\n", c.mcs, c.sym, amc.TbSize(c.mcs, c.sym))
	}
	// Output:
	// MCS  0,  1 symbols:    88 bytes
	// MCS 10,  1 symbols:   501 bytes
	// MCS 28,  1 symbols:  2126 bytes
	// MCS 28, 12 symbols: 25523 bytes
}

// RunCell runs the reference cell of issue 16: ten UEs on a 100 m ring
// around a 25 m high eNB, 20 Mb/s of 1200-byte datagrams each, downlink.
// With seed 1, five UEs are at MCS 2 to 6 and need about two of a slot's
// 12 data symbols each from the round-robin scheduler; UEs 0, 2 and 7 do
// not get enough and their 10 KiB RLC buffers overflow.
func ExampleRunCell() {
	res, err := mmwave.RunCell(mmwave.DefaultCellConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("goodput %.1f Mb/s\n", res.GoodputMbps)
	for i, g := range res.PerUEMbps {
		fmt.Printf("UE %d: %.2f Mb/s\n", i, g)
	}
	// Output:
	// goodput 178.1 Mb/s
	// UE 0: 13.99 Mb/s
	// UE 1: 19.96 Mb/s
	// UE 2: 8.56 Mb/s
	// UE 3: 19.95 Mb/s
	// UE 4: 19.96 Mb/s
	// UE 5: 19.94 Mb/s
	// UE 6: 19.96 Mb/s
	// UE 7: 15.87 Mb/s
	// UE 8: 19.96 Mb/s
	// UE 9: 19.96 Mb/s
}
