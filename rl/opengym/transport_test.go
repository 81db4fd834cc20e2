package opengym

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/security/null"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

// rawPeer is a ZeroMQ peer whose handshake is go-zeromq's (as a socket of
// type typ) and whose replies are raw bytes written by the test, to check
// how the transport frames and what it refuses.
type rawPeer struct {
	l    net.Listener
	conn chan net.Conn
	zc   chan *zmq4.Conn
	errc chan error
}

func newRawPeer(t *testing.T, typ zmq4.SocketType) *rawPeer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &rawPeer{l: l, conn: make(chan net.Conn, 1), zc: make(chan *zmq4.Conn, 1), errc: make(chan error, 1)}
	go func() {
		c, err := l.Accept()
		if err != nil {
			p.errc <- err
			return
		}
		p.conn <- c
		zc, err := zmq4.Open(c, null.Security(), typ, nil, true, nil)
		if err != nil {
			p.errc <- err
			return
		}
		p.zc <- zc
	}()
	t.Cleanup(func() {
		_ = l.Close()
		select {
		case c := <-p.conn:
			_ = c.Close()
		default:
		}
	})
	return p
}

func (p *rawPeer) config() Config {
	cfg := DefaultConfig()
	cfg.Host, cfg.Port = "127.0.0.1", p.l.Addr().(*net.TCPAddr).Port
	cfg.Timeout, cfg.ConnectTimeout = time.Hour, 5*time.Second
	return cfg
}

// accepted returns the peer's connection once the handshake is done.
func (p *rawPeer) accepted(t *testing.T) (net.Conn, *zmq4.Conn) {
	t.Helper()
	select {
	case zc := <-p.zc:
		c := <-p.conn
		p.conn <- c // for the cleanup
		return c, zc
	case err := <-p.errc:
		t.Fatal(err)
	}
	return nil, nil
}

func frame(flags byte, body []byte) []byte {
	return append(appendFrameHeader(nil, flags, len(body)), body...)
}

func TestTransportFraming(t *testing.T) {
	long := make([]byte, 1000)
	for i := range long {
		long[i] = byte(i)
	}
	ping := append([]byte{4}, "PING"...)
	ping = append(ping, 0, 10, 'c', 't', 'x') // TTL 1 s, context "ctx"
	hugeHeader := binary.BigEndian.AppendUint64([]byte{zmtpLong}, MaxMessageSize+1)
	tests := []struct {
		name    string
		request []byte
		reply   [][]byte // raw pieces written by the peer
		want    []byte
		wantErr error
		pong    bool
	}{
		{"short", []byte("hello"), [][]byte{frame(zmtpMore, nil), frame(0, []byte("world"))}, []byte("world"), nil, false},
		{"long frames both ways", long, [][]byte{frame(zmtpMore, nil), frame(0, long)}, long, nil, false},
		{"empty reply", []byte("x"), [][]byte{frame(zmtpMore, nil), frame(0, nil)}, []byte{}, nil, false},
		{"PING before the reply", []byte("x"), [][]byte{frame(zmtpCommand, ping), frame(zmtpMore, nil), frame(0, []byte("y"))}, []byte("y"), nil, true},
		{"other command skipped", []byte("x"), [][]byte{frame(zmtpCommand, append([]byte{3}, "FOO"...)), frame(zmtpMore, nil), frame(0, []byte("y"))}, []byte("y"), nil, false},
		{"no delimiter", []byte("x"), [][]byte{frame(0, []byte("y"))}, nil, ErrMalformed, false},
		{"two body frames", []byte("x"), [][]byte{frame(zmtpMore, nil), frame(zmtpMore, []byte("a")), frame(0, []byte("b"))}, nil, ErrMalformed, false},
		{"frame above MaxMessageSize", []byte("x"), [][]byte{frame(zmtpMore, nil), hugeHeader}, nil, ErrMalformed, false},
		{"bad command", []byte("x"), [][]byte{frame(zmtpCommand, []byte{9, 'P'})}, nil, ErrMalformed, false},
		{"peer closes", []byte("x"), nil, nil, ErrPeerGone, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newRawPeer(t, zmq4.Rep)
			tr, err := DialTransport(context.Background(), p.config())
			require.NoError(t, err)
			defer tr.Close()
			c, zc := p.accepted(t)
			require.NoError(t, tr.Send(tc.request, time.Time{}))
			msg, err := zc.RecvMsg()
			require.NoError(t, err)
			require.Equal(t, [][]byte{{}, tc.request}, msg.Frames, "an empty delimiter, then the body")
			for _, b := range tc.reply {
				_, err := c.Write(b)
				require.NoError(t, err)
			}
			if tc.reply == nil {
				require.NoError(t, c.Close())
			}
			got, err := tr.Recv(make([]byte, 3), time.Now().Add(time.Hour))
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			if tc.pong {
				require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
				cmd, err := zc.RecvCmd()
				require.NoError(t, err)
				assert.Equal(t, zmq4.Cmd{Name: "PONG", Body: []byte("ctx")}, cmd)
			}
		})
	}
}

func TestTransportHandshakeErrors(t *testing.T) {
	p := newRawPeer(t, zmq4.Pub)
	_, err := DialTransport(context.Background(), p.config())
	require.ErrorIs(t, err, ErrPeerGone)
	require.ErrorContains(t, err, "the peer is a PUB socket; a REQ socket needs REP or ROUTER")

	// A peer that is not ZeroMQ at all.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err == nil {
			_, _ = c.Write(make([]byte, 64))
			_ = c.Close()
		}
	}()
	cfg := p.config()
	cfg.Port = l.Addr().(*net.TCPAddr).Port
	_, err = DialTransport(context.Background(), cfg)
	require.ErrorIs(t, err, ErrPeerGone)
	require.ErrorContains(t, err, "does not speak ZeroMQ")
}

// Cancelling the context interrupts a wait for the agent however long the
// timeout.
func TestTransportCancel(t *testing.T) {
	p := newRawPeer(t, zmq4.Rep)
	ctx, cancel := context.WithCancel(context.Background())
	tr, err := DialTransport(ctx, p.config())
	require.NoError(t, err)
	p.accepted(t)
	require.NoError(t, tr.Send([]byte("x"), time.Time{}))
	cancel()
	_, err = tr.Recv(nil, time.Time{})
	require.ErrorIs(t, err, context.Canceled)
	require.NoError(t, tr.Close())
	require.NoError(t, tr.Close())
	require.ErrorIs(t, tr.Send([]byte("x"), time.Time{}), ErrClosed)
	_, err = tr.Recv(nil, time.Time{})
	require.ErrorIs(t, err, ErrClosed)
}

// pyAgent answers like ns3-gym's Python agent: SimInitAck, then each
// EnvStateMsg with an action (a Discrete 2 here, or what reply returns)
// and the game-over state with a stop request.
func pyAgent(t *testing.T, reply func(st *pb.EnvStateMsg) []byte) func([]byte) ([]byte, error) {
	return func(msg []byte) ([]byte, error) {
		var st pb.EnvStateMsg
		if err := proto.Unmarshal(msg, &st); err != nil || st.ProtoReflect().GetUnknown() != nil {
			return proto.Marshal(&pb.SimInitAck{Done: true})
		}
		if st.IsGameOver {
			return proto.Marshal(&pb.EnvActMsg{StopSimReq: true})
		}
		if reply != nil {
			return reply(&st), nil
		}
		return proto.Marshal(discreteAction(t, 2))
	}
}

// The ns3-gym codec through the loop without a network: replies that are
// not EnvActMsg, or whose action is not in the space, are ErrMalformed;
// a dead agent is ErrPeerGone; a slow one ErrTimeout on the manual clock.
func TestCodecOverLoopback(t *testing.T) {
	marshal := func(m proto.Message) []byte {
		b, err := proto.Marshal(m)
		require.NoError(t, err)
		return b
	}
	clock := &agentlink.ManualClock{}
	tests := []struct {
		name    string
		reply   func(*pb.EnvStateMsg) []byte
		fail    error
		think   time.Duration
		wantErr error
		want    agentlink.Result
	}{
		{"plays to game over", nil, nil, 0, nil, agentlink.Result{Steps: 4, GameOver: true, Reason: GameOver}},
		{"garbage", func(*pb.EnvStateMsg) []byte { return []byte{0xff, 0xff, 0xff} }, nil, 0, ErrMalformed, agentlink.Result{}},
		{"SimInitAck instead of EnvActMsg", func(*pb.EnvStateMsg) []byte { return marshal(&pb.SimInitAck{Done: true}) }, nil, 0, ErrMalformed, agentlink.Result{}},
		{"action out of space", func(*pb.EnvStateMsg) []byte { return marshal(discreteAction(t, 9)) }, nil, 0, ErrMalformed, agentlink.Result{}},
		{"action of the wrong kind", func(*pb.EnvStateMsg) []byte {
			c, err := ValueToProto(spaces.FloatBox(1))
			require.NoError(t, err)
			return marshal(&pb.EnvActMsg{ActData: c})
		}, nil, 0, ErrMalformed, agentlink.Result{}},
		{"no action", func(*pb.EnvStateMsg) []byte { return marshal(&pb.EnvActMsg{}) }, nil, 0, nil, agentlink.Result{Steps: 4, GameOver: true, Reason: GameOver}},
		{"dead agent", nil, errors.New("exit status 1"), 0, ErrPeerGone, agentlink.Result{}},
		{"slow agent", nil, nil, DefaultTimeout + time.Nanosecond, ErrTimeout, agentlink.Result{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			agent := pyAgent(t, tc.reply)
			tr := &agentlink.Loopback{Clock: clock, Respond: func(msg []byte) ([]byte, error) {
				var st pb.EnvStateMsg
				if proto.Unmarshal(msg, &st) == nil && st.ObsData != nil { // a state
					clock.Advance(tc.think)
					if tc.fail != nil {
						return nil, tc.fail
					}
				}
				return agent(msg)
			}}
			l, err := agentlink.NewMessageLink(tr, Codec{}, agentlink.LinkConfig{Timeout: DefaultTimeout, Clock: clock})
			require.NoError(t, err)
			env := newCountEnv(3, 0)
			res, err := agentlink.Run(context.Background(), l, EnvLoop(env))
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.want, res)
			assert.True(t, tr.Closed())
			if tc.wantErr == nil {
				require.Len(t, env.actions, 3)
				if tc.reply == nil {
					assert.Equal(t, spaces.DiscreteValue(2), env.actions[0])
				} else {
					assert.Nil(t, env.actions[0])
				}
			}
		})
	}
}
