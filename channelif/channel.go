package channelif

import "fmt"

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
type PerfectChannel struct {
	pending []uint32
	out     []uint32
}

// NewPerfectChannel returns an empty PerfectChannel.
func NewPerfectChannel() *PerfectChannel { return &PerfectChannel{} }

// PerfectFactory is a ChannelFactory for PerfectChannel; the seed is unused.
func PerfectFactory(seed int64) (CommChannel, error) { return NewPerfectChannel(), nil }

// Transmit queues the packet of step. The size is ignored.
func (c *PerfectChannel) Transmit(step uint32, size int) error {
	if size < 0 {
		return fmt.Errorf("perfect channel: negative packet size %d", size)
	}
	c.pending = append(c.pending, step)
	return nil
}

// Flush returns the ids transmitted at steps <= step that were not returned
// before, in transmission order. The slice is reused by the next call.
func (c *PerfectChannel) Flush(step uint32) ([]uint32, error) {
	c.out = c.out[:0]
	keep := c.pending[:0]
	for _, id := range c.pending {
		if id <= step {
			c.out = append(c.out, id)
		} else {
			keep = append(keep, id)
		}
	}
	c.pending = keep
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
