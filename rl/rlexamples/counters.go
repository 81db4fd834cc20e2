package rlexamples

import (
	"fmt"
	"math"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/spaces"
)

// CountersConfig configures the multi-agent counters example: each agent
// drives its own counter, which starts uniformly in [-Start, Start],
// towards 0, adding an action in [-MaxStep, MaxStep] once per Period;
// its reward is -|counter|.
type CountersConfig struct {
	Agents      int      // agents, each with its counter (3)
	Seed        uint64   // simulation seed (1)
	Start       int      // initial counters are uniform in [-Start, Start] (42)
	MaxStep     int      // actions are -MaxStep..MaxStep (5)
	Limit       int      // counters are clamped to [-Limit, Limit] (50)
	Period      sim.Time // one observation, reward and decision per period (1 s)
	Episode     sim.Time // episode length: agents are truncated then (60 s)
	Delay       sim.Time // propagation delay of the simple interfaces (0)
	ActionDelay sim.Time // agents' action delay (0)
}

// DefaultCountersConfig returns 3 agents, counters from [-42, 42], actions
// -5..+5, one step per second, 60 s episodes.
func DefaultCountersConfig() CountersConfig {
	return CountersConfig{Agents: 3, Seed: 1, Start: 42, MaxStep: 5, Limit: 50,
		Period: sim.Second, Episode: 60 * sim.Second}
}

// Validate reports the first unusable setting.
func (c CountersConfig) Validate() error {
	switch {
	case c.Agents < 1 || c.Agents > 1000:
		return fmt.Errorf("rlexamples: counters agents %d outside 1..1000", c.Agents)
	case c.Start < 0 || c.Limit < c.Start || c.Limit > 1<<20:
		return fmt.Errorf("rlexamples: counters need 0 <= start (%d) <= limit (%d) <= %d", c.Start, c.Limit, 1<<20)
	case c.MaxStep < 0 || c.MaxStep > 1<<20:
		return fmt.Errorf("rlexamples: counters max step %d outside 0..%d", c.MaxStep, 1<<20)
	case c.Period <= 0 || c.Episode < c.Period:
		return fmt.Errorf("rlexamples: counters period %v must be positive and at most the episode %v", c.Period, c.Episode)
	case c.Delay < 0 || c.ActionDelay < 0:
		return fmt.Errorf("rlexamples: counters delays %v and %v must not be negative", c.Delay, c.ActionDelay)
	}
	return nil
}

// Counter is the controlled system of one agent: an integer in
// [-limit, limit].
type Counter struct {
	Value int
	limit int
}

// Add adds d, clamping to the limits.
func (c *Counter) Add(d int) { c.Value = min(max(c.Value+d, -c.limit), c.limit) }

// counterObs sends {"counter": value + limit} (a Discrete(2 limit + 1)
// value) every period.
type counterObs struct {
	*rl.ObservationApplication
	c      *Counter
	period sim.Time
}

// RegisterCallbacks schedules the first observation.
func (o *counterObs) RegisterCallbacks() error {
	o.Sim().Schedule(o.period, o.observe)
	return nil
}

func (o *counterObs) observe() {
	_ = o.Send(spaces.NewDictValue().Set("counter", spaces.DiscreteValue(o.c.Value+o.c.limit)))
	o.Sim().Schedule(o.period, o.observe)
}

// counterReward sends {"reward": -|value|} every period, just after the
// observation.
type counterReward struct {
	*rl.RewardApplication
	c      *Counter
	period sim.Time
}

// RegisterCallbacks schedules the first reward.
func (r *counterReward) RegisterCallbacks() error {
	r.Sim().Schedule(r.period, r.observe)
	return nil
}

func (r *counterReward) observe() {
	_ = r.Send(spaces.NewDictValue().Set("reward", spaces.DoubleBox(-math.Abs(float64(r.c.Value)))))
	r.Sim().Schedule(r.period, r.observe)
}

// counterAction adds the action, shifted to -MaxStep..MaxStep, to the
// counter.
type counterAction struct {
	c       *Counter
	maxStep int
}

// ExecuteAction adds the action to the counter.
func (a counterAction) ExecuteAction(_ uint32, msg spaces.Value) {
	if x, ok := rl.ActionValue(msg).(spaces.DiscreteValue); ok {
		a.c.Add(int(x) - a.maxStep)
	}
}

// counterAgent makes the newest counter its observation and the newest
// reward its reward, and infers on every reward.
type counterAgent struct {
	*rl.AgentApplication
	Err error
}

// OnRecvObs makes the newest counter the observation.
func (a *counterAgent) OnRecvObs(remote uint32) {
	if v, err := dictKey(a.ObservationHistory().Newest(remote), "counter"); err == nil {
		a.SetObservation(v)
	} else {
		a.Err = err
	}
}

// OnRecvReward makes the newest reward the reward and infers an action.
func (a *counterAgent) OnRecvReward(remote uint32) {
	v, err := dictKey(a.RewardHistory().Newest(remote), "reward")
	if err != nil {
		a.Err = err
		return
	}
	b, ok := v.(*spaces.BoxValue)
	if !ok || b.Len() != 1 {
		a.Err = fmt.Errorf("rlexamples: reward %v is not a one-element box", v)
		return
	}
	a.SetReward(b.At(0))
	if a.Observation() != nil {
		if err := a.InferAction(); err != nil {
			a.Err = err
		}
	}
}

func dictKey(msg spaces.Value, key string) (spaces.Value, error) {
	d, ok := msg.(*spaces.DictValue)
	if !ok {
		return nil, fmt.Errorf("rlexamples: message %v is not a dict", msg)
	}
	v, ok := d.Get(key)
	if !ok {
		return nil, fmt.Errorf("rlexamples: message %v lacks %q", msg, key)
	}
	return v, nil
}

// CountersWorld is one episode of the counters example: its scenario and
// its counters (index = agent number).
type CountersWorld struct {
	Scenario *rl.Scenario
	Counters []*Counter
	Start    []int // the counters' initial values
}

// CountersScenario returns the builder of the counters example and a
// function returning the world of the newest episode built. For each
// agent, an observation, a reward and an action application share the
// agent's counter; the four applications sit on their own nodes and talk
// over simple interfaces. Observations and rewards are sent every period
// from t = Period; every agent is truncated at Episode.
func CountersScenario(cfg CountersConfig) (rl.ScenarioBuilder, func() *CountersWorld, error) {
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	var last *CountersWorld
	build := func(run uint64) (*rl.Scenario, error) {
		s := sim.New(cfg.Seed, run)
		net := inet.NewNetwork(s)
		obsSpace, _ := spaces.NewDiscrete(int64(2*cfg.Limit + 1))
		actSpace, _ := spaces.NewDiscrete(int64(2*cfg.MaxStep + 1))
		w := &CountersWorld{}
		var obs, rew, agents, acts []rl.Application
		var agentApps []*rl.AgentApplication
		for i := range cfg.Agents {
			nodes := make([]*inet.Node, 4)
			for k := range nodes {
				var err error
				if nodes[k], err = net.NewNode(); err != nil {
					return nil, err
				}
			}
			rng := s.StreamFor("counters/start", i)
			c := &Counter{Value: rng.IntN(2*cfg.Start+1) - cfg.Start, limit: cfg.Limit}
			w.Counters = append(w.Counters, c)
			w.Start = append(w.Start, c.Value)
			o := &counterObs{c: c, period: cfg.Period}
			r := &counterReward{c: c, period: cfg.Period}
			a := &counterAgent{}
			var err error
			if o.ObservationApplication, err = rl.NewObservationApplication(nodes[0], o); err != nil {
				return nil, err
			}
			if r.RewardApplication, err = rl.NewRewardApplication(nodes[1], r); err != nil {
				return nil, err
			}
			acfg := rl.AgentConfig{ObservationSpace: obsSpace, ActionSpace: actSpace, ActionDelay: cfg.ActionDelay}
			if a.AgentApplication, err = rl.NewAgentApplication(nodes[2], acfg, a); err != nil {
				return nil, err
			}
			act, err := rl.NewActionApplication(nodes[3], counterAction{c: c, maxStep: cfg.MaxStep})
			if err != nil {
				return nil, err
			}
			obs, rew, agents, acts = append(obs, o), append(rew, r), append(agents, a), append(acts, act)
			agentApps = append(agentApps, a.AgentApplication)
		}
		h, err := wire(s, obs, rew, agents, acts)
		if err != nil {
			return nil, err
		}
		attr := rl.CommunicationAttributes{Delay: cfg.Delay}
		for i := range uint32(cfg.Agents) {
			_, err := h.AddCommunication(
				rl.CommunicationPair{Client: rl.ObservationID(i), Server: rl.AgentID(i), Attributes: attr},
				rl.CommunicationPair{Client: rl.RewardID(i), Server: rl.AgentID(i), Attributes: attr},
				rl.CommunicationPair{Client: rl.ActionID(i), Server: rl.AgentID(i), Attributes: attr})
			if err != nil {
				return nil, err
			}
		}
		// Truncate just before the last period's measurements, so that
		// the decision at Episode is the final one.
		trunc := cfg.Episode - cfg.Period/2
		for _, a := range agentApps {
			s.Schedule(trunc, a.RequestTruncation)
		}
		w.Scenario = &rl.Scenario{Sim: s, Agents: agentApps, End: cfg.Episode + cfg.Period}
		last = w
		return w.Scenario, nil
	}
	return build, func() *CountersWorld { return last }, nil
}

// CountersResult sums up TrainCounters.
type CountersResult struct {
	// Training holds each training episode's statistics.
	Training []rl.EpisodeStats
	// FinalAbs is the mean |counter| at the end of each training episode.
	FinalAbs []float64
	// Eval holds each greedy evaluation episode's statistics.
	Eval []rl.EpisodeStats
	// EvalStart and EvalFinal are the counters at the start and the end
	// of the evaluation episodes, one after the other.
	EvalStart, EvalFinal []int
}

// EvalFinalAbs returns the mean |counter| at the end of the evaluation
// episodes.
func (r CountersResult) EvalFinalAbs() float64 { return meanAbs(r.EvalFinal) }

// EvalMeanReward returns the mean reward per action over the evaluation
// episodes.
func (r CountersResult) EvalMeanReward() float64 {
	var sum float64
	for _, st := range r.Eval {
		sum += st.MeanReward()
	}
	if len(r.Eval) == 0 {
		return 0
	}
	return sum / float64(len(r.Eval))
}

func meanAbs(v []int) float64 {
	if len(v) == 0 {
		return 0
	}
	var s float64
	for _, x := range v {
		s += math.Abs(float64(x))
	}
	return s / float64(len(v))
}

// CountersQConfig is the Q-learning configuration of the counters
// example. A low discount makes the one-step reward dominate, which is
// enough here (moving towards 0 as fast as possible is optimal) and lets
// rarely visited far-off counters be learned from few visits.
func CountersQConfig() rl.QLearningConfig {
	return rl.QLearningConfig{Alpha: 0.5, Gamma: 0.5, Epsilon: 0.1, EpsilonDecay: 1}
}

// TrainCounters trains agents of the given kind for episodes episodes
// (runs 1, 2, ...), then evaluates them greedily on evalEpisodes more.
func TrainCounters(cfg CountersConfig, kind string, episodes, evalEpisodes int) (CountersResult, error) {
	return trainCounters(cfg, kind, CountersQConfig(), episodes, evalEpisodes)
}

// TrainCountersWith is TrainCounters with Q-learning agents configured by
// qcfg.
func TrainCountersWith(cfg CountersConfig, qcfg rl.QLearningConfig, episodes, evalEpisodes int) (CountersResult, error) {
	return trainCounters(cfg, AgentQLearning, qcfg, episodes, evalEpisodes)
}

func trainCounters(cfg CountersConfig, kind string, qcfg rl.QLearningConfig, episodes, evalEpisodes int) (CountersResult, error) {
	var res CountersResult
	if episodes < 0 || evalEpisodes < 0 {
		return res, fmt.Errorf("rlexamples: %d training and %d evaluation episodes", episodes, evalEpisodes)
	}
	build, world, err := CountersScenario(cfg)
	if err != nil {
		return res, err
	}
	env, err := rl.NewMultiAgentEnv(build, 1)
	if err != nil {
		return res, err
	}
	agents, err := NewAgents(env, kind, cfg.Seed, qcfg)
	if err != nil {
		return res, err
	}
	values := func() []int {
		var v []int
		for _, c := range world().Counters {
			v = append(v, c.Value)
		}
		return v
	}
	for range episodes {
		st, err := rl.RunEpisode(env, agents)
		if err != nil {
			return res, err
		}
		res.Training = append(res.Training, st)
		res.FinalAbs = append(res.FinalAbs, meanAbs(values()))
	}
	for _, ag := range agents {
		if t, ok := ag.(trainer); ok {
			t.SetTraining(false)
		}
	}
	for range evalEpisodes {
		st, err := rl.RunEpisode(env, agents)
		if err != nil {
			return res, err
		}
		res.Eval = append(res.Eval, st)
		res.EvalStart = append(res.EvalStart, world().Start...)
		res.EvalFinal = append(res.EvalFinal, values()...)
	}
	return res, nil
}
