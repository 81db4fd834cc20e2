// Package vecenv steps many in-process environments at once: Vector runs N
// independent simulations in parallel goroutines per call, with flat
// float32 observations, float64 rewards and Gymnasium 1.x's NEXT_STEP
// autoreset, so that one call from another language (Python through
// netgym's shared library) advances them all. ChannelEnv is its benchmark
// environment: NetRL's observation channel with no dynamics of its own,
// over netgym's 802.11a (the default), 5G NR (5G-LENA's scenario) or
// mmWave (ns3-mmwave's) link, chosen by a Link configuration (WifiLink,
// NRLink, MmWaveLink). ChannelBank is the channel side alone, N links
// stepped in parallel, for environments whose dynamics live elsewhere.
//
// Each environment owns its simulation; environments share nothing, so the
// same seeds give the same results whatever the number of goroutines.
package vecenv

import (
	"errors"
	"fmt"
	"math"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/wifi"
)

// Env is an environment that Vector can step: flat float32 observations of
// a fixed length and integer actions.
type Env interface {
	// ObsLen returns the length of the flat observation.
	ObsLen() int
	// NumActions returns the number of discrete actions.
	NumActions() int
	// Reset starts an episode and writes its first observation into obs
	// (ObsLen values). With reseed, the simulation restarts from (seed,
	// run 1); without, it continues with its next run number.
	Reset(seed uint64, reseed bool, obs []float32) error
	// Step applies action, advances one step and writes the observation.
	Step(action int64, obs []float32) (reward float64, terminated, truncated bool, err error)
}

// ChannelEnvConfig configures a ChannelEnv.
type ChannelEnvConfig struct {
	// Link, when not nil, is the channel: NRLink (5G-LENA), MmWaveLink
	// (ns3-mmwave), WifiLink or any other Link. Its seed and run are the
	// first episode's; its default packet size is unused (actions choose
	// the size). Nil means Wifi.
	Link Link
	// Wifi is the link when Link is nil: NetRL's Wi-Fi ad-hoc channel
	// (distance, step duration, power, loss exponent, retries). Its Seed
	// and Run are the first episode's; PacketSize is unused.
	Wifi wifi.Config
	// PacketSizes maps action i to a payload of PacketSizes[i] bytes, at
	// most the link's MaxPacketSize; 0 sends nothing that step ({0, 64,
	// 256, 1024}).
	PacketSizes []int
	// History is k, the number of past steps the observation covers (8).
	History int
	// MaxSteps is the episode length: the step that reaches it is
	// truncated (1000).
	MaxSteps int
}

// DefaultChannelEnvConfig returns NetRL's Wi-Fi defaults (10 m, 1 ms steps)
// with actions {skip, 64, 256, 1024 bytes}, a history of 8 steps and
// episodes of 1000 steps.
func DefaultChannelEnvConfig() ChannelEnvConfig {
	return ChannelEnvConfig{Wifi: wifi.DefaultConfig(), PacketSizes: []int{0, 64, 256, 1024},
		History: 8, MaxSteps: 1000}
}

// LinkEnvConfig returns the defaults of DefaultChannelEnvConfig (actions
// {skip, 64, 256, 1024 bytes}, a history of 8 steps, episodes of 1000
// steps) over link, e.g. NRLink(nr.DefaultConfig()).
func LinkEnvConfig(link Link) ChannelEnvConfig {
	c := DefaultChannelEnvConfig()
	c.Link = link
	return c
}

// MaxHistory is the largest History a ChannelEnv accepts.
const MaxHistory = 4096

// LinkConfig returns the link of the configuration: Link, or Wifi when
// Link is nil.
func (c ChannelEnvConfig) LinkConfig() Link {
	if c.Link != nil {
		return c.Link
	}
	return WifiLink(c.Wifi)
}

// Validate reports the first invalid setting, naming it and its range.
func (c ChannelEnvConfig) Validate() error {
	link := c.LinkConfig()
	if err := link.Validate(); err != nil {
		return err
	}
	switch {
	case len(c.PacketSizes) == 0:
		return errors.New("channel env: packet_sizes must hold at least one size")
	case c.History < 1 || c.History > MaxHistory:
		return fmt.Errorf("channel env: history %d out of range [1,%d]", c.History, MaxHistory)
	case c.MaxSteps < 1 || int64(c.MaxSteps) > math.MaxUint32:
		return fmt.Errorf("channel env: max_steps %d out of range [1,%d]", c.MaxSteps, uint32(math.MaxUint32))
	}
	maxSize := link.MaxPacketSize()
	for i, s := range c.PacketSizes {
		if s < 0 || s > maxSize {
			return fmt.Errorf("channel env: packet_sizes[%d] = %d out of range [0,%d]", i, s, maxSize)
		}
	}
	return nil
}

// ChannelEnv is a NetRL-style observation channel with no dynamics of its
// own, the benchmark environment of the vector env: each step the action
// picks a packet size (or none), the packet of that step goes over the
// link (netgym's 802.11a, 5G NR or mmWave), and the observation is, for
// each of the last k steps (oldest first), whether its packet has arrived
// (1 or 0) and its lag in steps (arrival step minus send step, 0 if not
// arrived): k rows of 2 float32. The reward is the delivered fraction of the last k steps (the
// number of them whose packet arrived, divided by k). Episodes end by
// truncation after MaxSteps steps; there is no termination.
//
// The link keeps all its state between steps (queues, HARQ, RLC, ARP).
// Over the cellular links with 1 ms steps a packet arrives one or more
// steps after it was sent (scheduling request, grant, decoding), so the
// newest slot stays empty and a perfect link earns (k-1)/k.
type ChannelEnv struct {
	cfg     ChannelEnvConfig
	link    Link
	ch      *channelif.SimChannel
	step    uint32
	arrived []bool   // ring indexed by step % k
	lag     []uint32 // ring indexed by step % k
	hits    int      // arrived entries of the window
}

// NewChannelEnv validates cfg and builds the first episode's channel
// (the link's seed and run: cfg.Wifi.Seed and cfg.Wifi.Run for Wi-Fi).
func NewChannelEnv(cfg ChannelEnvConfig) (*ChannelEnv, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.PacketSizes = append([]int(nil), cfg.PacketSizes...)
	link := cfg.LinkConfig()
	ch, err := link.NewChannel()
	if err != nil {
		return nil, err
	}
	return &ChannelEnv{cfg: cfg, link: link, ch: ch, arrived: make([]bool, cfg.History),
		lag: make([]uint32, cfg.History)}, nil
}

// Config returns the configuration.
func (e *ChannelEnv) Config() ChannelEnvConfig {
	c := e.cfg
	c.PacketSizes = append([]int(nil), e.cfg.PacketSizes...)
	return c
}

// ObsLen returns 2*History.
func (e *ChannelEnv) ObsLen() int { return 2 * e.cfg.History }

// NumActions returns len(PacketSizes).
func (e *ChannelEnv) NumActions() int { return len(e.cfg.PacketSizes) }

// Link returns the link's configuration (its seed and run are the first
// episode's).
func (e *ChannelEnv) Link() Link { return e.link }

// Channel returns the channel of the current episode.
func (e *ChannelEnv) Channel() *channelif.SimChannel { return e.ch }

// Reset starts an episode: with reseed a fresh channel from (seed, 1),
// otherwise the channel's next run. The first observation is all zeros.
func (e *ChannelEnv) Reset(seed uint64, reseed bool, obs []float32) error {
	if len(obs) != e.ObsLen() {
		return fmt.Errorf("channel env: observation buffer of %d values, want %d", len(obs), e.ObsLen())
	}
	if reseed {
		ch, err := e.link.WithSeedRun(seed, 1).NewChannel()
		if err != nil {
			return err
		}
		e.ch = ch
	} else if err := e.ch.Reset(); err != nil {
		return err
	}
	e.step = 0
	clear(e.arrived)
	clear(e.lag)
	e.hits = 0
	clear(obs)
	return nil
}

// Step sends the packet of the current step with PacketSizes[action]
// bytes (none for 0), flushes the step and writes the observation.
func (e *ChannelEnv) Step(action int64, obs []float32) (float64, bool, bool, error) {
	k := uint32(e.cfg.History)
	if action < 0 || action >= int64(len(e.cfg.PacketSizes)) {
		return 0, false, false, fmt.Errorf("channel env: action %d out of range [0,%d)", action, len(e.cfg.PacketSizes))
	}
	if len(obs) != e.ObsLen() {
		return 0, false, false, fmt.Errorf("channel env: observation buffer of %d values, want %d", len(obs), e.ObsLen())
	}
	t := e.step
	// The slot of step t leaves the window's oldest end.
	slot := t % k
	if e.arrived[slot] {
		e.hits--
	}
	e.arrived[slot], e.lag[slot] = false, 0
	if size := e.cfg.PacketSizes[action]; size > 0 {
		if err := e.ch.Transmit(t, size); err != nil {
			return 0, false, false, err
		}
	}
	ids, err := e.ch.Flush(t)
	if err != nil {
		return 0, false, false, err
	}
	for _, id := range ids {
		if id > t || t-id >= k { // older than the window: no slot left
			continue
		}
		s := id % k
		if !e.arrived[s] {
			e.arrived[s] = true
			e.hits++
		}
		e.lag[s] = t - id
	}
	// Oldest first: steps t-k+1 ... t.
	for i := uint32(0); i < k; i++ {
		s := (t + 1 + i) % k
		var a float32
		if e.arrived[s] {
			a = 1
		}
		obs[2*i], obs[2*i+1] = a, float32(e.lag[s])
	}
	e.step++
	reward := float64(e.hits) / float64(k)
	return reward, false, int(e.step) >= e.cfg.MaxSteps, nil
}
