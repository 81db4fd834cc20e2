package vecenv

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/wifi"
)

// Sizes with a special meaning in ChannelBank.Step.
const (
	// NoPacket: flush the step without transmitting.
	NoPacket = -1
	// Idle: leave the link alone (neither transmit nor flush), as for an
	// environment that was just reset.
	Idle = -2
)

// ChannelBank is N independent links (NetRL's channel over Wi-Fi, 5G NR
// or mmWave, one simulation each) stepped in parallel goroutines by one
// call: the channel side of a vector of environments whose dynamics live
// elsewhere (CartPole in Python, say). Each link keeps its own step counter, given
// with every call, so links reset independently. Not safe for concurrent
// use.
type ChannelBank struct {
	links   []*channelif.SimChannel
	link    Link
	maxSize int
	team    *team
	errs    []error
	// per-call arguments
	steps  []uint32
	sizes  []int64
	counts []int32
	ids    []uint32
	per    int
}

// NewChannelBank builds n Wi-Fi links from cfg, link i seeded cfg.Seed +
// i, on up to workers goroutines (0: runtime.GOMAXPROCS(0)).
func NewChannelBank(cfg wifi.Config, n, workers int) (*ChannelBank, error) {
	return NewLinkBank(WifiLink(cfg), n, workers)
}

// NewLinkBank builds n links from link (WifiLink, NRLink, MmWaveLink...),
// link i seeded with link's seed + i and its run, on up to workers
// goroutines (0: runtime.GOMAXPROCS(0)).
func NewLinkBank(link Link, n, workers int) (*ChannelBank, error) {
	if n < 1 {
		return nil, fmt.Errorf("channel bank: num_envs %d must be at least 1", n)
	}
	if workers < 0 {
		return nil, fmt.Errorf("channel bank: workers %d must be >= 0 (0: one per CPU)", workers)
	}
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if link == nil {
		return nil, errors.New("channel bank: link is nil")
	}
	if err := link.Validate(); err != nil {
		return nil, err
	}
	b := &ChannelBank{link: link, maxSize: link.MaxPacketSize(), team: newTeam(min(workers, n)), errs: make([]error, n)}
	seed, run := link.SeedRun()
	for i := 0; i < n; i++ {
		ch, err := link.WithSeedRun(seed+uint64(i), run).NewChannel()
		if err != nil {
			return nil, err
		}
		b.links = append(b.links, ch)
	}
	return b, nil
}

// Len returns N.
func (b *ChannelBank) Len() int { return len(b.links) }

// Link returns link i.
func (b *ChannelBank) Link(i int) *channelif.SimChannel { return b.links[i] }

// Reset starts a new episode on link i: with reseed from (seed, run 1),
// otherwise its next run.
func (b *ChannelBank) Reset(i int, seed uint64, reseed bool) error {
	if i < 0 || i >= len(b.links) {
		return fmt.Errorf("channel bank: link %d out of range [0, %d]", i, len(b.links)-1)
	}
	if !reseed {
		return b.links[i].Reset()
	}
	ch, err := b.link.WithSeedRun(seed, 1).NewChannel()
	if err != nil {
		return err
	}
	b.links[i] = ch
	return nil
}

// Step transmits, on every link i with sizes[i] >= 0, the packet of step
// steps[i] with sizes[i] bytes, flushes step steps[i] (unless sizes[i] is
// Idle), and writes the arrived step ids of link i into
// ids[i*per : i*per+min(counts[i], per)] with counts[i] the number that
// arrived (more than per: the rest are dropped from the output).
func (b *ChannelBank) Step(steps []uint32, sizes []int64, counts []int32, ids []uint32, per int) error {
	n := len(b.links)
	switch {
	case len(steps) != n || len(sizes) != n || len(counts) != n:
		return fmt.Errorf("channel bank: steps, sizes and counts must hold %d values", n)
	case per < 1 || len(ids) != n*per:
		return fmt.Errorf("channel bank: ids must hold num_envs*per = %d*%d values (per >= 1)", n, per)
	}
	for i, s := range sizes {
		if s < Idle || s > int64(b.maxSize) {
			return fmt.Errorf("channel bank: sizes[%d]=%d out of range [0, %d] (or %d: no packet, %d: idle)",
				i, s, b.maxSize, NoPacket, Idle)
		}
	}
	b.steps, b.sizes, b.counts, b.ids, b.per = steps, sizes, counts, ids, per
	clear(b.errs)
	b.team.run(n, b.errs, b.block)
	b.steps, b.sizes, b.counts, b.ids = nil, nil, nil, nil
	return errors.Join(indexed(b.errs)...)
}

func (b *ChannelBank) block(lo, hi int) {
	for i := lo; i < hi; i++ {
		ch := b.links[i]
		t := b.steps[i]
		if b.sizes[i] == Idle {
			b.counts[i] = 0
			continue
		}
		if s := b.sizes[i]; s >= 0 {
			if err := ch.Transmit(t, int(s)); err != nil {
				b.errs[i] = err
				continue
			}
		}
		got, err := ch.Flush(t)
		if err != nil {
			b.errs[i] = err
			continue
		}
		b.counts[i] = int32(len(got))
		copy(b.ids[i*b.per:(i+1)*b.per], got)
	}
}

// indexed returns the non-nil errors, each prefixed with its link.
func indexed(errs []error) []error {
	var out []error
	for i, err := range errs {
		if err != nil {
			out = append(out, fmt.Errorf("channel bank: link %d: %w", i, err))
		}
	}
	return out
}
