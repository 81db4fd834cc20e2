package packet_test

import (
	"fmt"

	"github.com/netgym/netgym/sim/packet"
)

// hdr is a minimal header: a name and a size on the wire.
type hdr struct {
	name string
	size int
}

func (h *hdr) Size() int      { return h.size }
func (h *hdr) String() string { return h.name }

// A packet from a pool: 100 payload bytes, then a transport, a network and
// a link header, each counted exactly.
func Example() {
	pool := packet.NewPool()
	p := pool.New(100)
	p.Push(&hdr{"UDP", 8})
	p.Push(&hdr{"IPv4", 20})
	p.Push(&hdr{"PPP", 2})
	fmt.Println(p)

	// The receiving side strips the link header.
	fmt.Println(p.Pop(), "removed:", p.Size(), "bytes left")

	// Done: hand the packet back for reuse.
	p.Release()
	q := pool.New(10)
	fmt.Println("next uid", q.UID(), "reused:", p == q)
	// Output:
	// uid=0 size=130 [PPP] [IPv4] [UDP] payload=100
	// PPP removed: 128 bytes left
	// next uid 1 reused: true
}

type seqTag struct{ Seq int }

func (t *seqTag) String() string { return fmt.Sprint("seq ", t.Seq) }

// Tags carry side information that is not on the wire; they are found by
// type.
func ExampleFindTag() {
	p := packet.NewPool().New(0)
	p.AddTag(&seqTag{Seq: 42})
	if t, ok := packet.FindTag[*seqTag](p); ok {
		fmt.Println(t)
	}
	// Output: seq 42
}

// Each simulation numbers its devices' addresses from 1, as ns-3.
func ExampleMacAllocator() {
	var macs packet.MacAllocator
	fmt.Println(macs.Allocate(), macs.Allocate())
	// Output: 00:00:00:00:00:01 00:00:00:00:00:02
}

// A device that delays every packet by one fixed time keeps them in a FIFO
// and schedules one event per packet without an argument: events of one
// delay fire in the order they were scheduled, so each pops the oldest.
func ExampleFIFO() {
	pool := packet.NewPool()
	var air packet.FIFO[*packet.Packet]
	for _, size := range []int{100, 200, 300} {
		air.Push(pool.New(size)) // and schedule the arrival event
	}
	for air.Len() > 0 { // each arrival event
		p := air.Pop()
		fmt.Println("uid", p.UID(), "size", p.Size())
		p.Release()
	}
	// Output:
	// uid 0 size 100
	// uid 1 size 200
	// uid 2 size 300
}
