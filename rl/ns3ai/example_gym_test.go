package ns3ai_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/rl/ns3ai"
	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

// guess is a one-agent env: the agent must answer the observed digit.
type guess struct {
	turn   int
	reward float64
}

func (g *guess) Spec() agentlink.Spec {
	d, _ := spaces.NewDiscrete(10)
	return agentlink.SingleAgent(d, d)
}

func (g *guess) Next() (agentlink.Turn, error) {
	return agentlink.Turn{State: agentlink.State{Obs: spaces.DiscreteValue(g.turn % 10), Reward: g.reward,
		GameOver: g.turn == 3, Reason: agentlink.SimulationEnd}}, nil
}

func (g *guess) Act(_ string, a spaces.Value) error {
	fmt.Println("turn", g.turn, "action", a)
	g.reward = 0
	if a == spaces.DiscreteValue(g.turn%10) {
		g.reward = 1
	}
	g.turn++
	return nil
}

// A netgym env served over ns3-ai's Gym interface to an agent that plays
// ns3-ai's Python Ns3Env (here in Go: it creates the segment, acks the
// init, answers each observation with the same digit and each final state
// with a stop request).
func ExampleServeGym() {
	opts := ns3ai.GymOptions()
	opts.SegmentName = fmt.Sprintf("netgym-example-gym-%d", os.Getpid())
	agent, err := ns3ai.CreateTransport(opts, ns3ai.Agent, ns3ai.GymBufferSize)
	if err != nil {
		fmt.Println(err)
		return
	}
	done := make(chan struct{})
	defer func() { <-done; agent.Close() }() // the agent's goroutine owns agent until it ends
	go func() {
		defer close(done)
		deadline := func() time.Time { return time.Now().Add(5 * time.Second) }
		send := func(m proto.Message) { b, _ := proto.Marshal(m); _ = agent.Send(b, deadline()) }
		var buf []byte
		buf, _ = agent.Recv(buf, deadline()) // SimInitMsg
		send(&pb.SimInitAck{Done: true})
		for {
			var err error
			if buf, err = agent.Recv(buf, deadline()); err != nil {
				return
			}
			var st pb.EnvStateMsg
			_ = proto.Unmarshal(buf, &st)
			if st.IsGameOver {
				send(&pb.EnvActMsg{StopSimReq: true})
				return
			}
			var obs pb.DiscreteDataContainer
			_ = proto.Unmarshal(st.ObsData.Data.Value, &obs)
			act, _ := proto.Marshal(&obs)
			send(&pb.EnvActMsg{ActData: &pb.DataContainer{Type: pb.SpaceType_Discrete,
				Data: &anypb.Any{TypeUrl: "type.googleapis.com/ns3_ai_gym.DiscreteDataContainer", Value: act}}})
		}
	}()
	res, err := ns3ai.ServeGym(context.Background(), &guess{}, opts)
	fmt.Printf("%+v %v\n", res, err)
	// Output:
	// turn 0 action 0
	// turn 1 action 1
	// turn 2 action 2
	// {Steps:4 Stopped:false GameOver:true Reason:SimulationEnd} <nil>
}

// The flags with which a scenario binary serves ns3-ai's Gym interface.
func ExampleGymFlags() {
	fs := flag.NewFlagSet("scenario", flag.ContinueOnError)
	var f ns3ai.GymFlags
	f.Register(fs)
	_ = fs.Parse([]string{"--ns3ai", "--ns3aiTimeout=5", "--peerPid=-1"})
	opts, err := f.Options()
	fmt.Println(f.Enabled, opts.SegmentName, opts.Timeout, opts.PeerPID, err)
	// Output:
	// true My Seg 5s -1 <nil>
}
