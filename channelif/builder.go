package channelif

import (
	"errors"
	"fmt"
	"math"

	"github.com/netgym/netgym/sim"
)

// MaxNumUEs is the most UEs a multi-UE backend may have: STEP carries one
// size per UE after the step id, and a line holds at most 65536 arguments.
const MaxNumUEs = maxArgs - 1

// Builder is one technology's NetRL scenario: what SimBackend and
// SimChannel need to step it with NetRL's rules. The generic core owns the
// step clock, the in-flight ids, RESET with the next run number, the
// protocol and the per-UE views; a Builder only makes the simulation of one
// episode and says how to send into it.
//
// Spec is called once, when the backend is made; Build is called for every
// episode (the first one and after every Reset) with a fresh simulator.
type Builder interface {
	// Spec returns the backend's facts: UEs, step timing, warm-up and
	// packet sizes. It must not change between calls.
	Spec() Spec
	// Build builds the scenario of one episode on ep.Sim (new, at time 0,
	// made from ep.Seed and ep.Run) and returns it. The scenario calls
	// ep.Received with the uid of every packet its receiver gets. Build
	// must not run the simulator: the core runs the warm-up.
	Build(ep Episode) (Scenario, error)
}

// Episode is what a Builder gets to build one episode.
type Episode struct {
	// Seed and Run select the random streams: Sim is sim.New(Seed, Run).
	// Run is the backend's first run number plus the number of Resets.
	Seed, Run uint64
	// Sim is the episode's simulator, at time 0.
	Sim *sim.Simulator
	// Received is the generic core's receive hook: call it with the uid
	// of every packet the receiver gets (packets the core did not send are
	// ignored). It does not allocate.
	Received func(uid uint64)
}

// Scenario is one episode's simulation as a Builder made it: the sender and
// the warm-up predicate. Its receiver reports to Episode.Received.
type Scenario interface {
	// Send sends, at the simulator's current time, a packet of size
	// payload bytes from UE ue (0 on a single-UE backend) and returns the
	// packet's uid, which the receiver will report. The core has checked
	// ue and size (size is at least the id field and at most
	// Spec.MaxPacketSize). On error nothing was sent; the core counts it.
	Send(ue, size int) (uid uint64, err error)
	// Ready reports whether the warm-up has done its job (every station
	// associated, the UE attached, ...); see Spec.MaxWarmup. A scenario
	// without such a condition returns true.
	Ready() bool
}

// Spec holds the facts of a technology backend that the generic core
// needs: how many UEs, the step timing of NetRL's program (warm-up, step
// duration, send offset) and the packet sizes.
type Spec struct {
	// Name prefixes the core's error messages ("wifi channel").
	Name string
	// NumUEs is 0 for a single-UE backend (NetRL's single-UE programs:
	// 4-byte id field, "RECV 3 4") or the number of UEs n >= 1 of a
	// multi-UE one (8-byte id field, "RECV 0:3 1:3"), at most MaxNumUEs.
	NumUEs int
	// StepDuration is the simulated time of one step (> 0).
	StepDuration sim.Time
	// SendOffset is how far into its step a packet is sent, as a fraction
	// of the step in [0, 1): SingleUESendOffset or MultiUESendOffset.
	SendOffset float64
	// Warmup is the simulated time before step 0: NetRL's programs run it
	// before they print READY (>= 0).
	Warmup sim.Time
	// MaxWarmup, when above Warmup, lets the warm-up go on past Warmup,
	// one StepDuration at a time, until the scenario is Ready, up to
	// MaxWarmup; step 0 then starts where the warm-up ended. When it is 0
	// or not above Warmup the warm-up is exactly Warmup. Either way a
	// scenario that is not Ready when the warm-up ends fails to build.
	MaxWarmup sim.Time
	// MaxPacketSize is the largest payload of one packet, 0 for no limit.
	MaxPacketSize int
	// DefaultPacketSize is the payload when a command gives none (the
	// program's --pkt-size).
	DefaultPacketSize int
	// MaxAdvance is the most simulated time one Flush may advance the
	// simulation; a Flush that would go further is refused with an error
	// naming the limit, and advances nothing. 0 means DefaultMaxAdvance
	// (10 minutes). StepDuration must not exceed it, or every Flush of a
	// new step would be refused.
	MaxAdvance sim.Time
	// MaxPending is the most packets waiting for their send time (Transmits
	// for steps the simulation has not reached); a Transmit beyond it is
	// refused. 0 means DefaultMaxPending (65536).
	MaxPending int
}

// Advance returns the effective MaxAdvance: DefaultMaxAdvance when it is 0.
func (s Spec) Advance() sim.Time {
	if s.MaxAdvance == 0 {
		return DefaultMaxAdvance
	}
	return s.MaxAdvance
}

// Pending returns the effective MaxPending: DefaultMaxPending when it is 0.
func (s Spec) Pending() int {
	if s.MaxPending == 0 {
		return DefaultMaxPending
	}
	return s.MaxPending
}

// IDFieldSize returns the size of the id field every packet carries at
// least: IDFieldSize single-UE, MultiUEIDFieldSize multi-UE.
func (s Spec) IDFieldSize() int {
	if s.NumUEs > 0 {
		return MultiUEIDFieldSize
	}
	return IDFieldSize
}

// Validate reports the first fact out of range.
func (s Spec) Validate() error {
	name := s.Name
	if name == "" {
		name = "backend"
	}
	switch {
	case s.NumUEs < 0 || s.NumUEs > MaxNumUEs:
		return fmt.Errorf("%s: NumUEs=%d out of range [0,%d]", name, s.NumUEs, MaxNumUEs)
	case s.StepDuration <= 0:
		return fmt.Errorf("%s: StepDuration=%v must be > 0", name, s.StepDuration)
	case s.MaxAdvance < 0:
		return fmt.Errorf("%s: MaxAdvance=%v must be >= 0 (0: %v)", name, s.MaxAdvance, DefaultMaxAdvance)
	case s.StepDuration > s.Advance():
		return fmt.Errorf("%s: StepDuration=%v exceeds MaxAdvance=%v, the most one flush may advance", name, s.StepDuration, s.Advance())
	case s.MaxPending < 0:
		return fmt.Errorf("%s: MaxPending=%d must be >= 0 (0: %d)", name, s.MaxPending, DefaultMaxPending)
	case !(s.SendOffset >= 0 && s.SendOffset < 1):
		return fmt.Errorf("%s: SendOffset=%v must be in [0, 1)", name, s.SendOffset)
	case s.Warmup < 0 || s.Warmup > MaxSimTime:
		return fmt.Errorf("%s: Warmup=%v out of range [0, %.4g s]", name, s.Warmup, MaxSimTime.Seconds())
	case s.MaxWarmup < 0 || s.MaxWarmup > MaxSimTime:
		return fmt.Errorf("%s: MaxWarmup=%v out of range [0, %.4g s]", name, s.MaxWarmup, MaxSimTime.Seconds())
	case s.MaxPacketSize < 0 || s.MaxPacketSize > math.MaxInt32:
		return fmt.Errorf("%s: MaxPacketSize=%d out of range [0,%d]", name, s.MaxPacketSize, math.MaxInt32)
	case s.DefaultPacketSize < 0 || s.DefaultPacketSize > math.MaxInt32:
		return fmt.Errorf("%s: DefaultPacketSize=%d out of range [0,%d]", name, s.DefaultPacketSize, math.MaxInt32)
	case s.MaxPacketSize > 0 && s.DefaultPacketSize > s.MaxPacketSize:
		return fmt.Errorf("%s: DefaultPacketSize=%d exceeds MaxPacketSize=%d", name, s.DefaultPacketSize, s.MaxPacketSize)
	}
	return nil
}

// errNilScenario is returned when a Builder returns neither a scenario nor
// an error.
var errNilScenario = errors.New("builder returned a nil scenario")
