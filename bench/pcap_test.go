package bench

import (
	"path/filepath"
	"testing"

	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/pcap"
)

// BenchmarkUDPFloodP2PPcap is BenchmarkUDPFloodP2P with both devices
// writing pcap traces to files (two 1032-byte PPP frames per datagram:
// sent and received): the difference between the two ns/op is the cost of
// tracing two frames, serialisation and file writes. 0 allocs/op.
func BenchmarkUDPFloodP2PPcap(b *testing.B) {
	f := newUDPFlood(b)
	ws, err := f.net.EnablePcapAll(filepath.Join(b.TempDir(), "flood"))
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	f.deliver(b, 10000)
	count := func() (frames, bytes uint64) {
		for _, w := range ws {
			frames += w.Frames()
			bytes += w.Bytes()
		}
		return frames, bytes
	}
	frames0, bytes0 := count()
	b.ReportAllocs()
	b.ResetTimer()
	f.deliver(b, b.N)
	if err := ws.Flush(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	frames, bytes := count()
	b.ReportMetric(float64(frames-frames0)/float64(b.N), "frames/op")
	b.ReportMetric(float64(bytes-bytes0)/b.Elapsed().Seconds()/1e6, "MB/s")
}

// BenchmarkPcapWriteFrame is the writer alone: one 1088-byte 802.11 data
// frame (radiotap, MAC header, LLC/SNAP, IPv4, UDP, 1000 payload bytes,
// FCS) serialised from its typed headers and appended to a buffered file:
// the per-frame overhead of a Wi-Fi trace, file writes included (about
// 370 ns of it is serialisation and copying, the rest the file system).
// 0 allocs/op.
func BenchmarkPcapWriteFrame(b *testing.B) {
	s := sim.New(1, 1)
	cfg := mac80211.DefaultNetworkConfig()
	cfg.StaticARP = true
	w, err := mac80211.NewNetwork(s, cfg, []mobility.Vector{{X: 0}, {X: 10}})
	if err != nil {
		b.Fatal(err)
	}
	// Capture one data frame as the PHY sends it.
	var frame mac80211.Frame
	phy := w.Devices[0].Mac().Phy()
	phy.OnTxStart = func(f *mac80211.Frame) {
		if f.Header.Type == mac80211.FrameData && frame.MSDU == nil {
			frame = *f
			frame.MSDU = f.MSDU.Copy()
		}
	}
	tx := w.Nodes[0].NewUDPSocket()
	if err := tx.SendTo(1000, w.Addr(1), 9); err != nil {
		b.Fatal(err)
	}
	s.RunUntil(10 * sim.Millisecond)
	if frame.MSDU == nil {
		b.Fatal("no data frame sent")
	}
	pw, err := pcap.Create(filepath.Join(b.TempDir(), "frames.pcap"), pcap.DefaultConfig(pcap.LinkTypeRadiotap))
	if err != nil {
		b.Fatal(err)
	}
	defer pw.Close()
	r := pcap.Radiotap{Flags: pcap.RadiotapFlagFCS, Rate: 108, ChannelMHz: 5180,
		ChannelFlags: pcap.RadiotapChannelOFDM | pcap.RadiotapChannel5GHz, HasSignal: true, SignalDbm: -60, NoiseDbm: -94}
	b.ReportAllocs()
	b.SetBytes(int64(r.Len() + frame.Size()))
	for b.Loop() {
		buf := pcap.AppendRadiotap(pw.Buffer(), &r)
		buf = frame.AppendWire(buf, s.Now())
		pw.WriteFrame(s.Now(), buf)
	}
	if err := pw.Flush(); err != nil {
		b.Fatal(err)
	}
}
