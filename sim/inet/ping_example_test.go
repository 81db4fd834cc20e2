package inet_test

import (
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
)

// Ping across a 1 Mb/s link with 5 ms of delay. Each request is 56 data
// bytes + ICMP 8 + IPv4 20 + PPP 2 = 86 bytes on the wire (688 µs), so the
// round trip is 2 × (688 µs + 5 ms) = 11.376 ms.
func ExamplePing() {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	a, _ := net.NewNode()
	b, _ := net.NewNode()
	link, err := net.ConnectPointToPoint(a, b, inet.Mbps, 5*sim.Millisecond)
	if err != nil {
		fmt.Println(err)
		return
	}

	cfg := inet.DefaultPingConfig() // 56 bytes every second, as ns-3
	cfg.Destination = link.Interfaces[1].Address()
	cfg.Count = 3
	ping, err := inet.NewPing(a, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	ping.OnReply = func(r inet.PingReply) {
		fmt.Printf("%d bytes from %v: icmp_seq=%d ttl=%d time=%v\n", r.Bytes, r.From, r.Seq, r.TTL, r.RTT)
	}
	ping.OnReport = func(r inet.PingReport) {
		fmt.Printf("%d packets transmitted, %d received, %d%% packet loss, time %v\n",
			r.Transmitted, r.Received, r.Loss, r.Duration)
		fmt.Printf("rtt min/avg/max/mdev = %v/%v/%v/%v\n", r.RTTMin, r.RTTAvg, r.RTTMax, r.RTTMdev)
	}
	if err := ping.Start(0); err != nil {
		fmt.Println(err)
		return
	}
	s.Run()
	// Output:
	// 64 bytes from 10.1.1.2: icmp_seq=0 ttl=64 time=11.376ms
	// 64 bytes from 10.1.1.2: icmp_seq=1 ttl=64 time=11.376ms
	// 64 bytes from 10.1.1.2: icmp_seq=2 ttl=64 time=11.376ms
	// 3 packets transmitted, 3 received, 0% packet loss, time 2.011376s
	// rtt min/avg/max/mdev = 11.376ms/11.376ms/11.376ms/0s
}
