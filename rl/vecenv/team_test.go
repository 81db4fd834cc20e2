// SPDX-License-Identifier: GPL-2.0-only

package vecenv

import (
	"fmt"
	"runtime"
	"slices"
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
		if min(tt.workers, runtime.GOMAXPROCS(0)) <= 1 {
			require.Nil(t, tm)
		} else {
			require.Equal(t, min(tt.workers, runtime.GOMAXPROCS(0))-1, tm.helpers, "at most one goroutine per P")
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

// TestTeamPanics: a panic while doing index i becomes errs[i], every
// other index still runs, and the team keeps working; the same whatever
// the number of workers.
func TestTeamPanics(t *testing.T) {
	for _, workers := range []int{1, 2} {
		tm := newTeam(workers)
		const n = 64
		errs := make([]error, n)
		var done atomic.Int32
		tm.run(n, errs, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				if i == 40 || i == 41 {
					panic(fmt.Sprint("boom ", i))
				}
				done.Add(1)
			}
		})
		for i, err := range errs {
			switch i {
			case 40, 41:
				require.EqualError(t, err, fmt.Sprint("panic: boom ", i))
			default:
				require.NoError(t, err, "index %d", i)
			}
		}
		require.Equal(t, int32(n-2), done.Load(), "workers=%d: every other index ran", workers)
		clear(errs)
		done.Store(0)
		tm.run(n, errs, func(lo, hi int) { done.Add(int32(hi - lo)) })
		require.Equal(t, int32(n), done.Load())
	}
}

func (t *team) live() int32 {
	if t == nil {
		return 0
	}
	return t.alive.Load()
}

// TestTeamHelpersShareTheWork: while the caller is held inside the first
// chunk, the other chunks get done, so a helper goroutine took them.
func TestTeamHelpersShareTheWork(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one P: the team is the caller alone")
	}
	tm := newTeam(2)
	const n = 64
	var others atomic.Int32
	errs := make([]error, n)
	tm.run(n, errs, func(lo, hi int) {
		if lo == 0 { // the caller's first index: wait for a helper to do the other chunks
			deadline := time.Now().Add(5 * time.Second)
			for others.Load() < int32(n-n/8) && time.Now().Before(deadline) {
				runtime.Gosched()
			}
			return
		}
		others.Add(int32(hi - lo))
	})
	// the caller holds index 0, so the rest of its chunk (n/8 indices) waits
	// for it; a helper did every other chunk meanwhile
	require.Equal(t, int32(n-1), others.Load())
}

// BenchmarkGoroutineWake measures what team avoids: the delay from `go`
// to a new goroutine's first instruction while the starting goroutine is
// busy (150 us, about a 64-environment step), reported as its median in
// us (wake-p50-us). On the 2-vCPU virtual machines this project measures
// on it is about 60 us: an idle vCPU's wake-up.
func BenchmarkGoroutineWake(b *testing.B) {
	if runtime.GOMAXPROCS(0) < 2 {
		b.Skip("one P: a new goroutine waits for the caller")
	}
	spin := func(d time.Duration) {
		for t := time.Now(); time.Since(t) < d; {
		}
	}
	lat := make([]time.Duration, 0, b.N)
	for b.Loop() {
		t0 := time.Now()
		started := make(chan time.Time, 1)
		go func() { started <- time.Now() }()
		spin(150 * time.Microsecond)
		lat = append(lat, (<-started).Sub(t0))
		spin(20 * time.Microsecond) // the caller's own work between calls
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "wake-p50-us")
}
