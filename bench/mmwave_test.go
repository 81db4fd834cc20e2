package bench

import (
	"testing"

	"github.com/netgym/netgym/channelif/mmwave"
	mmw "github.com/netgym/netgym/mmwave"
)

// BenchmarkMmwaveCell runs the reference mmWave cell of scenarios/
// mmwave-cell (ns3-mmwave v7.0's defaults, 10 UEs on a 100 m ring around
// an eNB at 25 m, 28 GHz, 200 MHz, downlink UDP CBR of 20 Mb/s per UE in
// 1200-byte datagrams from 0.4 s to 1.4 s): one op is one run of the
// built cell (construction excluded, as the reference measures). It
// reports the run's wall time (ns3-mmwave v7.0: 120 s on this machine
// class), events/s and the goodput (ns3-mmwave: 120.6 Mb/s).
func BenchmarkMmwaveCell(b *testing.B) {
	cfg := mmw.DefaultCellConfig()
	var res mmw.CellResult
	var wall float64
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		c, err := mmw.NewCell(cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res = c.Run()
		wall += res.WallS
	}
	b.ReportMetric(wall/float64(b.N), "wall_s")
	b.ReportMetric(float64(res.Events)*float64(b.N)/wall, "events/s")
	b.ReportMetric(res.GoodputMbps, "Mb/s")
}

// BenchmarkMmwaveChannelStep steps NetRL's mmWave scenario in process with
// channelif/mmwave's SimChannel and NetRL's defaults (1 ms steps, 50 m,
// 64-byte packets): one op is one Transmit plus one Flush.
func BenchmarkMmwaveChannelStep(b *testing.B) {
	ch, err := mmwave.NewChannel(mmwave.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	step := uint32(0)
	for b.Loop() {
		if err := ch.Transmit(step, 64); err != nil {
			b.Fatal(err)
		}
		if _, err := ch.Flush(step); err != nil {
			b.Fatal(err)
		}
		step++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}
