package agentlink

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/netgym/netgym/spaces"
)

// Reason says why an episode is over (ns3-gym's EnvStateMsg.Reason, the
// same numbers in DEFIANCE's and ns3-ai's messages).
type Reason int32

// Reasons for the end of an episode; the numbers are ns3-gym's.
const (
	// SimulationEnd: the simulation ran out of time (truncation).
	SimulationEnd Reason = 0
	// GameOver: the environment's own end condition (termination).
	GameOver Reason = 1
)

// String returns "SimulationEnd" or "GameOver".
func (r Reason) String() string {
	switch r {
	case SimulationEnd:
		return "SimulationEnd"
	case GameOver:
		return "GameOver"
	}
	return fmt.Sprintf("Reason(%d)", int32(r))
}

// Valid reports whether r is one of the two reasons.
func (r Reason) Valid() bool { return r == SimulationEnd || r == GameOver }

// State is what the simulation tells an agent at its turn (ns3-gym's
// EnvStateMsg, DEFIANCE's MultiAgentEnvStateMsg without the agent id).
type State struct {
	// Obs is the observation, in the agent's observation space; nil
	// sends none.
	Obs spaces.Value
	// Reward is the reward of the agent's previous action. ns3-gym's
	// messages carry it as float32.
	Reward float64
	// GameOver marks the final state of the episode, for Reason. Run
	// sends such a state with Link.End.
	GameOver bool
	// Reason is why the episode is over; read only when GameOver is set.
	Reason Reason
	// Info is the extra info of single-agent messages (ns3-gym's info
	// string). When it is empty and InfoMap is not, single-agent
	// messages carry InfoMap as JSON (see InfoString).
	Info string
	// InfoMap is the extra info of multi-agent messages (DEFIANCE's info
	// map). Multi-agent states must leave Info empty.
	InfoMap map[string]string
}

// Action is the agent's answer to a state (ns3-gym's EnvActMsg).
type Action struct {
	// Value is the action, in the agent's action space; nil when the
	// agent sent none (ns3-gym then executes a null action).
	Value spaces.Value
	// Stop is the agent's request to stop the simulation
	// (EnvActMsg.stopSimReq).
	Stop bool
}

// SingleAgentID is the agent id of a single-agent Spec and of its turns.
const SingleAgentID = ""

// Spec describes the agents to a link at Init: the observation and action
// space of each agent id.
type Spec struct {
	// MultiAgent selects DEFIANCE's turn-based multi-agent messages, in
	// which every state names the agent whose turn it is. Otherwise the
	// spec describes one agent, with id SingleAgentID (ns3-gym).
	MultiAgent bool
	// Obs maps an agent id to its observation space, Act to its action
	// space. An agent may lack one of the two (or have a nil space):
	// nothing is sent for it and its values are not checked.
	Obs, Act map[string]spaces.Space
}

// SingleAgent returns the spec of one agent with the given spaces (either
// may be nil).
func SingleAgent(obs, act spaces.Space) Spec {
	return Spec{
		Obs: map[string]spaces.Space{SingleAgentID: obs},
		Act: map[string]spaces.Space{SingleAgentID: act},
	}
}

// MultiAgent returns the multi-agent spec of the given spaces per agent
// id; the maps are copied.
func MultiAgent(obs, act map[string]spaces.Space) Spec {
	return Spec{MultiAgent: true, Obs: maps.Clone(obs), Act: maps.Clone(act)}
}

// Validate reports a spec no link can send: a single-agent spec with an
// agent id other than SingleAgentID, or a multi-agent spec with an empty
// id (the empty id marks DEFIANCE's final message).
func (s Spec) Validate() error {
	for _, m := range []struct {
		what string
		m    map[string]spaces.Space
	}{{"observation", s.Obs}, {"action", s.Act}} {
		for id := range m.m {
			switch {
			case s.MultiAgent && id == "":
				return fmt.Errorf("agentlink: multi-agent spec has an %s space for the empty agent id (reserved for the final message)", m.what)
			case !s.MultiAgent && id != SingleAgentID:
				return fmt.Errorf("agentlink: single-agent spec has an %s space for agent %q (use MultiAgent)", m.what, id)
			}
		}
	}
	return nil
}

// Agents returns the agent ids of the spec, sorted.
func (s Spec) Agents() []string {
	ids := slices.Collect(maps.Keys(s.Obs))
	for id := range s.Act {
		if _, ok := s.Obs[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// Has reports whether the spec knows agent.
func (s Spec) Has(agent string) bool {
	_, inObs := s.Obs[agent]
	_, inAct := s.Act[agent]
	return inObs || inAct
}

// Link is the agent side of the loop as the simulation sees it: Init
// describes the agents, Step hands one agent its state and returns its
// action (or a stop request), End sends the final state, Close lets go of
// whatever carries the messages. A Link is used by one goroutine, the
// simulation's; its calls block until the agent answers or the link gives
// up (a timeout, a dead peer), never forever.
//
// MessageLink is the Link of every transport that moves byte messages
// (ZeroMQ in package opengym, shared memory in package ns3ai); a Go agent
// in the same process may implement Link directly.
type Link interface {
	// Init sends the spaces of spec and waits for the agent's
	// acknowledgement. stop reports that the agent asked to stop
	// instead of starting; the link then exchanges nothing more.
	Init(spec Spec) (stop bool, err error)
	// Step sends agent's state (not a final one) and returns the
	// agent's action or stop request. After a stop request the link
	// exchanges nothing more.
	Step(agent string, st State) (Action, error)
	// End sends the final state of the episode (st.Reason says why;
	// GameOver is implied) to agent (SingleAgentID; in a multi-agent
	// spec the agent whose game is over, or "" for DEFIANCE's final
	// message at the simulation's end), waits for the agent's reply and
	// exchanges nothing more.
	End(agent string, st State) error
	// Close releases the link. It may be called more than once.
	Close() error
}

// Turn is one agent's turn: the agent id (SingleAgentID in a single-agent
// env) and its state. A turn whose state is GameOver is the last.
type Turn struct {
	// Agent is the agent whose turn it is ("" for DEFIANCE's final
	// message at the simulation's end).
	Agent string
	// State is what the agent is told.
	State State
}

// Env is the simulation as Run sees it.
type Env interface {
	// Spec describes the agents; Run sends it with Link.Init.
	Spec() Spec
	// Next runs the simulation to the next turn and returns it. A turn
	// with State.GameOver is the episode's last: Run sends it with
	// Link.End and stops.
	Next() (Turn, error)
	// Act executes agent's action (nil when the agent sent none).
	Act(agent string, action spaces.Value) error
}

// Result says how Run ended.
type Result struct {
	// Steps is the number of completed state/action exchanges, the
	// final state's included.
	Steps int
	// Stopped is true when the agent asked to stop (at init or at a
	// step that was not final).
	Stopped bool
	// GameOver is true when the episode ended with a final state, for
	// Reason.
	GameOver bool
	// Reason is set when GameOver is.
	Reason Reason
}

// Run is the turn loop, written once for every transport: it sends
// env.Spec() with link.Init, then at each turn of env the state with
// link.Step and gives the action to env.Act, until a final turn (sent
// with link.End), a stop request from the agent, an error, or ctx's end
// (checked between turns; a transport that must be interrupted while
// waiting watches ctx itself, as opengym's does). A clean end returns a
// nil error. Run does not close link.
func Run(ctx context.Context, link Link, env Env) (Result, error) {
	if link == nil || env == nil {
		return Result{}, errors.New("agentlink: Run needs a link and an env")
	}
	if ctx == nil {
		ctx = context.Background()
	}
	stop, err := link.Init(env.Spec())
	if err != nil || stop {
		return Result{Stopped: stop}, err
	}
	var res Result
	for {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		t, err := env.Next()
		if err != nil {
			return res, fmt.Errorf("agentlink: next turn: %w", err)
		}
		if t.State.GameOver {
			if err := link.End(t.Agent, t.State); err != nil {
				return res, err
			}
			res.Steps++
			res.GameOver, res.Reason = true, t.State.Reason
			return res, nil
		}
		a, err := link.Step(t.Agent, t.State)
		if err != nil {
			return res, err
		}
		res.Steps++
		if a.Stop {
			res.Stopped = true
			return res, nil
		}
		if err := env.Act(t.Agent, a.Value); err != nil {
			if t.Agent == SingleAgentID {
				return res, fmt.Errorf("agentlink: act: %w", err)
			}
			return res, fmt.Errorf("agentlink: act of agent %q: %w", t.Agent, err)
		}
	}
}
