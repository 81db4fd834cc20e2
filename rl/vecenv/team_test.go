// SPDX-License-Identifier: GPL-2.0-only

package vecenv

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestTeamRunsEveryIndexOnce: over many calls in a row (helpers polling
// between them) and calls after the helpers have exited, every index is
// done by exactly one goroutine and run returns only when all are done.
func TestTeamRunsEveryIndexOnce(t *testing.T) {
	for _, tt := range []struct{ workers, n int }{{1, 5}, {2, 1}, {2, 2}, {2, 64}, {3, 7}, {8, 100}} {
		tm := newTeam(tt.workers)
		if tt.workers <= 1 {
			require.Nil(t, tm)
		}
		counts := make([]atomic.Int32, tt.n)
		errs := make([]error, tt.n)
		for call := 0; call < 300; call++ {
			if call == 150 {
				// idle: the helpers exit after spinFor; the next call starts new ones
				require.Eventually(t, func() bool { return tm.live() == 0 }, 2*time.Second, spinFor,
					"workers=%d: helpers still alive after idle windows", tt.workers)
			}
			tm.run(tt.n, errs, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					counts[i].Add(1)
				}
			})
			for i := range counts {
				require.Equal(t, int32(call+1), counts[i].Load(), "workers=%d n=%d call %d index %d", tt.workers, tt.n, call, i)
			}
		}
		require.LessOrEqual(t, tm.live(), int32(max(tt.workers-1, 0)))
	}
}

// TestTeamPanics: a panic in a block becomes the error of the block's
// first index, the other chunks still run, and the team keeps working.
func TestTeamPanics(t *testing.T) {
	tm := newTeam(2)
	const n = 64
	errs := make([]error, n)
	var done atomic.Int32
	tm.run(n, errs, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if i == 40 {
				panic("boom")
			}
			done.Add(1)
		}
	})
	var failed []int
	for i, err := range errs {
		if err != nil {
			failed = append(failed, i)
			require.EqualError(t, err, "panic: boom")
		}
	}
	chunk := n / 8
	require.Equal(t, []int{40 / chunk * chunk}, failed, "the error sits on the first index of the panicking chunk")
	require.Equal(t, int32(n-(chunk-40%chunk)), done.Load(), "every other chunk ran")
	clear(errs)
	done.Store(0)
	tm.run(n, errs, func(lo, hi int) { done.Add(int32(hi - lo)) })
	require.Equal(t, int32(n), done.Load())
}

func (t *team) live() int32 {
	if t == nil {
		return 0
	}
	return t.alive.Load()
}
