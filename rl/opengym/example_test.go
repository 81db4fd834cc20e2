package opengym_test

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/go-zeromq/zmq4"
	"google.golang.org/protobuf/proto"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/rl/opengym"
	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

// A Box of 5 uint32 in [0, 10], as ns3-gym's first example observes it,
// described for the agent.
func ExampleSpaceToProto() {
	obs, _ := spaces.NewBox(0, 10, []int{5}, spaces.Uint)
	d, err := opengym.SpaceToProto(obs)
	if err != nil {
		fmt.Println(err)
		return
	}
	var box pb.BoxSpace
	_ = d.Space.UnmarshalTo(&box)
	fmt.Println(d.Type, d.Space.TypeUrl)
	fmt.Println(box.Low, box.High, box.Dtype, box.Shape)
	back, _ := opengym.SpaceFromProto(d)
	fmt.Println(back)
	// Output:
	// Box type.googleapis.com/ns3opengym.BoxSpace
	// 0 10 UINT [5]
	// Box(0, 10, [5], uint32)
}

// stepper is a tiny env: it counts steps and ends the game after three.
type stepper struct {
	obs, act spaces.Space
	n        int
}

func (s *stepper) ObservationSpace() spaces.Space { return s.obs }
func (s *stepper) ActionSpace() spaces.Space      { return s.act }
func (s *stepper) Observe() (spaces.Value, float64, bool, string) {
	return spaces.UintBox(uint32(s.n), 0, 0, 0, 0), 1, s.n == 3, ""
}
func (s *stepper) Act(a spaces.Value) error {
	fmt.Println("action", a)
	s.n++
	return nil
}

// Run drives an env for an agent; here the agent is a Go REP socket in
// the same process, answering every state with action 4 and game over
// with a stop request, as an ns3-gym Python agent would.
func ExampleRun() {
	rep := zmq4.NewRep(context.Background())
	defer rep.Close()
	if err := rep.Listen("tcp://127.0.0.1:0"); err != nil {
		fmt.Println(err)
		return
	}
	go func() {
		for {
			msg, err := rep.Recv()
			if err != nil {
				return
			}
			var reply proto.Message = &pb.SimInitAck{Done: true}
			var st pb.EnvStateMsg
			if proto.Unmarshal(msg.Frames[0], &st) == nil && st.ObsData != nil {
				act, _ := opengym.ValueToProto(spaces.DiscreteValue(4))
				reply = &pb.EnvActMsg{ActData: act, StopSimReq: st.IsGameOver}
			}
			b, _ := proto.Marshal(reply)
			if rep.Send(zmq4.NewMsg(b)) != nil {
				return
			}
		}
	}()

	cfg := opengym.DefaultConfig()
	cfg.Host, cfg.Port = "127.0.0.1", rep.Addr().(*net.TCPAddr).Port
	cfg.Timeout = 2 * time.Second
	obs, _ := spaces.NewBox(0, 10, []int{5}, spaces.Uint)
	act, _ := spaces.NewDiscrete(5)
	res, err := opengym.Run(context.Background(), &stepper{obs: obs, act: act}, cfg)
	fmt.Printf("%+v %v\n", res, err)
	// Output:
	// action 4
	// action 4
	// action 4
	// {Steps:4 Stopped:false GameOver:true Reason:GameOver} <nil>
}

// The ns3-gym messages over any transport: here agentlink.Loopback hands
// each message to a Go function playing ns3-gym's Python agent, which
// acknowledges SimInitMsg, answers each state with action 1 and the final
// state with a stop request. A shared-memory transport plugs in the same
// way.
func ExampleCodec() {
	agent := func(msg []byte) ([]byte, error) {
		var st pb.EnvStateMsg
		if err := proto.Unmarshal(msg, &st); err != nil || len(st.ProtoReflect().GetUnknown()) > 0 {
			return proto.Marshal(&pb.SimInitAck{Done: true}) // it was SimInitMsg
		}
		obs, _ := opengym.ValueFromProto(st.ObsData, nil)
		fmt.Println("agent sees", obs, "reward", st.Reward, "game over", st.IsGameOver)
		if st.IsGameOver {
			return proto.Marshal(&pb.EnvActMsg{StopSimReq: true})
		}
		act, _ := opengym.ValueToProto(spaces.DiscreteValue(1))
		return proto.Marshal(&pb.EnvActMsg{ActData: act})
	}
	link, err := agentlink.NewMessageLink(&agentlink.Loopback{Respond: agent}, opengym.Codec{}, agentlink.DefaultLinkConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	obs, _ := spaces.NewBox(0, 10, []int{5}, spaces.Uint)
	act, _ := spaces.NewDiscrete(5)
	env := &stepper{obs: obs, act: act}
	res, err := agentlink.Run(context.Background(), link, opengym.EnvLoop(env))
	fmt.Printf("%+v %v\n", res, err)
	// Output:
	// agent sees [0 0 0 0 0] reward 1 game over false
	// action 1
	// agent sees [1 0 0 0 0] reward 1 game over false
	// action 1
	// agent sees [2 0 0 0 0] reward 1 game over false
	// action 1
	// agent sees [3 0 0 0 0] reward 1 game over true
	// {Steps:4 Stopped:false GameOver:true Reason:GameOver} <nil>
}
