package channelif

import (
	"cmp"
	"fmt"
	"slices"
)

// CommChannel is a channel model that moves packet ids and sizes from a
// sender to a receiver, one environment step at a time. It is NetRL's
// CommChannel with the payload left on the caller's side: the id of a packet
// is the step it was sent in.
//
// Per environment step a caller calls Transmit (zero or more times) and then
// Flush once, with non-decreasing steps; Reset starts a new episode.
type CommChannel interface {
	// Transmit sends the packet of step (its id) with a payload of size
	// bytes. Channels that do not model size effects ignore it. A negative
	// size is an error.
	Transmit(step uint32, size int) error

	// Flush returns the ids that arrived during step's window, in arrival
	// order; a simulated channel first advances its simulation to the end of
	// that window. The returned slice is owned by the channel and may be
	// overwritten by the next call to Flush, Transmit or Reset: copy it to
	// keep it.
	Flush(step uint32) ([]uint32, error)

	// Reset clears every packet in flight and starts a new episode. It does
	// not reseed the channel's random stream (as NetRL's channels), so
	// successive episodes differ.
	Reset() error
}

// ChannelFactory creates a channel from a seed. CentralNode calls it once per
// node, with seed+i for node i, as NetRL's CentralNode does with its
// channel_factory and config.seed.
type ChannelFactory func(seed int64) (CommChannel, error)

// PerfectChannel is a lossless channel without delay: Flush(t) returns, in
// transmission order, every id transmitted at a step <= t and not returned
// yet. It mirrors NetRL's PerfectChannel and is useful as a baseline and in
// tests. The zero value is ready to use.
//
// Pending ids are indexed by step (a min-heap), so a Flush costs
// O((k+1) log n) for k ids due among n pending, not a scan of every pending
// id; at most DefaultMaxPending ids may be pending, and a Transmit beyond
// that is an error.
type PerfectChannel struct {
	pending []perfectEntry // min-heap by (step, seq)
	seq     uint64
	due     []perfectEntry
	out     []uint32
	// examined counts the heap entries Flush looked at (tests check that
	// it grows linearly).
	examined uint64
}

type perfectEntry struct {
	step uint32
	seq  uint64 // transmission order
}

func (a perfectEntry) less(b perfectEntry) bool {
	if a.step != b.step {
		return a.step < b.step
	}
	return a.seq < b.seq
}

// NewPerfectChannel returns an empty PerfectChannel.
func NewPerfectChannel() *PerfectChannel { return &PerfectChannel{} }

// PerfectFactory is a ChannelFactory for PerfectChannel; the seed is unused.
func PerfectFactory(seed int64) (CommChannel, error) { return NewPerfectChannel(), nil }

// Transmit queues the packet of step. The size is ignored. It fails when
// DefaultMaxPending ids are pending already.
func (c *PerfectChannel) Transmit(step uint32, size int) error {
	if size < 0 {
		return fmt.Errorf("perfect channel: negative packet size %d", size)
	}
	if len(c.pending) >= DefaultMaxPending {
		return fmt.Errorf("perfect channel: %d packets already pending, the most a channel holds (max pending); flush their steps first", DefaultMaxPending)
	}
	c.seq++
	c.pending = append(c.pending, perfectEntry{step: step, seq: c.seq})
	c.up(len(c.pending) - 1)
	return nil
}

// Flush returns the ids transmitted at steps <= step that were not returned
// before, in transmission order. The slice is reused by the next call.
func (c *PerfectChannel) Flush(step uint32) ([]uint32, error) {
	c.due = c.due[:0]
	for len(c.pending) > 0 {
		c.examined++
		if c.pending[0].step > step {
			break
		}
		c.due = append(c.due, c.pop())
	}
	slices.SortFunc(c.due, func(a, b perfectEntry) int { return cmp.Compare(a.seq, b.seq) })
	c.out = c.out[:0]
	for _, e := range c.due {
		c.out = append(c.out, e.step)
	}
	return c.out, nil
}

// Reset drops every queued packet.
func (c *PerfectChannel) Reset() error {
	c.pending = c.pending[:0]
	c.out = c.out[:0]
	return nil
}

// Pending returns the number of packets transmitted and not yet returned.
func (c *PerfectChannel) Pending() int { return len(c.pending) }

func (c *PerfectChannel) up(i int) {
	h := c.pending
	for i > 0 {
		p := (i - 1) / 2
		if !h[i].less(h[p]) {
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (c *PerfectChannel) pop() perfectEntry {
	h := c.pending
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < n && h[l].less(h[m]) {
			m = l
		}
		if r := l + 1; r < n && h[r].less(h[m]) {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	c.pending = h
	return top
}
