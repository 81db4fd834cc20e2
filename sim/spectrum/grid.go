package spectrum

import (
	"math"
	"slices"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
)

// Spatial culling: a uniform grid (in x and y) whose cells are as wide as
// the culling range, plus a list of the radios that may move. A
// transmission examines the 3×3 cells around its sender and the mobile
// list, in attachment order.

// refresh recomputes the culling range from the strongest transmitter and
// the largest receive gain, and rebuilds the grid if the range changed (or
// force). It reports whether it rebuilt. A rebuild empties the scalar pair
// cache.
func (m *Medium[L]) refresh(force bool) bool {
	maxTx, maxGain := math.Inf(-1), math.Inf(-1)
	for i := range m.nodes {
		maxTx = max(maxTx, m.nodes[i].txDbm)
		maxGain = max(maxGain, m.nodes[i].gainDb)
	}
	m.maxTxDbm, m.maxRxGain = maxTx, maxGain
	r := math.Inf(1)
	if len(m.nodes) > 0 && !math.IsInf(m.cfg.FloorDbm, -1) {
		if lm := m.rangeModel(); lm != nil {
			r = propagation.MaxRange(lm, maxTx, m.cfg.FloorDbm-maxGain)
		}
		if math.IsNaN(r) || r < 0 {
			r = math.Inf(1)
		}
	}
	if !force && r == m.rangeM {
		return false
	}
	m.rangeM = r
	m.cells = nil
	m.near = nil
	m.mobile = m.mobile[:0]
	for i := range m.nodes {
		m.nodes[i].inGrid = false
	}
	m.cachesStale()
	if math.IsInf(r, 1) {
		return true
	}
	// A zero range still needs cells: co-located radios may hear each
	// other.
	m.cell = max(r, 1e-6)
	m.cells = make(map[cellKey][]int32)
	for i := range m.nodes {
		m.index(i)
	}
	return true
}

// rangeModel returns the position-only model the culling range comes from:
// Loss, or LinkLoss if it is set and is also a LossModel; nil for a
// link-only model (no reach, no culling).
func (m *Medium[L]) rangeModel() propagation.LossModel {
	if m.cfg.LinkLoss == nil {
		return m.cfg.Loss
	}
	lm, _ := m.cfg.LinkLoss.(propagation.LossModel)
	return lm
}

// isStatic reports whether a mobility model keeps its position until it
// reports a course change.
func isStatic(pos mobility.Model) bool {
	switch v := pos.(type) {
	case *mobility.ConstantPosition:
		return true
	case *mobility.ConstantVelocity:
		return v.Velocity(sim.MaxTime) == mobility.Vector{}
	}
	return false
}

// keyOf returns the grid cell of position v.
func (m *Medium[L]) keyOf(v mobility.Vector) cellKey {
	return cellKey{cellCoord(v.X / m.cell), cellCoord(v.Y / m.cell)}
}

func cellCoord(x float64) int64 {
	const lim = 1 << 62
	x = math.Floor(x)
	switch {
	case x > lim:
		return lim
	case x < -lim || math.IsNaN(x):
		return -lim
	}
	return int64(x)
}

// index puts the radio at slot i in the grid or in the mobile list.
func (m *Medium[L]) index(i int) {
	if m.cells == nil {
		return
	}
	n := &m.nodes[i]
	if isStatic(n.mob) {
		n.pos = n.mob.Position(m.s.Now())
		n.key = m.keyOf(n.pos)
		n.inGrid = true
		m.cells[n.key] = insertSorted(m.cells[n.key], int32(i))
		m.cellChanged(n.key)
		return
	}
	m.mobile = insertSorted(m.mobile, int32(i))
}

// moved re-indexes radio id after a course change of its mobility model.
func (m *Medium[L]) moved(id int) {
	if m.cells == nil || m.slotOf[id] < 0 {
		return
	}
	m.invalidateReach()
	i := int(m.slotOf[id])
	n := &m.nodes[i]
	if n.inGrid {
		m.cells[n.key] = removeSorted(m.cells[n.key], int32(i))
		m.cellChanged(n.key)
		if len(m.cells[n.key]) == 0 {
			delete(m.cells, n.key)
		}
		n.inGrid = false
	} else {
		m.mobile = removeSorted(m.mobile, int32(i))
	}
	m.index(i)
}

// nearList is the sorted merge of the 3×3 cells around one cell (see
// candidates); stale once one of them changed.
type nearList struct {
	// ent holds the radios in slot order, with their positions and ids:
	// a transmission culls on them, read in sequence (Transmit), and
	// reads a radio's own record only for what they do not decide.
	ent   []nearEntry
	stale bool
}

// nearEntry is one radio of a nearList: its position (node.pos), slot
// and id.
type nearEntry struct {
	pos      mobility.Vector
	slot, id int32
}

func (e nearEntry) slotOf() int32 { return e.slot }

// cellChanged marks stale the merged lists that include cell k.
func (m *Medium[L]) cellChanged(k cellKey) {
	if len(m.near) == 0 {
		return
	}
	for dx := int64(-1); dx <= 1; dx++ {
		for dy := int64(-1); dy <= 1; dy++ {
			if e := m.near[cellKey{k.x + dx, k.y + dy}]; e != nil {
				e.stale = true
			}
		}
	}
}

// candidates returns the slots a transmission from src examines: the 3×3
// cells around it and the mobile radios, sorted (attachment order). Each
// cell and the mobile list are sorted already and no slot is in two of
// them, so they are merged pairwise, as the last rounds of a merge sort,
// rather than concatenated and sorted again. The merge of the 3×3 cells
// is kept per sender cell until one of them changes (a radio enters or
// leaves it, or the grid is rebuilt): static radios are merged once; the
// mobile radios are merged in for each transmission. The slice returned
// is the medium's: read it before the next call.
func (m *Medium[L]) candidates(src mobility.Vector) []int32 {
	// nearOf first: rebuilding a list uses m.cand as scratch. The static
	// radios' slots are read from their entries, without a copy.
	ent := m.nearOf(src).ent
	m.cand = mergeSortedBy(m.cand[:0], ent, nearEntry.slotOf, m.mobile)
	return m.cand
}

// nearOf returns the merged 3×3 cells around src's cell, with their
// radios' positions, merging them again if one of them changed.
func (m *Medium[L]) nearOf(src mobility.Vector) *nearList {
	k := m.keyOf(src)
	e := m.near[k]
	if e == nil {
		if m.near == nil {
			m.near = make(map[cellKey]*nearList)
		}
		e = &nearList{stale: true}
		m.near[k] = e
	}
	if e.stale {
		e.ent = e.ent[:0]
		for _, i := range m.merge(k) {
			n := &m.nodes[i]
			e.ent = append(e.ent, nearEntry{pos: n.pos, slot: i, id: int32(n.id)})
		}
		e.stale = false
	}
	return e
}

// merge returns the sorted merge of the 3×3 cells around k, in the
// medium's scratch.
func (m *Medium[L]) merge(k cellKey) []int32 {
	runs := m.runs[:0]
	for dx := int64(-1); dx <= 1; dx++ {
		for dy := int64(-1); dy <= 1; dy++ {
			if c := m.cells[cellKey{k.x + dx, k.y + dy}]; len(c) > 0 {
				runs = append(runs, c)
			}
		}
	}
	used := len(runs)
	a, b := m.cand[:0], m.candSpare[:0]
	if len(runs) == 1 {
		a = append(a, runs[0]...)
	}
	for len(runs) > 1 {
		// Merge neighbouring runs into b; its runs are the next round's.
		b = b[:0]
		n := 0
		for i := 0; i < len(runs); i += 2 {
			start := len(b)
			if i+1 < len(runs) {
				b = mergeSorted(b, runs[i], runs[i+1])
			} else {
				b = append(b, runs[i]...)
			}
			runs[n] = b[start:len(b):len(b)]
			n++
		}
		runs = runs[:n]
		a, b = b, a
	}
	clear(runs[:used]) // pin no cell's array
	m.runs, m.cand, m.candSpare = runs[:0], a, b
	return a
}

// mergeSorted appends the merge of the sorted, disjoint slices a and b
// to dst.
func mergeSorted(dst, a, b []int32) []int32 { return mergeSortedBy(dst, a, identity, b) }

// mergeSortedBy is mergeSorted for a whose elements are sorted and disjoint
// by key.
func mergeSortedBy[A any](dst []int32, a []A, key func(A) int32, b []int32) []int32 {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if k := key(a[i]); k < b[j] {
			dst = append(dst, k)
			i++
		} else {
			dst = append(dst, b[j])
			j++
		}
	}
	for ; i < len(a); i++ {
		dst = append(dst, key(a[i]))
	}
	return append(dst, b[j:]...)
}

func identity(v int32) int32 { return v }

func insertSorted(s []int32, v int32) []int32 {
	i, found := slices.BinarySearch(s, v)
	if found {
		return s
	}
	return slices.Insert(s, i, v)
}

func removeSorted(s []int32, v int32) []int32 {
	if i, found := slices.BinarySearch(s, v); found {
		return slices.Delete(s, i, i+1)
	}
	return s
}
