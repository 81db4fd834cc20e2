package rl

import (
	"fmt"
	"slices"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/spaces"
)

// DefaultHistoryLength is how many entries an agent keeps per observation
// and per reward source unless configured otherwise (DEFIANCE's
// MaxObservationHistoryLength and MaxRewardHistoryLength).
const DefaultHistoryLength = 10

// HistoryEntry is a value with the simulated time it was stored.
type HistoryEntry struct {
	Time  sim.Time
	Value spaces.Value
}

// HistoryContainer is a bounded ring of (time, value) entries: pushing
// onto a full container overwrites the oldest entry. Access is newest
// first: At(0) is the entry pushed last. All operations are O(1) except
// Newest(n) and Resize, which are O(n).
type HistoryContainer struct {
	buf  []HistoryEntry
	head int // index of the next write
	n    int
}

// NewHistoryContainer returns an empty container holding at most capacity
// entries (at least 1).
func NewHistoryContainer(capacity int) (*HistoryContainer, error) {
	if capacity < 1 {
		return nil, fmt.Errorf("rl: history capacity %d must be at least 1", capacity)
	}
	return &HistoryContainer{buf: make([]HistoryEntry, capacity)}, nil
}

// Push stores v with time t, dropping the oldest entry if the container is
// full.
func (h *HistoryContainer) Push(t sim.Time, v spaces.Value) {
	h.buf[h.head] = HistoryEntry{Time: t, Value: v}
	h.head = (h.head + 1) % len(h.buf)
	if h.n < len(h.buf) {
		h.n++
	}
}

// Len returns the number of entries.
func (h *HistoryContainer) Len() int { return h.n }

// Cap returns the most entries the container holds.
func (h *HistoryContainer) Cap() int { return len(h.buf) }

// At returns the i-th newest entry (0 is the newest) and false if there is
// no such entry.
func (h *HistoryContainer) At(i int) (HistoryEntry, bool) {
	if i < 0 || i >= h.n {
		return HistoryEntry{}, false
	}
	j := (h.head - 1 - i + 2*len(h.buf)) % len(h.buf)
	return h.buf[j], true
}

// NewestEntry returns the newest entry and false if the container is
// empty.
func (h *HistoryContainer) NewestEntry() (HistoryEntry, bool) { return h.At(0) }

// Newest returns up to n entries, newest first (a new slice).
func (h *HistoryContainer) Newest(n int) []HistoryEntry {
	n = min(max(n, 0), h.n)
	out := make([]HistoryEntry, n)
	for i := range out {
		out[i], _ = h.At(i)
	}
	return out
}

// Oldest returns up to n entries, oldest first (a new slice).
func (h *HistoryContainer) Oldest(n int) []HistoryEntry {
	n = min(max(n, 0), h.n)
	out := make([]HistoryEntry, n)
	for i := range out {
		out[i], _ = h.At(h.n - 1 - i)
	}
	return out
}

// All returns every entry, newest first.
func (h *HistoryContainer) All() []HistoryEntry { return h.Newest(h.n) }

// Clear removes every entry.
func (h *HistoryContainer) Clear() {
	clear(h.buf)
	h.head, h.n = 0, 0
}

// Resize changes the capacity (at least 1), keeping the newest entries
// that fit.
func (h *HistoryContainer) Resize(capacity int) error {
	if capacity < 1 {
		return fmt.Errorf("rl: history capacity %d must be at least 1", capacity)
	}
	keep := h.Oldest(h.n)
	if len(keep) > capacity {
		keep = keep[len(keep)-capacity:]
	}
	h.buf = make([]HistoryEntry, capacity)
	h.head, h.n = 0, 0
	for _, e := range keep {
		h.Push(e.Time, e.Value)
	}
	return nil
}

// History is what an agent keeps of one kind of input (DEFIANCE's
// HistoryContainer): a HistoryContainer per source application, each
// holding the newest Limit entries, and a combined container of every
// source's entries in arrival order, holding Limit times the number of
// sources.
type History struct {
	limit    int
	sources  map[uint32]*HistoryContainer
	combined *HistoryContainer
}

// NewHistory returns an empty history keeping limit entries per source
// (at least 1).
func NewHistory(limit int) (*History, error) {
	c, err := NewHistoryContainer(limit)
	if err != nil {
		return nil, err
	}
	return &History{limit: limit, sources: make(map[uint32]*HistoryContainer), combined: c}, nil
}

// Limit returns the number of entries kept per source.
func (h *History) Limit() int { return h.limit }

// Push stores v, received from source at time t, in the source's container
// (created on first use) and in the combined one.
func (h *History) Push(source uint32, t sim.Time, v spaces.Value) {
	c, ok := h.sources[source]
	if !ok {
		c, _ = NewHistoryContainer(h.limit)
		h.sources[source] = c
		_ = h.combined.Resize(h.limit * len(h.sources))
	}
	c.Push(t, v)
	h.combined.Push(t, v)
}

// Source returns the container of one source, or nil if nothing was
// received from it.
func (h *History) Source(source uint32) *HistoryContainer { return h.sources[source] }

// Newest returns the newest value received from source, or nil.
func (h *History) Newest(source uint32) spaces.Value {
	if c := h.sources[source]; c != nil {
		if e, ok := c.NewestEntry(); ok {
			return e.Value
		}
	}
	return nil
}

// Combined returns the container of every source's entries.
func (h *History) Combined() *HistoryContainer { return h.combined }

// Sources returns the ids of the sources with a container, in increasing
// order.
func (h *History) Sources() []uint32 {
	ids := make([]uint32, 0, len(h.sources))
	for id := range h.sources {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// DeleteSource forgets a source's container (its entries stay in the
// combined container) and reports whether it existed.
func (h *History) DeleteSource(source uint32) bool {
	if _, ok := h.sources[source]; !ok {
		return false
	}
	delete(h.sources, source)
	return true
}
