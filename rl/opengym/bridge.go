package opengym

import (
	"context"
	"fmt"
	"os"

	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

// Reason says why an episode is over (ns3-gym's EnvStateMsg.Reason).
type Reason int32

// Reasons for game over; the numbers are ns3-gym's.
const (
	// SimulationEnd: the simulation ran out of time.
	SimulationEnd Reason = 0
	// GameOver: the environment's own end condition.
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

// State is what the simulation tells the agent at a step (ns3-gym's
// EnvStateMsg).
type State struct {
	// Obs is the observation; nil sends no observation.
	Obs spaces.Value
	// Reward is sent as float32, as in ns3-gym.
	Reward float64
	// GameOver ends the episode, for Reason.
	GameOver bool
	// Reason is sent when GameOver is set.
	Reason Reason
	// Info is ns3-gym's extra info string.
	Info string
}

// Action is the agent's reply to a state (ns3-gym's EnvActMsg).
type Action struct {
	// Value is the action, in the action space; nil when the agent sent
	// none (ns3-gym then executes a null action).
	Value spaces.Value
	// Stop is the agent's request to stop the simulation
	// (EnvActMsg.stopSimReq).
	Stop bool
}

// Bridge is the simulation's side of ns3-gym's protocol for one agent: a
// ZeroMQ REQ socket connected to the agent's REP socket, sending
// SimInitMsg once and then one EnvStateMsg per step, each answered by the
// agent. Every exchange is bounded by Config.Timeout and a lost
// connection is noticed at once, so the simulation never hangs on a dead
// agent. A Bridge is used by one goroutine (the simulation's).
type Bridge struct {
	c        *conn
	obs, act spaces.Space
	initDone bool
	done     bool
	steps    int
}

// Dial connects to the agent at cfg's endpoint (an agent that is not yet
// listening is waited for up to cfg.ConnectTimeout). Cancelling ctx
// closes the bridge.
func Dial(ctx context.Context, cfg Config) (*Bridge, error) {
	c, err := dial(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &Bridge{c: c}, nil
}

// Init sends SimInitMsg (this process's id as simProcessId,
// wafShellProcessId 0, and the two spaces) and waits for SimInitAck. It
// returns stop true if the agent asked to stop instead of starting; the
// bridge is then closed. The action space is also used to check and shape
// the agent's actions.
func (b *Bridge) Init(obs, act spaces.Space) (stop bool, err error) {
	if b.initDone {
		return false, fmt.Errorf("opengym: Init called twice")
	}
	msg := &pb.SimInitMsg{SimProcessId: uint64(os.Getpid())}
	if obs != nil {
		if msg.ObsSpace, err = SpaceToProto(obs); err != nil {
			return false, fmt.Errorf("observation space: %w", err)
		}
	}
	if act != nil {
		if msg.ActSpace, err = SpaceToProto(act); err != nil {
			return false, fmt.Errorf("action space: %w", err)
		}
	}
	var ack pb.SimInitAck
	if err := b.c.roundTrip("SimInitMsg", msg, &ack); err != nil {
		return false, err
	}
	b.initDone, b.obs, b.act = true, obs, act
	if ack.StopSimReq {
		b.done = true
		return true, b.c.close(nil)
	}
	return false, nil
}

// Step sends the state and returns the agent's reply (ns3-gym's
// NotifyCurrentState). After a game-over state, and after a stop request,
// the bridge is closed: the episode is over whatever the agent answered.
// An action that is not in the action space is ErrMalformed.
func (b *Bridge) Step(st State) (Action, error) {
	if !b.initDone {
		return Action{}, fmt.Errorf("opengym: Step before Init")
	}
	if b.done {
		return Action{}, ErrClosed
	}
	msg, err := envStateMsg(st, b.obs)
	if err != nil {
		return Action{}, err
	}
	var rep pb.EnvActMsg
	if err := b.c.roundTrip("EnvStateMsg", msg, &rep); err != nil {
		return Action{}, err
	}
	if st.GameOver || rep.StopSimReq {
		b.steps++
		b.done = true
		b.c.close(nil)
		return Action{Stop: rep.StopSimReq}, nil
	}
	a, err := decodeAction(b.c, rep.ActData, b.act)
	if err != nil {
		return Action{}, err
	}
	b.steps++
	return Action{Value: a}, nil
}

// Steps returns the number of completed state/action exchanges.
func (b *Bridge) Steps() int { return b.steps }

// Close closes the connection. It may be called more than once.
func (b *Bridge) Close() error {
	b.done = true
	return b.c.close(nil)
}

func envStateMsg(st State, obsSpace spaces.Space) (*pb.EnvStateMsg, error) {
	msg := &pb.EnvStateMsg{Reward: float32(st.Reward), IsGameOver: st.GameOver, Info: st.Info}
	if st.GameOver {
		if st.Reason != SimulationEnd && st.Reason != GameOver {
			return nil, fmt.Errorf("opengym: state has unknown reason %v", st.Reason)
		}
		msg.Reason = pb.EnvStateMsg_Reason(st.Reason)
	}
	if st.Obs != nil {
		if obsSpace != nil {
			if err := obsSpace.Contains(st.Obs); err != nil {
				return nil, fmt.Errorf("opengym: observation: %w", err)
			}
		}
		c, err := ValueToProto(st.Obs)
		if err != nil {
			return nil, fmt.Errorf("observation: %w", err)
		}
		msg.ObsData = c
	}
	return msg, nil
}

// decodeAction turns the agent's action into a value of the action space;
// an absent action (no container, or NoSpaceType) is nil.
func decodeAction(c *conn, d *pb.DataContainer, act spaces.Space) (spaces.Value, error) {
	if d == nil || (d.Type == pb.SpaceType_NoSpaceType && d.Data == nil) {
		return nil, nil
	}
	v, err := ValueFromProto(d, act)
	if err != nil {
		return nil, c.malformed("action: %v", err)
	}
	return v, nil
}

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

// Result says how Run ended.
type Result struct {
	// Steps is the number of state/action exchanges, the last included.
	Steps int
	// Stopped is true when the agent asked to stop (at init or at a
	// step that was not game over).
	Stopped bool
	// GameOver is true when the episode ended by game over, for Reason.
	GameOver bool
	// Reason is set when GameOver is.
	Reason Reason
}

// Run connects to the agent and drives env through ns3-gym's exchange
// order: SimInitMsg, then at each step EnvStateMsg (from Observe) answered
// by EnvActMsg (given to Act), until game over (env's own, reason
// GameOver, or an Ender's simulation end, reason SimulationEnd; the
// agent's reply to that last state is awaited and the loop stops), a stop
// request from the agent, an error, or ctx's end. A clean end returns a
// nil error.
func Run(ctx context.Context, env Env, cfg Config) (Result, error) {
	if env == nil {
		return Result{}, fmt.Errorf("opengym: nil env")
	}
	if ctx == nil {
		ctx = context.Background()
	}
	b, err := Dial(ctx, cfg)
	if err != nil {
		return Result{}, err
	}
	defer b.Close()
	stop, err := b.Init(env.ObservationSpace(), env.ActionSpace())
	if err != nil || stop {
		return Result{Stopped: stop}, err
	}
	ender, _ := env.(Ender)
	for {
		if err := ctx.Err(); err != nil {
			return Result{Steps: b.Steps()}, err
		}
		obs, reward, over, info := env.Observe()
		st := State{Obs: obs, Reward: reward, GameOver: over, Reason: GameOver, Info: info}
		if ender != nil && ender.SimulationEnded() {
			st.GameOver, st.Reason = true, SimulationEnd
		}
		a, err := b.Step(st)
		if err != nil {
			return Result{Steps: b.Steps()}, err
		}
		if st.GameOver {
			return Result{Steps: b.Steps(), GameOver: true, Reason: st.Reason}, nil
		}
		if a.Stop {
			return Result{Steps: b.Steps(), Stopped: true}, nil
		}
		if err := env.Act(a.Value); err != nil {
			return Result{Steps: b.Steps()}, fmt.Errorf("opengym: act: %w", err)
		}
	}
}
