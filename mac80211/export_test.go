package mac80211

import (
	"hash/fnv"
	"math"

	"github.com/netgym/netgym/sim"
)

// SetNoLazy makes every weak signal of m an event, under the sequence
// numbers lazy accounting reserves (the reference lazy accounting must
// match bit for bit).
func SetNoLazy(m *Medium) { m.noLazy = true }

// traceListener forwards to the MAC and hashes what it hears.
type traceListener struct {
	inner PhyListener
	s     *sim.Simulator
	h     *uint64
}

func (l traceListener) mix(kind byte, vals ...uint64) {
	f := fnv.New64a()
	var b [8]byte
	put := func(v uint64) {
		for i := range b {
			b[i] = byte(v >> (8 * i))
		}
		f.Write(b[:])
	}
	put(*l.h)
	put(uint64(l.s.Now()))
	f.Write([]byte{kind})
	for _, v := range vals {
		put(v)
	}
	*l.h = f.Sum64()
}

func (l traceListener) PhyRxStart(end sim.Time) {
	l.mix('s', uint64(end))
	l.inner.PhyRxStart(end)
}

func (l traceListener) PhyRxEnd(f *Frame, ok bool, info RxInfo) {
	v := uint64(0)
	if ok {
		v = 1
	}
	l.mix('e', v, math.Float64bits(info.RSSIDbm), math.Float64bits(info.SNRDb))
	l.inner.PhyRxEnd(f, ok, info)
}

func (l traceListener) PhyCcaBusy(end sim.Time) {
	l.mix('c', uint64(end))
	l.inner.PhyCcaBusy(end)
}

// TraceListener puts a recorder between p and its MAC: every notification
// (with its time and values) is folded into *h.
func TraceListener(p *Phy, h *uint64) {
	p.listener = traceListener{inner: p.listener, s: p.s, h: h}
}
