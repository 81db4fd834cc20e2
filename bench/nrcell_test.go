package bench

import (
	"testing"

	"github.com/netgym/netgym/nr5g"
)

// BenchmarkNrCell runs issue 15's reference 5G NR cell (scenarios/nr-cell
// with its defaults: one gNB, 10 UEs on a 100 m ring, 28 GHz UMa, mu 2,
// 50 MHz, 4x8 and 2x4 arrays, direct-path beams, fast fading, 5G-LENA's
// defaults, 10 Mb/s of downlink CBR per UE from 0.4 to 1.4 s). An op is
// the run of warm-up and traffic, construction excluded (as the
// reference's 11.6 s of Simulator::Run on 5G-LENA); it reports the wall
// seconds per run (wall_s), events/s and the goodput.
func BenchmarkNrCell(b *testing.B) {
	cfg := nr5g.DefaultCellConfig()
	var res nr5g.CellResult
	var events uint64
	wall := 0.0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		c, err := nr5g.NewCell(cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res = c.Run()
		events += res.Events
		wall += res.WallS
	}
	b.ReportMetric(wall/float64(b.N), "wall_s")
	b.ReportMetric(float64(events)/wall, "events/s")
	b.ReportMetric(res.GoodputMbps, "Mb/s")
}
