package opengym

import (
	"context"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

// BenchmarkBridgeStep measures one EnvStateMsg/EnvActMsg exchange over
// loopback TCP (ns3-gym's first example: a Box of 5 uint32 observed,
// Discrete(5) actions), the agent a Go REP socket that decodes the state
// and answers with a fixed action. It reports us/step.
func BenchmarkBridgeStep(b *testing.B) {
	a := newAgent(b)
	reply, err := proto.Marshal(discreteAction(b, 3))
	require.NoError(b, err)
	a.run(func() error {
		if _, err := a.handshake(false); err != nil {
			return err
		}
		for {
			msg, err := a.rep.Recv()
			if err != nil {
				return nil // the bridge closed
			}
			var st pb.EnvStateMsg
			if err := proto.Unmarshal(msg.Frames[0], &st); err != nil {
				return err
			}
			if st.IsGameOver {
				return a.rep.Send(zmq4.NewMsg([]byte{0x10, 0x01})) // stopSimReq
			}
			if err := a.rep.Send(zmq4.NewMsg(reply)); err != nil {
				return err
			}
		}
	})
	env := newCountEnv(0, 0)
	br, err := Dial(context.Background(), a.config())
	require.NoError(b, err)
	defer br.Close()
	_, err = br.Init(env.obs, env.act)
	require.NoError(b, err)
	obs := spaces.UintBox(1, 2, 3, 4, 5)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		act, err := br.Step(State{Obs: obs, Reward: 1})
		if err != nil {
			b.Fatal(err)
		}
		if act.Value != spaces.DiscreteValue(3) {
			b.Fatalf("action %v", act.Value)
		}
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/float64(b.N), "us/step")
	b.StopTimer()
	_, err = br.Step(State{Obs: obs, GameOver: true, Reason: SimulationEnd})
	require.NoError(b, err)
	require.NoError(b, a.wait())
}

// BenchmarkLinkStepLoopback measures what the simulation's side of one
// step costs without a network: MessageLink and the ns3-gym Codec encode
// the state (a Box of 5 uint32) and decode a Discrete action, over
// agentlink.Loopback with a fixed reply. It is the floor under every
// transport (ZeroMQ here, shared memory in package ns3ai).
func BenchmarkLinkStepLoopback(b *testing.B) {
	reply, err := proto.Marshal(discreteAction(b, 3))
	require.NoError(b, err)
	ack, err := proto.Marshal(&pb.SimInitAck{Done: true})
	require.NoError(b, err)
	first := true
	tr := &agentlink.Loopback{Respond: func([]byte) ([]byte, error) {
		if first {
			first = false
			return ack, nil
		}
		return reply, nil
	}}
	l, err := agentlink.NewMessageLink(tr, Codec{}, agentlink.DefaultLinkConfig())
	require.NoError(b, err)
	env := newCountEnv(0, 0)
	_, err = l.Init(agentlink.SingleAgent(env.obs, env.act))
	require.NoError(b, err)
	obs := spaces.UintBox(1, 2, 3, 4, 5)
	b.ReportAllocs()
	for b.Loop() {
		act, err := l.Step(agentlink.SingleAgentID, State{Obs: obs, Reward: 1})
		if err != nil {
			b.Fatal(err)
		}
		if act.Value != spaces.DiscreteValue(3) {
			b.Fatalf("action %v", act.Value)
		}
	}
}
