package channelif

import (
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/spaces"
)

var _ ChannelInterface = (*SimpleChannelInterface)(nil)

// SimpleChannelInterface is a direct channel to one partner interface with
// a fixed propagation delay (DEFIANCE's SimpleChannelInterface): a message
// sent at time t is handed to the partner's callbacks at t + delay, where
// delay is the sender's delay at the time of sending (0 by default, as in
// DEFIANCE). Delivery is always a new event, never a call from inside
// Send: with delay 0 the message arrives at the same simulated time, after
// the events already scheduled for that time, exactly as DEFIANCE's
// Simulator::Schedule(m_propagationDelay, ...). Messages therefore arrive in
// the order they were sent as long as the delay does not shrink.
//
// The message's size (MessageSizer) is counted in the statistics but does
// not delay it: the channel has no bandwidth.
//
// Deviation from DEFIANCE: a message still in flight when its connection
// ends (Disconnect, or the receiver's new Connect) is discarded and counted
// as Dropped; DEFIANCE dereferences the sender's former partner at delivery
// time, which is null after a Disconnect and the new partner after a
// reconnection.
type SimpleChannelInterface struct {
	endpoint
	sim     *sim.Simulator
	delay   sim.Time
	partner *SimpleChannelInterface
	// epoch changes at every Connect and Disconnect, so that a message
	// knows whether the connection it was sent on still exists.
	epoch     uint64
	deliverFn func(any)
	free      []*simpleMessage
}

type simpleMessage struct {
	from, to *SimpleChannelInterface
	epoch    uint64
	msg      spaces.Value
	size     int
}

// NewSimpleChannelInterface returns a disconnected simple interface on s
// whose messages take delay to reach the partner.
func NewSimpleChannelInterface(s *sim.Simulator, delay sim.Time) (*SimpleChannelInterface, error) {
	if s == nil {
		return nil, fmt.Errorf("channelif: NewSimpleChannelInterface needs a simulator")
	}
	c := &SimpleChannelInterface{sim: s}
	if err := c.SetDelay(delay); err != nil {
		return nil, err
	}
	c.deliverFn = c.onDeliver
	return c, nil
}

// Delay returns the propagation delay of messages this interface sends.
func (c *SimpleChannelInterface) Delay() sim.Time { return c.delay }

// SetDelay sets the propagation delay of messages sent from now on
// (DEFIANCE's SetPropagationDelay). Messages in flight keep theirs; a
// shorter delay lets later messages overtake them.
func (c *SimpleChannelInterface) SetDelay(delay sim.Time) error {
	if delay < 0 {
		return fmt.Errorf("channelif: simple channel interface delay %v is negative", delay)
	}
	c.delay = delay
	return nil
}

// SetSizer sets the function that gives a message's size (nil restores
// spaces.EncodedSize).
func (c *SimpleChannelInterface) SetSizer(f MessageSizer) { c.sizer = f }

// Partner returns the connected partner, or nil.
func (c *SimpleChannelInterface) Partner() *SimpleChannelInterface { return c.partner }

// Connect connects c and other (a *SimpleChannelInterface of the same
// simulation) both ways. As DEFIANCE, it refuses if either is already
// connected, keeping the existing connections, and refuses to connect an
// interface to itself.
func (c *SimpleChannelInterface) Connect(other ChannelInterface) error {
	o, ok := other.(*SimpleChannelInterface)
	switch {
	case !ok || o == nil:
		return fmt.Errorf("%w: a *SimpleChannelInterface connects only to another, not to %T", ErrIncompatibleInterface, other)
	case o == c:
		return fmt.Errorf("%w: an interface cannot connect to itself", ErrIncompatibleInterface)
	case o.sim != c.sim:
		return fmt.Errorf("%w: the interfaces belong to different simulations", ErrIncompatibleInterface)
	case c.status == StatusConnected:
		return fmt.Errorf("%w: this interface already has a partner", ErrAlreadyConnected)
	case o.status == StatusConnected:
		return fmt.Errorf("%w: the other interface already has a partner", ErrAlreadyConnected)
	}
	c.link(o)
	o.link(c)
	return nil
}

func (c *SimpleChannelInterface) link(partner *SimpleChannelInterface) {
	c.partner = partner
	c.status = StatusConnected
	c.epoch++
}

func (c *SimpleChannelInterface) unlink() {
	c.partner = nil
	c.status = StatusDisconnected
	c.epoch++
}

// Disconnect ends the connection on both sides; messages in flight on it
// are dropped.
func (c *SimpleChannelInterface) Disconnect() error {
	if c.status != StatusConnected {
		return ErrNotConnected
	}
	p := c.partner
	c.unlink()
	if p != nil {
		p.unlink()
	}
	return nil
}

// Send sends msg to the partner, to arrive after the delay.
func (c *SimpleChannelInterface) Send(msg spaces.Value) error {
	if c.status != StatusConnected {
		return ErrNotConnected
	}
	size, err := c.messageSize(msg)
	if err != nil {
		return err
	}
	return c.SendSized(msg, size)
}

// SendSized sends msg, counting size bytes in the statistics.
func (c *SimpleChannelInterface) SendSized(msg spaces.Value, size int) error {
	switch {
	case c.status != StatusConnected || c.partner == nil:
		return ErrNotConnected
	case msg == nil:
		return ErrNilMessage
	case size < 0:
		return fmt.Errorf("channelif: message size %d is negative", size)
	case c.delay > sim.MaxTime-c.sim.Now():
		return fmt.Errorf("channelif: a message sent at %v with delay %v would arrive after the end of time", c.sim.Now(), c.delay)
	}
	var m *simpleMessage
	if n := len(c.free); n > 0 {
		m = c.free[n-1]
		c.free = c.free[:n-1]
	} else {
		m = new(simpleMessage)
	}
	*m = simpleMessage{from: c, to: c.partner, epoch: c.partner.epoch, msg: msg, size: size}
	c.sim.ScheduleWith(c.delay, c.deliverFn, m)
	c.sent(size)
	return nil
}

// onDeliver runs when a message arrives (an event scheduled by SendSized).
func (c *SimpleChannelInterface) onDeliver(arg any) {
	m := arg.(*simpleMessage)
	to, msg, size := m.to, m.msg, m.size
	current := to.epoch == m.epoch
	from := m.from
	*m = simpleMessage{}
	from.free = append(from.free, m)
	if !current {
		to.stats.Dropped++
		return
	}
	to.deliver(msg, size)
}

// AddRecvCallback adds a callback for arriving messages.
func (c *SimpleChannelInterface) AddRecvCallback(cb RecvCallback) RecvCallbackID {
	return c.addRecvCallback(cb)
}

// RemoveRecvCallback removes a callback and reports whether it was there.
func (c *SimpleChannelInterface) RemoveRecvCallback(id RecvCallbackID) bool {
	return c.removeRecvCallback(id)
}

// Status returns the connection status.
func (c *SimpleChannelInterface) Status() ConnectionStatus { return c.status }

// Connected reports whether the interface has a partner.
func (c *SimpleChannelInterface) Connected() bool { return c.status == StatusConnected }

// Stats returns the interface's counters.
func (c *SimpleChannelInterface) Stats() InterfaceStats { return c.stats }
