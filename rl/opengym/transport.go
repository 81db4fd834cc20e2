package opengym

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/netgym/netgym/rl/agentlink"
)

// DefaultPort is ns3-gym's default port (--openGymPort).
const DefaultPort = 5555

// DefaultTimeout is the default limit on connecting and on each exchange.
const DefaultTimeout = agentlink.DefaultTimeout

// MaxMessageSize is the largest message the transport accepts from an
// agent (256 MiB, above the largest Box of spaces.MaxBoxElements float64
// values); a frame announcing more is ErrMalformed.
const MaxMessageSize = 1 << 28

// Errors of the bridge, the link's (package agentlink); match them with
// errors.Is.
var (
	// ErrTimeout: the agent did not answer (or could not be reached)
	// within Config.Timeout. The connection is closed.
	ErrTimeout = agentlink.ErrTimeout
	// ErrPeerGone: the agent closed the connection or died (the
	// dead-peer check). The connection is closed.
	ErrPeerGone = agentlink.ErrPeerGone
	// ErrMalformed: the agent's reply is not the message the protocol
	// expects, or its action is not in the action space. The connection
	// is closed.
	ErrMalformed = agentlink.ErrMalformed
	// ErrClosed: the bridge was closed (by Close, by the end of the
	// episode, by a stop request or after an error) and exchanges no
	// more messages.
	ErrClosed = agentlink.ErrClosed
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
	// after the simulation (connection attempts are repeated every
	// 100 ms), and the ZeroMQ handshake. Default 10 s.
	ConnectTimeout time.Duration
	// Logger receives the transport's diagnostics (failed connection
	// attempts); nil discards them.
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
	return "tcp://" + c.address()
}

func (c Config) address() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// LinkConfig returns the agentlink configuration of c: its timeout, on the
// wall clock.
func (c Config) LinkConfig() agentlink.LinkConfig {
	return agentlink.LinkConfig{Timeout: c.Timeout, Clock: agentlink.WallClock{}}
}

const dialRetry = 100 * time.Millisecond

// ZeroMQ message transport protocol (ZMTP 3, rfc.zeromq.org/spec/23 and
// /spec/37): frame flags.
const (
	zmtpMore    = 0x01
	zmtpLong    = 0x02
	zmtpCommand = 0x04
)

// ZMQTransport is the agentlink.Transport of ns3-gym: the REQ side of a
// ZeroMQ REQ/REP connection over TCP to the agent's REP socket, speaking
// ZMTP 3.0 (rfc.zeromq.org/spec/23) directly on the TCP connection: the
// greeting with the NULL mechanism, READY with Socket-Type REQ (the peer
// must be a REP or ROUTER socket), then each request as an empty
// delimiter frame and one body frame, each reply the same (a REP socket
// echoes the delimiter). Every
// call sets the connection's deadline, so the transport needs no goroutine
// and no timer of its own, and a closed connection is noticed at once
// (ErrPeerGone). PING commands (ZMTP 3.1 heartbeats) are answered with
// PONG; other commands are skipped.
type ZMQTransport struct {
	nc       net.Conn
	r        *bufio.Reader
	ctx      context.Context
	stop     func() bool // unregisters the close-on-cancel hook
	deadline time.Time   // the deadline set on nc
	wbuf     []byte
	closed   bool
}

var _ agentlink.Transport = (*ZMQTransport)(nil)

// DialTransport connects to the agent at cfg's endpoint and performs the
// ZeroMQ handshake, both within cfg.ConnectTimeout (an agent that is not
// listening yet is retried every 100 ms). Cancelling ctx closes the
// connection, which interrupts a call in progress.
func DialTransport(ctx context.Context, cfg Config) (*ZMQTransport, error) {
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
	deadline := time.Now().Add(cfg.ConnectTimeout)
	noAgent := func(err error) error {
		return fmt.Errorf("%w: connect to %s: no agent within %v: %v", ErrTimeout, cfg.Endpoint(), cfg.ConnectTimeout, err)
	}
	var (
		d     net.Dialer
		nc    net.Conn
		retry *time.Timer // one per connection, for the retries
	)
	for {
		dctx, cancel := context.WithDeadline(ctx, deadline)
		var err error
		nc, err = d.DialContext(dctx, "tcp", cfg.address())
		cancel()
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("opengym: connect to %s: %w", cfg.Endpoint(), ctx.Err())
		}
		if time.Until(deadline) < dialRetry {
			return nil, noAgent(err)
		}
		logger.Printf("opengym: connect to %s: %v; retrying", cfg.Endpoint(), err)
		if retry == nil {
			retry = time.NewTimer(dialRetry)
			defer retry.Stop()
		} else {
			retry.Reset(dialRetry)
		}
		select {
		case <-retry.C:
		case <-ctx.Done():
			return nil, fmt.Errorf("opengym: connect to %s: %w", cfg.Endpoint(), ctx.Err())
		}
	}
	t := &ZMQTransport{nc: nc, ctx: ctx}
	t.stop = context.AfterFunc(ctx, func() { _ = nc.Close() })
	if err := nc.SetDeadline(deadline); err != nil {
		_ = t.Close()
		return nil, fmt.Errorf("opengym: connect to %s: %w", cfg.Endpoint(), err)
	}
	t.r = bufio.NewReader(nc)
	if err := t.handshake(); err != nil {
		_ = t.Close()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("opengym: connect to %s: %w", cfg.Endpoint(), ctx.Err())
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, fmt.Errorf("%w: connect to %s: no ZeroMQ handshake within %v", ErrTimeout, cfg.Endpoint(), cfg.ConnectTimeout)
		}
		return nil, fmt.Errorf("%w: connect to %s: ZeroMQ handshake: %w", ErrPeerGone, cfg.Endpoint(), err)
	}
	t.deadline = deadline
	return t, nil
}

func (t *ZMQTransport) setDeadline(d time.Time) error {
	if d.Equal(t.deadline) {
		return nil
	}
	if err := t.nc.SetDeadline(d); err != nil {
		return t.ioErr("set deadline", err)
	}
	t.deadline = d
	return nil
}

// Send implements agentlink.Transport: the empty delimiter frame and msg
// as one body frame, in one write.
func (t *ZMQTransport) Send(msg []byte, deadline time.Time) error {
	if t.closed {
		return ErrClosed
	}
	if err := t.setDeadline(deadline); err != nil {
		return err
	}
	b := append(t.wbuf[:0], zmtpMore, 0)
	b = appendFrameHeader(b, 0, len(msg))
	b = append(b, msg...)
	t.wbuf = b
	if _, err := t.nc.Write(b); err != nil {
		return t.ioErr("send", err)
	}
	return nil
}

func appendFrameHeader(b []byte, flags byte, n int) []byte {
	if n > 255 {
		return binary.BigEndian.AppendUint64(append(b, flags|zmtpLong), uint64(n))
	}
	return append(b, flags, byte(n))
}

// Recv implements agentlink.Transport: a reply must be the empty
// delimiter frame and one body frame.
func (t *ZMQTransport) Recv(buf []byte, deadline time.Time) ([]byte, error) {
	buf = buf[:0]
	if t.closed {
		return buf, ErrClosed
	}
	if err := t.setDeadline(deadline); err != nil {
		return buf, err
	}
	frames := 0
	for {
		flags, n, err := t.readHeader()
		if err != nil {
			return buf, err
		}
		if flags&zmtpCommand != 0 {
			if err := t.command(n); err != nil {
				return buf, err
			}
			continue
		}
		frames++
		if frames == 1 {
			if n != 0 || flags&zmtpMore == 0 {
				return buf, fmt.Errorf("%w: reply does not start with the empty delimiter frame of a REP socket", ErrMalformed)
			}
			continue
		}
		if flags&zmtpMore != 0 {
			return buf, fmt.Errorf("%w: reply has more than one body frame", ErrMalformed)
		}
		buf = grow(buf, n)
		if _, err := io.ReadFull(t.r, buf); err != nil {
			return buf[:0], t.ioErr("receive", err)
		}
		return buf, nil
	}
}

// grow returns buf resized to n bytes.
func grow(buf []byte, n int) []byte {
	if cap(buf) < n {
		return make([]byte, n)
	}
	return buf[:n]
}

func (t *ZMQTransport) readHeader() (flags byte, n int, err error) {
	var h [8]byte
	if _, err := io.ReadFull(t.r, h[:2]); err != nil {
		return 0, 0, t.ioErr("receive", err)
	}
	flags, size := h[0], uint64(h[1])
	if flags&zmtpLong != 0 {
		h[0] = h[1]
		if _, err := io.ReadFull(t.r, h[1:8]); err != nil {
			return 0, 0, t.ioErr("receive", err)
		}
		size = binary.BigEndian.Uint64(h[:])
	}
	if size > MaxMessageSize {
		return 0, 0, fmt.Errorf("%w: frame of %d bytes, more than %d", ErrMalformed, size, MaxMessageSize)
	}
	return flags, int(size), nil
}

// command reads a command frame's body of n bytes and answers a PING
// (name, 2-byte TTL, context) with a PONG carrying the context.
func (t *ZMQTransport) command(n int) error {
	body := make([]byte, n) // commands are rare (heartbeats only)
	if _, err := io.ReadFull(t.r, body); err != nil {
		return t.ioErr("receive", err)
	}
	name, rest, err := parseCommand(body)
	if err != nil {
		return err
	}
	if name != "PING" {
		return nil
	}
	var pingCtx []byte
	if len(rest) >= 2 {
		pingCtx = rest[2:]
	}
	pong := appendFrameHeader(nil, zmtpCommand, 1+4+len(pingCtx))
	pong = append(append(append(pong, 4), "PONG"...), pingCtx...)
	if _, err := t.nc.Write(pong); err != nil {
		return t.ioErr("send PONG", err)
	}
	return nil
}

// ioErr classifies an I/O error: the context's end, a timeout, or a lost
// peer.
func (t *ZMQTransport) ioErr(op string, err error) error {
	if t.ctx.Err() != nil {
		return fmt.Errorf("opengym: %s: %w", op, t.ctx.Err())
	}
	if t.closed {
		return ErrClosed
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("%w: %s: %v", ErrTimeout, op, err)
	}
	return fmt.Errorf("%w: %s: %v", ErrPeerGone, op, err)
}

// Close implements agentlink.Transport.
func (t *ZMQTransport) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	t.stop()
	err := t.nc.Close()
	if errors.Is(err, net.ErrClosed) { // closed by the context
		err = nil
	}
	return err
}

// DialLink connects to the agent (DialTransport) and returns the
// agentlink.Link that speaks ns3-gym's messages (Codec) over it, with
// cfg.Timeout on every exchange.
func DialLink(ctx context.Context, cfg Config) (*agentlink.MessageLink, error) {
	tr, err := DialTransport(ctx, cfg)
	if err != nil {
		return nil, err
	}
	l, err := agentlink.NewMessageLink(tr, Codec{}, cfg.LinkConfig())
	if err != nil {
		_ = tr.Close()
		return nil, err
	}
	return l, nil
}

// handshake performs ZMTP 3.0's greeting and NULL-mechanism READY exchange
// (rfc.zeromq.org/spec/23, "Greeting" and "The NULL Security Mechanism").
// It reads exactly what the peer sends, with every length bounded.
func (t *ZMQTransport) handshake() error {
	var g [64]byte
	g[0], g[9] = 0xff, 0x7f // signature: 0xFF, 8 bytes of padding, 0x7F
	g[10], g[11] = 3, 0     // version 3.0
	copy(g[12:32], "NULL")  // mechanism, zero-padded; as-server and filler 0
	ready := appendCommand(nil, "READY", "Socket-Type", "REQ")
	if _, err := t.nc.Write(append(g[:], ready...)); err != nil {
		return err
	}
	var peer [64]byte
	if _, err := io.ReadFull(t.r, peer[:]); err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	switch {
	case peer[0] != 0xff || peer[9] != 0x7f:
		return errors.New("the peer does not speak ZeroMQ (bad greeting signature)")
	case peer[10] < 3:
		return fmt.Errorf("the peer speaks ZMTP %d.%d, not 3", peer[10], peer[11])
	case string(bytes.TrimRight(peer[12:32], "\x00")) != "NULL":
		return fmt.Errorf("the peer wants security mechanism %q, not NULL", bytes.TrimRight(peer[12:32], "\x00"))
	}
	flags, n, err := t.readHeader()
	if err != nil {
		return err
	}
	if flags&zmtpCommand == 0 || n > 1<<16 {
		return errors.New("the peer's first frame is not a READY command")
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(t.r, body); err != nil {
		return err
	}
	name, props, err := parseCommand(body)
	if err != nil {
		return err
	}
	if name == "ERROR" {
		return fmt.Errorf("the peer refused the connection: %q", props)
	}
	if name != "READY" {
		return fmt.Errorf("the peer sent %q instead of READY", name)
	}
	for len(props) > 0 {
		if int(props[0])+5 > len(props) {
			return errors.New("truncated property in the peer's READY")
		}
		key := string(props[1 : 1+props[0]])
		props = props[1+props[0]:]
		vlen := binary.BigEndian.Uint32(props)
		if uint64(vlen)+4 > uint64(len(props)) {
			return errors.New("truncated property in the peer's READY")
		}
		val := string(props[4 : 4+vlen])
		props = props[4+vlen:]
		if strings.EqualFold(key, "Socket-Type") && val != "REP" && val != "ROUTER" {
			return fmt.Errorf("the peer is a %s socket; a REQ socket needs REP or ROUTER", val)
		}
	}
	return nil
}

// appendCommand appends a command frame with one metadata property.
func appendCommand(b []byte, name, key, value string) []byte {
	n := 1 + len(name) + 1 + len(key) + 4 + len(value)
	b = appendFrameHeader(b, zmtpCommand, n)
	b = append(append(b, byte(len(name))), name...)
	b = append(append(b, byte(len(key))), key...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(value)))
	return append(b, value...)
}

// parseCommand splits a command frame's body into its name and data.
func parseCommand(body []byte) (string, []byte, error) {
	if len(body) < 1 || int(body[0]) > len(body)-1 {
		return "", nil, fmt.Errorf("%w: command frame with a bad name length", ErrMalformed)
	}
	return string(body[1 : 1+int(body[0])]), body[1+int(body[0]):], nil
}
