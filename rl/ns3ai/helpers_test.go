package ns3ai

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/netgym/netgym/rl/opengym/pb"
)

// TestMain doubles as a helper process for the peer-death tests:
// NS3AI_HELPER selects a role played in a child process.
func TestMain(m *testing.M) {
	if role := os.Getenv("NS3AI_HELPER"); role != "" {
		os.Exit(helper(role, os.Getenv("NS3AI_SEG")))
	}
	if runtime.GOOS != "linux" {
		fmt.Println("rl/ns3ai: the shared-memory tests run on Linux only (segments live in /dev/shm)")
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// helper roles:
//
//	agent-dies N: create the struct segment (agent side, handleFinish),
//	              answer N rounds, exit without closing (a crash)
//	gym-agent-dies N: create the Gym segment, ack the init, answer N
//	              states, exit without a word
//	sim-dies N:   open the segment as the simulation, send N rounds,
//	              linger 2 s, exit without marking the end
func helper(role, seg string) int {
	name, arg, _ := strings.Cut(role, " ")
	n, _ := strconv.Atoi(arg)
	opts := DefaultOptions()
	opts.SegmentName = seg
	opts.HandleFinish = true
	opts.Timeout = 10 * time.Second
	switch name {
	case "agent-dies":
		s, err := CreateStruct[APBEnv, APBAct](opts, Agent)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println("ready")
		for i := 0; i < n; i++ {
			if s.RecvBegin() != nil || s.RecvEnd() != nil || s.SendBegin() != nil {
				return 1
			}
			s.Py2Cpp().C = s.Cpp2Py().A + s.Cpp2Py().B
			if s.SendEnd() != nil {
				return 1
			}
		}
		return 0
	case "gym-agent-dies":
		o := GymOptions()
		o.SegmentName = seg
		o.Timeout = 10 * time.Second
		a := &gymAgent{}
		var err error
		if a.t, err = CreateTransport(o, Agent, GymBufferSize); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println("ready")
		if a.handshake() != nil {
			return 1
		}
		for i := 0; i < n; i++ {
			msg, err := a.recv()
			if err != nil {
				return 1
			}
			st := &pb.EnvStateMsg{}
			if proto.Unmarshal(msg, st) != nil || a.send(plusOne(st)) != nil {
				return 1
			}
		}
		return 0
	case "sim-dies":
		s, err := OpenStruct[APBEnv, APBAct](opts, Simulation)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		cfg := DefaultAPBConfig()
		cfg.Rounds = n
		if _, err := RunAPBStruct(s, cfg); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		time.Sleep(2 * time.Second)
		return 0
	}
	return 2
}

// startHelper runs a helper role in a child process and returns it once
// it printed its first line (when wantLine).
func startHelper(t *testing.T, role, seg string, wantLine bool) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NS3AI_HELPER="+role, "NS3AI_SEG="+seg)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	if wantLine {
		line, err := bufio.NewReader(out).ReadString('\n')
		require.NoError(t, err)
		require.Equal(t, "ready\n", line)
	}
	return cmd
}

// segName is a segment name unique to the test, removed at its end.
func segName(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("netgym-test-%d-%s", os.Getpid(), strings.NewReplacer("/", "-", " ", "-").Replace(t.Name()))
	t.Cleanup(func() { _ = os.Remove(shmDir + name) })
	return name
}

// installSegment writes image as a segment and returns options naming it.
func installSegment(t *testing.T, image []byte) Options {
	t.Helper()
	name := segName(t)
	require.NoError(t, os.WriteFile(shmDir+name, image, 0o600))
	o := DefaultOptions()
	o.SegmentName = name
	o.PeerPID = -1
	o.Timeout = 5 * time.Second
	return o
}

func fixture(t *testing.T, file string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + file)
	require.NoError(t, err)
	return b
}
