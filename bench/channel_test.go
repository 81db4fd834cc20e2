package bench

import (
	"testing"

	"github.com/netgym/netgym/channelif/wifi"
)

// BenchmarkWifiChannelStep steps NetRL's Wi-Fi scenario in process with
// wifi.NewChannel (channelif's generic SimChannel) and NetRL's defaults (1 ms steps, 10 m, 64-byte
// packets): one op is one Transmit plus one Flush. Compare with
// bench/ns3/netrl-wifi.cc --inproc-steps.
func BenchmarkWifiChannelStep(b *testing.B) {
	ch, err := wifi.NewChannel(wifi.DefaultConfig())
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
