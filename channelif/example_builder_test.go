package channelif_test

import (
	"fmt"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// wireBuilder is a technology builder in a few lines: a UE node sends over
// UDP on a 10 Mb/s point-to-point link with 2.5 ms delay to a host's port
// 9. The generic core does the rest: step clock, in-flight ids, RESET, the
// protocol.
type wireBuilder struct{ step sim.Time }

func (w wireBuilder) Spec() channelif.Spec {
	return channelif.Spec{
		Name:              "wire",
		StepDuration:      w.step,
		SendOffset:        channelif.SingleUESendOffset,
		Warmup:            channelif.WarmupAtLeast(10*sim.Millisecond, w.step),
		MaxPacketSize:     1500 - inet.IPv4HeaderSize - inet.UDPHeaderSize,
		DefaultPacketSize: channelif.DefaultPacketSize,
	}
}

func (w wireBuilder) Build(ep channelif.Episode) (channelif.Scenario, error) {
	net := inet.NewNetwork(ep.Sim)
	ue, _ := net.NewNode()
	host, _ := net.NewNode()
	link, err := net.ConnectPointToPoint(ue, host, 10*inet.Mbps, 2500*sim.Microsecond)
	if err != nil {
		return nil, err
	}
	rx := host.NewUDPSocket()
	if err := rx.Bind(9); err != nil {
		return nil, err
	}
	rx.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
		ep.Received(p.UID()) // the core's receive hook
	})
	tx := ue.NewUDPSocket()
	if err := tx.Connect(link.Interfaces[1].Address(), 9); err != nil {
		return nil, err
	}
	return &wire{pool: net.Pool(), tx: tx}, nil
}

// wire is one episode: the sender and the warm-up predicate.
type wire struct {
	pool *packet.Pool
	tx   *inet.UDPSocket
}

func (w *wire) Send(_, size int) (uint64, error) {
	p := w.pool.New(size)
	uid := p.UID()
	if err := w.tx.SendPacket(p); err != nil {
		p.Release()
		return 0, err
	}
	return uid, nil
}

func (w *wire) Ready() bool { return true } // nothing to attach to

// A Builder is all a technology adds: here a wire with 2.5 ms delay under
// 1 ms steps, so every packet arrives in the window of the step after next.
func ExampleNewSimChannel() {
	ch, err := channelif.NewSimChannel(wireBuilder{step: sim.Millisecond}, 1, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("step 0 starts at", ch.Clock().Start())
	for step := uint32(0); step < 5; step++ {
		_ = ch.Transmit(step, 64)
		ids, _ := ch.Flush(step)
		fmt.Println("step", step, "received", ids)
	}
	// Output:
	// step 0 starts at 10ms
	// step 0 received []
	// step 1 received []
	// step 2 received [0]
	// step 3 received [1]
	// step 4 received [2]
}

// A backend's limits: one flush may advance the simulation by at most
// Spec.MaxAdvance (10 minutes unless the Spec says otherwise) and at most
// MaxPending packets may wait for steps not reached yet; beyond them the
// call returns an error and changes nothing (Serve answers ERROR).
func ExampleSimBackend_limits() {
	ch, err := channelif.NewSimChannel(wireBuilder{step: sim.Millisecond}, 1, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	b := ch.Backend()
	fmt.Println("max advance", b.Spec().Advance(), "max pending", b.Spec().Pending())
	_, err = b.Flush(1_000_000_000)
	fmt.Println(err)
	fmt.Println(b.CheckStep(10, 1))
	// Output:
	// max advance 10m0s max pending 65536
	// wire: step 1000000000 ends 277h46m40.001s ahead of the simulation (now 10ms), more than the 10m0s one command may advance (max advance)
	// <nil>
}
