package opengym

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"time"

	"github.com/go-zeromq/zmq4"
	"google.golang.org/protobuf/proto"
)

// DefaultPort is ns3-gym's default port (--openGymPort).
const DefaultPort = 5555

// DefaultTimeout is the default limit on connecting and on each exchange.
const DefaultTimeout = 10 * time.Second

// Errors of the transport; match them with errors.Is.
var (
	// ErrTimeout: the agent did not answer (or could not be reached)
	// within Config.Timeout. The connection is closed.
	ErrTimeout = errors.New("opengym: agent did not answer in time")
	// ErrPeerGone: the agent closed the connection or died (the
	// dead-peer check). The connection is closed.
	ErrPeerGone = errors.New("opengym: agent connection lost")
	// ErrMalformed: the agent's reply is not the message the protocol
	// expects, or its action is not in the action space. The connection
	// is closed.
	ErrMalformed = errors.New("opengym: malformed reply from agent")
	// ErrClosed: the bridge was closed (by Close, by the end of the
	// episode, by a stop request or after an error) and exchanges no
	// more messages.
	ErrClosed = errors.New("opengym: bridge closed")
)

// Config says where the agent listens and how long to wait for it. The
// zero value is not valid; start from DefaultConfig.
type Config struct {
	// Host is the agent's host (default "localhost", as ns3-gym
	// connects to tcp://localhost:<port>).
	Host string
	// Port is the agent's port (default 5555, ns3-gym's --openGymPort).
	Port int
	// Timeout limits each exchange (sending a message and receiving the
	// reply): an agent that does not answer within it is given up as
	// dead, the connection closed and ErrTimeout returned. Default 10 s.
	// An agent that thinks longer than this per step needs a larger one.
	Timeout time.Duration
	// ConnectTimeout limits connecting to the agent, which may start
	// after the simulation (the REQ side retries every 100 ms), and the
	// ZeroMQ handshake. Default 10 s. (A peer that accepts the TCP
	// connection but never completes the handshake leaves one goroutine
	// blocked until it closes the connection: the ZeroMQ library offers
	// no way to interrupt its handshake.)
	ConnectTimeout time.Duration
	// Logger receives the ZeroMQ library's diagnostics; nil discards
	// them.
	Logger *log.Logger
}

// DefaultConfig returns localhost:5555 with 10 s timeouts.
func DefaultConfig() Config {
	return Config{Host: "localhost", Port: DefaultPort, Timeout: DefaultTimeout, ConnectTimeout: DefaultTimeout}
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	switch {
	case c.Host == "":
		return errors.New("opengym: config: empty host")
	case c.Port < 1 || c.Port > 65535:
		return fmt.Errorf("opengym: config: port %d outside 1..65535", c.Port)
	case c.Timeout <= 0:
		return fmt.Errorf("opengym: config: timeout %v is not positive", c.Timeout)
	case c.ConnectTimeout <= 0:
		return fmt.Errorf("opengym: config: connect timeout %v is not positive", c.ConnectTimeout)
	}
	return nil
}

// Endpoint returns the ZeroMQ endpoint, e.g. "tcp://localhost:5555".
func (c Config) Endpoint() string {
	return "tcp://" + net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
}

const dialRetry = 100 * time.Millisecond

// conn is the REQ side of the protocol: one request, one reply, every
// exchange bounded by the timeout. It is used by one goroutine at a time.
type conn struct {
	cfg    Config
	ctx    context.Context
	cancel context.CancelFunc
	sock   zmq4.Socket
	closed bool
	err    error // why the connection was closed, for later calls
}

type recvResult struct {
	msg zmq4.Msg
	err error
}

// dial connects a REQ socket to cfg's endpoint within cfg.ConnectTimeout.
// Cancelling ctx closes the connection.
func dial(ctx context.Context, cfg Config) (*conn, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	logger := cfg.Logger
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	cctx, cancel := context.WithCancel(ctx)
	retries := max(int(cfg.ConnectTimeout/dialRetry), 1)
	sock := zmq4.NewReq(cctx,
		zmq4.WithLogger(logger),
		zmq4.WithTimeout(cfg.Timeout),
		zmq4.WithDialerTimeout(cfg.ConnectTimeout),
		zmq4.WithDialerRetry(dialRetry),
		zmq4.WithDialerMaxRetries(retries),
	)
	c := &conn{cfg: cfg, ctx: cctx, cancel: cancel, sock: sock}
	done := make(chan error, 1)
	go func() { done <- sock.Dial(cfg.Endpoint()) }()
	timer := time.NewTimer(cfg.ConnectTimeout + dialRetry)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			c.close(nil)
			return nil, fmt.Errorf("%w: connect to %s: no agent within %v: %v", ErrTimeout, cfg.Endpoint(), cfg.ConnectTimeout, err)
		}
		return c, nil
	case <-timer.C:
		c.close(nil)
		return nil, fmt.Errorf("%w: connect to %s: no agent within %v", ErrTimeout, cfg.Endpoint(), cfg.ConnectTimeout)
	case <-ctx.Done():
		c.close(nil)
		return nil, fmt.Errorf("opengym: connect to %s: %w", cfg.Endpoint(), ctx.Err())
	}
}

// close closes the socket once; err (if not nil) is what later calls
// report.
func (c *conn) close(err error) error {
	if c.closed {
		return nil
	}
	c.closed = true
	c.err = err
	c.cancel()
	return c.sock.Close()
}

// roundTrip sends req and unmarshals the reply into rep. Any failure
// closes the connection: after a lost or garbled exchange the REQ/REP
// lockstep cannot be trusted.
func (c *conn) roundTrip(what string, req, rep proto.Message) error {
	if c.closed {
		if c.err != nil {
			return fmt.Errorf("%w (%v)", ErrClosed, c.err)
		}
		return ErrClosed
	}
	data, err := proto.Marshal(req)
	if err != nil {
		err = fmt.Errorf("opengym: marshal %s: %v", what, err)
		c.close(err)
		return err
	}
	done := make(chan recvResult, 1)
	sock := c.sock
	go func() {
		if err := sock.Send(zmq4.NewMsg(data)); err != nil {
			done <- recvResult{err: fmt.Errorf("send: %w", err)}
			return
		}
		msg, err := sock.Recv()
		if err != nil {
			err = fmt.Errorf("receive: %w", err)
		}
		done <- recvResult{msg: msg, err: err}
	}()
	timer := time.NewTimer(c.cfg.Timeout)
	defer timer.Stop()
	var r recvResult
	select {
	case r = <-done:
	case <-timer.C:
		err := fmt.Errorf("%w: no reply to %s within %v", ErrTimeout, what, c.cfg.Timeout)
		c.close(err) // unblocks the goroutine
		return err
	case <-c.ctx.Done():
		err := fmt.Errorf("opengym: %s: %w", what, c.ctx.Err())
		c.close(err)
		return err
	}
	if r.err != nil {
		err := fmt.Errorf("%w: %s: %v", ErrPeerGone, what, r.err)
		c.close(err)
		return err
	}
	if len(r.msg.Frames) != 1 {
		err := fmt.Errorf("%w: reply to %s has %d frames, want 1", ErrMalformed, what, len(r.msg.Frames))
		c.close(err)
		return err
	}
	if err := proto.Unmarshal(r.msg.Frames[0], rep); err != nil {
		err = fmt.Errorf("%w: reply to %s: %v", ErrMalformed, what, err)
		c.close(err)
		return err
	}
	if u := rep.ProtoReflect().GetUnknown(); len(u) > 0 {
		err := fmt.Errorf("%w: reply to %s does not parse as %s (%d bytes of unknown fields)", ErrMalformed, what,
			rep.ProtoReflect().Descriptor().Name(), len(u))
		c.close(err)
		return err
	}
	return nil
}

// malformed closes the connection with an ErrMalformed error.
func (c *conn) malformed(format string, a ...any) error {
	err := fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, a...))
	c.close(err)
	return err
}
