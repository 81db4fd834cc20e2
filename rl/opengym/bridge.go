package opengym

import (
	"context"
	"errors"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/spaces"
)

// Reason says why an episode is over (ns3-gym's EnvStateMsg.Reason).
type Reason = agentlink.Reason

// Reasons for game over; the numbers are ns3-gym's.
const (
	// SimulationEnd: the simulation ran out of time.
	SimulationEnd = agentlink.SimulationEnd
	// GameOver: the environment's own end condition.
	GameOver = agentlink.GameOver
)

// State is what the simulation tells the agent at a step (ns3-gym's
// EnvStateMsg): Obs, Reward (sent as float32), GameOver for Reason, and
// ns3-gym's Info string.
type State = agentlink.State

// Action is the agent's reply to a state (ns3-gym's EnvActMsg): the action
// in the action space (nil when the agent sent none) or a stop request.
type Action = agentlink.Action

// Result says how Run, RunGym or RunMultiAgent ended.
type Result = agentlink.Result

// InfoString formats an info map as ns3-gym's info string: a JSON object
// with sorted keys, or "" for an empty map.
func InfoString(info map[string]string) string { return agentlink.InfoString(info) }

// Bridge is the simulation's side of ns3-gym's protocol for one agent, step
// by step, for a simulation that drives itself: the agentlink.Link of
// DialLink (ns3-gym's messages over ZeroMQ) with a single-agent spec.
// Every exchange is bounded by Config.Timeout and a lost connection is
// noticed at once, so the simulation never hangs on a dead agent. A
// Bridge is used by one goroutine (the simulation's).
type Bridge struct {
	l *agentlink.MessageLink
}

// Dial connects to the agent at cfg's endpoint (an agent that is not yet
// listening is waited for up to cfg.ConnectTimeout). Cancelling ctx
// closes the bridge.
func Dial(ctx context.Context, cfg Config) (*Bridge, error) {
	l, err := DialLink(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &Bridge{l: l}, nil
}

// Link returns the bridge's link.
func (b *Bridge) Link() *agentlink.MessageLink { return b.l }

// Init sends SimInitMsg (this process's id as simProcessId,
// wafShellProcessId 0, and the two spaces, either of which may be nil)
// and waits for SimInitAck. It returns stop true if the agent asked to
// stop instead of starting; the bridge is then closed. The action space
// is also used to check and shape the agent's actions.
func (b *Bridge) Init(obs, act spaces.Space) (stop bool, err error) {
	return b.l.Init(agentlink.SingleAgent(obs, act))
}

// Step sends the state and returns the agent's reply (ns3-gym's
// NotifyCurrentState). A game-over state is the last (ns3-gym's
// NotifySimulationEnd): the agent's reply is awaited and the bridge
// closed, and the returned Action is the zero value. After a stop request
// the bridge is closed too. An action that is not in the action space is
// ErrMalformed.
func (b *Bridge) Step(st State) (Action, error) {
	if st.GameOver {
		return Action{}, b.l.End(agentlink.SingleAgentID, st)
	}
	return b.l.Step(agentlink.SingleAgentID, st)
}

// Steps returns the number of completed state/action exchanges.
func (b *Bridge) Steps() int { return b.l.Steps() }

// Close closes the connection. It may be called more than once.
func (b *Bridge) Close() error { return b.l.Close() }

// Env is what Run drives: a single-agent environment whose simulation
// advances inside Act.
type Env interface {
	// ObservationSpace returns the space of Observe's values.
	ObservationSpace() spaces.Space
	// ActionSpace returns the space of Act's values.
	ActionSpace() spaces.Space
	// Observe returns the current observation, the reward of the last
	// action, whether the env's own end condition holds, and extra info.
	Observe() (obs spaces.Value, reward float64, gameOver bool, info string)
	// Act executes the action (nil when the agent sent none) and runs
	// the simulation to the next step.
	Act(action spaces.Value) error
}

// Ender is implemented by an Env whose simulation can run out of time:
// once SimulationEnded is true, Run sends the last state with game over
// for SimulationEnd and stops.
type Ender interface {
	// SimulationEnded reports whether the simulation has run out of
	// time; Run asks it before each Observe.
	SimulationEnded() bool
}

// observeEnv is an Env as the agent loop sees it.
type observeEnv struct {
	env   Env
	ender Ender
}

func (e *observeEnv) Spec() agentlink.Spec {
	return agentlink.SingleAgent(e.env.ObservationSpace(), e.env.ActionSpace())
}

func (e *observeEnv) Next() (agentlink.Turn, error) {
	ended := e.ender != nil && e.ender.SimulationEnded()
	obs, reward, over, info := e.env.Observe()
	st := State{Obs: obs, Reward: reward, GameOver: over, Reason: GameOver, Info: info}
	if ended {
		st.GameOver, st.Reason = true, SimulationEnd
	}
	return agentlink.Turn{State: st}, nil
}

func (e *observeEnv) Act(_ string, a spaces.Value) error { return e.env.Act(a) }

// EnvLoop returns env as the agent loop (agentlink.Run) sees it: each
// turn is Observe (with game over for SimulationEnd once an Ender's
// simulation has ended), each action goes to Act.
func EnvLoop(env Env) agentlink.Env {
	e := &observeEnv{env: env}
	e.ender, _ = env.(Ender)
	return e
}

// Run connects to the agent and drives env through ns3-gym's exchange
// order (agentlink.Run over DialLink and EnvLoop): SimInitMsg, then at
// each step EnvStateMsg (from Observe) answered by EnvActMsg (given to
// Act), until game over (env's own, reason GameOver, or an Ender's
// simulation end, reason SimulationEnd; the agent's reply to that last
// state is awaited and the loop stops), a stop request from the agent, an
// error, or ctx's end. A clean end returns a nil error.
func Run(ctx context.Context, env Env, cfg Config) (Result, error) {
	if env == nil {
		return Result{}, errors.New("opengym: nil env")
	}
	return serve(ctx, cfg, EnvLoop(env))
}

// serve dials, runs the loop and closes the link.
func serve(ctx context.Context, cfg Config, env agentlink.Env) (Result, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	l, err := DialLink(ctx, cfg)
	if err != nil {
		return Result{}, err
	}
	defer l.Close()
	return agentlink.Run(ctx, l, env)
}
