package rl

import (
	"errors"
	"fmt"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/spaces"
)

// AgentConfig configures an AgentApplication.
type AgentConfig struct {
	// ObservationSpace and ActionSpace are what the agent sees and does
	// (DEFIANCE's GetObservationSpace and GetActionSpace). Required.
	ObservationSpace spaces.Space
	ActionSpace      spaces.Space
	// ObservationHistory and RewardHistory are the entries kept per
	// source (DEFIANCE's MaxObservationHistoryLength and
	// MaxRewardHistoryLength); 0 means DefaultHistoryLength (10).
	ObservationHistory int
	RewardHistory      int
	// ActionDelay is the simulated time between InferAction and
	// InitiateAction: the agent's inference time (DEFIANCE's
	// GetActionDelay). Default 0.
	ActionDelay sim.Time
}

// Validate reports the first unusable setting.
func (c AgentConfig) Validate() error {
	switch {
	case c.ObservationSpace == nil:
		return errors.New("rl: agent config needs an observation space")
	case c.ActionSpace == nil:
		return errors.New("rl: agent config needs an action space")
	case c.ObservationHistory < 0 || c.RewardHistory < 0:
		return fmt.Errorf("rl: agent history lengths %d and %d must not be negative", c.ObservationHistory, c.RewardHistory)
	case c.ActionDelay < 0:
		return fmt.Errorf("rl: agent action delay %v is negative", c.ActionDelay)
	}
	return nil
}

// AgentHooks is what user code implements to customise an agent
// application (DEFIANCE's pure virtual OnRecvObs and OnRecvReward): they
// run after an arriving observation or reward was stored in the history;
// they typically set the current observation and reward
// (SetObservation, SetReward) and call InferAction.
type AgentHooks interface {
	OnRecvObs(remoteObservationApp uint32)
	OnRecvReward(remoteRewardApp uint32)
}

// ActionInitiator is implemented by hooks that override what happens to
// an inferred action (DEFIANCE's virtual InitiateAction); the default
// sends {"default": action} to every action application. For actions
// inferred with InferActionFor, the hooks' InitiateActionFor is used if
// they have one (ActionForInitiator).
type ActionInitiator interface {
	InitiateAction(action spaces.Value) error
}

// ActionForInitiator is implemented by hooks that override
// InitiateActionFor (DEFIANCE's InitiateActionForApp).
type ActionForInitiator interface {
	InitiateActionFor(actionApp uint32, action spaces.Value) error
}

// AgentMessageHandler is implemented by hooks that receive messages from
// other agents (DEFIANCE's OnRecvFromAgent; by default they are ignored).
type AgentMessageHandler interface {
	OnRecvFromAgent(remoteAgent uint32, msg spaces.Value)
}

// ExtraInfoProvider is implemented by hooks that add information to each
// decision (DEFIANCE's GetExtraInfo), e.g. for logging.
type ExtraInfoProvider interface {
	ExtraInfo() map[string]string
}

// Decision is what an agent application hands to its decider at
// InferAction (DEFIANCE's NotifyCurrentState): the current observation,
// the current reward, and whether the agent's episode is over.
type Decision struct {
	Agent       RlApplicationID
	Time        sim.Time
	Observation spaces.Value
	Reward      float64
	// Terminated: the agent requested termination (game over).
	Terminated bool
	// Truncated: the agent requested truncation (RequestTruncation).
	Truncated bool
	Info      map[string]string
}

// Decider answers decisions. An environment is one (it pauses the
// simulation until its user steps it); AgentDecider asks a Go Agent at
// once. Decide must call respond at most once, at once or later (while
// the simulation is paused), with the action; for a decision that ends the
// agent's episode the action is ignored and may be nil.
type Decider interface {
	Decide(d Decision, respond func(action spaces.Value) error)
}

// AgentApplication hosts an RL agent on a node (DEFIANCE's
// AgentApplication). It receives observations and rewards, stores each in
// a History (per source and combined), and calls the hooks' OnRecvObs and
// OnRecvReward. InferAction hands the current observation and reward to
// the decider, and, the action delay after the decision, the action is
// initiated: by default sent to every action application as
// {"default": action}.
//
// Customise it by embedding it and passing the embedding value, which
// implements AgentHooks (and optionally ActionInitiator,
// ActionForInitiator, AgentMessageHandler, ExtraInfoProvider), to
// NewAgentApplication.
type AgentApplication struct {
	RlApplication
	cfg     AgentConfig
	hooks   AgentHooks
	obsHist *History
	rewHist *History

	observation spaces.Value
	reward      float64

	truncationRequested  bool
	terminationRequested bool
	done                 bool
	decider              Decider
	decisions            uint64
	actionErrors         uint64
	lastActionErr        error
}

// NewAgentApplication returns an agent application on node. hooks must
// not be nil.
func NewAgentApplication(node *inet.Node, cfg AgentConfig, hooks AgentHooks) (*AgentApplication, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if hooks == nil {
		return nil, errors.New("rl: an agent application needs hooks (OnRecvObs, OnRecvReward)")
	}
	if cfg.ObservationHistory == 0 {
		cfg.ObservationHistory = DefaultHistoryLength
	}
	if cfg.RewardHistory == 0 {
		cfg.RewardHistory = DefaultHistoryLength
	}
	base, err := newRlApplication(node, AgentApp)
	if err != nil {
		return nil, err
	}
	a := &AgentApplication{RlApplication: base, cfg: cfg, hooks: hooks}
	a.obsHist, _ = NewHistory(cfg.ObservationHistory)
	a.rewHist, _ = NewHistory(cfg.RewardHistory)
	a.accepts = func(ApplicationType) bool { return true }
	a.onAdd = a.addCallback
	return a, nil
}

func (a *AgentApplication) addCallback(remote RlApplicationID, iface channelif.ChannelInterface) channelif.RecvCallbackID {
	switch remote.Type {
	case ObservationApp:
		return iface.AddRecvCallback(func(msg spaces.Value) {
			a.obsHist.Push(remote.ID, a.sim.Now(), msg)
			a.hooks.OnRecvObs(remote.ID)
		})
	case RewardApp:
		return iface.AddRecvCallback(func(msg spaces.Value) {
			a.rewHist.Push(remote.ID, a.sim.Now(), msg)
			a.hooks.OnRecvReward(remote.ID)
		})
	case AgentApp:
		return iface.AddRecvCallback(func(msg spaces.Value) {
			if h, ok := a.hooks.(AgentMessageHandler); ok {
				h.OnRecvFromAgent(remote.ID, msg)
			}
		})
	}
	return 0 // action applications send nothing back
}

// Setup clears the histories (DEFIANCE's Setup makes them).
func (a *AgentApplication) Setup() error {
	a.obsHist, _ = NewHistory(a.cfg.ObservationHistory)
	a.rewHist, _ = NewHistory(a.cfg.RewardHistory)
	return nil
}

// Config returns the configuration, with defaults filled in.
func (a *AgentApplication) Config() AgentConfig { return a.cfg }

// ObservationSpace returns the agent's observation space.
func (a *AgentApplication) ObservationSpace() spaces.Space { return a.cfg.ObservationSpace }

// ActionSpace returns the agent's action space.
func (a *AgentApplication) ActionSpace() spaces.Space { return a.cfg.ActionSpace }

// ActionDelay returns the time between a decision and its action.
func (a *AgentApplication) ActionDelay() sim.Time { return a.cfg.ActionDelay }

// SetActionDelay changes the action delay for later decisions.
func (a *AgentApplication) SetActionDelay(d sim.Time) error {
	if d < 0 {
		return fmt.Errorf("rl: agent action delay %v is negative", d)
	}
	a.cfg.ActionDelay = d
	return nil
}

// ObservationHistory returns the observations received, per observation
// application and combined.
func (a *AgentApplication) ObservationHistory() *History { return a.obsHist }

// RewardHistory returns the rewards received, per reward application and
// combined.
func (a *AgentApplication) RewardHistory() *History { return a.rewHist }

// Observation returns the current observation, which InferAction hands to
// the decider.
func (a *AgentApplication) Observation() spaces.Value { return a.observation }

// SetObservation sets the current observation.
func (a *AgentApplication) SetObservation(v spaces.Value) { a.observation = v }

// Reward returns the current reward, which InferAction hands to the
// decider.
func (a *AgentApplication) Reward() float64 { return a.reward }

// SetReward sets the current reward.
func (a *AgentApplication) SetReward(r float64) { a.reward = r }

// SetDecider sets who decides on the agent's actions (an environment sets
// itself).
func (a *AgentApplication) SetDecider(d Decider) { a.decider = d }

// AttachAgent makes a Go agent decide at once, without pausing the
// simulation (an AgentDecider, returned for its error counters).
func (a *AgentApplication) AttachAgent(ag Agent) *AgentDecider {
	d := &AgentDecider{Agent: ag}
	a.decider = d
	return d
}

// Decisions returns the number of decisions handed to the decider.
func (a *AgentApplication) Decisions() uint64 { return a.decisions }

// Done reports whether the agent's episode ended (a decision with
// termination or truncation was handed out); InferAction then does
// nothing.
func (a *AgentApplication) Done() bool { return a.done }

// RequestTruncation makes the next decision a truncated one, which ends
// the agent's episode (DEFIANCE's RequestTruncation).
func (a *AgentApplication) RequestTruncation() { a.truncationRequested = true }

// RequestTermination makes the next decision a terminated one (game over),
// which ends the agent's episode.
func (a *AgentApplication) RequestTermination() { a.terminationRequested = true }

// InferAction hands the current observation and reward to the decider;
// the action it returns is initiated (InitiateAction) the action delay
// after this call, in simulated time. It fails if there is no current
// observation or no decider. After the agent's episode ended it does
// nothing.
func (a *AgentApplication) InferAction() error { return a.infer(-1) }

// InferActionFor is InferAction for one action application: the action is
// initiated with InitiateActionFor (DEFIANCE's InferAction(remoteAppId)).
func (a *AgentApplication) InferActionFor(actionApp uint32) error { return a.infer(int64(actionApp)) }

func (a *AgentApplication) infer(target int64) error {
	if a.done {
		return nil
	}
	if a.observation == nil {
		return fmt.Errorf("rl: %v: InferAction without an observation (call SetObservation first)", a.id)
	}
	if a.decider == nil {
		return fmt.Errorf("rl: %v: InferAction without a decider (attach an agent or an environment)", a.id)
	}
	d := Decision{
		Agent:       a.id,
		Time:        a.sim.Now(),
		Observation: a.observation,
		Reward:      a.reward,
		Terminated:  a.terminationRequested,
		Truncated:   a.truncationRequested && !a.terminationRequested,
	}
	if p, ok := a.hooks.(ExtraInfoProvider); ok {
		d.Info = p.ExtraInfo()
	}
	a.decisions++
	if d.Terminated || d.Truncated {
		a.done = true
	}
	final := a.done
	answered := false
	a.decider.Decide(d, func(action spaces.Value) error {
		if answered {
			return fmt.Errorf("rl: %v: decision at %v answered twice", a.id, d.Time)
		}
		if final {
			answered = true
			return nil
		}
		if err := a.cfg.ActionSpace.Contains(action); err != nil {
			err = fmt.Errorf("rl: %v: action %v: %w", a.id, action, err)
			a.actionErrors++
			a.lastActionErr = err
			return err
		}
		answered = true
		delay := a.cfg.ActionDelay
		if at := d.Time + delay; at < a.sim.Now() {
			return fmt.Errorf("rl: %v: decision at %v answered at %v, after its action time %v", a.id, d.Time, a.sim.Now(), at)
		}
		delay = d.Time + delay - a.sim.Now()
		a.sim.Schedule(delay, func() { a.initiate(target, action) })
		return nil
	})
	return nil
}

func (a *AgentApplication) initiate(target int64, action spaces.Value) {
	var err error
	if target < 0 {
		if h, ok := a.hooks.(ActionInitiator); ok {
			err = h.InitiateAction(action)
		} else {
			err = a.InitiateAction(action)
		}
	} else {
		if h, ok := a.hooks.(ActionForInitiator); ok {
			err = h.InitiateActionFor(uint32(target), action)
		} else {
			err = a.InitiateActionFor(uint32(target), action)
		}
	}
	if err != nil {
		a.actionErrors++
		a.lastActionErr = err
	}
}

// InitiateAction is the default action initiation: it sends
// {"default": action} to every action application (DEFIANCE's
// InitiateAction). Hooks that override it may call it.
func (a *AgentApplication) InitiateAction(action spaces.Value) error {
	return a.SendAction(spaces.NewDictValue().Set("default", action))
}

// InitiateActionFor sends {"default": action} to one action application.
func (a *AgentApplication) InitiateActionFor(actionApp uint32, action spaces.Value) error {
	return a.SendActionTo(spaces.NewDictValue().Set("default", action), actionApp)
}

// ActionErrors returns how many initiated actions failed to be sent and
// the last such error (sending happens in an event, where there is no
// caller to return it to).
func (a *AgentApplication) ActionErrors() (uint64, error) { return a.actionErrors, a.lastActionErr }

// SendAction sends msg to every action application, over all interfaces
// to each.
func (a *AgentApplication) SendAction(msg spaces.Value) error { return a.sendAll(msg, ActionApp) }

// SendActionTo sends msg to the given action applications.
func (a *AgentApplication) SendActionTo(msg spaces.Value, actionApps ...uint32) error {
	var errs []error
	for _, n := range actionApps {
		errs = append(errs, a.sendTo(msg, ActionID(n)))
	}
	return errors.Join(errs...)
}

// SendActionVia sends msg to one action application over one interface.
func (a *AgentApplication) SendActionVia(msg spaces.Value, actionApp uint32, ifaceID int) error {
	return a.sendVia(msg, ActionID(actionApp), ifaceID)
}

// SendToAgent sends msg to every connected agent (DEFIANCE's
// SendToAgent(data)); SendToAgentTo and SendToAgentVia address some or one.
func (a *AgentApplication) SendToAgent(msg spaces.Value) error { return a.sendAll(msg, AgentApp) }

// SendToAgentTo sends msg to the given agents, over all interfaces to
// each.
func (a *AgentApplication) SendToAgentTo(msg spaces.Value, agents ...uint32) error {
	var errs []error
	for _, n := range agents {
		errs = append(errs, a.sendTo(msg, AgentID(n)))
	}
	return errors.Join(errs...)
}

// SendToAgentVia sends msg to one agent over one interface.
func (a *AgentApplication) SendToAgentVia(msg spaces.Value, agent uint32, ifaceID int) error {
	return a.sendVia(msg, AgentID(agent), ifaceID)
}
