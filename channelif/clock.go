package channelif

import (
	"fmt"
	"math"

	"github.com/netgym/netgym/sim"
)

// Offsets of a step's send time into its window, as a fraction of the step
// duration, in NetRL's programs.
const (
	// SingleUESendOffset: the single-UE programs send 1% into the step.
	SingleUESendOffset = 0.01
	// MultiUESendOffset: the multi-UE Wi-Fi program sends at the start of
	// the step (its per-UE offsets are disabled).
	MultiUESendOffset = 0.0
)

// StepClock maps environment steps to simulated time with NetRL's timing
// rules, in exact integer nanoseconds. Step t is the window
// [Start+t*StepDuration, Start+(t+1)*StepDuration); its packet is sent at
// Start + t*StepDuration + Offset; FLUSH t runs the simulation to
// Start+(t+1)*StepDuration.
//
// NetRL's programs compute these times in floating-point milliseconds from
// the current time rounded down to whole milliseconds, so their windows
// drift when the step duration is not a whole number of milliseconds;
// StepClock does not (a deliberate deviation).
type StepClock struct {
	start, step, offset sim.Time
}

// NewStepClock returns the clock of a scenario whose step 0 starts at start
// (the end of the warm-up) with steps of stepDuration, sending each packet
// offsetFraction of a step into its window (SingleUESendOffset or
// MultiUESendOffset), rounded to the nearest nanosecond. It needs start >= 0,
// stepDuration > 0 and 0 <= offsetFraction < 1.
func NewStepClock(start, stepDuration sim.Time, offsetFraction float64) (StepClock, error) {
	switch {
	case start < 0:
		return StepClock{}, fmt.Errorf("step clock: start %v must be >= 0", start)
	case stepDuration <= 0:
		return StepClock{}, fmt.Errorf("step clock: step duration %v must be > 0", stepDuration)
	case !(offsetFraction >= 0 && offsetFraction < 1):
		return StepClock{}, fmt.Errorf("step clock: send offset %v must be in [0, 1)", offsetFraction)
	}
	off := sim.Time(math.Round(offsetFraction * float64(stepDuration)))
	return StepClock{start: start, step: stepDuration, offset: min(off, stepDuration-1)}, nil
}

// Start returns the start of step 0.
func (c StepClock) Start() sim.Time { return c.start }

// StepDuration returns the duration of one step.
func (c StepClock) StepDuration() sim.Time { return c.step }

// Offset returns how far into its window a step's packet is sent.
func (c StepClock) Offset() sim.Time { return c.offset }

// at returns start + k*step + extra, or an error naming step if it does
// not fit sim.Time.
func (c StepClock) at(step uint32, k uint64, extra sim.Time) (sim.Time, error) {
	if c.start > sim.MaxTime-extra || k > uint64(sim.MaxTime-c.start-extra)/uint64(c.step) {
		return 0, fmt.Errorf("step %d ends beyond the largest simulated time (%v steps of %v from %v)",
			step, k, c.step, c.start)
	}
	return c.start + sim.Time(k)*c.step + extra, nil
}

// StepStart returns the start of step's window.
func (c StepClock) StepStart(step uint32) (sim.Time, error) { return c.at(step, uint64(step), 0) }

// SendTime returns when the packet of step is sent when the TRANSMIT comes
// at simulated time now: Start + step*StepDuration + Offset, or now+1ns if
// that is not later than now (a late or repeated step, or every multi-UE
// packet, which is due exactly when the previous FLUSH ended).
func (c StepClock) SendTime(step uint32, now sim.Time) (sim.Time, error) {
	t, err := c.at(step, uint64(step), c.offset)
	if err != nil {
		return 0, err
	}
	if t <= now {
		if now == sim.MaxTime {
			return 0, fmt.Errorf("step %d: no time left after %v", step, now)
		}
		return now + 1, nil
	}
	return t, nil
}

// FlushEnd returns the end of step's window, Start+(step+1)*StepDuration: a
// FLUSH of step runs the simulation to it if it is later than now, else does
// not advance.
func (c StepClock) FlushEnd(step uint32) (sim.Time, error) { return c.at(step, uint64(step)+1, 0) }

// Warm-up durations of NetRL's programs: the time simulated before READY,
// which becomes the start of step 0. Technology builders give theirs in
// Spec.Warmup.

// WarmupAtLeast returns max(floor, 2*stepDuration), saturating at
// sim.MaxTime: NetRL's single-UE programs warm up for at least two steps.
func WarmupAtLeast(floor, stepDuration sim.Time) sim.Time {
	return max(floor, stepDuration.Mul(2))
}

// WarmupCellular returns the mmWave and 5G-LENA warm-up, max(500 ms,
// 2*stepDuration).
func WarmupCellular(stepDuration sim.Time) sim.Time {
	return WarmupAtLeast(500*sim.Millisecond, stepDuration)
}
