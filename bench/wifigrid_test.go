package bench

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/netgym/netgym/mac80211/bssgrid"
	"github.com/netgym/netgym/sim"
)

// BenchmarkWifiGrid runs issue 19's large Wi-Fi scenario (mac80211/bssgrid,
// as scenarios/wifi-grid: a grid of BSSs 50 m apart, an AP and 9 stations
// within 10 m each, one 802.11a channel at 54 Mb/s, ns-3's default PHY and
// LogDistance loss, 200-byte Poisson packets every 100 ms, ARP pre-filled)
// at 1,000 and 10,000 nodes, with ns-3's default RxSensitivity (-101 dBm)
// and with -82 dBm. One op is one run: building the grid, the warm-up, a
// short traffic window (300 ms at 1,000 nodes, 100 ms at 10,000) and the
// drain. It reports the wall time per simulated second of traffic
// (s/simsec, what the README's table and the 10 s target are
// about), events per simulated second, the heap per node after the run
// (B/node, garbage collected; the event queue's own arrays included) and
// the delivery ratio. The ns-3 peer is bench/ns3/wifi-grid.cc
// (bench/ns3/wifi-grid-compare.sh).
func BenchmarkWifiGrid(b *testing.B) {
	cases := []struct {
		nodes    int
		sensDbm  float64
		duration sim.Time
	}{
		{1000, -101, 300 * sim.Millisecond},
		{1000, -82, 300 * sim.Millisecond},
		{10000, -101, 100 * sim.Millisecond},
		{10000, -82, 100 * sim.Millisecond},
	}
	for _, c := range cases {
		b.Run(fmt.Sprintf("nodes=%d/sens=%.0f", c.nodes, c.sensDbm), func(b *testing.B) {
			cfg := bssgrid.DefaultConfig()
			cfg.BSSs = c.nodes / (cfg.StationsPerBSS + 1)
			cfg.Duration = c.duration
			cfg.Install.Phy.RxSensitivityDbm = c.sensDbm
			var traffic float64 // wall seconds of traffic, summed over ops
			var simsec float64
			var events uint64
			var perNode, delivery float64
			for b.Loop() {
				b.StopTimer()
				before := heapInUse()
				b.StartTimer()
				g, err := bssgrid.Build(cfg)
				if err != nil {
					b.Fatal(err)
				}
				res, err := g.Run(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				perNode = float64(int64(heapInUse())-int64(before)) / float64(res.Nodes)
				runtime.KeepAlive(g)
				b.StartTimer()
				traffic += res.TrafficWall.Seconds()
				simsec += res.SimSeconds
				events += res.TrafficEvents
				delivery = res.Delivery()
			}
			b.ReportMetric(traffic/simsec, "s/simsec")
			b.ReportMetric(float64(events)/simsec, "events/simsec")
			b.ReportMetric(perNode, "B/node")
			b.ReportMetric(delivery, "delivery")
		})
	}
}

// heapInUse returns the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
