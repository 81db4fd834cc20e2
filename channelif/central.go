package channelif

import (
	"errors"
	"fmt"
)

// Defaults of NetRL's max_pending_steps, per kind of channel: how many steps
// an observation may stay in flight before it is declared lost.
const (
	// MaxPendingStepsWifi is NetRL's default for its Wi-Fi channels.
	MaxPendingStepsWifi = 200
	// MaxPendingStepsCellular is NetRL's default for its mmWave and 5G-LENA
	// channels.
	MaxPendingStepsCellular = 500
)

// DefaultPacketSize is NetRL's default probe payload in bytes (its
// packet_size_bytes and --pkt-size defaults).
const DefaultPacketSize = 64

// CentralNodeConfig configures a CentralNode. DefaultCentralNodeConfig holds
// NetRL's defaults.
type CentralNodeConfig struct {
	// BufferSize is the number of slots of every node's ObservationBuffer
	// (NetRL's buffer_size, default 10).
	BufferSize int
	// DelaySteps shifts arrivals: a value that arrives at flush step S goes
	// into the slot of step S-DelaySteps (NetRL's delay_steps, default 0).
	// Set it to the channel's fixed delay (GEConfig.DelaySteps).
	DelaySteps int
	// MaxPendingSteps is how long a value waits for its packet: after the
	// arrivals of flush step S are handed back, values sent at steps s with
	// S-s > MaxPendingSteps are dropped (NetRL's max_pending_steps; default
	// MaxPendingStepsWifi, use MaxPendingStepsCellular for cellular
	// channels). It must be >= 1 and >= DelaySteps.
	MaxPendingSteps int
	// Seed is the seed of node 0's channel; node i's channel gets Seed+i
	// (NetRL's seed, default 42).
	Seed int64
	// PacketSize is the payload size Step transmits (default
	// DefaultPacketSize, 64 bytes).
	PacketSize int
}

// DefaultCentralNodeConfig returns NetRL's defaults: buffer 10, delay 0, seed
// 42, max pending 200 steps (Wi-Fi), 64-byte packets.
func DefaultCentralNodeConfig() CentralNodeConfig {
	return CentralNodeConfig{
		BufferSize:      10,
		DelaySteps:      0,
		MaxPendingSteps: MaxPendingStepsWifi,
		Seed:            42,
		PacketSize:      DefaultPacketSize,
	}
}

// Validate reports the first field out of range.
func (c CentralNodeConfig) Validate() error {
	switch {
	case c.BufferSize < 1:
		return fmt.Errorf("central node: BufferSize=%d must be >= 1", c.BufferSize)
	case c.DelaySteps < 0:
		return fmt.Errorf("central node: DelaySteps=%d must be >= 0", c.DelaySteps)
	case c.MaxPendingSteps < 1:
		return fmt.Errorf("central node: MaxPendingSteps=%d must be >= 1", c.MaxPendingSteps)
	case c.MaxPendingSteps < c.DelaySteps:
		return fmt.Errorf("central node: MaxPendingSteps=%d must be >= DelaySteps=%d, or every delayed value expires before it arrives",
			c.MaxPendingSteps, c.DelaySteps)
	case c.PacketSize < 0:
		return fmt.Errorf("central node: PacketSize=%d must be >= 0", c.PacketSize)
	}
	return nil
}

// CentralNode is NetRL's CentralNode: it owns one CommChannel and one
// ObservationBuffer per node and runs one step of all of them at a time.
//
// Send keeps a node's value, keyed by its step, while the packet is in flight
// (a second Send of the same step replaces it, as NetRL's pending dict);
// FlushAndUpdate flushes every channel and hands each arrived value back into
// the node's buffer at the flush step minus DelaySteps, marks the flush step
// missing when nothing arrived, and drops values pending longer than
// MaxPendingSteps. Ids that arrive with no pending value (duplicates,
// expired or never sent) are ignored.
type CentralNode[T any] struct {
	cfg   CentralNodeConfig
	ids   []string
	nodes []centralEntry[T]
}

type centralEntry[T any] struct {
	ch      CommChannel
	buf     *ObservationBuffer[T]
	pending map[uint32]T
	// sent is a min-heap of the steps of pending values (with stale entries
	// for values that already arrived), so expiry costs O(log n) per value.
	sent    []uint32
	last    T
	arrived bool
}

// NewCentralNode validates cfg and creates node i's channel with
// factory(cfg.Seed+i), for the nodes named by nodeIDs (unique, at least one).
func NewCentralNode[T any](nodeIDs []string, cfg CentralNodeConfig, factory ChannelFactory) (*CentralNode[T], error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(nodeIDs) == 0 {
		return nil, errors.New("central node: no node ids")
	}
	if factory == nil {
		return nil, errors.New("central node: nil channel factory")
	}
	c := &CentralNode[T]{cfg: cfg, ids: append([]string(nil), nodeIDs...)}
	seen := make(map[string]bool, len(nodeIDs))
	for i, id := range nodeIDs {
		if seen[id] {
			return nil, fmt.Errorf("central node: duplicate node id %q", id)
		}
		seen[id] = true
		ch, err := factory(cfg.Seed + int64(i))
		if err != nil {
			return nil, fmt.Errorf("central node: channel of node %q: %w", id, err)
		}
		if ch == nil {
			return nil, fmt.Errorf("central node: channel factory returned nil for node %q", id)
		}
		buf, err := NewObservationBuffer[T](cfg.BufferSize)
		if err != nil {
			return nil, err
		}
		c.nodes = append(c.nodes, centralEntry[T]{ch: ch, buf: buf, pending: make(map[uint32]T)})
	}
	return c, nil
}

// Config returns the node's configuration.
func (c *CentralNode[T]) Config() CentralNodeConfig { return c.cfg }

// NumNodes returns the number of nodes.
func (c *CentralNode[T]) NumNodes() int { return len(c.nodes) }

// NodeIDs returns a copy of the node ids, in index order.
func (c *CentralNode[T]) NodeIDs() []string { return append([]string(nil), c.ids...) }

// Index returns the index of the node named id.
func (c *CentralNode[T]) Index(id string) (int, bool) {
	for i, s := range c.ids {
		if s == id {
			return i, true
		}
	}
	return 0, false
}

func (c *CentralNode[T]) node(i int) (*centralEntry[T], error) {
	if i < 0 || i >= len(c.nodes) {
		return nil, fmt.Errorf("central node: node index %d out of range [0,%d)", i, len(c.nodes))
	}
	return &c.nodes[i], nil
}

// Send transmits node's value of step through its channel with a payload of
// size bytes, and keeps the value until its packet arrives or expires
// (NetRL's receive_from).
func (c *CentralNode[T]) Send(node int, step uint32, value T, size int) error {
	n, err := c.node(node)
	if err != nil {
		return err
	}
	if err := n.ch.Transmit(step, size); err != nil {
		return fmt.Errorf("central node: node %q: %w", c.ids[node], err)
	}
	n.pending[step] = value
	heapPush(&n.sent, step)
	return nil
}

// FlushAndUpdate flushes every node's channel for step and updates the
// buffers (NetRL's flush_and_update): each arrived value goes into the slot
// of step-DelaySteps, in arrival order (a later one in the same slot wins);
// when none arrived the slot of step is marked missing; the buffer's current
// step becomes at least step; then values sent more than MaxPendingSteps
// before step are dropped. Every node is flushed even if one fails; the
// errors are joined.
func (c *CentralNode[T]) FlushAndUpdate(step uint32) error {
	var errs []error
	slot := int64(step) - int64(c.cfg.DelaySteps)
	for i := range c.nodes {
		n := &c.nodes[i]
		var zero T
		n.last, n.arrived = zero, false
		ids, err := n.ch.Flush(step)
		if err != nil {
			errs = append(errs, fmt.Errorf("central node: node %q: %w", c.ids[i], err))
		}
		for _, id := range ids {
			v, ok := n.pending[id]
			if !ok {
				continue
			}
			delete(n.pending, id)
			n.buf.Add(slot, v)
			n.last, n.arrived = v, true
		}
		if !n.arrived {
			n.buf.AddMissing(int64(step))
		}
		n.buf.Advance(int64(step))
		for len(n.sent) > 0 && int64(step)-int64(n.sent[0]) > int64(c.cfg.MaxPendingSteps) {
			delete(n.pending, heapPop(&n.sent))
		}
	}
	return errors.Join(errs...)
}

// Step runs one environment step: node i sends values[i] (len(values) must
// be NumNodes) with cfg.PacketSize bytes, then FlushAndUpdate(step). To let
// only some nodes send, or with other sizes, call Send and FlushAndUpdate.
func (c *CentralNode[T]) Step(step uint32, values []T) error {
	if len(values) != len(c.nodes) {
		return fmt.Errorf("central node: %d values for %d nodes", len(values), len(c.nodes))
	}
	for i := range c.nodes {
		if err := c.Send(i, step, values[i], c.cfg.PacketSize); err != nil {
			return err
		}
	}
	return c.FlushAndUpdate(step)
}

// Buffer returns node's observation buffer, or nil for an index out of range.
func (c *CentralNode[T]) Buffer(node int) *ObservationBuffer[T] {
	if node < 0 || node >= len(c.nodes) {
		return nil
	}
	return c.nodes[node].buf
}

// Padded returns node's padded buffer and receive mask (NetRL's
// get_buffer); both are nil for an index out of range.
func (c *CentralNode[T]) Padded(node int) ([]T, []bool) {
	if b := c.Buffer(node); b != nil {
		return b.Padded()
	}
	return nil, nil
}

// LastArrival returns the last value of node that arrived in the latest
// FlushAndUpdate and whether one arrived (NetRL's arrived_map entry).
func (c *CentralNode[T]) LastArrival(node int) (T, bool) {
	if node < 0 || node >= len(c.nodes) {
		var zero T
		return zero, false
	}
	return c.nodes[node].last, c.nodes[node].arrived
}

// Pending returns the number of node's values in flight.
func (c *CentralNode[T]) Pending(node int) int {
	if node < 0 || node >= len(c.nodes) {
		return 0
	}
	return len(c.nodes[node].pending)
}

// Channel returns node's channel, or nil for an index out of range.
func (c *CentralNode[T]) Channel(node int) CommChannel {
	if node < 0 || node >= len(c.nodes) {
		return nil
	}
	return c.nodes[node].ch
}

// Reset resets every channel and clears every buffer and pending value
// (NetRL's reset). Every node is reset even if one fails; the errors are
// joined.
func (c *CentralNode[T]) Reset() error {
	var errs []error
	for i := range c.nodes {
		n := &c.nodes[i]
		if err := n.ch.Reset(); err != nil {
			errs = append(errs, fmt.Errorf("central node: node %q: %w", c.ids[i], err))
		}
		n.buf.Clear()
		clear(n.pending)
		n.sent = n.sent[:0]
		var zero T
		n.last, n.arrived = zero, false
	}
	return errors.Join(errs...)
}

// heapPush and heapPop keep a binary min-heap of steps without the
// allocations of container/heap's interface boxing.
func heapPush(h *[]uint32, v uint32) {
	s := append(*h, v)
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if s[p] <= s[i] {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
	*h = s
}

func heapPop(h *[]uint32) uint32 {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s) && s[l] < s[m] {
			m = l
		}
		if r < len(s) && s[r] < s[m] {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}
