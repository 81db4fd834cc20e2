package ns3ai

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The tests below run against testdata/boostpeer.cc, a Boost.Interprocess
// peer that creates and drives the segment as ns3-ai's C++ and Python
// sides do. NETGYM_BOOSTPEER names a built one (.ci/run builds it);
// otherwise it is built here when g++ and Boost's headers (Debian:
// libboost-dev) are installed, and the tests are skipped when they are
// not.

var boostPeer struct {
	once sync.Once
	path string
	err  string
}

func boostPeerPath(t *testing.T) string {
	t.Helper()
	boostPeer.once.Do(func() {
		if p := os.Getenv("NETGYM_BOOSTPEER"); p != "" {
			boostPeer.path = p
			return
		}
		src, err := os.ReadFile("testdata/boostpeer.cc")
		if err != nil {
			boostPeer.err = err.Error()
			return
		}
		if _, err := exec.LookPath("g++"); err != nil {
			boostPeer.err = "g++ not installed"
			return
		}
		if _, err := os.Stat("/usr/include/boost/interprocess/managed_shared_memory.hpp"); err != nil {
			boostPeer.err = "Boost headers not installed (apt-get install libboost-dev)"
			return
		}
		sum := sha256.Sum256(src)
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		p := filepath.Join(dir, "netgym", "boostpeer-"+hex.EncodeToString(sum[:8]))
		if _, err := os.Stat(p); err == nil {
			boostPeer.path = p
			return
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			boostPeer.err = err.Error()
			return
		}
		out, err := exec.Command("g++", "-O2", "-o", p+".tmp", "testdata/boostpeer.cc", "-lrt", "-lpthread").CombinedOutput()
		if err != nil {
			boostPeer.err = "build boostpeer: " + err.Error() + ": " + string(out)
			return
		}
		if err := os.Rename(p+".tmp", p); err != nil {
			boostPeer.err = err.Error()
			return
		}
		boostPeer.path = p
	})
	if boostPeer.path == "" {
		t.Skip("no Boost peer: " + boostPeer.err)
	}
	return boostPeer.path
}

// startPeer starts boostpeer with args and waits for its "ready" line when
// it creates the segment; it returns the process and its output lines.
func startPeer(t *testing.T, ready bool, args ...string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(boostPeerPath(t), args...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = stdin.Close(); _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(out)
	if ready {
		require.True(t, sc.Scan())
		require.Equal(t, "ready", sc.Text())
	}
	return cmd, sc
}

// TestBoostAgentDrivesGoSimulation is ns3-ai's usual set-up: the Python
// side (here Boost C++ doing what ns3-ai's binding does) creates the
// segment and answers; netgym's simulation opens it.
func TestBoostAgentDrivesGoSimulation(t *testing.T) {
	for _, variant := range []string{"stru", "vec"} {
		t.Run(variant, func(t *testing.T) {
			seg := segName(t)
			cmd, out := startPeer(t, true, "agent", seg, variant, "4")
			o := DefaultOptions()
			o.SegmentName = seg
			o.HandleFinish = true
			o.Timeout = 10 * time.Second
			var rounds int
			if variant == "stru" {
				s, err := OpenStruct[APBEnv, APBAct](o, Simulation)
				require.NoError(t, err)
				require.Equal(t, []int{cmd.Process.Pid}, s.peers, "found by its mapping")
				rounds, err = RunAPBStruct(s, APBConfig{Rounds: 3000, Seed: 1})
				require.NoError(t, err)
				require.NoError(t, s.Close())
			} else {
				v, err := OpenVector[APBEnv, APBAct](o, Simulation)
				require.NoError(t, err)
				require.Len(t, v.Cpp2Py(), 4, "the creator's vector size")
				rounds, err = RunAPBVector(v, APBConfig{Rounds: 3000, Seed: 1})
				require.NoError(t, err)
				require.NoError(t, v.Close())
			}
			require.Equal(t, 3000, rounds)
			require.True(t, out.Scan())
			require.Equal(t, "rounds=3000", out.Text(), "the peer saw every round, then the end mark")
			require.NoError(t, cmd.Wait())
		})
	}
}

// TestGoAgentAnswersBoostSimulation: netgym plays the Python side on a
// Boost segment and Boost C++ plays ns3-ai's C++ side.
func TestGoAgentAnswersBoostSimulation(t *testing.T) {
	for _, variant := range []string{"stru", "vec"} {
		t.Run(variant, func(t *testing.T) {
			seg := segName(t)
			startPeer(t, true, "create", seg, variant, "3")
			o := DefaultOptions()
			o.SegmentName = seg
			o.HandleFinish = true
			o.PeerPID = -1
			o.Timeout = 10 * time.Second
			served := make(chan error, 1)
			var n int
			if variant == "stru" {
				s, err := OpenStruct[APBEnv, APBAct](o, Agent)
				require.NoError(t, err)
				defer s.Close()
				go func() { var err error; n, err = ServeAPBStruct(s); served <- err }()
			} else {
				v, err := OpenVector[APBEnv, APBAct](o, Agent)
				require.NoError(t, err)
				defer v.Close()
				go func() { var err error; n, err = ServeAPBVector(v); served <- err }()
			}
			sim, out := startPeer(t, false, "sim", seg, variant, "2500")
			require.NoError(t, <-served)
			require.Equal(t, 2500, n)
			require.True(t, out.Scan())
			require.True(t, strings.HasPrefix(out.Text(), "rounds=2500 p50="), out.Text())
			require.NoError(t, sim.Wait(), "every sum was right")
		})
	}
}

// TestBoostAgentKilled: the creator dies mid-exchange (SIGKILL, so its
// segment stays); the simulation notices within the liveness check.
func TestBoostAgentKilled(t *testing.T) {
	seg := segName(t)
	cmd, _ := startPeer(t, true, "agent", seg, "stru")
	o := DefaultOptions()
	o.SegmentName = seg
	o.HandleFinish = true
	o.Timeout = time.Minute
	s, err := OpenStruct[APBEnv, APBAct](o, Simulation)
	require.NoError(t, err)
	defer s.Close()
	_, err = RunAPBStruct(s, APBConfig{Rounds: 10, Seed: 1})
	require.NoError(t, err)
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()
	start := time.Now()
	_, err = RunAPBStruct(s, APBConfig{Rounds: 10, Seed: 1})
	require.ErrorIs(t, err, ErrPeerGone)
	require.Less(t, time.Since(start), o.Timeout)
}
