package bench

import (
	"context"
	"fmt"
	"net"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/rl/ns3ai"
	"github.com/netgym/netgym/rl/opengym"
	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

// gymSpaces are ns3-gym's first example's (scenarios/opengym): a Box of 5
// uint32 in [0, 10] observed, Discrete(5) actions.
func gymSpaces(b *testing.B) agentlink.Spec {
	obs, err := spaces.NewBox(0, 10, []int{5}, spaces.Uint)
	if err != nil {
		b.Fatal(err)
	}
	act, err := spaces.NewDiscrete(5)
	if err != nil {
		b.Fatal(err)
	}
	return agentlink.SingleAgent(obs, act)
}

// actionReply is EnvActMsg with Discrete action 3, its Any typed for pkg.
func actionReply(b *testing.B, pkg string) []byte {
	d, _ := proto.Marshal(&pb.DiscreteDataContainer{Data: 3})
	m, err := proto.Marshal(&pb.EnvActMsg{ActData: &pb.DataContainer{Type: pb.SpaceType_Discrete,
		Data: &anypb.Any{TypeUrl: "type.googleapis.com/" + pkg + ".DiscreteDataContainer", Value: d}}})
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// stepLink measures link.Step on the opengym example's spaces: one op is
// one state sent and one action received, the agent (another goroutine)
// decoding the state and answering a fixed action. It reports steps/s and
// the percentiles of the step latency.
func stepLink(b *testing.B, l *agentlink.MessageLink) {
	if _, err := l.Init(gymSpaces(b)); err != nil {
		b.Fatal(err)
	}
	obs := spaces.UintBox(1, 2, 3, 4, 5)
	lat := make([]time.Duration, 0, 1<<16)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		act, err := l.Step(agentlink.SingleAgentID, agentlink.State{Obs: obs, Reward: 1})
		if err != nil {
			b.Fatal(err)
		}
		if len(lat) < cap(lat) {
			lat = append(lat, time.Since(t0))
		}
		if act.Value != spaces.DiscreteValue(3) {
			b.Fatalf("action %v", act.Value)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
	slices.Sort(lat)
	for _, q := range []struct {
		p    float64
		unit string
	}{{0.5, "p50-us"}, {0.99, "p99-us"}} {
		if len(lat) > 0 {
			b.ReportMetric(float64(lat[int(q.p*float64(len(lat)-1))].Nanoseconds())/1e3, q.unit)
		}
	}
	if err := l.End(agentlink.SingleAgentID, agentlink.State{GameOver: true, Reason: agentlink.SimulationEnd}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkGymStep runs the same spaces and turn loop (agentlink's
// MessageLink and opengym's codec) through netgym's two agent transports,
// side by side: ns3-ai's Gym interface over shared memory (rl/ns3ai,
// ns3-ai's message dialect) and ns3-gym's ZeroMQ bridge over loopback TCP
// (rl/opengym). The Go agent on the other side of each decodes the state
// (proto.Unmarshal) and answers a pre-encoded action; each side should
// have a core (the shared-memory waits spin).
func BenchmarkGymStep(b *testing.B) {
	b.Run("ns3ai-shm", func(b *testing.B) {
		opts := ns3ai.GymOptions()
		opts.SegmentName = fmt.Sprintf("netgym-bench-gym-%d", os.Getpid())
		opts.PeerPID = -1
		opts.Timeout = 10 * time.Second
		agent, err := ns3ai.CreateTransport(opts, ns3ai.Agent, ns3ai.GymBufferSize)
		if err != nil {
			b.Fatal(err)
		}
		reply := actionReply(b, "ns3_ai_gym")
		done := make(chan error, 1)
		go func() {
			defer agent.Close()
			var buf []byte
			var st pb.EnvStateMsg
			for first := true; ; first = false {
				var err error
				if buf, err = agent.Recv(buf, time.Now().Add(10*time.Second)); err != nil {
					done <- err
					return
				}
				out := reply
				if first {
					out = nil // SimInitAck{}: an empty message
				} else if err := proto.Unmarshal(buf, &st); err != nil {
					done <- err
					return
				} else if st.IsGameOver {
					out = []byte{0x10, 0x01} // stopSimReq
				}
				if err := agent.Send(out, time.Now().Add(10*time.Second)); err != nil {
					done <- err
					return
				}
				if st.IsGameOver {
					done <- nil
					return
				}
			}
		}()
		l, err := ns3ai.OpenGymLink(opts)
		if err != nil {
			b.Fatal(err)
		}
		defer l.Close()
		stepLink(b, l)
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	})
	b.Run("zeromq", func(b *testing.B) {
		rep := zmq4.NewRep(context.Background())
		if err := rep.Listen("tcp://127.0.0.1:0"); err != nil {
			b.Fatal(err)
		}
		defer rep.Close()
		reply := actionReply(b, "ns3opengym")
		done := make(chan error, 1)
		go func() {
			var st pb.EnvStateMsg
			for first := true; ; first = false {
				msg, err := rep.Recv()
				if err != nil {
					done <- err
					return
				}
				out := reply
				if first {
					out = []byte{}
				} else if err := proto.Unmarshal(msg.Frames[0], &st); err != nil {
					done <- err
					return
				} else if st.IsGameOver {
					out = []byte{0x10, 0x01}
				}
				if err := rep.Send(zmq4.NewMsg(out)); err != nil {
					done <- err
					return
				}
				if st.IsGameOver {
					done <- nil
					return
				}
			}
		}()
		cfg := opengym.DefaultConfig()
		cfg.Host, cfg.Port = "127.0.0.1", rep.Addr().(*net.TCPAddr).Port
		l, err := opengym.DialLink(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer l.Close()
		stepLink(b, l)
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	})
}
