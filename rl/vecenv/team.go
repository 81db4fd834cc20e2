// SPDX-License-Identifier: GPL-2.0-only

package vecenv

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"time"
)

// spinFor is how long a helper goroutine of a team keeps polling for the
// next call before it exits. A goroutine started (or an idle OS thread
// woken) for each call reaches its first chunk about 60 us late on the
// 2-vCPU virtual machines this project measures on (an idle vCPU's wake-up),
// which is a third of a call that steps 64 simulations once
// (BenchmarkGoroutineWake); a helper that
// is still polling joins at once. Python's time between two vector steps
// is tens of microseconds; an RL agent that thinks longer than spinFor
// between calls pays the wake-up again, and meanwhile the helpers give
// their CPU to any other goroutine (runtime.Gosched) and exit when the
// window ends, so an idle vector holds no goroutine.
const spinFor = 250 * time.Microsecond

// team runs calls of a function over [0, n) on the calling goroutine and
// up to helpers more. Chunks are handed out in order from a shared
// counter, so the caller starts at once and helpers take what is left when
// they join; each index is done by exactly one goroutine, so which one
// does not change any result. Not safe for concurrent calls of run.
type team struct {
	helpers int
	alive   atomic.Int32            // helper goroutines polling or working
	seq     atomic.Uint64           // calls published
	job     atomic.Pointer[teamJob] // the latest call
}

// teamJob is one call of run.
type teamJob struct {
	next    atomic.Int64 // first index not handed out
	n       int
	chunk   int
	errs    []error
	block   func(lo, hi int)
	pending atomic.Int32 // helpers inside work
}

// newTeam returns a team of workers goroutines in all (the caller
// included), at most one per CPU the runtime uses (GOMAXPROCS): more would
// only take turns polling. nil for one (run then calls block once).
func newTeam(workers int) *team {
	workers = min(workers, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		return nil
	}
	return &team{helpers: workers - 1}
}

// run calls block on every index of [0, n), one index a call, and
// returns when all are done. A panic in block(i, i+1) becomes errs[i]
// (the other indices still run), so what a panic reports does not depend
// on the number of workers.
func (t *team) run(n int, errs []error, block func(lo, hi int)) {
	if t == nil || n <= 1 {
		for i := range n {
			guard(errs, block, i)
		}
		return
	}
	j := &teamJob{n: n, chunk: max(1, n/(4*(t.helpers+1))), errs: errs, block: block}
	t.job.Store(j)
	prev := t.seq.Add(1) - 1
	for {
		a := t.alive.Load()
		if int(a) >= t.helpers || a >= int32(n-1) {
			break
		}
		if t.alive.CompareAndSwap(a, a+1) {
			go t.helper(prev)
		}
	}
	j.work()
	// Every chunk is handed out; wait for the helpers still inside one
	// (they joined before the last chunk went, so pending counts them).
	for j.pending.Load() > 0 {
		runtime.Gosched()
	}
	j.errs, j.block = nil, nil
}

// work does chunks until none is left.
func (j *teamJob) work() {
	for {
		hi := int(j.next.Add(int64(j.chunk)))
		lo := hi - j.chunk
		if lo >= j.n {
			return
		}
		for i := lo; i < min(hi, j.n); i++ {
			guard(j.errs, j.block, i)
		}
	}
}

// helper joins every call published after seq last, and exits after
// spinFor without one.
func (t *team) helper(last uint64) {
	defer t.alive.Add(-1)
	idle := time.Now()
	for {
		if s := t.seq.Load(); s != last {
			last = s
			j := t.job.Load()
			j.pending.Add(1)
			if j.next.Load() < int64(j.n) { // else the call is over or about to be
				j.work()
			}
			j.pending.Add(-1)
			idle = time.Now()
			continue
		}
		if time.Since(idle) > spinFor {
			return
		}
		runtime.Gosched()
	}
}

// guard calls block(i, i+1) and turns a panic into errs[i].
func guard(errs []error, block func(lo, hi int), i int) {
	defer func() {
		if r := recover(); r != nil {
			errs[i] = fmt.Errorf("panic: %v", r)
		}
	}()
	block(i, i+1)
}
