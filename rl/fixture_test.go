package rl_test

import (
	"errors"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/spaces"
)

// tickObs sends {"tick": k mod 10} at k seconds, k = 1..n.
type tickObs struct {
	*rl.ObservationApplication
	n, k int
}

func (o *tickObs) RegisterCallbacks() error {
	if o.n > 0 {
		o.Sim().Schedule(sim.Second, o.tick)
	}
	return nil
}

func (o *tickObs) tick() {
	o.k++
	_ = o.Send(spaces.NewDictValue().Set("tick", spaces.DiscreteValue(o.k%10)))
	if o.k < o.n {
		o.Sim().Schedule(sim.Second, o.tick)
	}
}

// echoAgent makes each tick its observation, the number of ticks so far
// its reward, and infers at once.
type echoAgent struct {
	*rl.AgentApplication
	received int
	fromPeer []spaces.Value
	err      error
}

func (a *echoAgent) OnRecvObs(remote uint32) {
	d := a.ObservationHistory().Newest(remote).(*spaces.DictValue)
	v, _ := d.Get("tick")
	a.received++
	a.SetObservation(v)
	a.SetReward(float64(a.received))
	if err := a.InferAction(); err != nil {
		a.err = err
	}
}

func (a *echoAgent) OnRecvReward(uint32) {}

func (a *echoAgent) OnRecvFromAgent(_ uint32, msg spaces.Value) {
	a.fromPeer = append(a.fromPeer, msg)
}

// recorder is an action handler that records what arrives.
type recorder struct {
	s     *sim.Simulator
	times []sim.Time
	acts  []spaces.Value
	from  []uint32
}

func (r *recorder) ExecuteAction(remote uint32, msg spaces.Value) {
	r.times = append(r.times, r.s.Now())
	r.acts = append(r.acts, rl.ActionValue(msg))
	r.from = append(r.from, remote)
}

// echoPolicy answers every observation with the observation itself.
type echoPolicy struct{}

func (echoPolicy) Act(obs spaces.Value, _ float64) (spaces.Value, error) {
	if obs == nil {
		return nil, errors.New("no observation")
	}
	return obs, nil
}

type tickWorld struct {
	s       *sim.Simulator
	helper  *rl.CommunicationHelper
	obs     []*tickObs
	agents  []*echoAgent
	actions []*recorder
}

// newTickWorld makes n agents, each with its own tick observation
// application (sending ticks 1..ticks) and action application, wired with
// attr.
func newTickWorld(run uint64, n, ticks int, actionDelay sim.Time, attr rl.CommunicationAttributes) (*tickWorld, error) {
	s := sim.New(1, run)
	net := inet.NewNetwork(s)
	w := &tickWorld{s: s}
	space, _ := spaces.NewDiscrete(10)
	var obs, agents, acts []rl.Application
	for range n {
		nodes := make([]*inet.Node, 3)
		for i := range nodes {
			nodes[i], _ = net.NewNode()
		}
		o := &tickObs{n: ticks}
		var err error
		if o.ObservationApplication, err = rl.NewObservationApplication(nodes[0], o); err != nil {
			return nil, err
		}
		a := &echoAgent{}
		cfg := rl.AgentConfig{ObservationSpace: space, ActionSpace: space, ActionDelay: actionDelay}
		if a.AgentApplication, err = rl.NewAgentApplication(nodes[1], cfg, a); err != nil {
			return nil, err
		}
		r := &recorder{s: s}
		act, err := rl.NewActionApplication(nodes[2], r)
		if err != nil {
			return nil, err
		}
		w.obs, w.agents, w.actions = append(w.obs, o), append(w.agents, a), append(w.actions, r)
		obs, agents, acts = append(obs, o), append(agents, a), append(acts, act)
	}
	h, err := rl.NewCommunicationHelper(s)
	if err != nil {
		return nil, err
	}
	if err := errors.Join(h.SetObservationApps(obs...), h.SetAgentApps(agents...), h.SetActionApps(acts...)); err != nil {
		return nil, err
	}
	if err := h.SetIDs(); err != nil {
		return nil, err
	}
	if err := h.Configure(); err != nil {
		return nil, err
	}
	for i := range uint32(n) {
		_, err := h.AddCommunication(
			rl.CommunicationPair{Client: rl.ObservationID(i), Server: rl.AgentID(i), Attributes: attr},
			rl.CommunicationPair{Client: rl.ActionID(i), Server: rl.AgentID(i), Attributes: attr})
		if err != nil {
			return nil, err
		}
	}
	w.helper = h
	return w, nil
}

func (w *tickWorld) agentApps() []*rl.AgentApplication {
	out := make([]*rl.AgentApplication, len(w.agents))
	for i, a := range w.agents {
		out[i] = a.AgentApplication
	}
	return out
}
