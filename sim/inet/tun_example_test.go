package inet_test

import (
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// gtpHeader stands for a GTP-U header: 12 bytes with the tunnel id.
type gtpHeader struct{ TEID uint32 }

func (h *gtpHeader) Size() int      { return 12 }
func (h *gtpHeader) String() string { return fmt.Sprintf("GTP-U teid=%d", h.TEID) }

// Two nodes joined by a 100 Mb/s link carry a tunnel between their tunnel
// devices (7.0.0.1/8 and 7.0.0.2/8), as a PGW and an eNB carry a UE's
// traffic in GTP-U: a device's send function puts the 12-byte tunnel
// header on the packet and sends it to the other end's UDP port 2152; the
// socket there takes the header off and gives the packet back to its
// tunnel device, which passes it up in a zero-delay event.
func ExampleTunDevice() {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	a, _ := net.NewNode()
	b, _ := net.NewNode()
	link, err := net.ConnectPointToPoint(a, b, 100*inet.Mbps, sim.Millisecond)
	if err != nil {
		fmt.Println(err)
		return
	}

	// One tunnel end per node: device, address, socket on port 2152.
	end := func(n *inet.Node, local, peer inet.IPv4Addr, tunAddr inet.IPv4Addr) (*inet.TunDevice, error) {
		sock := n.NewUDPSocket()
		if err := sock.BindAddr(local, 2152); err != nil {
			return nil, err
		}
		encap := func(_ *inet.TunDevice, p *packet.Packet, _ packet.Mac48, _ uint16) error {
			p.Push(&gtpHeader{TEID: 1})
			if err := sock.SendPacketTo(p, peer, 2152); err != nil {
				p.Pop() // leave the packet as it came
				return err
			}
			return nil
		}
		dev, err := inet.NewTunDevice(s, net.MACs().Allocate(), inet.DefaultTunDeviceConfig(), encap)
		if err != nil {
			return nil, err
		}
		sock.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
			q := p.Copy() // the callback only borrows p
			q.Pop()       // the tunnel header
			_ = dev.Receive(q, inet.EtherTypeIPv4)
		})
		_, err = n.AddInterface(dev, tunAddr, 0xff000000)
		return dev, err
	}
	aAddr, bAddr := link.Interfaces[0].Address(), link.Interfaces[1].Address()
	if _, err := end(a, aAddr, bAddr, inet.IPv4AddrFrom4(7, 0, 0, 1)); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := end(b, bAddr, aAddr, inet.IPv4AddrFrom4(7, 0, 0, 2)); err != nil {
		fmt.Println(err)
		return
	}

	app := b.NewUDPSocket()
	_ = app.Bind(9)
	app.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
		fmt.Printf("%v: %d bytes from %v to %v on %v\n", s.Now(), p.Size(), info.From, info.To, info.Interface)
	})
	link.Devices[0].OnTx = func(_ *inet.PointToPointDevice, p *packet.Packet) {
		fmt.Println("on the wire:", p.Size(), "bytes")
	}
	tx := a.NewUDPSocket()
	s.Schedule(0, func() { _ = tx.SendTo(100, inet.IPv4AddrFrom4(7, 0, 0, 2), 9) })
	s.Run()
	// Output:
	// on the wire: 170 bytes
	// 1.0136ms: 100 bytes from 7.0.0.1 to 7.0.0.2 on node 1 if 1 7.0.0.2/8
}
