package pcap_test

import (
	"bytes"
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/sim/pcap"
)

// A raw-IP trace of one UDP datagram built from typed headers: AppendPacket
// writes their bytes (the IPv4 checksum filled in) and zeros for the
// virtual payload.
func ExampleNewWriter() {
	var file bytes.Buffer // or pcap.Create("trace.pcap", ...)
	w, err := pcap.NewWriter(&file, pcap.DefaultConfig(pcap.LinkTypeRaw))
	if err != nil {
		fmt.Println(err)
		return
	}
	p := packet.NewPool().New(4)
	p.Push(&inet.UDPHeader{SrcPort: 49153, DstPort: 9, Length: 12})
	p.Push(&inet.IPv4Header{Src: inet.IPv4AddrFrom4(10, 1, 1, 1), Dst: inet.IPv4AddrFrom4(10, 1, 1, 2),
		Protocol: inet.ProtoUDP, TTL: 64, PayloadSize: 12})
	frame := pcap.AppendPacket(w.Buffer(), p)
	fmt.Printf("% x\n", frame[:20])
	w.WriteFrame(1500*sim.Microsecond, frame)
	if err := w.Close(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(w.Frames(), "frame,", file.Len(), "bytes in the file")
	// Output:
	// 45 00 00 20 00 00 00 00 40 11 64 c9 0a 01 01 01 0a 01 01 02
	// 1 frame, 72 bytes in the file
}
