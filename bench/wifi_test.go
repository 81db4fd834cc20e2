package bench

import (
	"fmt"
	"testing"

	"github.com/netgym/netgym/mac80211"
)

// BenchmarkWifiSaturation runs the udp saturation scenario of
// scenarios/wifi-saturation (802.11a ad-hoc, 54 Mb/s data / 6 Mb/s control,
// 1500-byte UDP CBR at 60 Mb/s per station on a 5 m ring, 1 s warm-up,
// 10 s of traffic): one op is one complete run, setup included. It reports
// simsec/s (11 simulated seconds per op's wall time), events/s and the
// goodput. ARP caches are pre-filled: with dynamic ARP the stations'
// simultaneous requests collide and at n=50 most (in ns-3 3.37 too,
// depending on the seed, all) senders never resolve the receiver, so the
// comparison is with bench/ns3/wifi-saturation.cc --staticArp=1.
func BenchmarkWifiSaturation(b *testing.B) {
	for _, n := range []int{10, 50} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			cfg := mac80211.DefaultSaturationConfig()
			cfg.N = n
			cfg.StaticARP = true
			var res mac80211.SaturationResult
			var events uint64
			b.ReportAllocs()
			for b.Loop() {
				r, err := mac80211.RunSaturation(cfg)
				if err != nil {
					b.Fatal(err)
				}
				res = r
				events += r.Events
			}
			simsec := (cfg.Warmup + cfg.Duration).Seconds()
			b.ReportMetric(simsec*float64(b.N)/b.Elapsed().Seconds(), "simsec/s")
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(res.ThroughputMbps, "Mb/s")
		})
	}
}
