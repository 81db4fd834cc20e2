package rlexamples

import (
	"errors"
	"fmt"
	"math"

	"math/rand/v2"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/spaces"
)

// RandomObservationApp sends a random digit 0..9 as {"random_number": d}
// to its agents every Period, from Start on (DEFIANCE's
// RandomObservationApp: every second from t = 1 s).
type RandomObservationApp struct {
	*rl.ObservationApplication
	Start, Period sim.Time
	rng           *rand.Rand
	// SendErrors counts observations that could not be sent.
	SendErrors uint64
}

// NewRandomObservationApp returns the application on node, drawing from
// the simulation stream named stream.
func NewRandomObservationApp(node *inet.Node, stream string) (*RandomObservationApp, error) {
	o := &RandomObservationApp{Start: sim.Second, Period: sim.Second}
	var err error
	if o.ObservationApplication, err = rl.NewObservationApplication(node, o); err != nil {
		return nil, err
	}
	o.rng = node.Sim().Stream(stream)
	return o, nil
}

// RegisterCallbacks schedules the first observation.
func (o *RandomObservationApp) RegisterCallbacks() error {
	if o.Period <= 0 || o.Start < 0 {
		return fmt.Errorf("rlexamples: observation start %v and period %v must be positive", o.Start, o.Period)
	}
	o.Sim().Schedule(o.Start, o.observe)
	return nil
}

func (o *RandomObservationApp) observe() {
	d := spaces.DiscreteValue(o.rng.IntN(10))
	if err := o.Send(spaces.NewDictValue().Set("random_number", d)); err != nil {
		o.SendErrors++
	}
	o.Sim().Schedule(o.Period, o.observe)
}

// NodeIDRewardApp sends its node's id as {"reward_hint": id} to its agents
// every Period from Start on (DEFIANCE's NodeListRewardApp: every second
// from t = 1.1 s).
type NodeIDRewardApp struct {
	*rl.RewardApplication
	Start, Period sim.Time
	// SendErrors counts hints that could not be sent.
	SendErrors uint64
}

// NewNodeIDRewardApp returns the application on node.
func NewNodeIDRewardApp(node *inet.Node) (*NodeIDRewardApp, error) {
	r := &NodeIDRewardApp{Start: sim.Seconds(1.1), Period: sim.Second}
	var err error
	if r.RewardApplication, err = rl.NewRewardApplication(node, r); err != nil {
		return nil, err
	}
	return r, nil
}

// RegisterCallbacks schedules the first hint.
func (r *NodeIDRewardApp) RegisterCallbacks() error {
	if r.Period <= 0 || r.Start < 0 {
		return fmt.Errorf("rlexamples: reward start %v and period %v must be positive", r.Start, r.Period)
	}
	r.Sim().Schedule(r.Start, r.observe)
	return nil
}

func (r *NodeIDRewardApp) observe() {
	if err := r.Send(spaces.NewDictValue().Set("reward_hint", spaces.DiscreteValue(r.Node().ID()))); err != nil {
		r.SendErrors++
	}
	r.Sim().Schedule(r.Period, r.observe)
}

// AdditionAgentApp is DEFIANCE's AdditionAgentApp: it must answer
// observation + hint. On each observation it makes the digit its current
// observation; on each reward hint it scores its previous action,
// reward = exp(-|last action - last observation - hint|), where the last
// observation is the one that action was inferred from, then records the
// current observation as the last observation and infers the next action.
type AdditionAgentApp struct {
	*rl.AgentApplication
	lastAction      int64
	lastObservation int64
	// Errors counts malformed messages and failed inferences; Err is the
	// last.
	Errors uint64
	Err    error
}

// NewAdditionAgentApp returns the agent on node with observation space
// Discrete(10) and action space Discrete(actions).
func NewAdditionAgentApp(node *inet.Node, actions int64, actionDelay sim.Time, history int) (*AdditionAgentApp, error) {
	obs, _ := spaces.NewDiscrete(10)
	act, err := spaces.NewDiscrete(actions)
	if err != nil {
		return nil, err
	}
	a := &AdditionAgentApp{}
	cfg := rl.AgentConfig{ObservationSpace: obs, ActionSpace: act, ActionDelay: actionDelay,
		ObservationHistory: history, RewardHistory: history}
	if a.AgentApplication, err = rl.NewAgentApplication(node, cfg, a); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *AdditionAgentApp) fail(err error) {
	a.Errors++
	a.Err = err
}

func discreteKey(msg spaces.Value, key string) (int64, error) {
	d, ok := msg.(*spaces.DictValue)
	if !ok {
		return 0, fmt.Errorf("rlexamples: message %v is not a dict", msg)
	}
	v, ok := d.Get(key)
	if !ok {
		return 0, fmt.Errorf("rlexamples: message %v lacks %q", msg, key)
	}
	x, ok := v.(spaces.DiscreteValue)
	if !ok {
		return 0, fmt.Errorf("rlexamples: %q = %v is not discrete", key, v)
	}
	return int64(x), nil
}

// OnRecvObs makes the newest digit from the observation application the
// current observation.
func (a *AdditionAgentApp) OnRecvObs(remote uint32) {
	d, err := discreteKey(a.ObservationHistory().Newest(remote), "random_number")
	if err != nil {
		a.fail(err)
		return
	}
	a.SetObservation(spaces.DiscreteValue(d))
}

// OnRecvReward scores the previous action and infers the next one. Without
// an observation yet (lost on the way) it waits for the next hint.
func (a *AdditionAgentApp) OnRecvReward(remote uint32) {
	hint, err := discreteKey(a.RewardHistory().Newest(remote), "reward_hint")
	if err != nil {
		a.fail(err)
		return
	}
	a.SetReward(math.Exp(-math.Abs(float64(a.lastAction - a.lastObservation - hint))))
	cur, ok := a.Observation().(spaces.DiscreteValue)
	if !ok {
		return
	}
	a.lastObservation = int64(cur)
	if err := a.InferAction(); err != nil {
		a.fail(err)
	}
}

// InitiateAction records the action, then sends it to the action
// applications under "default".
func (a *AdditionAgentApp) InitiateAction(action spaces.Value) error {
	if x, ok := action.(spaces.DiscreteValue); ok {
		a.lastAction = int64(x)
	}
	return a.AgentApplication.InitiateAction(action)
}

// AdditionConfig configures DEFIANCE's addition example.
type AdditionConfig struct {
	Pairs       int      // observation/reward/agent/action quadruples (5)
	Seed        uint64   // simulation seed (1)
	Truncation  sim.Time // RequestTruncation time of every agent (400 s)
	Delay       sim.Time // propagation delay of the simple interfaces (0)
	ActionDelay sim.Time // agents' action delay (0)
	History     int      // agents' history length (0: 10)
}

// DefaultAdditionConfig returns DEFIANCE's settings: 5 quadruples,
// truncation at 400 s, no delays.
func DefaultAdditionConfig() AdditionConfig {
	return AdditionConfig{Pairs: 5, Seed: 1, Truncation: 400 * sim.Second}
}

// Validate reports the first unusable setting.
func (c AdditionConfig) Validate() error {
	switch {
	case c.Pairs < 1 || c.Pairs > 1000:
		return fmt.Errorf("rlexamples: addition pairs %d outside 1..1000", c.Pairs)
	case c.Truncation <= 0:
		return fmt.Errorf("rlexamples: addition truncation time %v must be positive", c.Truncation)
	case c.Delay < 0 || c.ActionDelay < 0:
		return fmt.Errorf("rlexamples: addition delays %v and %v must not be negative", c.Delay, c.ActionDelay)
	case c.History < 0:
		return fmt.Errorf("rlexamples: addition history %d is negative", c.History)
	}
	return nil
}

// AdditionActions returns the size of the action space: the number of
// nodes plus 9 (DEFIANCE's NodeList::GetNNodes() + 9), 29 for 5
// quadruples of nodes.
func (c AdditionConfig) AdditionActions() int64 { return int64(4*c.Pairs) + 9 }

// AdditionScenario returns the builder of DEFIANCE's addition example:
// Pairs reward, agent, action and observation nodes created in that order
// (the reward nodes get ids 0..Pairs-1), one application on each, the
// i-th observation, reward and action applications connected to the i-th
// agent over simple interfaces, every agent truncated at Truncation.
func AdditionScenario(cfg AdditionConfig) (rl.ScenarioBuilder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return func(run uint64) (*rl.Scenario, error) {
		s := sim.New(cfg.Seed, run)
		net := inet.NewNetwork(s)
		nodes := make([][]*inet.Node, 4) // reward, agent, action, observation
		for k := range nodes {
			for range cfg.Pairs {
				n, err := net.NewNode()
				if err != nil {
					return nil, err
				}
				nodes[k] = append(nodes[k], n)
			}
		}
		var obs, rew, agents, acts []rl.Application
		var agentApps []*rl.AgentApplication
		for i := range cfg.Pairs {
			r, err := NewNodeIDRewardApp(nodes[0][i])
			if err != nil {
				return nil, err
			}
			a, err := NewAdditionAgentApp(nodes[1][i], cfg.AdditionActions(), cfg.ActionDelay, cfg.History)
			if err != nil {
				return nil, err
			}
			act, err := rl.NewActionApplication(nodes[2][i], nil)
			if err != nil {
				return nil, err
			}
			o, err := NewRandomObservationApp(nodes[3][i], fmt.Sprintf("addition/observation/%d", i))
			if err != nil {
				return nil, err
			}
			rew, agents, acts, obs = append(rew, r), append(agents, a), append(acts, act), append(obs, o)
			agentApps = append(agentApps, a.AgentApplication)
		}
		h, err := wire(s, obs, rew, agents, acts)
		if err != nil {
			return nil, err
		}
		var pairs []rl.CommunicationPair
		attr := rl.CommunicationAttributes{Delay: cfg.Delay}
		for i := range uint32(cfg.Pairs) {
			pairs = append(pairs,
				rl.CommunicationPair{Client: rl.ObservationID(i), Server: rl.AgentID(i), Attributes: attr},
				rl.CommunicationPair{Client: rl.RewardID(i), Server: rl.AgentID(i), Attributes: attr},
				rl.CommunicationPair{Client: rl.ActionID(i), Server: rl.AgentID(i), Attributes: attr})
		}
		if _, err := h.AddCommunication(pairs...); err != nil {
			return nil, err
		}
		for _, a := range agentApps {
			s.Schedule(cfg.Truncation, a.RequestTruncation)
		}
		return &rl.Scenario{Sim: s, Agents: agentApps, End: cfg.Truncation + 2*sim.Second}, nil
	}, nil
}

// wire sets the applications, their ids and calls Setup.
func wire(s *sim.Simulator, obs, rew, agents, acts []rl.Application) (*rl.CommunicationHelper, error) {
	h, err := rl.NewCommunicationHelper(s)
	if err != nil {
		return nil, err
	}
	err = errors.Join(h.SetObservationApps(obs...), h.SetRewardApps(rew...),
		h.SetAgentApps(agents...), h.SetActionApps(acts...))
	if err != nil {
		return nil, err
	}
	if err := h.SetIDs(); err != nil {
		return nil, err
	}
	if err := h.Configure(); err != nil {
		return nil, err
	}
	return h, nil
}
