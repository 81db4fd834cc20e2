package rl

import (
	"errors"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/spaces"
)

// CollectorHooks is what user code implements to customise an observation
// or reward application: RegisterCallbacks runs in Setup and typically
// schedules the first measurement or connects to a model's trace hooks
// (DEFIANCE's DataCollectorApplication::RegisterCallbacks).
type CollectorHooks interface {
	RegisterCallbacks() error
}

// DataCollectorApplication is what observation and reward applications
// share (DEFIANCE's DataCollectorApplication): interfaces to agents, and
// Send, SendTo and SendVia to send a measurement to all, some or one of
// them. It receives nothing.
type DataCollectorApplication struct {
	RlApplication
	hooks CollectorHooks
}

func newDataCollector(node *inet.Node, t ApplicationType, hooks CollectorHooks) (DataCollectorApplication, error) {
	base, err := newRlApplication(node, t)
	if err != nil {
		return DataCollectorApplication{}, err
	}
	base.accepts = func(t ApplicationType) bool { return t == AgentApp }
	return DataCollectorApplication{RlApplication: base, hooks: hooks}, nil
}

// Setup calls the hooks' RegisterCallbacks, if there are hooks.
func (d *DataCollectorApplication) Setup() error {
	if d.hooks == nil {
		return nil
	}
	return d.hooks.RegisterCallbacks()
}

// Send sends msg to every connected agent, over all interfaces to each
// (DEFIANCE's Send(data)). With no agent connected it does nothing.
func (d *DataCollectorApplication) Send(msg spaces.Value) error {
	return d.sendAll(msg, AgentApp)
}

// SendTo sends msg to the agents numbered agents (over all interfaces to
// each); an agent without an interface is an error (ErrNoInterface), but
// the others still get msg.
func (d *DataCollectorApplication) SendTo(msg spaces.Value, agents ...uint32) error {
	var errs []error
	for _, n := range agents {
		if err := d.sendTo(msg, AgentID(n)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// SendVia sends msg to one agent over one interface.
func (d *DataCollectorApplication) SendVia(msg spaces.Value, agent uint32, ifaceID int) error {
	return d.sendVia(msg, AgentID(agent), ifaceID)
}

// ObservationApplication collects observations and sends them to agents
// (DEFIANCE's ObservationApplication). Customise it by embedding it and
// passing the embedding value, which implements CollectorHooks, to
// NewObservationApplication.
type ObservationApplication struct {
	DataCollectorApplication
}

// NewObservationApplication returns an observation application on node;
// hooks may be nil.
func NewObservationApplication(node *inet.Node, hooks CollectorHooks) (*ObservationApplication, error) {
	d, err := newDataCollector(node, ObservationApp, hooks)
	if err != nil {
		return nil, err
	}
	return &ObservationApplication{DataCollectorApplication: d}, nil
}

// RewardApplication collects rewards and sends them to agents (DEFIANCE's
// RewardApplication). Customise it as ObservationApplication.
type RewardApplication struct {
	DataCollectorApplication
}

// NewRewardApplication returns a reward application on node; hooks may be
// nil.
func NewRewardApplication(node *inet.Node, hooks CollectorHooks) (*RewardApplication, error) {
	d, err := newDataCollector(node, RewardApp, hooks)
	if err != nil {
		return nil, err
	}
	return &RewardApplication{DataCollectorApplication: d}, nil
}

// ActionHandler is what user code implements to customise an action
// application: ExecuteAction gets every message an agent sends to it
// (by default a dict with the action under "default").
type ActionHandler interface {
	ExecuteAction(remoteAgent uint32, action spaces.Value)
}

// ActionApplication executes actions that agents send it (DEFIANCE's
// ActionApplication). Customise it by embedding it and passing the
// embedding value, which implements ActionHandler, to
// NewActionApplication.
type ActionApplication struct {
	RlApplication
	handler ActionHandler
}

// NewActionApplication returns an action application on node that hands
// the actions it receives to handler (nil: the actions are ignored, as
// DEFIANCE's no-op action application).
func NewActionApplication(node *inet.Node, handler ActionHandler) (*ActionApplication, error) {
	base, err := newRlApplication(node, ActionApp)
	if err != nil {
		return nil, err
	}
	a := &ActionApplication{RlApplication: base, handler: handler}
	a.accepts = func(t ApplicationType) bool { return t == AgentApp }
	a.onAdd = func(remote RlApplicationID, iface channelif.ChannelInterface) channelif.RecvCallbackID {
		return iface.AddRecvCallback(func(msg spaces.Value) {
			if a.handler != nil {
				a.handler.ExecuteAction(remote.ID, msg)
			}
		})
	}
	return a, nil
}

// ActionValue returns the action an agent sent under the key "default"
// (what InitiateAction sends by default), or msg itself if msg is not a
// dict with that key.
func ActionValue(msg spaces.Value) spaces.Value {
	if d, ok := msg.(*spaces.DictValue); ok && d != nil {
		if v, ok := d.Get("default"); ok {
			return v
		}
	}
	return msg
}
