// Command demo is netgym's first-run demonstration: an embedded simulation
// that prints something worth knowing. NetRL's Wi-Fi channel with its
// defaults (what scenarios/wifi-sim serves: two 802.11a ad-hoc nodes,
// 20 dBm, LogDistance exponent 3, 54 Mb/s data, 7 transmissions) is stepped
// 1000 times, one 64-byte packet per 1 ms step, at increasing distances;
// the table is the delivery-versus-distance curve of README's validation,
// and shows how delivery follows from the PHY and MAC models (ARP,
// retries, backoff), not from a distance rule. A point-to-point link shows
// the exact arithmetic of the IPv4/UDP stack first.
//
//	go run ./scenarios/demo
//
// It takes no flags; -h says so.
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/wifi"
	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

func main() {
	os.Exit(cli.Main("demo", func(stderr io.Writer) int { return run(os.Args[1:], os.Stdout, stderr) }))
}

func run(args []string, out, diag io.Writer) int {
	p := cli.New("demo", "netgym's first-run demonstration: UDP over a point-to-point link, then 802.11a delivery and delay versus distance.")
	return p.Run(args, out, diag, func() error { return demo(out) })
}

func demo(out io.Writer) error {
	// 1. UDP over a 10 Mb/s, 2 ms point-to-point link.
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	a, _ := net.NewNode()
	b, _ := net.NewNode()
	link, err := net.ConnectPointToPoint(a, b, 10*inet.Mbps, 2*sim.Millisecond)
	if err != nil {
		return err
	}
	rx := b.NewUDPSocket()
	if err := rx.Bind(9); err != nil {
		return err
	}
	rx.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
		fmt.Fprintf(out, "point-to-point: %d-byte datagram from %v arrived at %v\n", p.PayloadSize(), info.From, s.Now())
	})
	tx := a.NewUDPSocket()
	if err := tx.Connect(link.Interfaces[1].Address(), 9); err != nil {
		return err
	}
	if err := tx.Send(1000); err != nil {
		return err
	}
	s.Run()
	fmt.Fprintln(out, "  (1000 B + UDP 8 + IPv4 20 + PPP 2 = 1030 B at 10 Mb/s = 824 us, plus 2 ms delay)")
	fmt.Fprintln(out)

	// 2. 802.11a delivery versus distance, with NetRL's Wi-Fi defaults.
	fmt.Fprintln(out, "NetRL's Wi-Fi channel (wifi-sim's defaults: 802.11a ad-hoc, 54 Mb/s, 20 dBm, LogDistance")
	fmt.Fprintln(out, "exponent 3, 7 transmissions, one 64 B packet per 1 ms step, seed 1 run 1), 1000 steps:")
	fmt.Fprintln(out, "distance  delivered  in its own step  MAC retries")
	for _, d := range []float64{10, 30, 45, 48, 50, 51, 52, 53, 55, 56} {
		delivered, onTime, retries, err := wifiRun(d)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%6.0f m  %8.1f%%  %14.1f%%  %11d\n", d, delivered*100, onTime*100, retries)
	}
	fmt.Fprintln(out, "(ns-3 3.37 with the same settings, its default run: 98.85% at 50 m, 48.9% at 51 m,")
	fmt.Fprintln(out, " 7.65% at 53 m, nothing from 54 m, where that run's ARP exchange fails; see README's")
	fmt.Fprintln(out, " validation. At short range one packet is lost while ARP resolves: its 3-packet pending")
	fmt.Fprintln(out, " queue overflows during the 0-9 ms request jitter, as in ns-3. mac80211's")
	fmt.Fprintln(out, " DefaultPhyConfig keeps ns-3's own 16.0206 dBm: 4 dB less moves this edge from 50 m to about 37 m.)")
	return nil
}

// wifiRun steps NetRL's Wi-Fi channel at distance for 1000 steps and
// returns the fraction delivered, the fraction delivered in its own step
// and the sender's MAC retransmissions.
func wifiRun(distance float64) (delivered, onTime float64, retries uint64, err error) {
	cfg := wifi.DefaultConfig()
	cfg.Distance = distance
	ch, err := wifi.NewChannel(cfg)
	if err != nil {
		return 0, 0, 0, err
	}
	own := 0
	st, err := channelif.RunSteps(context.Background(), ch.Backend(), 1000, cfg.PacketSize, func(a channelif.Arrival, flushed uint32) {
		if a.Step == flushed {
			own++
		}
	})
	if err != nil {
		return 0, 0, 0, err
	}
	return st.Delivery(), float64(own) / float64(st.Sent), wifi.Network(ch).Devices[0].Mac().Counters.TxRetries, nil
}
