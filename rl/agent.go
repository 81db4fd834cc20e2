package rl

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/netgym/netgym/spaces"
)

// Agent chooses actions. Act gets the current observation and the reward
// earned by the previous action (meaningless at an agent's first
// decision) and returns the next action, which must lie in the agent
// application's action space.
type Agent interface {
	Act(obs spaces.Value, reward float64) (spaces.Value, error)
}

// Learner is implemented by agents that learn from the end of an episode:
// Learn gets the final observation and the reward of the last action, and
// whether the episode terminated (true) or was truncated (false, so the
// final state's value still counts).
type Learner interface {
	Learn(obs spaces.Value, reward float64, terminated bool) error
}

// AgentDecider is a Decider that asks a Go Agent at once, without pausing
// the simulation. A decision that ends the episode goes to the agent's
// Learn, if it has one. Errors (of the agent, or an action outside the
// action space) are counted in Errors and the last kept in Err.
type AgentDecider struct {
	Agent  Agent
	Errors uint64
	Err    error
}

// Decide implements Decider.
func (d *AgentDecider) Decide(dec Decision, respond func(spaces.Value) error) {
	if dec.Terminated || dec.Truncated {
		if l, ok := d.Agent.(Learner); ok {
			d.fail(l.Learn(dec.Observation, dec.Reward, dec.Terminated))
		}
		d.fail(respond(nil))
		return
	}
	action, err := d.Agent.Act(dec.Observation, dec.Reward)
	if err != nil {
		d.fail(fmt.Errorf("rl: %v: agent: %w", dec.Agent, err))
		return
	}
	d.fail(respond(action))
}

func (d *AgentDecider) fail(err error) {
	if err != nil {
		d.Errors++
		d.Err = err
	}
}

// RandomAgent samples every action uniformly from the action space.
type RandomAgent struct {
	space spaces.Space
	rng   *rand.Rand
}

// NewRandomAgent returns an agent drawing from action with rng (e.g. a
// simulation stream, sim.NewStream).
func NewRandomAgent(action spaces.Space, rng *rand.Rand) (*RandomAgent, error) {
	if action == nil || rng == nil {
		return nil, fmt.Errorf("rl: NewRandomAgent needs an action space and a random stream")
	}
	return &RandomAgent{space: action, rng: rng}, nil
}

// Act returns a random action.
func (r *RandomAgent) Act(spaces.Value, float64) (spaces.Value, error) {
	return r.space.Sample(r.rng), nil
}

// QLearningConfig configures a QLearningAgent.
type QLearningConfig struct {
	Alpha   float64 // learning rate in (0, 1] (0.1)
	Gamma   float64 // discount in [0, 1] (0.9)
	Epsilon float64 // exploration probability in [0, 1] while training (0.1)
	// EpsilonDecay multiplies Epsilon at the end of each episode (Learn),
	// down to MinEpsilon. 1 (default) keeps it constant.
	EpsilonDecay float64
	MinEpsilon   float64
	// InitialQ is every action value before learning (0). An optimistic
	// value (the highest reward) makes the agent try every action.
	InitialQ float64
}

// DefaultQLearningConfig returns alpha 0.1, gamma 0.9, epsilon 0.1 with no
// decay, and initial values 0.
func DefaultQLearningConfig() QLearningConfig {
	return QLearningConfig{Alpha: 0.1, Gamma: 0.9, Epsilon: 0.1, EpsilonDecay: 1}
}

// Validate reports the first unusable setting.
func (c QLearningConfig) Validate() error {
	in01 := func(x float64) bool { return x >= 0 && x <= 1 }
	switch {
	case !(c.Alpha > 0 && c.Alpha <= 1):
		return fmt.Errorf("rl: q-learning alpha %v outside (0, 1]", c.Alpha)
	case !in01(c.Gamma):
		return fmt.Errorf("rl: q-learning gamma %v outside [0, 1]", c.Gamma)
	case !in01(c.Epsilon) || !in01(c.MinEpsilon):
		return fmt.Errorf("rl: q-learning epsilon %v / min %v outside [0, 1]", c.Epsilon, c.MinEpsilon)
	case !in01(c.EpsilonDecay):
		return fmt.Errorf("rl: q-learning epsilon decay %v outside [0, 1]", c.EpsilonDecay)
	case math.IsNaN(c.InitialQ) || math.IsInf(c.InitialQ, 0):
		return fmt.Errorf("rl: q-learning initial value %v is not finite", c.InitialQ)
	}
	return nil
}

// QLearningAgent is tabular Q-learning over a Discrete observation space
// and a Discrete action space, with epsilon-greedy exploration (ties
// broken at random). Act learns from the reward of its previous action:
// Q(s, a) += alpha (r + gamma max Q(s', .) - Q(s, a)), with s' the new
// observation; Learn does the same for the last action of an episode
// (without the max term if it terminated) and forgets the previous step.
// With training off, it acts greedily and learns nothing.
type QLearningAgent struct {
	cfg      QLearningConfig
	nObs     int64
	nAct     int64
	q        []float64
	eps      float64
	rng      *rand.Rand
	training bool

	hasPrev bool
	prevObs int64
	prevAct int64
	ties    []int64
}

// NewQLearningAgent returns an agent for the given spaces (both
// *spaces.Discrete), drawing its exploration from rng. Training is on.
func NewQLearningAgent(obs, action spaces.Space, cfg QLearningConfig, rng *rand.Rand) (*QLearningAgent, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	o, ok1 := obs.(*spaces.Discrete)
	a, ok2 := action.(*spaces.Discrete)
	if !ok1 || !ok2 || o == nil || a == nil {
		return nil, fmt.Errorf("rl: q-learning needs Discrete observation and action spaces, got %v and %v", obs, action)
	}
	if rng == nil {
		return nil, fmt.Errorf("rl: q-learning needs a random stream")
	}
	const maxTable = 1 << 24
	if o.N() > maxTable/a.N() {
		return nil, fmt.Errorf("rl: q-learning table of %d x %d values is too large", o.N(), a.N())
	}
	q := make([]float64, o.N()*a.N())
	for i := range q {
		q[i] = cfg.InitialQ
	}
	return &QLearningAgent{cfg: cfg, nObs: o.N(), nAct: a.N(), q: q, eps: cfg.Epsilon, rng: rng, training: true}, nil
}

// SetTraining turns learning and exploration on or off (greedy
// evaluation); it forgets the previous step.
func (q *QLearningAgent) SetTraining(on bool) {
	q.training = on
	q.hasPrev = false
}

// Training reports whether the agent learns and explores.
func (q *QLearningAgent) Training() bool { return q.training }

// Epsilon returns the current exploration probability.
func (q *QLearningAgent) Epsilon() float64 { return q.eps }

// Q returns the value of action a in observation s (NaN out of range).
func (q *QLearningAgent) Q(s, a int64) float64 {
	if s < 0 || s >= q.nObs || a < 0 || a >= q.nAct {
		return math.NaN()
	}
	return q.q[s*q.nAct+a]
}

// Greedy returns the best action in observation s (the lowest on ties),
// or -1 out of range.
func (q *QLearningAgent) Greedy(s int64) int64 {
	if s < 0 || s >= q.nObs {
		return -1
	}
	best := int64(0)
	for a := int64(1); a < q.nAct; a++ {
		if q.q[s*q.nAct+a] > q.q[s*q.nAct+best] {
			best = a
		}
	}
	return best
}

func (q *QLearningAgent) state(obs spaces.Value) (int64, error) {
	s, ok := obs.(spaces.DiscreteValue)
	if !ok || int64(s) < 0 || int64(s) >= q.nObs {
		return 0, fmt.Errorf("rl: q-learning observation %v is not in Discrete(%d)", obs, q.nObs)
	}
	return int64(s), nil
}

func (q *QLearningAgent) maxQ(s int64) float64 {
	row := q.q[s*q.nAct : (s+1)*q.nAct]
	m := row[0]
	for _, v := range row[1:] {
		m = max(m, v)
	}
	return m
}

func (q *QLearningAgent) update(reward float64, next int64, terminal bool) error {
	if math.IsNaN(reward) || math.IsInf(reward, 0) {
		return fmt.Errorf("rl: q-learning reward %v is not finite", reward)
	}
	target := reward
	if !terminal {
		target += q.cfg.Gamma * q.maxQ(next)
	}
	i := q.prevObs*q.nAct + q.prevAct
	q.q[i] += q.cfg.Alpha * (target - q.q[i])
	return nil
}

// Act learns from reward (if training and there was a previous action) and
// returns an epsilon-greedy action for obs.
func (q *QLearningAgent) Act(obs spaces.Value, reward float64) (spaces.Value, error) {
	s, err := q.state(obs)
	if err != nil {
		return nil, err
	}
	if q.training && q.hasPrev {
		if err := q.update(reward, s, false); err != nil {
			return nil, err
		}
	}
	var a int64
	if q.training && q.rng.Float64() < q.eps {
		a = q.rng.Int64N(q.nAct)
	} else {
		row := q.q[s*q.nAct : (s+1)*q.nAct]
		m := q.maxQ(s)
		q.ties = q.ties[:0]
		for i, v := range row {
			if v == m {
				q.ties = append(q.ties, int64(i))
			}
		}
		a = q.ties[0]
		if len(q.ties) > 1 && q.training {
			a = q.ties[q.rng.IntN(len(q.ties))]
		}
	}
	q.hasPrev, q.prevObs, q.prevAct = true, s, a
	return spaces.DiscreteValue(a), nil
}

// Learn learns from the last action of an episode and decays epsilon.
func (q *QLearningAgent) Learn(obs spaces.Value, reward float64, terminated bool) error {
	defer func() { q.hasPrev = false }()
	if !q.training {
		return nil
	}
	q.eps = max(q.cfg.MinEpsilon, q.eps*q.cfg.EpsilonDecay)
	if !q.hasPrev {
		return nil
	}
	var s int64
	if !terminated {
		var err error
		if s, err = q.state(obs); err != nil {
			return err
		}
	}
	return q.update(reward, s, terminated)
}
