package agentlink

import (
	"errors"
	"fmt"
	"time"
)

// Loopback is an in-memory Transport to an agent in the same goroutine:
// Send hands the message to Respond at once, and the next Recv returns its
// answer. It makes a link's behaviour testable without sockets, goroutines
// or waiting: with a ManualClock, an agent that "thinks" (advances the
// clock) past the deadline makes Recv fail with ErrTimeout, and an error
// returned by Respond is reported by Recv as a dead peer (ErrPeerGone,
// unless it already matches one of the link's errors), exactly where a
// real transport would report them.
type Loopback struct {
	// Respond answers one message. msg is valid only during the call.
	// A nil reply with a nil error is an empty message.
	Respond func(msg []byte) (reply []byte, err error)
	// Clock, if set, is compared with the deadlines: a Send or Recv
	// that finds the clock past its deadline fails with ErrTimeout.
	Clock Clock
	// Sent counts the messages sent.
	Sent int

	reply   []byte
	err     error
	pending bool
	closed  bool
}

var _ Transport = (*Loopback)(nil)

func (t *Loopback) late(deadline time.Time) bool {
	return t.Clock != nil && !deadline.IsZero() && t.Clock.Now().After(deadline)
}

// Send implements Transport.
func (t *Loopback) Send(msg []byte, deadline time.Time) error {
	switch {
	case t.closed:
		return ErrClosed
	case t.pending:
		return errors.New("agentlink: loopback: Send before the previous reply was received")
	case t.late(deadline):
		return fmt.Errorf("%w: loopback send past its deadline", ErrTimeout)
	case t.Respond == nil:
		return fmt.Errorf("%w: loopback has no responder", ErrPeerGone)
	}
	t.Sent++
	t.reply, t.err = t.Respond(msg)
	t.pending = true
	return nil
}

// Recv implements Transport.
func (t *Loopback) Recv(buf []byte, deadline time.Time) ([]byte, error) {
	switch {
	case t.closed:
		return buf[:0], ErrClosed
	case !t.pending:
		return buf[:0], errors.New("agentlink: loopback: Recv without a request")
	}
	t.pending = false
	if t.err != nil {
		return buf[:0], classify(t.err)
	}
	if t.late(deadline) {
		return buf[:0], fmt.Errorf("%w: the loopback agent answered at %v, after the deadline %v",
			ErrTimeout, t.Clock.Now().Format(time.RFC3339Nano), deadline.Format(time.RFC3339Nano))
	}
	return append(buf[:0], t.reply...), nil
}

// Close implements Transport.
func (t *Loopback) Close() error {
	t.closed = true
	return nil
}

// Closed reports whether Close was called.
func (t *Loopback) Closed() bool { return t.closed }
