package channelif

import (
	"io"
	"strconv"
	"strings"
	"testing"
)

// benchChannel runs one environment step (Transmit then Flush) per op and
// reports steps/s.
func benchChannel(b *testing.B, ch CommChannel) {
	b.ReportAllocs()
	var step uint32
	for b.Loop() {
		if err := ch.Transmit(step, 64); err != nil {
			b.Fatal(err)
		}
		if _, err := ch.Flush(step); err != nil {
			b.Fatal(err)
		}
		step++
	}
	b.ReportMetric(float64(step)/b.Elapsed().Seconds(), "steps/s")
}

func BenchmarkPerfectChannel(b *testing.B) {
	benchChannel(b, NewPerfectChannel())
}

func BenchmarkGEChannel(b *testing.B) {
	for _, delay := range []int{0, 5} {
		b.Run("delay="+strconv.Itoa(delay), func(b *testing.B) {
			cfg := DefaultGEConfig()
			cfg.DelaySteps = delay
			ch, err := NewGEChannel(cfg)
			if err != nil {
				b.Fatal(err)
			}
			benchChannel(b, ch)
		})
	}
}

// BenchmarkCentralNode steps a one-node CentralNode over a GE channel: the
// value bookkeeping on top of the channel.
func BenchmarkCentralNode(b *testing.B) {
	cfg := DefaultCentralNodeConfig()
	ge := DefaultGEConfig()
	c, err := NewCentralNode[[]float64]([]string{"n"}, cfg, ge.Factory())
	if err != nil {
		b.Fatal(err)
	}
	obs := [][]float64{{1, 2, 3, 4}}
	b.ReportAllocs()
	var step uint32
	for b.Loop() {
		if err := c.Step(step, obs); err != nil {
			b.Fatal(err)
		}
		step++
	}
	b.ReportMetric(float64(step)/b.Elapsed().Seconds(), "steps/s")
}

// BenchmarkServe measures the protocol layer in process (no pipes): NetRL's
// TRANSMIT+FLUSH pair and netgym's STEP, over a PerfectChannel.
func BenchmarkServe(b *testing.B) {
	const steps = 1000
	for _, form := range []string{"TRANSMIT+FLUSH", "STEP"} {
		b.Run(form, func(b *testing.B) {
			var in strings.Builder
			for i := range steps {
				s := strconv.Itoa(i)
				if form == "STEP" {
					in.WriteString("STEP " + s + " 64\n")
				} else {
					in.WriteString("TRANSMIT " + s + " 64\nFLUSH " + s + "\n")
				}
			}
			input := in.String()
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				backend, _ := NewChannelBackend(NewPerfectChannel(), DefaultChannelBackendConfig())
				if err := Serve(strings.NewReader(input), io.Discard, backend, ServeOptions{}); err != nil {
					b.Fatal(err)
				}
				n += steps
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "steps/s")
		})
	}
}
