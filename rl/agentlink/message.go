package agentlink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/netgym/netgym/spaces"
)

// Errors of links and transports; match them with errors.Is. Every one of
// them but a misuse closes the link.
var (
	// ErrTimeout: the agent did not answer (or could not be reached)
	// within the link's timeout.
	ErrTimeout = errors.New("agentlink: agent did not answer in time")
	// ErrPeerGone: the agent closed the connection or died (the
	// dead-peer check).
	ErrPeerGone = errors.New("agentlink: agent connection lost")
	// ErrMalformed: the agent's reply is not the message the protocol
	// expects, or its action is not in the action space.
	ErrMalformed = errors.New("agentlink: malformed reply from agent")
	// ErrClosed: the link was closed (by Close, by the end of the
	// episode, by a stop request or after an error) and exchanges no more
	// messages.
	ErrClosed = errors.New("agentlink: link closed")
	// ErrTooLarge: a message does not fit what the transport carries
	// (ns3-ai's shared-memory buffer holds 1024 bytes); nothing was sent.
	ErrTooLarge = errors.New("agentlink: message too large for the transport")
)

// Transport moves whole messages between the simulation and the agent, in
// lockstep: the simulation sends a request, the agent answers it. It knows
// nothing of their content (a Codec does). Each call is bounded by its
// deadline (the zero time: none): a transport that cannot finish by then
// returns an error matching ErrTimeout; one whose peer is gone, an error
// matching ErrPeerGone; a message that is not framed as the transport
// expects, ErrMalformed; a message the transport cannot carry (larger
// than its buffer), ErrTooLarge, before anything is sent. A Transport is
// used by one goroutine.
//
// Transports must not start a goroutine or a timer per message: deadlines
// go to the underlying connection (net.Conn.SetDeadline) or are checked
// against a clock while waiting (shared memory).
type Transport interface {
	// Send sends msg; the transport must not keep msg after it returns.
	Send(msg []byte, deadline time.Time) error
	// Recv receives the next message, appended to buf[:0] (buf may be
	// nil) so that a caller can reuse its buffer.
	Recv(buf []byte, deadline time.Time) ([]byte, error)
	// Close releases the transport; it may be called more than once.
	Close() error
}

// Codec turns the loop's messages into bytes and back, for one wire
// protocol (ns3-gym's and DEFIANCE's protobuf messages in package
// opengym). Append methods append to b and return the extended slice.
// Parse errors need not wrap ErrMalformed: MessageLink wraps them.
// MessageLink checks a spec (Validate), an agent id and an observation
// (in its space) before it calls the codec.
type Codec interface {
	// AppendInit appends the message that describes spec.
	AppendInit(b []byte, spec Spec) ([]byte, error)
	// ParseInitReply parses the agent's answer to the init message;
	// stop reports its stop request.
	ParseInitReply(msg []byte) (stop bool, err error)
	// AppendState appends the message with agent's state (a final state
	// when st.GameOver is set).
	AppendState(b []byte, spec Spec, agent string, st State) ([]byte, error)
	// ParseReply parses the agent's answer to a state. The action is
	// decoded into act (nil: as it was sent) unless final is set: the
	// answer to a final state is only checked to be the expected
	// message.
	ParseReply(msg []byte, act spaces.Space, final bool) (Action, error)
}

// Clock tells the time from which MessageLink computes its deadlines.
type Clock interface {
	Now() time.Time
}

// WallClock is the real time.
type WallClock struct{}

// Now returns time.Now().
func (WallClock) Now() time.Time { return time.Now() }

// ManualClock is a clock that moves only when told, for tests that check
// timeouts without waiting (see Loopback). The zero value starts at the
// zero time.
type ManualClock struct{ t time.Time }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time { return c.t }

// Advance moves the clock d forward.
func (c *ManualClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

// LinkConfig configures a MessageLink.
type LinkConfig struct {
	// Timeout limits each exchange (sending a message and receiving the
	// reply): an agent that has not answered by then is given up as
	// dead. Default DefaultTimeout (ns3-gym's agents answer at once; an
	// agent that thinks longer per step needs a larger one).
	Timeout time.Duration
	// Clock gives the time of the deadlines; nil is WallClock.
	Clock Clock
}

// DefaultTimeout is the default limit on each exchange.
const DefaultTimeout = 10 * time.Second

// DefaultLinkConfig returns a 10 s timeout on the wall clock.
func DefaultLinkConfig() LinkConfig {
	return LinkConfig{Timeout: DefaultTimeout, Clock: WallClock{}}
}

// Validate reports a configuration that cannot work.
func (c LinkConfig) Validate() error {
	if c.Timeout <= 0 {
		return fmt.Errorf("agentlink: timeout %v is not positive", c.Timeout)
	}
	return nil
}

type linkState uint8

const (
	linkNew linkState = iota
	linkReady
	linkDone
)

// MessageLink is the Link over a Codec and a Transport: it checks what
// the simulation hands it (spec, agent ids, observations in their spaces,
// reasons), encodes, exchanges one request and one reply per call within
// the timeout, and decodes. Any failure of an exchange (timeout, dead
// peer, malformed reply) closes it: after a lost or garbled exchange the
// lockstep cannot be trusted. Misuse (Step before Init, an observation
// outside its space, an unknown agent) is an error that leaves it open.
// Its buffers are reused from one exchange to the next.
type MessageLink struct {
	tr    Transport
	codec Codec
	cfg   LinkConfig
	spec  Spec
	state linkState
	err   error // why the link closed, for later calls
	out   []byte
	in    []byte
	steps int
}

var _ Link = (*MessageLink)(nil)

// NewMessageLink returns the link over tr speaking codec; it owns tr
// (Close closes it).
func NewMessageLink(tr Transport, codec Codec, cfg LinkConfig) (*MessageLink, error) {
	if tr == nil || codec == nil {
		return nil, errors.New("agentlink: NewMessageLink needs a transport and a codec")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Clock == nil {
		cfg.Clock = WallClock{}
	}
	return &MessageLink{tr: tr, codec: codec, cfg: cfg}, nil
}

// Spec returns the spec sent by Init.
func (l *MessageLink) Spec() Spec { return l.spec }

// Steps returns the number of completed state/action exchanges.
func (l *MessageLink) Steps() int { return l.steps }

// Init implements Link.
func (l *MessageLink) Init(spec Spec) (bool, error) {
	switch l.state {
	case linkReady:
		return false, errors.New("agentlink: Init called twice")
	case linkDone:
		return false, l.closedErr()
	}
	if err := spec.Validate(); err != nil {
		return false, err
	}
	var err error
	if l.out, err = l.codec.AppendInit(l.out[:0], spec); err != nil {
		return false, err
	}
	if err := l.exchange(exchangeOf{init: true}); err != nil {
		return false, err
	}
	stop, err := l.codec.ParseInitReply(l.in)
	if err != nil {
		return false, l.malformed("reply to the init message: %v", err)
	}
	l.state, l.spec = linkReady, spec
	if stop {
		return true, l.finish(nil)
	}
	return false, nil
}

// Step implements Link.
func (l *MessageLink) Step(agent string, st State) (Action, error) {
	if st.GameOver {
		return Action{}, errors.New("agentlink: Step with a final state (use End)")
	}
	if err := l.check(agent, st, false); err != nil {
		return Action{}, err
	}
	if err := l.send(agent, st); err != nil {
		return Action{}, err
	}
	a, err := l.codec.ParseReply(l.in, l.spec.Act[agent], false)
	if err != nil {
		return Action{}, l.malformed("reply to the state of %s: %v", agentName(agent), err)
	}
	l.steps++
	if a.Stop {
		return Action{Stop: true}, l.finish(nil)
	}
	return a, nil
}

// End implements Link.
func (l *MessageLink) End(agent string, st State) error {
	st.GameOver = true
	if err := l.check(agent, st, true); err != nil {
		return err
	}
	if err := l.send(agent, st); err != nil {
		return err
	}
	if _, err := l.codec.ParseReply(l.in, nil, true); err != nil {
		return l.malformed("reply to the final state: %v", err)
	}
	l.steps++
	return l.finish(nil)
}

// Close implements Link.
func (l *MessageLink) Close() error { return l.finish(nil) }

// check reports misuse, which leaves the link open.
func (l *MessageLink) check(agent string, st State, final bool) error {
	switch l.state {
	case linkNew:
		return errors.New("agentlink: Step or End before Init")
	case linkDone:
		return l.closedErr()
	}
	switch {
	case !l.spec.MultiAgent && agent != SingleAgentID:
		return fmt.Errorf("agentlink: state for agent %q in a single-agent link", agent)
	case l.spec.MultiAgent && agent == "" && !(final && st.Reason == SimulationEnd):
		return errors.New("agentlink: the empty agent id is only for the final message at the simulation's end")
	case l.spec.MultiAgent && agent != "" && !l.spec.Has(agent):
		return fmt.Errorf("agentlink: unknown agent %q (agents: %v)", agent, l.spec.Agents())
	case st.GameOver && !st.Reason.Valid():
		return fmt.Errorf("agentlink: state has unknown reason %v", st.Reason)
	case l.spec.MultiAgent && st.Info != "":
		return fmt.Errorf("agentlink: multi-agent state of %s carries an info string; use InfoMap", agentName(agent))
	}
	if st.Obs != nil {
		if s := l.spec.Obs[agent]; s != nil {
			if err := s.Contains(st.Obs); err != nil {
				return fmt.Errorf("agentlink: observation of %s: %w", agentName(agent), err)
			}
		}
	}
	return nil
}

func (l *MessageLink) send(agent string, st State) error {
	var err error
	if l.out, err = l.codec.AppendState(l.out[:0], l.spec, agent, st); err != nil {
		return err
	}
	return l.exchange(exchangeOf{agent: agent, final: st.GameOver})
}

// exchangeOf names the message of an exchange in errors; it is formatted
// only when one occurs, so that a step allocates nothing.
type exchangeOf struct {
	init, final bool
	agent       string
}

func (e exchangeOf) String() string {
	switch {
	case e.init:
		return "init message"
	case e.final:
		return "final state"
	}
	return "state of " + agentName(e.agent)
}

// exchange sends l.out and receives the reply into l.in, both within one
// timeout.
func (l *MessageLink) exchange(what exchangeOf) error {
	deadline := l.cfg.Clock.Now().Add(l.cfg.Timeout)
	if err := l.tr.Send(l.out, deadline); err != nil {
		return l.fail(fmt.Errorf("agentlink: send %s: %w", what.String(), classify(err)))
	}
	in, err := l.tr.Recv(l.in[:0], deadline)
	if err != nil {
		err = classify(err)
		if errors.Is(err, ErrTimeout) {
			return l.fail(fmt.Errorf("agentlink: no reply to the %s within %v: %w", what.String(), l.cfg.Timeout, err))
		}
		return l.fail(fmt.Errorf("agentlink: reply to the %s: %w", what.String(), err))
	}
	l.in = in
	return nil
}

// classify makes a transport error match one of the link's errors: an
// error that matches none of ErrTimeout, ErrMalformed, ErrClosed,
// ErrTooLarge or a context error is a lost peer.
func classify(err error) error {
	for _, known := range []error{ErrTimeout, ErrPeerGone, ErrMalformed, ErrClosed, ErrTooLarge, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, known) {
			return err
		}
	}
	return fmt.Errorf("%w: %w", ErrPeerGone, err)
}

func (l *MessageLink) malformed(format string, a ...any) error {
	return l.fail(fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, a...)))
}

// fail closes the link for err and returns err.
func (l *MessageLink) fail(err error) error {
	_ = l.finish(err)
	return err
}

// finish closes the transport once; err (if not nil) is what later calls
// report.
func (l *MessageLink) finish(err error) error {
	if l.tr == nil {
		return nil
	}
	l.state, l.err = linkDone, err
	tr := l.tr
	l.tr = nil
	return tr.Close()
}

func (l *MessageLink) closedErr() error {
	if l.err != nil {
		return fmt.Errorf("%w (%v)", ErrClosed, l.err)
	}
	return ErrClosed
}

func agentName(agent string) string {
	if agent == SingleAgentID {
		return "the agent"
	}
	return fmt.Sprintf("agent %q", agent)
}

// InfoString formats an info map as ns3-gym's info string: a JSON object
// with sorted keys, or "" for an empty map.
func InfoString(info map[string]string) string {
	if len(info) == 0 {
		return ""
	}
	b, err := json.Marshal(info)
	if err != nil { // cannot happen for a map of strings
		return fmt.Sprint(info)
	}
	return string(b)
}
