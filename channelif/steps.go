package channelif

import (
	"context"
	"math"
)

// StepStats sums up a stepping run (RunSteps).
type StepStats struct {
	// Steps is the number of steps run.
	Steps int
	// Sent is the number of packets transmitted: Steps times the number
	// of UEs (one on a single-UE backend).
	Sent int
	// Received is the number of packets the flushes returned.
	Received int
	// LagSum is the sum, over the received packets, of the steps from a
	// packet's step to the step whose flush returned it, in arrival order.
	LagSum float64
}

// Delivery returns the fraction of the sent packets received (NaN if none
// was sent).
func (s StepStats) Delivery() float64 { return float64(s.Received) / float64(s.Sent) }

// MeanLag returns the mean lag in steps of the received packets: LagSum /
// Received, NaN if none arrived.
func (s StepStats) MeanLag() float64 {
	if s.Received == 0 {
		return math.NaN()
	}
	return s.LagSum / float64(s.Received)
}

// runStepsCtxEvery is how many steps RunSteps goes between checks of its
// context.
const runStepsCtxEvery = 1024

// RunSteps runs NetRL's stepping loop on b for steps 0 to steps-1: in each
// step every UE (UE 0 on a single-UE backend) transmits one packet of size
// payload bytes, in UE order, and then the step is flushed. onArrival, if
// not nil, sees every packet a flush returns, in arrival order, with the
// step of that flush. It checks ctx every 1024 steps and stops at the first
// error, returning what it counted so far. A single-UE CommChannel steps
// through its Backend (SimChannel.Backend) or NewChannelBackend.
func RunSteps(ctx context.Context, b Backend, steps, size int, onArrival func(a Arrival, flushed uint32)) (StepStats, error) {
	var st StepStats
	ues := max(b.NumUEs(), 1)
	for s := range steps {
		if s%runStepsCtxEvery == 0 && ctx.Err() != nil {
			return st, ctx.Err()
		}
		step := uint32(s)
		for ue := range ues {
			if err := b.Transmit(ue, step, size); err != nil {
				return st, err
			}
			st.Sent++
		}
		arr, err := b.Flush(step)
		if err != nil {
			return st, err
		}
		st.Steps++
		for _, a := range arr {
			st.Received++
			st.LagSum += float64(s - int(a.Step))
			if onArrival != nil {
				onArrival(a, step)
			}
		}
	}
	return st, nil
}
