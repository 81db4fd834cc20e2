package sim

import (
	"hash/fnv"
	"math/rand/v2"
	"strconv"
)

// Stream returns a random-number stream for the named consumer, derived from
// the simulation's (seed, run) and the name alone. As ns-3's RngStream
// substreams, streams with different names are independent, and adding a
// consumer never changes what another consumer draws. Calling Stream twice
// with the same name returns two generators that produce the same sequence,
// so give every consumer its own name (e.g. "mac80211/backoff/node-3"): in
// a loop over nodes, use StreamFor(name, i), not Stream(name).
//
// The result is a *rand.Rand (math/rand/v2), which also satisfies
// rand.Source, so gonum's distuv distributions draw from it directly:
//
//	exp := distuv.Exponential{Rate: 2, Src: s.Stream("arrivals")}
func (s *Simulator) Stream(name string) *rand.Rand {
	return NewStream(s.seed, s.run, name)
}

// StreamFor returns the stream of the index-th consumer of a family, named
// "<name>/<index>": StreamFor("traffic", 3) is Stream("traffic/3"). Use it
// when creating one stream per node, link or flow in a loop.
func (s *Simulator) StreamFor(name string, index int) *rand.Rand {
	return NewStream(s.seed, s.run, name+"/"+strconv.Itoa(index))
}

// PCGFor returns the generator that StreamFor(name, index) draws from, as a
// value: a consumer that draws on a hot path embeds it in its own struct
// instead of following the stream's two pointers on every draw.
// rand.New(&pcg) draws what StreamFor(name, index) draws, bit for bit.
func (s *Simulator) PCGFor(name string, index int) rand.PCG {
	hi, lo := streamSeed(s.seed, s.run, name+"/"+strconv.Itoa(index))
	return *rand.NewPCG(hi, lo)
}

// NewStream returns the stream that a Simulator with the given seed and run
// hands out under name. It lets code outside a simulation (an RL agent, a
// channel model) draw from the same reproducible family.
func NewStream(seed, run uint64, name string) *rand.Rand {
	return rand.New(rand.NewPCG(streamSeed(seed, run, name)))
}

// streamSeed derives the PCG seed of the stream named name.
func streamSeed(seed, run uint64, name string) (hi, lo uint64) {
	h := fnv.New64a()
	h.Write([]byte(name))
	n := h.Sum64()
	hi = splitmix64(seed ^ splitmix64(n))
	lo = splitmix64(run ^ splitmix64(n^0x9e3779b97f4a7c15) ^ hi)
	return hi, lo
}

// splitmix64 is the finaliser of Steele et al.'s SplitMix64: a bijective
// mixer that turns nearby inputs into unrelated outputs.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
