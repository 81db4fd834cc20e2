package channelif

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

func TestNewStepClockErrors(t *testing.T) {
	tests := []struct {
		name   string
		start  sim.Time
		step   sim.Time
		frac   float64
		errMsg string
	}{
		{"negative start", -1, sim.Millisecond, 0.01, "start"},
		{"zero step", 0, 0, 0.01, "step duration"},
		{"negative step", 0, -5, 0.01, "step duration"},
		{"negative offset", 0, sim.Millisecond, -0.1, "send offset"},
		{"offset one", 0, sim.Millisecond, 1, "send offset"},
		{"NaN offset", 0, sim.Millisecond, nanFloat(), "send offset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewStepClock(tt.start, tt.step, tt.frac)
			require.ErrorContains(t, err, tt.errMsg)
		})
	}
}

func nanFloat() float64 { z := 0.0; return z / z }

func TestStepClock(t *testing.T) {
	ms := sim.Millisecond
	tests := []struct {
		name      string
		start     sim.Time
		stepMS    float64
		frac      float64
		step      uint32
		now       sim.Time
		wantSend  sim.Time
		wantFlush sim.Time
	}{
		{"wifi defaults step 0", 310 * ms, 1, SingleUESendOffset, 0, 310 * ms, 310*ms + 10*sim.Microsecond, 311 * ms},
		{"wifi step 5", 310 * ms, 1, SingleUESendOffset, 5, 315 * ms, 315*ms + 10*sim.Microsecond, 316 * ms},
		{"late step goes 1 ns from now", 310 * ms, 1, SingleUESendOffset, 2, 315 * ms, 315*ms + 1, 313 * ms},
		{"send time equal to now goes 1 ns from now", 0, 1, 0, 3, 3 * ms, 3*ms + 1, 4 * ms},
		{"multi-UE packet goes 1 ns after the previous flush", 500 * ms, 2, MultiUESendOffset, 7, 514 * ms, 514*ms + 1, 516 * ms},
		{"multi-UE first step", 500 * ms, 2, MultiUESendOffset, 0, 500 * ms, 500*ms + 1, 502 * ms},
		{"fractional 0.3 ms stays exact", 310 * ms, 0.3, SingleUESendOffset, 1_000_000, 0,
			310*ms + 300_000*ms + 3*sim.Microsecond, 310*ms + 300_000*ms + 300*sim.Microsecond},
		{"fractional 0.3 ms large step", 0, 0.3, SingleUESendOffset, 4_294_967_295, 0,
			4_294_967_295*300_000 + 3000, 4_294_967_296 * 300_000},
		{"0.1 ms", 0, 0.1, SingleUESendOffset, 3, 0, 300_000 + 1000, 400_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewStepClock(tt.start, sim.Milliseconds(tt.stepMS), tt.frac)
			require.NoError(t, err)
			send, err := c.SendTime(tt.step, tt.now)
			require.NoError(t, err)
			assert.Equal(t, tt.wantSend, send)
			end, err := c.FlushEnd(tt.step)
			require.NoError(t, err)
			assert.Equal(t, tt.wantFlush, end)
			startOf, err := c.StepStart(tt.step)
			require.NoError(t, err)
			assert.Equal(t, end-c.StepDuration(), startOf)
		})
	}
}

// Consecutive windows tile time exactly, with no drift, even for a step
// duration that is not a whole number of milliseconds.
func TestStepClockNoDrift(t *testing.T) {
	c, err := NewStepClock(310*sim.Millisecond, sim.Milliseconds(0.3), SingleUESendOffset)
	require.NoError(t, err)
	assert.Equal(t, sim.Time(300_000), c.StepDuration())
	assert.Equal(t, sim.Time(3_000), c.Offset())
	assert.Equal(t, 310*sim.Millisecond, c.Start())
	prev := c.Start()
	for s := uint32(0); s < 100_000; s++ {
		start, err := c.StepStart(s)
		require.NoError(t, err)
		end, err := c.FlushEnd(s)
		require.NoError(t, err)
		require.Equal(t, prev, start)
		require.Equal(t, sim.Time(300_000), end-start)
		prev = end
	}
	assert.Equal(t, 310*sim.Millisecond+30*sim.Second, prev)
}

func TestStepClockOverflow(t *testing.T) {
	c, err := NewStepClock(0, 2*sim.Second, SingleUESendOffset)
	require.NoError(t, err)
	_, err = c.FlushEnd(1<<32 - 1)
	require.NoError(t, err, "2^32 steps of 2 s still fit")
	c, err = NewStepClock(0, 3*sim.Second, SingleUESendOffset)
	require.NoError(t, err)
	_, err = c.FlushEnd(1_000_000_000)
	require.NoError(t, err)
	_, err = c.FlushEnd(1<<32 - 1)
	require.ErrorContains(t, err, "step 4294967295 ends beyond the largest simulated time")
	c, err = NewStepClock(sim.MaxTime-sim.Second, sim.Second, SingleUESendOffset)
	require.NoError(t, err)
	_, err = c.FlushEnd(0)
	require.NoError(t, err)
	_, err = c.FlushEnd(1)
	require.ErrorContains(t, err, "beyond the largest simulated time")
	_, err = c.SendTime(5, 0)
	require.Error(t, err)
	c, err = NewStepClock(0, 3600*sim.Second, SingleUESendOffset)
	require.NoError(t, err)
	_, err = c.StepStart(1 << 31)
	require.Error(t, err)
	c, err = NewStepClock(0, sim.Millisecond, 0)
	require.NoError(t, err)
	_, err = c.SendTime(0, sim.MaxTime)
	require.Error(t, err)
}

func TestStepClockTinyStep(t *testing.T) {
	c, err := NewStepClock(0, 1, 0.9)
	require.NoError(t, err)
	assert.Equal(t, sim.Time(0), c.Offset(), "the offset stays inside the step")
}

func TestWarmups(t *testing.T) {
	ms := sim.Millisecond
	assert.Equal(t, 310*ms, WarmupAtLeast(310*ms, ms))
	assert.Equal(t, 310*ms, WarmupAtLeast(310*ms, 155*ms))
	assert.Equal(t, 400*ms, WarmupAtLeast(310*ms, 200*ms))
	assert.Equal(t, sim.MaxTime, WarmupAtLeast(0, sim.MaxTime))
	assert.Equal(t, 500*ms, WarmupCellular(ms))
	assert.Equal(t, 1000*ms, WarmupCellular(500*ms))
	assert.Equal(t, sim.MaxTime, WarmupCellular(sim.MaxTime/2+1))
	// 2*step saturates below too (it used to wrap to a huge warm-up).
	assert.Equal(t, 310*ms, WarmupAtLeast(310*ms, sim.MinTime/2-1))
}
