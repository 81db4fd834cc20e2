package opengym

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/netgym/netgym/rl/opengym/pb"
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

// MultiAgentBridge is the simulation's side of DEFIANCE's turn-based
// multi-agent extension, on the same transport as Bridge: init with
// MultiAgentSimInitMsg (observation and action spaces per agent id), then
// one MultiAgentEnvStateMsg per turn, each carrying the agent id whose
// observation it is and answered by that agent's EnvActMsg. The last
// message, sent by End, has agent id "". Used by one goroutine.
type MultiAgentBridge struct {
	c        *conn
	obs, act map[string]spaces.Space
	initDone bool
	done     bool
	steps    int
}

// DialMultiAgent connects to the multi-agent client at cfg's endpoint.
// Cancelling ctx closes the bridge.
func DialMultiAgent(ctx context.Context, cfg Config) (*MultiAgentBridge, error) {
	c, err := dial(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &MultiAgentBridge{c: c}, nil
}

// Init sends MultiAgentSimInitMsg with the spaces of every agent and waits
// for SimInitAck; stop is true (and the bridge closed) if the agent asked
// to stop. Agent ids must be non-empty ("" marks the final message).
func (b *MultiAgentBridge) Init(obs, act map[string]spaces.Space) (stop bool, err error) {
	if b.initDone {
		return false, fmt.Errorf("opengym: Init called twice")
	}
	msg := &pb.MultiAgentSimInitMsg{
		ObsSpaces: make(map[string]*pb.SpaceDescription, len(obs)),
		ActSpaces: make(map[string]*pb.SpaceDescription, len(act)),
	}
	for _, m := range []struct {
		name string
		in   map[string]spaces.Space
		out  map[string]*pb.SpaceDescription
	}{{"observation", obs, msg.ObsSpaces}, {"action", act, msg.ActSpaces}} {
		for _, id := range slices.Sorted(maps.Keys(m.in)) {
			if id == "" {
				return false, fmt.Errorf("opengym: %s space for an empty agent id", m.name)
			}
			d, err := SpaceToProto(m.in[id])
			if err != nil {
				return false, fmt.Errorf("%s space of agent %q: %w", m.name, id, err)
			}
			m.out[id] = d
		}
	}
	var ack pb.SimInitAck
	if err := b.c.roundTrip("MultiAgentSimInitMsg", msg, &ack); err != nil {
		return false, err
	}
	b.initDone, b.obs, b.act = true, maps.Clone(obs), maps.Clone(act)
	if ack.StopSimReq {
		b.done = true
		return true, b.c.close(nil)
	}
	return false, nil
}

// Step sends agentID's state and returns that agent's reply. The action
// is checked against the agent's action space (ErrMalformed if it does
// not fit). After a game-over state or a stop request the bridge is
// closed.
func (b *MultiAgentBridge) Step(agentID string, st MultiAgentState) (Action, error) {
	if agentID == "" {
		return Action{}, fmt.Errorf("opengym: Step with an empty agent id (End sends the final message)")
	}
	_, inObs := b.obs[agentID]
	_, inAct := b.act[agentID]
	if b.initDone && !inObs && !inAct {
		return Action{}, fmt.Errorf("opengym: unknown agent %q", agentID)
	}
	return b.step(agentID, st)
}

// End sends the final message: agent id "", game over for SimulationEnd,
// no observation, with the given reward and info, waits for the reply and
// closes the bridge (DEFIANCE's NotifySimulationEnd).
func (b *MultiAgentBridge) End(reward float64, info map[string]string) error {
	_, err := b.step("", MultiAgentState{Reward: reward, GameOver: true, Reason: SimulationEnd, Info: info})
	return err
}

func (b *MultiAgentBridge) step(agentID string, st MultiAgentState) (Action, error) {
	if !b.initDone {
		return Action{}, fmt.Errorf("opengym: Step before Init")
	}
	if b.done {
		return Action{}, ErrClosed
	}
	msg := &pb.MultiAgentEnvStateMsg{
		AgentID:    agentID,
		Reward:     float32(st.Reward),
		IsGameOver: st.GameOver,
		Info:       st.Info,
	}
	if st.GameOver {
		if st.Reason != SimulationEnd && st.Reason != GameOver {
			return Action{}, fmt.Errorf("opengym: state has unknown reason %v", st.Reason)
		}
		msg.Reason = pb.MultiAgentEnvStateMsg_Reason(st.Reason)
	}
	if st.Obs != nil {
		if s := b.obs[agentID]; s != nil {
			if err := s.Contains(st.Obs); err != nil {
				return Action{}, fmt.Errorf("opengym: observation of agent %q: %w", agentID, err)
			}
		}
		c, err := ValueToProto(st.Obs)
		if err != nil {
			return Action{}, fmt.Errorf("observation of agent %q: %w", agentID, err)
		}
		msg.ObsData = c
	}
	var rep pb.EnvActMsg
	if err := b.c.roundTrip("MultiAgentEnvStateMsg", msg, &rep); err != nil {
		return Action{}, err
	}
	if st.GameOver || rep.StopSimReq {
		b.steps++
		b.done = true
		b.c.close(nil)
		return Action{Stop: rep.StopSimReq}, nil
	}
	a, err := decodeAction(b.c, rep.ActData, b.act[agentID])
	if err != nil {
		return Action{}, err
	}
	b.steps++
	return Action{Value: a}, nil
}

// Steps returns the number of completed exchanges.
func (b *MultiAgentBridge) Steps() int { return b.steps }

// Close closes the connection. It may be called more than once.
func (b *MultiAgentBridge) Close() error {
	b.done = true
	return b.c.close(nil)
}

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

// RunMultiAgent connects to the agent and drives env turn by turn until
// the simulation ends (final message with agent id ""), a turn is game
// over (reason GameOver), the agent asks to stop, an error, or ctx's end.
func RunMultiAgent(ctx context.Context, env MultiAgentEnv, cfg Config) (Result, error) {
	if env == nil {
		return Result{}, fmt.Errorf("opengym: nil env")
	}
	if ctx == nil {
		ctx = context.Background()
	}
	b, err := DialMultiAgent(ctx, cfg)
	if err != nil {
		return Result{}, err
	}
	defer b.Close()
	stop, err := b.Init(env.ObservationSpaces(), env.ActionSpaces())
	if err != nil || stop {
		return Result{Stopped: stop}, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return Result{Steps: b.Steps()}, err
		}
		t, ok := env.NextTurn()
		if !ok {
			if err := b.End(t.Reward, t.Info); err != nil {
				return Result{Steps: b.Steps()}, err
			}
			return Result{Steps: b.Steps(), GameOver: true, Reason: SimulationEnd}, nil
		}
		a, err := b.Step(t.AgentID, MultiAgentState{Obs: t.Obs, Reward: t.Reward, GameOver: t.GameOver, Reason: GameOver, Info: t.Info})
		if err != nil {
			return Result{Steps: b.Steps()}, err
		}
		if t.GameOver {
			return Result{Steps: b.Steps(), GameOver: true, Reason: GameOver}, nil
		}
		if a.Stop {
			return Result{Steps: b.Steps(), Stopped: true}, nil
		}
		if err := env.Act(t.AgentID, a.Value); err != nil {
			return Result{Steps: b.Steps()}, fmt.Errorf("opengym: act of agent %q: %w", t.AgentID, err)
		}
	}
}
