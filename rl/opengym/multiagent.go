package opengym

import (
	"context"
	"errors"
	"fmt"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/spaces"
)

// MultiAgentState is what the simulation tells the agent whose turn it is
// (DEFIANCE's MultiAgentEnvStateMsg without the agent id).
type MultiAgentState struct {
	// Obs is the agent's observation; nil sends none.
	Obs spaces.Value
	// Reward is sent as float32.
	Reward float64
	// GameOver ends the episode, for Reason.
	GameOver bool
	// Reason is sent when GameOver is set.
	Reason Reason
	// Info is the extra info, a string map in this protocol.
	Info map[string]string
}

func (s MultiAgentState) state() State {
	return State{Obs: s.Obs, Reward: s.Reward, GameOver: s.GameOver, Reason: s.Reason, InfoMap: s.Info}
}

// MultiAgentBridge is the simulation's side of DEFIANCE's turn-based
// multi-agent extension, on the same transport as Bridge (the
// agentlink.Link of DialLink with a multi-agent spec): init with
// MultiAgentSimInitMsg (observation and action spaces per agent id), then
// one MultiAgentEnvStateMsg per turn, each carrying the agent id whose
// observation it is and answered by that agent's EnvActMsg. The last
// message, sent by End, has agent id "". Used by one goroutine.
type MultiAgentBridge struct {
	l *agentlink.MessageLink
}

// DialMultiAgent connects to the multi-agent client at cfg's endpoint.
// Cancelling ctx closes the bridge.
func DialMultiAgent(ctx context.Context, cfg Config) (*MultiAgentBridge, error) {
	l, err := DialLink(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &MultiAgentBridge{l: l}, nil
}

// Link returns the bridge's link.
func (b *MultiAgentBridge) Link() *agentlink.MessageLink { return b.l }

// Init sends MultiAgentSimInitMsg with the spaces of every agent and waits
// for SimInitAck; stop is true (and the bridge closed) if the agent asked
// to stop. Agent ids must be non-empty ("" marks the final message).
func (b *MultiAgentBridge) Init(obs, act map[string]spaces.Space) (stop bool, err error) {
	return b.l.Init(agentlink.MultiAgent(obs, act))
}

// Step sends agentID's state and returns that agent's reply. The action
// is checked against the agent's action space (ErrMalformed if it does
// not fit). A game-over state is the last: the reply is awaited, the
// bridge closed and the Action is the zero value; after a stop request
// the bridge is closed too.
func (b *MultiAgentBridge) Step(agentID string, st MultiAgentState) (Action, error) {
	if agentID == "" {
		return Action{}, errors.New("opengym: Step with an empty agent id (End sends the final message)")
	}
	if st.GameOver {
		return Action{}, b.l.End(agentID, st.state())
	}
	return b.l.Step(agentID, st.state())
}

// End sends the final message: agent id "", game over for SimulationEnd,
// no observation, with the given reward and info, waits for the reply and
// closes the bridge (DEFIANCE's NotifySimulationEnd).
func (b *MultiAgentBridge) End(reward float64, info map[string]string) error {
	return b.l.End("", State{Reward: reward, GameOver: true, Reason: SimulationEnd, InfoMap: info})
}

// Steps returns the number of completed exchanges.
func (b *MultiAgentBridge) Steps() int { return b.l.Steps() }

// Close closes the connection. It may be called more than once.
func (b *MultiAgentBridge) Close() error { return b.l.Close() }

// Turn is one agent's turn in a turn-based multi-agent env.
type Turn struct {
	// AgentID is the agent whose turn it is (empty in the final turn).
	AgentID string
	// Obs, Reward, GameOver and Info are that agent's state.
	Obs      spaces.Value
	Reward   float64
	GameOver bool
	Info     map[string]string
}

// MultiAgentEnv is what RunMultiAgent drives: a turn-based env in which
// agents observe and act one at a time.
type MultiAgentEnv interface {
	// ObservationSpaces returns each agent's observation space.
	ObservationSpaces() map[string]spaces.Space
	// ActionSpaces returns each agent's action space.
	ActionSpaces() map[string]spaces.Space
	// NextTurn runs the simulation to the next agent's turn. ok is false
	// when the simulation has ended; the turn then holds only the final
	// reward and info.
	NextTurn() (t Turn, ok bool)
	// Act executes agentID's action (nil when the agent sent none), for
	// instance after the agent's action delay.
	Act(agentID string, action spaces.Value) error
}

// turnLoop is a MultiAgentEnv as the agent loop sees it.
type turnLoop struct{ env MultiAgentEnv }

func (m turnLoop) Spec() agentlink.Spec {
	return agentlink.MultiAgent(m.env.ObservationSpaces(), m.env.ActionSpaces())
}

func (m turnLoop) Next() (agentlink.Turn, error) {
	t, ok := m.env.NextTurn()
	if !ok {
		return agentlink.Turn{State: State{Reward: t.Reward, GameOver: true, Reason: SimulationEnd, InfoMap: t.Info}}, nil
	}
	if t.AgentID == "" {
		return agentlink.Turn{}, errors.New("opengym: a turn with an empty agent id (only the final turn has none)")
	}
	return agentlink.Turn{Agent: t.AgentID, State: State{Obs: t.Obs, Reward: t.Reward, GameOver: t.GameOver, Reason: GameOver, InfoMap: t.Info}}, nil
}

func (m turnLoop) Act(agent string, a spaces.Value) error { return m.env.Act(agent, a) }

// MultiAgentLoop returns env as the agent loop (agentlink.Run) sees it:
// each NextTurn is a turn of its agent (a game-over turn the final one,
// reason GameOver), and the end of the simulation is the final message
// to agent id "" (reason SimulationEnd) with the final reward and info.
func MultiAgentLoop(env MultiAgentEnv) agentlink.Env { return turnLoop{env: env} }

// RunMultiAgent connects to the agent and drives env turn by turn
// (agentlink.Run over DialLink and MultiAgentLoop) until the simulation
// ends (final message with agent id ""), a turn is game over (reason
// GameOver), the agent asks to stop, an error, or ctx's end.
func RunMultiAgent(ctx context.Context, env MultiAgentEnv, cfg Config) (Result, error) {
	if env == nil {
		return Result{}, fmt.Errorf("opengym: nil env")
	}
	return serve(ctx, cfg, MultiAgentLoop(env))
}
