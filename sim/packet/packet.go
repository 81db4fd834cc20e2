// Package packet is netgym's packet: a uid, a payload (real bytes or a
// virtual size), a stack of typed protocol headers and a few typed tags.
//
// Headers are Go values that count their bytes exactly (Size), so that a
// packet's Size is what it would occupy on the wire; nothing is serialised
// to bytes. Packets come from a per-simulation Pool that numbers them and
// recycles them, so that the hot path of a simulation does not allocate.
//
// # Ownership
//
// A packet has one owner at a time. Whoever holds it may push and pop
// headers, hand it on (to a device, a queue, the layer above) or give it
// back with Release. A function that accepts a packet takes ownership when
// it succeeds; a call that returns an error leaves the packet with the
// caller. A receive callback (a socket's, a device's upper layer's, a trace
// hook) borrows the packet: it must not keep it, or Release it, after it
// returns; to keep the contents it calls Copy and owns the copy. Packets
// that are never released are simply garbage collected.
//
// Headers pushed on a packet belong to it. Header types that implement
// Cloner are duplicated by Copy, so a packet may change them in place (a
// router decrementing the IPv4 TTL); other headers are shared between
// copies and must be treated as immutable once pushed.
package packet

import (
	"fmt"
	"strings"
)

// Header is a protocol header carried on a packet. Implementations are
// pointer types (e.g. *inet.IPv4Header), so that storing one in a packet's
// header stack does not allocate.
type Header interface {
	// Size is the exact number of bytes the header occupies on the wire.
	Size() int
	// String describes the header for traces and test failures.
	String() string
}

// Cloner is implemented by headers that a packet owns exclusively. Copy
// calls Clone for each of them, so a copy never shares such a header with
// its original. Headers drawn from a FreeList implement Cloner and Releaser.
type Cloner interface {
	Clone() Header
}

// Releaser is implemented by headers drawn from a free list. Release hands
// the header back to its list; Pool.Put releases every header still on the
// packet's stack, and a protocol that pops a header may release it once it
// is done with it. A header that implements Releaser must implement Cloner
// too, so that no two packets ever share it.
type Releaser interface {
	Release()
}

// Tag is a small typed value attached to a packet that is not part of its
// bytes (a flow id, a timestamp, a channel message key), as ns-3's packet
// tags. Tags are found by their dynamic type (FindTag, RemoveTag), so give
// each kind of tag its own type. A tag on the hot path should be a pointer
// (or a value of at most one machine word that Go can box without
// allocating); tags are shared by copies and must not be changed after
// being added.
type Tag interface {
	String() string
}

// Packet is a network packet: a uid, a payload and a stack of headers. Get
// packets from a Pool; the zero Packet is an empty packet with uid 0 and no
// pool.
type Packet struct {
	uid         uint64
	payloadSize int
	payload     []byte
	// headers holds the stack innermost first, so Push is an append.
	headers   []Header
	headerLen int
	tags      []Tag
	pool      *Pool
	free      bool
}

// UID returns the packet's unique id within its pool. Copies keep the uid
// of their original, as in ns-3.
func (p *Packet) UID() uint64 { return p.uid }

// Size returns the packet's length in bytes: payload plus every header on
// the stack.
func (p *Packet) Size() int { return p.payloadSize + p.headerLen }

// PayloadSize returns the payload length in bytes.
func (p *Packet) PayloadSize() int { return p.payloadSize }

// HeaderSize returns the total size of the headers on the stack.
func (p *Packet) HeaderSize() int { return p.headerLen }

// Payload returns the payload bytes, or nil when the payload is virtual
// (PayloadSize zero bytes that are never materialised). The slice is shared
// with every copy of the packet: do not modify it.
func (p *Packet) Payload() []byte { return p.payload }

// SetPayload makes b the payload: PayloadSize becomes len(b). The packet
// references b, it does not copy it; do not modify b afterwards. A nil b
// sets an empty virtual payload.
func (p *Packet) SetPayload(b []byte) {
	p.payload = b
	p.payloadSize = len(b)
}

// SetPayloadSize replaces the payload with n virtual zero bytes. A negative
// n is treated as 0.
func (p *Packet) SetPayloadSize(n int) {
	p.payload = nil
	p.payloadSize = max(n, 0)
}

// Push puts h on top of the header stack: it becomes the outermost header.
// A nil h is ignored.
func (p *Packet) Push(h Header) {
	if h == nil {
		return
	}
	p.headers = append(p.headers, h)
	p.headerLen += h.Size()
}

// Pop removes the outermost header and returns it, or nil if the stack is
// empty. The caller owns the header: it may Release it when done with it.
func (p *Packet) Pop() Header {
	n := len(p.headers)
	if n == 0 {
		return nil
	}
	h := p.headers[n-1]
	p.headers[n-1] = nil
	p.headers = p.headers[:n-1]
	p.headerLen -= h.Size()
	return h
}

// Peek returns the outermost header without removing it, or nil.
func (p *Packet) Peek() Header {
	if n := len(p.headers); n > 0 {
		return p.headers[n-1]
	}
	return nil
}

// NumHeaders returns the number of headers on the stack.
func (p *Packet) NumHeaders() int { return len(p.headers) }

// HeaderAt returns the i-th header counted from the outside (0 is the
// outermost), or nil if there is no such header. It does not allocate.
func (p *Packet) HeaderAt(i int) Header {
	n := len(p.headers)
	if i < 0 || i >= n {
		return nil
	}
	return p.headers[n-1-i]
}

// Headers returns the header stack, outermost first, in a new slice.
func (p *Packet) Headers() []Header {
	out := make([]Header, len(p.headers))
	for i, h := range p.headers {
		out[len(out)-1-i] = h
	}
	return out
}

// FindHeader returns the outermost header of type T on p's stack, if any.
func FindHeader[T Header](p *Packet) (T, bool) {
	for i := len(p.headers) - 1; i >= 0; i-- {
		if h, ok := p.headers[i].(T); ok {
			return h, true
		}
	}
	var zero T
	return zero, false
}

// AddTag attaches t to the packet. It does not look for an existing tag of
// the same type; use RemoveTag first to replace one. A nil t is ignored.
func (p *Packet) AddTag(t Tag) {
	if t != nil {
		p.tags = append(p.tags, t)
	}
}

// NumTags returns the number of tags attached to the packet.
func (p *Packet) NumTags() int { return len(p.tags) }

// TagAt returns the i-th tag in the order they were added, or nil.
func (p *Packet) TagAt(i int) Tag {
	if i < 0 || i >= len(p.tags) {
		return nil
	}
	return p.tags[i]
}

// FindTag returns the first tag of type T attached to p, if any.
func FindTag[T Tag](p *Packet) (T, bool) {
	for _, t := range p.tags {
		if v, ok := t.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

// RemoveTag removes the first tag of type T attached to p and returns it,
// if any.
func RemoveTag[T Tag](p *Packet) (T, bool) {
	for i, t := range p.tags {
		if v, ok := t.(T); ok {
			copy(p.tags[i:], p.tags[i+1:])
			p.tags[len(p.tags)-1] = nil
			p.tags = p.tags[:len(p.tags)-1]
			return v, true
		}
	}
	var zero T
	return zero, false
}

// Copy returns a new packet, from the same pool, with the same uid, the
// same payload (shared, not copied), the same tags and the same header
// stack. Headers that implement Cloner are cloned; the others are shared.
// Receivers of a broadcast each get a copy.
func (p *Packet) Copy() *Packet {
	var q *Packet
	if p.pool != nil {
		q = p.pool.get()
	} else {
		q = new(Packet)
	}
	q.uid = p.uid
	q.payload = p.payload
	q.payloadSize = p.payloadSize
	q.headerLen = p.headerLen
	for _, h := range p.headers {
		if c, ok := h.(Cloner); ok {
			h = c.Clone()
		}
		q.headers = append(q.headers, h)
	}
	q.tags = append(q.tags, p.tags...)
	return q
}

// Release gives the packet back to its pool (see Pool.Put). It does nothing
// for a packet that has no pool.
func (p *Packet) Release() {
	if p.pool != nil {
		p.pool.Put(p)
	}
}

// String describes the packet: uid, size and headers outermost first.
func (p *Packet) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "uid=%d size=%d", p.uid, p.Size())
	for i := len(p.headers) - 1; i >= 0; i-- {
		b.WriteString(" [")
		b.WriteString(p.headers[i].String())
		b.WriteString("]")
	}
	fmt.Fprintf(&b, " payload=%d", p.payloadSize)
	return b.String()
}

// Pool hands out packets and recycles them. One simulation uses one Pool,
// so that uids are unique within it; like the simulation, a Pool is used
// from a single goroutine. The zero value is not ready: use NewPool.
type Pool struct {
	free    []*Packet
	nextUID uint64
	made    uint64
}

// NewPool returns an empty pool whose first packet has uid 0, as ns-3's
// first packet.
func NewPool() *Pool { return &Pool{} }

func (pl *Pool) get() *Packet {
	if n := len(pl.free); n > 0 {
		p := pl.free[n-1]
		pl.free[n-1] = nil
		pl.free = pl.free[:n-1]
		p.free = false
		return p
	}
	pl.made++
	return &Packet{pool: pl, headers: make([]Header, 0, 4)}
}

// New returns a packet with the next uid and payloadSize virtual payload
// bytes (a negative size is treated as 0). It reuses a released packet when
// there is one.
func (pl *Pool) New(payloadSize int) *Packet {
	p := pl.get()
	p.uid = pl.nextUID
	pl.nextUID++
	p.payloadSize = max(payloadSize, 0)
	return p
}

// NewWithPayload returns a packet with the next uid and b as payload (b is
// referenced, not copied).
func (pl *Pool) NewWithPayload(b []byte) *Packet {
	p := pl.New(0)
	p.SetPayload(b)
	return p
}

// Put recycles p: the headers still on its stack are released (those that
// implement Releaser), its tags and payload are dropped, and a later New or
// Copy may return the same *Packet. The caller must not use p afterwards.
// Putting a packet twice, or a packet from another pool, does nothing.
func (pl *Pool) Put(p *Packet) {
	if p == nil || p.pool != pl || p.free {
		return
	}
	for i, h := range p.headers {
		if r, ok := h.(Releaser); ok {
			r.Release()
		}
		p.headers[i] = nil
	}
	p.headers = p.headers[:0]
	p.headerLen = 0
	clear(p.tags)
	p.tags = p.tags[:0]
	p.payload = nil
	p.payloadSize = 0
	p.free = true
	pl.free = append(pl.free, p)
}

// NextUID returns the uid the next New will assign (the number of packets
// created so far, copies excluded).
func (pl *Pool) NextUID() uint64 { return pl.nextUID }

// Allocated returns how many Packet structs the pool has allocated; in a
// steady state it stops growing.
func (pl *Pool) Allocated() uint64 { return pl.made }

// Idle returns how many released packets wait in the pool for reuse.
func (pl *Pool) Idle() int { return len(pl.free) }

// FreeList is a free list of *T, for header structs that a protocol draws
// for every packet it sends and gets back when packets are released. Like
// a Pool it belongs to one simulation (typically one per node and header
// type) and is used from one goroutine. The zero value is ready to use.
type FreeList[T any] struct {
	items []*T
	made  uint64
}

// Get returns a recycled *T, or a new zero one. A recycled value keeps its
// old contents: the caller sets every field.
func (l *FreeList[T]) Get() *T {
	if n := len(l.items); n > 0 {
		x := l.items[n-1]
		l.items[n-1] = nil
		l.items = l.items[:n-1]
		return x
	}
	l.made++
	return new(T)
}

// Put gives x back to the list. The caller must not use x afterwards, and
// must not put the same value twice.
func (l *FreeList[T]) Put(x *T) {
	if x != nil {
		l.items = append(l.items, x)
	}
}

// Allocated returns how many values the list has allocated.
func (l *FreeList[T]) Allocated() uint64 { return l.made }

// Idle returns how many values wait in the list for reuse.
func (l *FreeList[T]) Idle() int { return len(l.items) }
