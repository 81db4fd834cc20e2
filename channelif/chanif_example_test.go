package channelif_test

import (
	"errors"
	"fmt"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/spaces"
)

// Two simple interfaces, as an observation application and an agent: a
// message takes the sender's 5 ms delay. The value itself is handed over;
// only its size is counted.
func ExampleSimpleChannelInterface() {
	s := sim.New(1, 1)
	obs, _ := channelif.NewSimpleChannelInterface(s, 5*sim.Millisecond)
	agent, _ := channelif.NewSimpleChannelInterface(s, 0)
	if err := obs.Connect(agent); err != nil {
		fmt.Println(err)
		return
	}
	agent.AddRecvCallback(func(msg spaces.Value) {
		fmt.Printf("%v: agent got %v\n", s.Now(), msg)
	})
	s.Schedule(sim.Second, func() {
		msg := spaces.NewDictValue().Set("obs", spaces.UintBox(3, 1, 4))
		if err := obs.Send(msg); err != nil {
			fmt.Println(err)
		}
	})
	s.Run()
	fmt.Println(agent.Stats().RxBytes, "bytes")
	// Output:
	// 1.005s: agent got {obs: [3 1 4]}
	// 12 bytes
}

// Socket interfaces send each message as a UDP datagram through the
// simulated network: here a 1 Mb/s, 2 ms point-to-point link. The 2-byte
// message makes a 32-byte frame (UDP 8, IPv4 20, PPP 2), 256 µs on the
// wire.
func ExampleSocketChannelInterface() {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	a, _ := net.NewNode()
	b, _ := net.NewNode()
	if _, err := net.ConnectPointToPoint(a, b, inet.Mbps, 2*sim.Millisecond); err != nil {
		fmt.Println(err)
		return
	}
	obs, err := channelif.NewSocketChannelInterface(a, channelif.DefaultSocketConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	agent, err := channelif.NewSocketChannelInterface(b, channelif.SocketConfig{Port: 9})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := obs.Connect(agent); err != nil {
		fmt.Println(err)
		return
	}
	agent.AddRecvCallback(func(msg spaces.Value) {
		fmt.Printf("%v: agent got %v\n", s.Now(), msg)
	})
	s.Schedule(0, func() {
		if err := obs.Send(spaces.DiscreteValue(7)); err != nil {
			fmt.Println(err)
		}
	})
	s.Run()

	_, err = channelif.NewSocketChannelInterface(a, channelif.SocketConfig{Protocol: channelif.SocketTCP})
	fmt.Println(errors.Is(err, channelif.ErrTCPNotSupported))
	// Output:
	// 2.256ms: agent got 7
	// true
}
