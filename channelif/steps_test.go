package channelif

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRunSteps(t *testing.T) {
	ge := func(delay int) Backend {
		cfg := DefaultGEConfig()
		cfg.LossGood, cfg.LossBad, cfg.DelaySteps = 0, 0, delay
		ch, err := NewGEChannel(cfg)
		require.NoError(t, err)
		b, err := NewChannelBackend(ch, DefaultChannelBackendConfig())
		require.NoError(t, err)
		return b
	}
	perfect, err := NewChannelBackend(NewPerfectChannel(), DefaultChannelBackendConfig())
	require.NoError(t, err)
	// Two UEs; UE 1's packets arrive one step late, UE 0's of odd steps
	// never.
	two := multi(2)
	two.arrivals = map[uint32][]Arrival{}
	for s := uint32(0); s < 6; s++ {
		if s%2 == 0 {
			two.arrivals[s] = append(two.arrivals[s], Arrival{UE: 0, Step: s})
		}
		if s > 0 {
			two.arrivals[s] = append(two.arrivals[s], Arrival{UE: 1, Step: s - 1})
		}
	}
	tests := []struct {
		name     string
		b        Backend
		steps    int
		want     StepStats
		delivery float64
		lag      float64
		seen     []string
	}{
		{"perfect", perfect, 4, StepStats{Steps: 4, Sent: 4, Received: 4}, 1, 0,
			[]string{"0:0@0", "0:1@1", "0:2@2", "0:3@3"}},
		{"GE delayed 2 steps", ge(2), 5, StepStats{Steps: 5, Sent: 5, Received: 3, LagSum: 6}, 0.6, 2,
			[]string{"0:0@2", "0:1@3", "0:2@4"}},
		{"GE delayed past the end", ge(9), 3, StepStats{Steps: 3, Sent: 3}, 0, math.NaN(), nil},
		{"two UEs", two, 6, StepStats{Steps: 6, Sent: 12, Received: 8, LagSum: 5}, 8.0 / 12, 5.0 / 8,
			[]string{"0:0@0", "1:0@1", "0:2@2", "1:1@2", "1:2@3", "0:4@4", "1:3@4", "1:4@5"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var seen []string
			st, err := RunSteps(context.Background(), tc.b, tc.steps, 64, func(a Arrival, flushed uint32) {
				seen = append(seen, fmt.Sprintf("%d:%d@%d", a.UE, a.Step, flushed))
			})
			require.NoError(t, err)
			require.Equal(t, tc.want, st)
			require.Equal(t, tc.seen, seen)
			require.InDelta(t, tc.delivery, st.Delivery(), 1e-15)
			if math.IsNaN(tc.lag) {
				require.True(t, math.IsNaN(st.MeanLag()), "mean lag %v", st.MeanLag())
			} else {
				require.InDelta(t, tc.lag, st.MeanLag(), 1e-15)
			}
		})
	}
	require.Equal(t, []string{"tx 0 0 64", "tx 1 0 64", "flush 0", "tx 0 1 64", "tx 1 1 64", "flush 1"}, two.calls[:6],
		"every UE transmits, in UE order, before the step's flush")
}

func TestRunStepsStops(t *testing.T) {
	boom := errors.New("boom")
	b := single()
	b.arrivals = map[uint32][]Arrival{0: {{Step: 0}}}
	b.flushErr = nil
	st, err := RunSteps(context.Background(), b, 3, 10, nil)
	require.NoError(t, err)
	require.Equal(t, StepStats{Steps: 3, Sent: 3, Received: 1}, st)

	b = single()
	b.txErr = boom
	st, err = RunSteps(context.Background(), b, 3, 10, nil)
	require.ErrorIs(t, err, boom)
	require.Equal(t, StepStats{}, st)
	require.Equal(t, []string{"tx 0 0 10"}, b.calls)

	b = single()
	b.flushErr = boom
	st, err = RunSteps(context.Background(), b, 3, 10, nil)
	require.ErrorIs(t, err, boom)
	require.Equal(t, StepStats{Sent: 1}, st, "the step whose flush failed is not counted")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b = single()
	st, err = RunSteps(ctx, b, 3, 10, nil)
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, StepStats{}, st)
	require.Empty(t, b.calls)
}

func ExampleRunSteps() {
	cfg := DefaultGEConfig()
	cfg.DelaySteps = 1
	ch, err := NewGEChannel(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := NewChannelBackend(ch, DefaultChannelBackendConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	st, err := RunSteps(context.Background(), b, 1000, 64, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d of %d delivered, mean lag %.0f step\n", st.Received, st.Sent, st.MeanLag())
	// Output: 926 of 1000 delivered, mean lag 1 step
}
