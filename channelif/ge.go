package channelif

import (
	"fmt"
	"math/rand/v2"

	"github.com/netgym/netgym/sim"
)

// GEConfig configures a GEChannel. The defaults, from DefaultGEConfig, are
// NetRL's NetworkConfig defaults.
type GEConfig struct {
	// PGB is the probability of moving from GOOD to BAD at each Transmit
	// (default 0.1).
	PGB float64
	// PBG is the probability of moving from BAD to GOOD at each Transmit
	// (default 0.3).
	PBG float64
	// LossGood is the probability that a packet sent in GOOD is lost
	// (default 0.01).
	LossGood float64
	// LossBad is the probability that a packet sent in BAD is lost
	// (default 0.20).
	LossBad float64
	// DelaySteps is the fixed delay, in steps, of every packet that is not
	// lost: the packet of step t arrives at step t+DelaySteps (default 0).
	DelaySteps int
	// Seed selects the channel's random stream (default 42). Unlike NetRL's
	// C++ channel, 0 is an ordinary seed, not a non-deterministic one.
	Seed int64
}

// DefaultGEConfig returns NetRL's defaults: p_gb 0.1, p_bg 0.3, loss_good
// 0.01, loss_bad 0.20, delay_steps 0, seed 42.
func DefaultGEConfig() GEConfig {
	return GEConfig{PGB: 0.1, PBG: 0.3, LossGood: 0.01, LossBad: 0.20, DelaySteps: 0, Seed: 42}
}

// MaxGEDelaySteps is the largest GEConfig.DelaySteps: a packet delayed
// longer could never be handed back by CentralNode, whose MaxPendingSteps
// bound is what a delay must fit in, and NetRL's largest default
// max_pending_steps is 500.
const MaxGEDelaySteps = 1 << 20

// Validate reports the first parameter out of range: probabilities must lie
// in [0, 1] and DelaySteps in [0, MaxGEDelaySteps].
func (c GEConfig) Validate() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"PGB", c.PGB}, {"PBG", c.PBG}, {"LossGood", c.LossGood}, {"LossBad", c.LossBad}} {
		if !(p.v >= 0 && p.v <= 1) {
			return fmt.Errorf("ge channel: %s=%v must be in [0, 1]", p.name, p.v)
		}
	}
	if c.DelaySteps < 0 || c.DelaySteps > MaxGEDelaySteps {
		return fmt.Errorf("ge channel: DelaySteps=%d out of range [0,%d]", c.DelaySteps, MaxGEDelaySteps)
	}
	return nil
}

// StationaryBad returns the long-run fraction of Transmit calls made in the
// BAD state, PGB/(PGB+PBG), and 0 when both probabilities are 0 (the chain
// then stays GOOD).
func (c GEConfig) StationaryBad() float64 {
	if c.PGB+c.PBG == 0 {
		return 0
	}
	return c.PGB / (c.PGB + c.PBG)
}

// MeanLoss returns the long-run loss probability, the stationary mix of
// LossGood and LossBad.
func (c GEConfig) MeanLoss() float64 {
	pb := c.StationaryBad()
	return (1-pb)*c.LossGood + pb*c.LossBad
}

// Factory returns a ChannelFactory that builds GEChannels with this
// configuration and the given seed (replacing c.Seed), for CentralNode.
func (c GEConfig) Factory() ChannelFactory {
	return func(seed int64) (CommChannel, error) {
		cfg := c
		cfg.Seed = seed
		return NewGEChannel(cfg)
	}
}

// GEState is the state of a Gilbert-Elliott channel.
type GEState uint8

// The two states of the Gilbert-Elliott Markov chain.
const (
	GEGood GEState = iota
	GEBad
)

// String returns "GOOD" or "BAD", as NetRL's channel info does.
func (s GEState) String() string {
	if s == GEBad {
		return "BAD"
	}
	return "GOOD"
}

// GEChannel is a Gilbert-Elliott channel, NetRL's GEChannel (netcomm.cpp):
// a two-state Markov chain that starts GOOD. Each Transmit first moves the
// chain (GOOD to BAD with PGB, BAD to GOOD with PBG), then loses the packet
// with LossGood or LossBad according to the new state; a packet that
// survives arrives at step+DelaySteps. Flush(t) pops, in transmission order,
// the packets at the head of the queue whose arrival step is <= t.
//
// Both draws come from a PCG stream derived from the seed (sim.NewStream
// with run 1 and name "channelif/ge"), so a seed reproduces a run exactly;
// the stream differs from NetRL's std::mt19937_64.
//
// At most DefaultMaxPending packets may be in flight; a Transmit beyond
// that is an error. Make a GEChannel with NewGEChannel: the methods of a
// zero value return ErrNotInitialized.
type GEChannel struct {
	cfg   GEConfig
	state GEState
	rng   *rand.Rand

	// queue[head:] are the packets in flight, in transmission order.
	queue []gePacket
	head  int
	out   []uint32
}

type gePacket struct {
	arrival uint64 // step + DelaySteps, without uint32 overflow
	id      uint32
}

// NewGEChannel validates cfg and returns a channel in the GOOD state.
func NewGEChannel(cfg GEConfig) (*GEChannel, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &GEChannel{
		cfg: cfg,
		rng: sim.NewStream(uint64(cfg.Seed), 1, "channelif/ge"),
	}, nil
}

// Config returns the channel's configuration.
func (c *GEChannel) Config() GEConfig { return c.cfg }

// State returns the current state of the Markov chain.
func (c *GEChannel) State() GEState { return c.state }

// Pending returns the number of packets in flight.
func (c *GEChannel) Pending() int {
	if c == nil {
		return 0
	}
	return len(c.queue) - c.head
}

// Transmit moves the Markov chain one step, then draws the loss of the
// packet of step; the size is ignored.
//
// A Transmit while DefaultMaxPending packets are in flight fails and draws
// nothing.
func (c *GEChannel) Transmit(step uint32, size int) error {
	if c == nil || c.rng == nil {
		return ErrNotInitialized
	}
	if size < 0 {
		return fmt.Errorf("ge channel: negative packet size %d", size)
	}
	if c.Pending() >= DefaultMaxPending {
		return fmt.Errorf("ge channel: %d packets already in flight, the most a channel holds (max pending); flush their steps first", DefaultMaxPending)
	}
	if c.state == GEGood {
		if c.rng.Float64() < c.cfg.PGB {
			c.state = GEBad
		}
	} else if c.rng.Float64() < c.cfg.PBG {
		c.state = GEGood
	}
	loss := c.cfg.LossGood
	if c.state == GEBad {
		loss = c.cfg.LossBad
	}
	if c.rng.Float64() < loss {
		return nil
	}
	if c.head > 0 && c.head == len(c.queue) {
		c.queue, c.head = c.queue[:0], 0
	} else if c.head > 64 && c.head*2 > len(c.queue) {
		n := copy(c.queue, c.queue[c.head:])
		c.queue, c.head = c.queue[:n], 0
	}
	c.queue = append(c.queue, gePacket{arrival: uint64(step) + uint64(c.cfg.DelaySteps), id: step})
	return nil
}

// Flush returns the ids of the packets due by step, popped from the head of
// the queue while the head's arrival step is <= step (NetRL's rule; with
// non-decreasing transmit steps this is every due packet). The slice is
// reused by the next call.
func (c *GEChannel) Flush(step uint32) ([]uint32, error) {
	if c == nil || c.rng == nil {
		return nil, ErrNotInitialized
	}
	c.out = c.out[:0]
	for c.head < len(c.queue) && c.queue[c.head].arrival <= uint64(step) {
		c.out = append(c.out, c.queue[c.head].id)
		c.head++
	}
	return c.out, nil
}

// Reset drops the packets in flight and returns the chain to GOOD without
// reseeding, as NetRL's GEChannelImpl::reset.
func (c *GEChannel) Reset() error {
	if c == nil || c.rng == nil {
		return ErrNotInitialized
	}
	c.queue, c.head = c.queue[:0], 0
	c.out = c.out[:0]
	c.state = GEGood
	return nil
}
