package vecenv

import (
	"errors"
	"fmt"
	"runtime"
)

// Vector steps N environments with one call, in parallel goroutines, with
// Gymnasium 1.x's NEXT_STEP autoreset: the step after an environment's
// episode ended resets it (its action is ignored) and reports its first
// observation with reward 0 and neither flag set. Observations are one flat
// array of N*ObsLen float32, environment i at [i*ObsLen, (i+1)*ObsLen).
//
// The environments must be independent (each its own simulation): each is
// stepped by one worker, whichever takes its chunk first, so results do
// not depend on the number of workers. Not safe for concurrent use.
type Vector struct {
	envs      []Env
	obsLen    int
	team      *team
	needReset []bool
	// per-call arguments, read by the workers
	actions []int64
	obs     []float32
	rewards []float64
	term    []bool
	trunc   []bool
	seeds   []uint64
	reseed  []bool
	errs    []error
}

// NewVector returns a Vector over envs, which must all have the same
// observation length, stepping them on up to workers goroutines (0:
// runtime.GOMAXPROCS(0)). Call Reset before the first Step.
func NewVector(envs []Env, workers int) (*Vector, error) {
	if len(envs) == 0 {
		return nil, errors.New("vector env: num_envs must be at least 1")
	}
	if workers < 0 {
		return nil, fmt.Errorf("vector env: workers %d must be >= 0 (0: one per CPU)", workers)
	}
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := envs[0].ObsLen()
	for i, e := range envs {
		if e == nil {
			return nil, fmt.Errorf("vector env: environment %d is nil", i)
		}
		if e.ObsLen() != n {
			return nil, fmt.Errorf("vector env: environment %d observes %d values, environment 0 %d", i, e.ObsLen(), n)
		}
	}
	v := &Vector{envs: append([]Env(nil), envs...), obsLen: n, team: newTeam(min(workers, len(envs))),
		needReset: make([]bool, len(envs)), errs: make([]error, len(envs))}
	for i := range v.needReset {
		v.needReset[i] = true
	}
	return v, nil
}

// NewChannelVector builds n ChannelEnvs from cfg, environment i seeded with
// the link's seed + i (cfg.Wifi.Seed + i for Wi-Fi), all with the link's
// run.
func NewChannelVector(cfg ChannelEnvConfig, n, workers int) (*Vector, error) {
	if n < 1 {
		return nil, fmt.Errorf("vector env: num_envs %d must be at least 1", n)
	}
	envs := make([]Env, n)
	for i := range envs {
		c := cfg
		if cfg.Link == nil {
			c.Wifi.Seed = cfg.Wifi.Seed + uint64(i)
		} else {
			seed, run := cfg.Link.SeedRun()
			c.Link = cfg.Link.WithSeedRun(seed+uint64(i), run)
		}
		e, err := NewChannelEnv(c)
		if err != nil {
			return nil, err
		}
		envs[i] = e
	}
	return NewVector(envs, workers)
}

// Len returns N.
func (v *Vector) Len() int { return len(v.envs) }

// ObsLen returns the observation length of one environment.
func (v *Vector) ObsLen() int { return v.obsLen }

// Env returns environment i.
func (v *Vector) Env(i int) Env { return v.envs[i] }

// Reset resets every environment and writes their first observations into
// obs (N*ObsLen values). seeds is nil (every environment continues with its
// next run) or N seeds, environment i restarting from (seeds[i], run 1)
// where reseed[i] is true (reseed nil: all of them).
func (v *Vector) Reset(seeds []uint64, reseed []bool, obs []float32) error {
	n := len(v.envs)
	if len(obs) != n*v.obsLen {
		return fmt.Errorf("vector env: observation buffer of %d values, want %d", len(obs), n*v.obsLen)
	}
	if seeds != nil && len(seeds) != n {
		return fmt.Errorf("vector env: %d seeds for %d environments", len(seeds), n)
	}
	if reseed != nil && len(reseed) != n {
		return fmt.Errorf("vector env: %d reseed flags for %d environments", len(reseed), n)
	}
	v.seeds, v.reseed, v.obs = seeds, reseed, obs
	err := v.run(v.resetBlock)
	v.seeds, v.reseed, v.obs = nil, nil, nil
	return err
}

// Step applies actions (N values), writes observations (N*ObsLen),
// rewards, terminated and truncated flags (N each), autoresetting the
// environments whose episode ended at the previous step.
func (v *Vector) Step(actions []int64, obs []float32, rewards []float64, terminated, truncated []bool) error {
	n := len(v.envs)
	switch {
	case len(actions) != n:
		return fmt.Errorf("vector env: %d actions for %d environments", len(actions), n)
	case len(obs) != n*v.obsLen:
		return fmt.Errorf("vector env: observation buffer of %d values, want %d", len(obs), n*v.obsLen)
	case len(rewards) != n || len(terminated) != n || len(truncated) != n:
		return fmt.Errorf("vector env: reward and flag buffers must hold %d values", n)
	}
	// All actions are checked before any environment steps, so that a bad
	// one leaves every environment where it was.
	for i, a := range actions {
		if k := v.envs[i].NumActions(); a < 0 || a >= int64(k) {
			return fmt.Errorf("vector env: actions[%d]=%d out of range [0, %d]", i, a, k-1)
		}
	}
	v.actions, v.obs, v.rewards, v.term, v.trunc = actions, obs, rewards, terminated, truncated
	err := v.run(v.stepBlock)
	v.actions, v.obs, v.rewards, v.term, v.trunc = nil, nil, nil, nil, nil
	return err
}

// run calls block on chunks of the environments (the team's workers) and returns the first
// error in environment order.
func (v *Vector) run(block func(lo, hi int)) error {
	clear(v.errs)
	v.team.run(len(v.envs), v.errs, block)
	for i, err := range v.errs {
		if err != nil {
			return fmt.Errorf("vector env: environment %d: %w", i, err)
		}
	}
	return nil
}

func (v *Vector) resetBlock(lo, hi int) {
	for i := lo; i < hi; i++ {
		var seed uint64
		reseed := false
		if v.seeds != nil {
			seed, reseed = v.seeds[i], v.reseed == nil || v.reseed[i]
		}
		o := v.obs[i*v.obsLen : (i+1)*v.obsLen]
		if err := v.envs[i].Reset(seed, reseed, o); err != nil {
			v.errs[i] = err
			v.needReset[i] = true
			continue
		}
		v.needReset[i] = false
	}
}

func (v *Vector) stepBlock(lo, hi int) {
	for i := lo; i < hi; i++ {
		o := v.obs[i*v.obsLen : (i+1)*v.obsLen]
		if v.needReset[i] {
			v.rewards[i], v.term[i], v.trunc[i] = 0, false, false
			if err := v.envs[i].Reset(0, false, o); err != nil {
				v.errs[i] = err
				continue
			}
			v.needReset[i] = false
			continue
		}
		r, te, tr, err := v.envs[i].Step(v.actions[i], o)
		if err != nil {
			v.errs[i] = err
			continue
		}
		v.rewards[i], v.term[i], v.trunc[i] = r, te, tr
		v.needReset[i] = te || tr
	}
}
