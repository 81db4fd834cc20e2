package bench

import (
	"testing"

	"github.com/netgym/netgym/channelif"
)

// BenchmarkWifiChannelStep steps NetRL's Wi-Fi scenario in process with
// channelif.WifiChannel and NetRL's defaults (1 ms steps, 10 m, 64-byte
// packets): one op is one Transmit plus one Flush. Compare with
// bench/ns3/netrl-wifi.cc --inproc-steps.
func BenchmarkWifiChannelStep(b *testing.B) {
	ch, err := channelif.NewWifiChannel(channelif.DefaultWifiConfig())
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
