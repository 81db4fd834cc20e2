package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/cli/clitest"
	"github.com/netgym/netgym/rl/opengym"
	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

// TestEpisodeAgainstGoAgent plays the Python agent's side in process: a REP
// socket receives SimInitMsg, then one EnvStateMsg per 0.1 s step of a 1 s
// simulation, each answered with an action, until the state that reports
// the simulation's end.
func TestEpisodeAgainstGoAgent(t *testing.T) {
	rep := zmq4.NewRep(context.Background())
	require.NoError(t, rep.Listen("tcp://127.0.0.1:0"))
	defer rep.Close()
	port := rep.Addr().(*net.TCPAddr).Port

	recv := func(m proto.Message) {
		msg, err := rep.Recv()
		require.NoError(t, err)
		require.NoError(t, proto.Unmarshal(msg.Frames[0], m))
	}
	send := func(m proto.Message) {
		b, err := proto.Marshal(m)
		require.NoError(t, err)
		require.NoError(t, rep.Send(zmq4.NewMsg(b)))
	}

	var out, diag bytes.Buffer
	done := make(chan error, 1)
	go func() {
		if status := run(context.Background(), []string{
			fmt.Sprintf("--openGymPort=%d", port), "--simSeed=3", "--simTime=1", "--stepTime=0.1"}, &out, &diag); status != cli.ExitOK {
			done <- fmt.Errorf("exit status %d", status)
			return
		}
		done <- nil
	}()

	var init pb.SimInitMsg
	recv(&init)
	obsSpace, err := opengym.SpaceFromProto(init.ObsSpace)
	require.NoError(t, err)
	actSpace, err := opengym.SpaceFromProto(init.ActSpace)
	require.NoError(t, err)
	assert.Equal(t, "Box(0, 10, [5], uint32)", obsSpace.String())
	assert.Equal(t, spaces.KindDiscrete, actSpace.Kind())
	send(&pb.SimInitAck{Done: true})

	var rewards []float32
	for {
		var st pb.EnvStateMsg
		recv(&st)
		obs, err := opengym.ValueFromProto(st.ObsData, obsSpace)
		require.NoError(t, err, "observation fits the space")
		require.Equal(t, 5, obs.(*spaces.BoxValue).Len())
		rewards = append(rewards, st.Reward)
		assert.Equal(t, "testInfo|123", st.Info)
		act, err := opengym.ValueToProto(spaces.DiscreteValue(len(rewards) % 5))
		require.NoError(t, err)
		if st.IsGameOver {
			assert.Equal(t, pb.EnvStateMsg_SimulationEnd, st.Reason)
			send(&pb.EnvActMsg{StopSimReq: true})
			break
		}
		send(&pb.EnvActMsg{ActData: act})
	}
	select {
	case err := <-done:
		require.NoError(t, err, diag.String())
	case <-time.After(5 * time.Second):
		t.Fatal("the simulation did not stop")
	}
	// 1 s of 0.1 s steps: states at 0, 0.1, ..., 1.0 s, the last one the
	// simulation's end; the reward grows by one each step.
	require.Len(t, rewards, 11)
	for i, r := range rewards {
		assert.Equal(t, float32(i+1), r)
	}
	assert.Contains(t, out.String(), "900ms action 0\n") // action 10 % 5, sent at the 10th state
}

func TestCommandLine(t *testing.T) {
	runCtx := func(args []string, stdout, stderr io.Writer) int {
		return run(context.Background(), args, stdout, stderr)
	}
	usage := func(line string, args ...string) clitest.Case {
		return clitest.Case{Args: args, Status: cli.ExitUsage, Line: "opengym: " + line}
	}
	clitest.Check(t, "opengym", runCtx,
		[]string{"openGymPort", "simSeed", "simTime", "stepTime", "testArg", "quiet", "ns3ai", "segName", "ns3aiTimeout", "peerPid"},
		usage("-ns3aiTimeout 0 must be in (0, 1e6] seconds", "--ns3ai", "--ns3aiTimeout=0"),
		usage(`invalid value "-1" for flag -simTime: want seconds in [1e-06, 1e+09]`, "--simTime=-1", "--openGymPort=1"),
		usage(`invalid value "1e-12" for flag -stepTime: want seconds in [1e-06, 1e+09]`, "--stepTime=1e-12"),
		usage(`invalid value "1e300" for flag -simTime: want seconds in [1e-06, 1e+09]`, "--simTime=1e300"),
		usage(`invalid value "NaN" for flag -stepTime: want seconds in [1e-06, 1e+09]`, "--stepTime=NaN"),
		usage("simTime 33m20s / stepTime 1µs is more than 1000000000 steps", "--simTime=2000", "--stepTime=1e-6"),
		usage(`invalid value "fast" for flag -stepTime: parse error`, "--stepTime=fast"),
		usage("flag provided but not defined: -nope", "--nope"),
	)
}
