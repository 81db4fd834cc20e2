package ns3ai

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/rl/opengym"
)

// ns3-ai's Gym interface (model/gym-interface) on netgym: the simulation
// side of ns3-ai's OpenGymInterface, served by the agent loop
// (agentlink.Run) over a MessageLink whose codec is opengym's NS3AIGym
// dialect and whose transport is this package's Transport on the struct
// interface, with ns3-ai's Ns3AiGymMsg in both directions.
//
// What ns3-ai's side does, and netgym matches (ns3-ai-gym-interface.cc,
// OpenGymInterface::OpenGymInterface, Init, NotifyCurrentState;
// py/ns3ai_gym_env/envs/ns3_environment.py, Ns3Env.__init__):
//   - Python's Ns3Env creates the segment through ns3-ai's Experiment with
//     its defaults (segment "My Seg", 4096 bytes, the three default object
//     names, the struct interface, handleFinish false) and starts the
//     target; the simulation learns nothing from Python but the target's
//     arguments, and opens the segment by those default names
//     (SetIsMemoryCreator(false), SetUseVector(false),
//     SetHandleFinish(false)).
//   - The simulation sends SimInitMsg and waits for SimInitAck, then at
//     each step sends EnvStateMsg and waits for EnvActMsg; a final state
//     (isGameOver) is answered with a stop request, after which the
//     simulation ends. A stop request at another step ends it too.

// GymOptions returns the options of ns3-ai's Gym interface: DefaultOptions
// (ns3-ai's default names, the struct interface, no handleFinish), the
// options ns3-ai's Ns3Env creates its segment with.
func GymOptions() Options { return DefaultOptions() }

// checkGym reports options ns3-ai's Gym interface does not use.
func checkGym(opts Options) error {
	if opts.Vector || opts.HandleFinish {
		return fmt.Errorf("ns3ai: the Gym interface uses the struct interface without handleFinish (ns3-ai's OpenGymInterface); Vector=%v HandleFinish=%v", opts.Vector, opts.HandleFinish)
	}
	return nil
}

// linkErr makes an error of the message interface match the agent loop's
// errors as well (agentlink.ErrTimeout, ErrPeerGone, ErrMalformed,
// ErrTooLarge, ErrClosed), keeping this package's in the chain.
func linkErr(err error) error {
	var to error
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrTimeout):
		to = agentlink.ErrTimeout
	case errors.Is(err, ErrMalformed):
		to = agentlink.ErrMalformed
	case errors.Is(err, ErrTooLarge):
		to = agentlink.ErrTooLarge
	case errors.Is(err, ErrClosed):
		to = agentlink.ErrClosed
	default: // ErrPeerGone, ErrFinished, ErrMisuse: the lockstep is lost
		to = agentlink.ErrPeerGone
	}
	return &mappedErr{err: err, to: to}
}

// mappedErr is an error of this package that also matches one of
// agentlink's.
type mappedErr struct{ err, to error }

func (e *mappedErr) Error() string        { return e.err.Error() }
func (e *mappedErr) Unwrap() error        { return e.err }
func (e *mappedErr) Is(target error) bool { return target == e.to }

// gymTransport is the agent loop's transport over a Transport: errors
// mapped to agentlink's, and a notice to the agent when the simulation
// cannot send a message because it does not fit the buffer.
type gymTransport struct {
	t        *Transport
	sent     int   // messages sent
	tooLarge error // a message that did not fit
}

var _ agentlink.Transport = (*gymTransport)(nil)

func (g *gymTransport) Send(msg []byte, deadline time.Time) error {
	err := g.t.Send(msg, deadline)
	if err == nil {
		g.sent++
	} else if errors.Is(err, ErrTooLarge) {
		g.tooLarge = err
	}
	return linkErr(err)
}

func (g *gymTransport) Recv(buf []byte, deadline time.Time) ([]byte, error) {
	b, err := g.t.Recv(buf, deadline)
	return b, linkErr(err)
}

// noticeWait bounds the exchanges of the notice sent at Close.
const noticeWait = time.Second

// Close tells the agent why the episode ends when a message did not fit
// the buffer (ns3-ai's Python side has no timeout and would otherwise
// spin forever), then closes the transport. The agent gets, in the
// protocol it expects, a final state (game over, reason GameOver) whose
// info string is "netgym: error: " and the error; before the init
// message was sent, an empty SimInitMsg comes first. Each exchange waits
// at most a second.
func (g *gymTransport) Close() error {
	if g.tooLarge != nil {
		g.notify(g.tooLarge)
		g.tooLarge = nil
	}
	return linkErr(g.t.Close())
}

// GymErrorInfo starts the info string of the final state with which the
// simulation side tells the agent about an error it can still report in
// the protocol (a message larger than the buffer).
const GymErrorInfo = "netgym: error: "

func (g *gymTransport) notify(cause error) {
	var in []byte
	if g.sent == 0 {
		if g.t.Send(nil, time.Now().Add(noticeWait)) != nil { // SimInitMsg without spaces
			return
		}
		var err error
		if in, err = g.t.Recv(in, time.Now().Add(noticeWait)); err != nil {
			return
		}
	}
	info := GymErrorInfo + cause.Error()
	if len(info) > GymBufferSize/2 {
		info = info[:GymBufferSize/2]
	}
	msg, err := opengym.Codec{Dialect: opengym.NS3AIGym}.AppendState(nil, agentlink.SingleAgent(nil, nil), agentlink.SingleAgentID,
		agentlink.State{GameOver: true, Reason: agentlink.GameOver, Info: info})
	if err != nil || g.t.Send(msg, time.Now().Add(noticeWait)) != nil {
		return
	}
	_, _ = g.t.Recv(in, time.Now().Add(noticeWait))
}

// OpenGymLink opens the segment of ns3-ai's Gym interface that the agent
// created (ns3-ai's Ns3Env through its Experiment, Boost 1.74's layout; or
// netgym's Python Ns3Env, netgym's layout), as the simulation side, and
// returns the agent loop's link over it: ns3-ai's Gym messages (opengym's
// NS3AIGym codec) in Ns3AiGymMsg buffers of GymBufferSize bytes. Every
// exchange is bounded by opts.Timeout; a dead agent is ErrPeerGone. The
// errors match agentlink's (ErrTimeout, ErrPeerGone, ErrMalformed,
// ErrTooLarge) and this package's. A message larger than the buffer ends
// the link; closing it then tells the agent why in a final state (see
// GymErrorInfo), so that ns3-ai's Python side, which has no timeout,
// stops.
func OpenGymLink(opts Options) (*agentlink.MessageLink, error) {
	if err := checkGym(opts); err != nil {
		return nil, err
	}
	t, err := OpenTransport(opts, Simulation, GymBufferSize)
	if err != nil {
		return nil, err
	}
	cfg := agentlink.DefaultLinkConfig()
	cfg.Timeout = opts.Timeout
	l, err := agentlink.NewMessageLink(&gymTransport{t: t}, opengym.Codec{Dialect: opengym.NS3AIGym}, cfg)
	if err != nil {
		_ = t.Close()
		return nil, err
	}
	return l, nil
}

// ServeGym opens the agent's Gym segment (OpenGymLink) and runs one
// episode of env through it (agentlink.Run): SimInitMsg with env's
// spaces, then a state per turn until a final state (answered by the
// agent's stop request), a stop request at another turn, an error, or
// ctx's end. ns3-ai's Gym interface is single-agent: a multi-agent env
// with one agent is served as a single agent (agentlink.SingleAgentLoop);
// one with several agents is an error.
func ServeGym(ctx context.Context, env agentlink.Env, opts Options) (agentlink.Result, error) {
	loop, err := agentlink.SingleAgentLoop(env)
	if err != nil {
		return agentlink.Result{}, err
	}
	l, err := OpenGymLink(opts)
	if err != nil {
		return agentlink.Result{}, err
	}
	res, err := agentlink.Run(ctx, l, loop)
	if cerr := l.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return res, err
}

// GymFlags are the command-line flags with which netgym's scenario
// binaries serve ns3-ai's Gym interface instead of their default (Go
// agents, or ns3-gym's ZeroMQ with --openGymPort):
//
//	--ns3ai               serve one episode over ns3-ai's Gym interface
//	--segName=NAME        the segment the agent created ("My Seg")
//	--ns3aiTimeout=SEC    seconds to wait for each of the agent's turns (60)
//	--peerPid=PID         the agent's process (default $NETGYM_NS3AI_PEER_PID,
//	                      which netgym's Python sets; 0: the processes that
//	                      map the segment; -1: none)
type GymFlags struct {
	// Enabled is --ns3ai.
	Enabled bool
	// SegmentName is --segName.
	SegmentName string
	// Timeout is --ns3aiTimeout, in seconds.
	Timeout float64
	// PeerPID is --peerPid.
	PeerPID int
}

// PeerPIDEnv is the environment variable in which netgym's Python
// Experiment passes its process id to the simulation.
const PeerPIDEnv = "NETGYM_NS3AI_PEER_PID"

// Register defines the flags on fs, with GymOptions' defaults.
func (f *GymFlags) Register(fs *flag.FlagSet) {
	def := GymOptions()
	peer, _ := strconv.Atoi(os.Getenv(PeerPIDEnv))
	fs.BoolVar(&f.Enabled, "ns3ai", false, "serve one episode to a Python agent over ns3-ai's Gym interface (shared memory; the agent creates the segment)")
	fs.StringVar(&f.SegmentName, "segName", def.SegmentName, "with --ns3ai: the shared-memory segment's name")
	fs.Float64Var(&f.Timeout, "ns3aiTimeout", def.Timeout.Seconds(), "with --ns3ai: seconds to wait for each of the agent's turns")
	fs.IntVar(&f.PeerPID, "peerPid", peer, "with --ns3ai: the agent's process id (0: the processes that map the segment; -1: none)")
}

// Options returns the options the flags select, or an error naming the
// flag that is out of range.
func (f *GymFlags) Options() (Options, error) {
	o := GymOptions()
	if !(f.Timeout > 0) || f.Timeout > 1e6 {
		return o, fmt.Errorf("-ns3aiTimeout %v must be in (0, 1e6] seconds", f.Timeout)
	}
	o.SegmentName = f.SegmentName
	o.Timeout = time.Duration(f.Timeout * float64(time.Second))
	o.PeerPID = f.PeerPID
	if err := o.Validate(); err != nil {
		return o, err
	}
	return o, nil
}
