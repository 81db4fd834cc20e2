package bench

import (
	"testing"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// udpFlood is a UDP flood over a point-to-point link: a sender hands a
// 1000-byte datagram to its socket every frame time of the link (the
// 1030-byte PPP frame takes 82.4 µs at 100 Mb/s), so the link is busy back
// to back without the queue growing. Each datagram costs three events: the
// send, the end of transmission, the arrival.
type udpFlood struct {
	s         *sim.Simulator
	net       *inet.Network
	link      *inet.PointToPointLink
	sock      *inet.UDPSocket
	interval  sim.Time
	sendFn    func(any)
	delivered uint64
	left      int
	err       error
}

const (
	floodPayload = 1000
	floodRate    = 100 * inet.Mbps
	floodDelay   = sim.Millisecond
)

func newUDPFlood(tb testing.TB) *udpFlood {
	tb.Helper()
	f := &udpFlood{s: sim.New(1, 1)}
	f.net = inet.NewNetwork(f.s)
	a, err := f.net.NewNode()
	if err != nil {
		tb.Fatal(err)
	}
	b, err := f.net.NewNode()
	if err != nil {
		tb.Fatal(err)
	}
	f.link, err = f.net.ConnectPointToPoint(a, b, floodRate, floodDelay)
	if err != nil {
		tb.Fatal(err)
	}
	server := b.NewUDPSocket()
	if err := server.Bind(9); err != nil {
		tb.Fatal(err)
	}
	server.SetRecvCallback(func(*inet.UDPSocket, *packet.Packet, inet.RecvInfo) {
		f.delivered++
		f.left--
		if f.left == 0 {
			f.s.Stop()
		}
	})
	f.sock = a.NewUDPSocket()
	if err := f.sock.Connect(f.link.Interfaces[1].Address(), 9); err != nil {
		tb.Fatal(err)
	}
	f.interval = floodRate.TxTime(floodPayload + inet.UDPHeaderSize + inet.IPv4HeaderSize + inet.PPPHeaderSize)
	f.sendFn = f.onSend
	f.s.ScheduleWith(0, f.sendFn, nil)
	return f
}

func (f *udpFlood) onSend(any) {
	if err := f.sock.Send(floodPayload); err != nil {
		f.err = err
		f.s.Stop()
		return
	}
	f.s.ScheduleWith(f.interval, f.sendFn, nil)
}

// deliver runs the flood until n more datagrams have arrived.
func (f *udpFlood) deliver(tb testing.TB, n int) {
	f.left = n
	f.s.Run()
	if f.err != nil {
		tb.Fatal(f.err)
	}
	if f.left != 0 {
		tb.Fatalf("flood stopped with %d datagrams still to deliver", f.left)
	}
}

// BenchmarkUDPFloodP2P floods 1000-byte UDP datagrams over a 100 Mb/s, 1 ms
// point-to-point link between two nodes. One op is one datagram delivered
// to the receiving socket (three events: send, end of transmission,
// arrival). It reports events/s, packets/s (delivered datagrams per wall
// second) and simsec/s (about 12136 datagrams make one simulated second).
// In steady state it allocates nothing: packets come from the network's
// pool and IPv4/UDP headers from per-node free lists.
func BenchmarkUDPFloodP2P(b *testing.B) {
	f := newUDPFlood(b)
	// Warm up: fill the pool, the free lists and the event queue.
	f.deliver(b, 10000)
	events0, now0 := f.s.EventCount(), f.s.Now()
	b.ReportAllocs()
	b.ResetTimer()
	f.deliver(b, b.N)
	b.StopTimer()
	secs := b.Elapsed().Seconds()
	b.ReportMetric(float64(f.s.EventCount()-events0)/secs, "events/s")
	b.ReportMetric(float64(b.N)/secs, "packets/s")
	b.ReportMetric((f.s.Now()-now0).Seconds()/secs, "simsec/s")
	if d := f.link.Devices[0].Stats().Drops; d != 0 {
		b.Fatalf("%d drops: the sender outpaces the link", d)
	}
}

// TestUDPFloodP2P checks the flood itself: every datagram arrives one frame
// time after the previous one, nothing is dropped, the packet pool stops
// growing, and the steady state allocates nothing.
func TestUDPFloodP2P(t *testing.T) {
	f := newUDPFlood(t)
	if f.interval != 82400 {
		t.Fatalf("frame time %v, want 82.4µs", f.interval)
	}
	f.deliver(t, 1000)
	// The 1000th datagram was sent at 999 intervals and arrives one frame
	// time and one delay later.
	if want := 1000*f.interval + floodDelay; f.s.Now() != want {
		t.Fatalf("1000th arrival at %v, want %v", f.s.Now(), want)
	}
	made := f.net.Pool().Allocated()
	if made > 32 {
		t.Fatalf("pool allocated %d packets for a flood with ~13 in flight", made)
	}
	// Let the event queue settle its bucket width and ring size (it adapts
	// every 4096 events), then measure.
	f.deliver(t, 20000)
	allocs := testing.AllocsPerRun(20, func() { f.deliver(t, 1000) })
	if allocs != 0 {
		t.Fatalf("%v allocations per 1000 datagrams in steady state, want 0", allocs)
	}
	if f.net.Pool().Allocated() != made {
		t.Fatalf("pool grew from %d to %d packets", made, f.net.Pool().Allocated())
	}
	if d := f.link.Devices[0].Stats().Drops; d != 0 {
		t.Fatalf("%d drops", d)
	}
}
