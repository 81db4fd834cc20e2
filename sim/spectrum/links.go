package spectrum

import (
	"fmt"
	"unsafe"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
)

// LinkModel says how a radio's per-link objects (type L) are computed and
// when they expire. The medium keeps one object per directed link
// (sender, receiver) that it has delivered on, computes it on first use
// with Update, hands it out in Delivery.Link, and recomputes it, in place,
// on the first use after it expired:
//
//   - either endpoint moved: its position differs from the one the object
//     was computed at (unless KeepOnMove);
//   - Period > 0 and more than Period has passed since the computation
//     (now - computed > Period, as ns-3's
//     ThreeGppChannelModel::ChannelParamsNeedsUpdate tests its
//     UpdatePeriod);
//   - the radio called Medium.InvalidateLinks for an endpoint, or
//     Medium.Refresh.
//
// Transmit power and receive gain changes do not expire objects: they are
// scalar powers (Delivery.RxDbm, Delivery.RxW), and an object holds what
// does not scale with them (per-resource-block fading and beamforming
// gains), so that power control does not redraw fast fading.
//
// The zero LinkModel (Update nil) keeps no objects: Delivery.Link is nil.
type LinkModel[L any] struct {
	// Update computes the object of link l into *obj. On a recomputation
	// *obj holds the previous value, so that Update can reuse its memory
	// (a per-RB slice) and allocate nothing. l is only valid during the
	// call. Update must not call back into the medium.
	Update func(obj *L, l *propagation.Link)
	// Period is how long an object stays valid (0: until an endpoint moves
	// or the radio invalidates it). 5G-LENA's channel update period
	// (ThreeGppChannelModel's UpdatePeriod) goes here.
	Period sim.Time
	// KeepOnMove keeps objects when endpoints move, leaving updates to
	// Period and InvalidateLinks, as ns-3's ThreeGppChannelModel does (its
	// matrix is regenerated on the update period or a channel-condition
	// change, not on movement). By default a moved endpoint expires the
	// objects of its links.
	KeepOnMove bool
}

// Validate reports a negative period.
func (lm LinkModel[L]) Validate() error {
	if lm.Period < 0 {
		return fmt.Errorf("spectrum: LinkModel.Period must be >= 0, got %v", lm.Period)
	}
	return nil
}

// linkEntry is the per-link object of one directed link and what it was
// computed for.
type linkEntry[L any] struct {
	src, dst mobility.Vector
	at       sim.Time
	valid    bool
	obj      L
}

// maxDenseLinkBytes bounds the dense per-link table; beyond it, entries live
// in a map.
const maxDenseLinkBytes = 32 << 20

// linkTable holds linkEntries by (sender id, receiver id): a dense square
// table indexed by ids while it fits in maxDenseLinkBytes, then a map.
// Ids are never reused, so entries never move when radios detach.
type linkTable[L any] struct {
	dense  []linkEntry[L]
	stride int
	sparse map[[2]int]*linkEntry[L]
}

// grow makes room for id.
func (t *linkTable[L]) grow(id int) {
	if t.sparse != nil || id < t.stride {
		return
	}
	stride := max(2*t.stride, id+1, 8)
	var e linkEntry[L]
	if uint64(stride)*uint64(stride)*uint64(unsafe.Sizeof(e)) > maxDenseLinkBytes {
		t.sparse = make(map[[2]int]*linkEntry[L])
		for i := range t.dense {
			if t.dense[i].valid {
				v := t.dense[i]
				t.sparse[[2]int{i / t.stride, i % t.stride}] = &v
			}
		}
		t.dense, t.stride = nil, 0
		return
	}
	dense := make([]linkEntry[L], stride*stride)
	for tx := range t.stride {
		copy(dense[tx*stride:tx*stride+t.stride], t.dense[tx*t.stride:(tx+1)*t.stride])
	}
	t.dense, t.stride = dense, stride
}

// get returns the entry of link (tx, rx), creating it.
func (t *linkTable[L]) get(tx, rx int) *linkEntry[L] {
	if t.sparse == nil {
		return &t.dense[tx*t.stride+rx]
	}
	k := [2]int{tx, rx}
	e := t.sparse[k]
	if e == nil {
		e = new(linkEntry[L])
		t.sparse[k] = e
	}
	return e
}

// invalidate expires every entry from or to id.
func (t *linkTable[L]) invalidate(id int) {
	if t.sparse != nil {
		for k, e := range t.sparse {
			if k[0] == id || k[1] == id {
				e.valid = false
			}
		}
		return
	}
	if id >= t.stride {
		return
	}
	for j := range t.stride {
		t.dense[id*t.stride+j].valid = false
		t.dense[j*t.stride+id].valid = false
	}
}

// drop forgets every entry from or to id (which will not come back).
func (t *linkTable[L]) drop(id int) {
	if t.sparse != nil {
		for k := range t.sparse {
			if k[0] == id || k[1] == id {
				delete(t.sparse, k)
			}
		}
		return
	}
	if id >= t.stride {
		return
	}
	var zero linkEntry[L]
	for j := range t.stride {
		t.dense[id*t.stride+j] = zero
		t.dense[j*t.stride+id] = zero
	}
}

// invalidateAll expires every entry.
func (t *linkTable[L]) invalidateAll() {
	for _, e := range t.sparse {
		e.valid = false
	}
	for i := range t.dense {
		t.dense[i].valid = false
	}
}

// linkObject returns the up-to-date object of the link from slot from (at
// src) to receiver n (at dst), recomputing it if it expired.
func (m *Medium[L]) linkObject(from int, n *node, src, dst mobility.Vector, now sim.Time) *L {
	e := m.links.get(m.nodes[from].id, n.id)
	if !e.valid || (!m.lm.KeepOnMove && (e.src != src || e.dst != dst)) ||
		(m.lm.Period > 0 && now-e.at > m.lm.Period) {
		m.lm.Update(&e.obj, m.linkTo(from, n, src, dst, now))
		e.src, e.dst, e.at, e.valid = src, dst, now, true
		m.stats.LinkUpdates++
	}
	return &e.obj
}
