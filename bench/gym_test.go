package bench

import (
	"context"
	"fmt"
	"math"
	"net"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"google.golang.org/protobuf/encoding/protowire"
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

// agentState is what the benchmark's agent reads from EnvStateMsg.
type agentState struct {
	obs      []uint32 // the Box observation's data, reused
	reward   float32
	gameOver bool
}

// decodeState reads EnvStateMsg (a Box of uint32 observed) into st with
// protowire, reusing st.obs: the agent's side of a step, allocating
// nothing, the same for both transports. It checks every field's wire
// type and the nesting (DataContainer, Any, BoxDataContainer).
func decodeState(msg []byte, st *agentState) error {
	*st = agentState{obs: st.obs[:0]}
	return walk(msg, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error {
		switch {
		case num == 1 && typ == protowire.BytesType: // obsData
			return walk(b, func(num protowire.Number, typ protowire.Type, _ uint64, b []byte) error {
				if num != 2 || typ != protowire.BytesType { // type, name
					return nil
				}
				return walk(b, func(num protowire.Number, typ protowire.Type, _ uint64, b []byte) error {
					if num != 2 || typ != protowire.BytesType { // type URL
						return nil
					}
					return walk(b, func(num protowire.Number, typ protowire.Type, _ uint64, b []byte) error {
						if num != 4 || typ != protowire.BytesType { // dtype, shape
							return nil
						}
						for len(b) > 0 {
							x, n := protowire.ConsumeVarint(b)
							if n < 0 {
								return protowire.ParseError(n)
							}
							st.obs, b = append(st.obs, uint32(x)), b[n:]
						}
						return nil
					})
				})
			})
		case num == 2 && typ == protowire.Fixed32Type:
			st.reward = math.Float32frombits(uint32(v))
		case num == 3 && typ == protowire.VarintType:
			st.gameOver = v != 0
		case num == 4 && typ == protowire.VarintType, num == 5 && typ == protowire.BytesType:
		default:
			return fmt.Errorf("EnvStateMsg: unexpected field %d of wire type %d", num, typ)
		}
		return nil
	})
}

// walk calls f with each field of msg.
func walk(msg []byte, f func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error) error {
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		if n < 0 {
			return protowire.ParseError(n)
		}
		msg = msg[n:]
		var (
			v uint64
			b []byte
		)
		switch typ {
		case protowire.VarintType:
			v, n = protowire.ConsumeVarint(msg)
		case protowire.Fixed32Type:
			var x uint32
			x, n = protowire.ConsumeFixed32(msg)
			v = uint64(x)
		case protowire.BytesType:
			b, n = protowire.ConsumeBytes(msg)
		default:
			n = protowire.ConsumeFieldValue(num, typ, msg)
		}
		if n < 0 {
			return protowire.ParseError(n)
		}
		msg = msg[n:]
		if err := f(num, typ, v, b); err != nil {
			return err
		}
	}
	return nil
}

// checkState checks what the agent read at a step (the observation
// stepLink sends).
func checkState(st *agentState) error {
	if st.gameOver {
		return nil
	}
	if len(st.obs) != 5 || st.obs[0] != 1 || st.obs[4] != 5 || st.reward != 1 {
		return fmt.Errorf("agent read obs %v reward %v", st.obs, st.reward)
	}
	return nil
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
// (rl/opengym). The Go agent on the other side of each reads the state
// with protowire (decodeState: the observation, reward and game over,
// allocating nothing) and answers a pre-encoded action; each side should
// have a core (the shared-memory waits spin first; between two netgym Go
// sides they then block on a futex).
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
			buf := make([]byte, 0, ns3ai.GymBufferSize)
			st := agentState{obs: make([]uint32, 0, 8)}
			for first := true; ; first = false {
				var err error
				if buf, err = agent.Recv(buf, time.Now().Add(10*time.Second)); err != nil {
					done <- err
					return
				}
				out := reply
				if first {
					out = nil // SimInitAck{}: an empty message
				} else if err := decodeState(buf, &st); err != nil {
					done <- err
					return
				} else if err := checkState(&st); err != nil {
					done <- err
					return
				} else if st.gameOver {
					out = []byte{0x10, 0x01} // stopSimReq
				}
				if err := agent.Send(out, time.Now().Add(10*time.Second)); err != nil {
					done <- err
					return
				}
				if st.gameOver {
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
			st := agentState{obs: make([]uint32, 0, 8)}
			for first := true; ; first = false {
				msg, err := rep.Recv()
				if err != nil {
					done <- err
					return
				}
				out := reply
				if first {
					out = []byte{}
				} else if err := decodeState(msg.Frames[0], &st); err != nil {
					done <- err
					return
				} else if err := checkState(&st); err != nil {
					done <- err
					return
				} else if st.gameOver {
					out = []byte{0x10, 0x01}
				}
				if err := rep.Send(zmq4.NewMsg(out)); err != nil {
					done <- err
					return
				}
				if st.gameOver {
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
