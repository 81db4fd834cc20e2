package packet_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim/packet"
)

// fixedHeader is a shared, immutable header (no Cloner).
type fixedHeader struct {
	name string
	size int
}

func (h *fixedHeader) Size() int      { return h.size }
func (h *fixedHeader) String() string { return h.name }

// pooledHeader is drawn from a FreeList, as inet's IPv4 and UDP headers.
type pooledHeader struct {
	Value    int
	list     *packet.FreeList[pooledHeader]
	released int
}

func (h *pooledHeader) Size() int      { return 10 }
func (h *pooledHeader) String() string { return fmt.Sprintf("pooled %d", h.Value) }
func (h *pooledHeader) Clone() packet.Header {
	c := h.list.Get()
	*c = *h
	c.released = 0
	return c
}
func (h *pooledHeader) Release() {
	h.released++
	h.list.Put(h)
}

type flowTag struct{ ID int }

func (t *flowTag) String() string { return fmt.Sprintf("flow %d", t.ID) }

type prioTag uint8

func (t prioTag) String() string { return fmt.Sprintf("prio %d", uint8(t)) }

func TestMac48(t *testing.T) {
	tests := []struct {
		n    uint64
		text string
		bc   bool
		grp  bool
	}{
		{1, "00:00:00:00:00:01", false, false},
		{0x0a, "00:00:00:00:00:0a", false, false},
		{0x123456789abc, "12:34:56:78:9a:bc", false, false},
		{0x010000000000, "01:00:00:00:00:00", false, true},
		{0xffffffffffff, "ff:ff:ff:ff:ff:ff", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			m := packet.Mac48FromUint(tt.n)
			assert.Equal(t, tt.text, m.String())
			assert.Equal(t, tt.n, m.Uint64())
			assert.Equal(t, tt.bc, m.IsBroadcast())
			assert.Equal(t, tt.grp, m.IsGroup())
			parsed, err := packet.ParseMac48(tt.text)
			require.NoError(t, err)
			assert.Equal(t, m, parsed)
		})
	}
	assert.True(t, packet.BroadcastMac48.IsBroadcast())
}

func TestParseMac48Errors(t *testing.T) {
	for _, s := range []string{"", "00:00:00:00:00", "00:00:00:00:00:00:00", "00:00:00:00:00:zz", "000:00:00:00:00:00", "00::00:00:00:00"} {
		_, err := packet.ParseMac48(s)
		assert.Error(t, err, "%q", s)
	}
}

func TestMacAllocator(t *testing.T) {
	var a, b packet.MacAllocator
	assert.Equal(t, "00:00:00:00:00:01", a.Allocate().String())
	assert.Equal(t, "00:00:00:00:00:02", a.Allocate().String())
	// A second allocator (another simulation) starts again at 1.
	assert.Equal(t, "00:00:00:00:00:01", b.Allocate().String())
	assert.Equal(t, uint64(2), a.Allocated())
}

func TestHeaderStack(t *testing.T) {
	pool := packet.NewPool()
	p := pool.New(100)
	ip := &fixedHeader{"ip", 20}
	udp := &fixedHeader{"udp", 8}
	ppp := &fixedHeader{"ppp", 2}

	tests := []struct {
		op       string
		h        packet.Header
		wantSize int
		wantTop  packet.Header
	}{
		{"push udp", udp, 108, udp},
		{"push ip", ip, 128, ip},
		{"push ppp", ppp, 130, ppp},
		{"pop", nil, 128, ip},
		{"pop", nil, 108, udp},
	}
	for _, tt := range tests {
		if tt.h != nil {
			p.Push(tt.h)
		} else {
			p.Pop()
		}
		assert.Equal(t, tt.wantSize, p.Size(), tt.op)
		assert.Same(t, tt.wantTop, p.Peek(), tt.op)
	}
	assert.Equal(t, 100, p.PayloadSize())
	assert.Equal(t, 8, p.HeaderSize())
	p.Push(ip)
	assert.Equal(t, []packet.Header{ip, udp}, p.Headers())
	assert.Same(t, ip, p.HeaderAt(0))
	assert.Same(t, udp, p.HeaderAt(1))
	assert.Nil(t, p.HeaderAt(2))
	assert.Nil(t, p.HeaderAt(-1))
	got, ok := packet.FindHeader[*fixedHeader](p)
	require.True(t, ok)
	assert.Same(t, ip, got)
	_, ok = packet.FindHeader[*pooledHeader](p)
	assert.False(t, ok)
	assert.Equal(t, "uid=0 size=128 [ip] [udp] payload=100", p.String())

	p.Pop()
	p.Pop()
	assert.Nil(t, p.Pop())
	assert.Nil(t, p.Peek())
	assert.Equal(t, 100, p.Size())
	p.Push(nil)
	assert.Equal(t, 0, p.NumHeaders())
}

func TestPayload(t *testing.T) {
	pool := packet.NewPool()
	p := pool.NewWithPayload([]byte("hello"))
	assert.Equal(t, 5, p.Size())
	assert.Equal(t, []byte("hello"), p.Payload())
	p.SetPayloadSize(-3)
	assert.Equal(t, 0, p.Size())
	assert.Nil(t, p.Payload())
	assert.Equal(t, 0, pool.New(-1).Size())
}

func TestTags(t *testing.T) {
	p := packet.NewPool().New(0)
	ft := &flowTag{ID: 7}
	p.AddTag(ft)
	p.AddTag(prioTag(3))
	p.AddTag(nil)
	assert.Equal(t, 2, p.NumTags())

	got, ok := packet.FindTag[*flowTag](p)
	require.True(t, ok)
	assert.Same(t, ft, got)
	prio, ok := packet.FindTag[prioTag](p)
	require.True(t, ok)
	assert.Equal(t, prioTag(3), prio)

	removed, ok := packet.RemoveTag[*flowTag](p)
	require.True(t, ok)
	assert.Same(t, ft, removed)
	_, ok = packet.FindTag[*flowTag](p)
	assert.False(t, ok)
	_, ok = packet.RemoveTag[*flowTag](p)
	assert.False(t, ok)
	assert.Equal(t, prioTag(3), p.TagAt(0))
	assert.Nil(t, p.TagAt(1))
}

func TestCopy(t *testing.T) {
	pool := packet.NewPool()
	var list packet.FreeList[pooledHeader]
	shared := &fixedHeader{"ppp", 2}
	owned := list.Get()
	*owned = pooledHeader{Value: 1, list: &list}
	payload := []byte{1, 2, 3}

	p := pool.NewWithPayload(payload)
	p.Push(owned)
	p.Push(shared)
	p.AddTag(&flowTag{ID: 9})
	q := p.Copy()

	assert.Equal(t, p.UID(), q.UID())
	assert.Equal(t, p.Size(), q.Size())
	assert.Same(t, &payload[0], &q.Payload()[0], "payload shared, not copied")
	assert.Same(t, shared, q.HeaderAt(0), "immutable header shared")
	qOwned := q.HeaderAt(1).(*pooledHeader)
	assert.NotSame(t, owned, qOwned, "Cloner header cloned")
	qOwned.Value = 2
	assert.Equal(t, 1, owned.Value)
	tag, ok := packet.FindTag[*flowTag](q)
	require.True(t, ok)
	assert.Equal(t, 9, tag.ID)

	// A copy's stack is independent.
	q.Pop()
	assert.Equal(t, 2, p.NumHeaders())
	assert.Equal(t, 1, q.NumHeaders())

	// Releasing the copy releases only its own header.
	q.Release()
	assert.Equal(t, 0, owned.released)
	assert.Equal(t, 1, qOwned.released)
	p.Release()
	assert.Equal(t, 1, owned.released)

	// A packet without a pool copies too.
	var bare packet.Packet
	bare.SetPayloadSize(4)
	assert.Equal(t, 4, bare.Copy().Size())
	bare.Release() // no pool: nothing happens
}

func TestPoolRecycles(t *testing.T) {
	pool := packet.NewPool()
	p := pool.New(10)
	assert.Equal(t, uint64(0), p.UID(), "ns-3's first packet has uid 0")
	p.Push(&fixedHeader{"h", 4})
	p.AddTag(&flowTag{})
	pool.Put(p)
	pool.Put(p) // second Put ignored
	assert.Equal(t, 1, pool.Idle())

	q := pool.New(3)
	assert.Same(t, p, q, "recycled")
	assert.Equal(t, uint64(1), q.UID())
	assert.Equal(t, 3, q.Size())
	assert.Equal(t, 0, q.NumHeaders())
	assert.Equal(t, 0, q.NumTags())
	assert.Equal(t, uint64(2), pool.NextUID())
	assert.Equal(t, uint64(1), pool.Allocated())

	// A packet from another pool is not adopted.
	other := packet.NewPool().New(1)
	pool.Put(other)
	assert.Equal(t, 0, pool.Idle())
}

func TestPoolSteadyStateDoesNotAllocate(t *testing.T) {
	pool := packet.NewPool()
	var list packet.FreeList[pooledHeader]
	shared := &fixedHeader{"ppp", 2}
	cycle := func() {
		p := pool.New(1000)
		h := list.Get()
		*h = pooledHeader{Value: 1, list: &list}
		p.Push(h)
		p.Push(shared)
		p.AddTag(prioTag(1))
		q := p.Copy()
		q.Release()
		p.Release()
	}
	cycle()
	allocs := testing.AllocsPerRun(100, cycle)
	assert.Zero(t, allocs)
}

func TestFreeList(t *testing.T) {
	var l packet.FreeList[int]
	a := l.Get()
	*a = 5
	l.Put(a)
	l.Put(nil)
	assert.Equal(t, 1, l.Idle())
	b := l.Get()
	assert.Same(t, a, b)
	assert.Equal(t, 5, *b, "recycled values keep their contents")
	assert.Equal(t, uint64(1), l.Allocated())
}
