package ns3ai

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestAPlusBOverBoostSegment plays both sides of A-Plus-B in this process
// over a Boost 1.74 segment (the fixture), so the protocol runs on the
// exact bytes ns3-ai's creator writes.
func TestAPlusBOverBoostSegment(t *testing.T) {
	for _, variant := range []string{"stru", "vec"} {
		t.Run(variant, func(t *testing.T) {
			o := installSegment(t, fixture(t, "boost174-amd64-"+variant+".seg"))
			o.HandleFinish = true
			cfg := DefaultAPBConfig()
			cfg.Rounds = 500
			var out bytes.Buffer
			cfg.Out = &out
			type result struct {
				n   int
				err error
			}
			served := make(chan result, 1)
			var rounds int
			if variant == "stru" {
				agent, err := OpenStruct[APBEnv, APBAct](o, Agent)
				require.NoError(t, err)
				sim, err := OpenStruct[APBEnv, APBAct](o, Simulation)
				require.NoError(t, err)
				go func() { n, err := ServeAPBStruct(agent); served <- result{n, err} }()
				rounds, err = RunAPBStruct(sim, cfg)
				require.NoError(t, err)
				require.NoError(t, sim.Close(), "marks the end")
			} else {
				agent, err := OpenVector[APBEnv, APBAct](o, Agent)
				require.NoError(t, err)
				sim, err := OpenVector[APBEnv, APBAct](o, Simulation)
				require.NoError(t, err)
				go func() { n, err := ServeAPBVector(agent); served <- result{n, err} }()
				rounds, err = RunAPBVector(sim, cfg)
				require.NoError(t, err)
				require.NoError(t, sim.Close())
			}
			require.Equal(t, 500, rounds)
			r := <-served
			require.NoError(t, r.err, "the agent stops at the end mark")
			require.Equal(t, 500, r.n)
			lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
			require.Len(t, lines, 1000)
			if variant == "stru" {
				var a, b, c int
				_, err := fmt.Sscanf(string(lines[0])+" "+string(lines[1]), "set: %d,%d; get: %d", &a, &b, &c)
				require.NoError(t, err)
				require.Equal(t, a+b, c)
				require.True(t, a >= 1 && a <= 10 && b >= 1 && b <= 10)
			} else {
				require.Regexp(t, `^set: (\d+,\d+;){3}$`, string(lines[0]))
				require.Regexp(t, `^get: (\d+;){3}$`, string(lines[1]))
			}
			// the end mark stays in the sync object: is-finished set,
			// cpp2py full 1 (the agent stops without PyRecvEnd)
			img, err := os.ReadFile(shmDir + o.SegmentName)
			require.NoError(t, err)
			sync := map[string]int{"stru": 0x1b8, "vec": 0x1f8}[variant]
			require.Equal(t, []byte{0, 0, 1, 0, 1}, img[sync:sync+5])
		})
	}
}

// TestSameSeedSameRun: the addends repeat for a seed (apb.cc draws from
// the clock; netgym's runs repeat).
func TestSameSeedSameRun(t *testing.T) {
	run := func(seed uint64) string {
		o := DefaultOptions()
		o.SegmentName = segName(t)
		o.HandleFinish = true
		o.PeerPID = -1
		agent, err := CreateStruct[APBEnv, APBAct](o, Agent)
		require.NoError(t, err)
		defer agent.Close()
		sim, err := OpenStruct[APBEnv, APBAct](o, Simulation)
		require.NoError(t, err)
		served := make(chan int, 1)
		go func() { n, _ := ServeAPBStruct(agent); served <- n }()
		var out bytes.Buffer
		_, err = RunAPBStruct(sim, APBConfig{Rounds: 20, Seed: seed, Out: &out})
		require.NoError(t, err)
		require.NoError(t, sim.Close())
		require.Equal(t, 20, <-served)
		return out.String()
	}
	a, b, c := run(1), run(1), run(2)
	require.Equal(t, a, b)
	require.NotEqual(t, a, c)
}

// TestWrongAnswerIsAnError: a sum that is not a+b stops the run with an
// error naming the round.
func TestWrongAnswerIsAnError(t *testing.T) {
	o := DefaultOptions()
	o.SegmentName = segName(t)
	o.PeerPID = -1
	agent, err := CreateStruct[APBEnv, APBAct](o, Agent)
	require.NoError(t, err)
	defer agent.Close()
	sim, err := OpenStruct[APBEnv, APBAct](o, Simulation)
	require.NoError(t, err)
	defer sim.Close()
	done := make(chan struct{})
	defer func() { <-done }()
	go func() {
		defer close(done)
		for i := 0; i < 3; i++ {
			_ = agent.RecvBegin()
			env := *agent.Cpp2Py()
			_ = agent.RecvEnd()
			_ = agent.SendBegin()
			agent.Py2Cpp().C = env.A + env.B + uint32(i/2) // wrong from round 2
			_ = agent.SendEnd()
		}
	}()
	n, err := RunAPBStruct(sim, APBConfig{Rounds: 10, Seed: 1})
	require.Equal(t, 2, n)
	require.ErrorContains(t, err, "round 2: the agent answered")
}

// TestTimeout: a peer that never takes its turn ends the wait with
// ErrTimeout instead of a spin forever.
func TestTimeout(t *testing.T) {
	o := installSegment(t, fixture(t, "boost174-amd64-stru.seg"))
	o.Timeout = 20 * time.Millisecond
	o.HandleFinish = true
	sim, err := OpenStruct[APBEnv, APBAct](o, Simulation)
	require.NoError(t, err)
	require.NoError(t, sim.SendBegin(), "cpp2py empty starts at 1")
	require.NoError(t, sim.SendEnd())
	err = sim.RecvBegin()
	require.ErrorIs(t, err, ErrTimeout)
	require.Regexp(t, `^ns3ai: peer did not answer in time: the simulation side waited \d+ms for its turn \(counter py2cpp full\)$`, err.Error())
	err = sim.SendBegin()
	require.ErrorIs(t, err, ErrTimeout, "the agent never released cpp2py")
	err = sim.Close()
	require.ErrorIs(t, err, ErrTimeout, "the end mark cannot be delivered")
	require.Contains(t, err.Error(), "mark the end")
}

// TestCreatorRemovesSegment: an opener waiting for its turn notices that
// the creator removed the segment (what ns3-ai's creator does when it
// ends).
func TestCreatorRemovesSegment(t *testing.T) {
	o := DefaultOptions()
	o.SegmentName = segName(t)
	o.PeerPID = -1
	agent, err := CreateStruct[APBEnv, APBAct](o, Agent)
	require.NoError(t, err)
	sim, err := OpenStruct[APBEnv, APBAct](o, Simulation)
	require.NoError(t, err)
	defer sim.Close()
	require.NoError(t, agent.Close())
	_, err = os.Stat(shmDir + o.SegmentName)
	require.ErrorIs(t, err, os.ErrNotExist, "Close removes the creator's segment")
	require.NoError(t, sim.SendBegin())
	require.NoError(t, sim.SendEnd())
	err = sim.RecvBegin()
	require.ErrorIs(t, err, ErrPeerGone)
	require.Contains(t, err.Error(), "its creator removed segment")
}

// TestAgentDiesMidExchange: the agent process (a child that created the
// segment, as ns3-ai's Python does) answers 5 rounds and exits without
// closing; the simulation finds it at Open (PeerPID 0: the processes that
// map the segment) and stops with ErrPeerGone, not after the 10 s
// timeout.
func TestAgentDiesMidExchange(t *testing.T) {
	seg := segName(t)
	startHelper(t, "agent-dies 5", seg, true)
	o := DefaultOptions()
	o.SegmentName = seg
	o.HandleFinish = true
	o.Timeout = time.Minute
	sim, err := OpenStruct[APBEnv, APBAct](o, Simulation)
	require.NoError(t, err)
	defer sim.Close()
	require.Len(t, sim.peers, 1, "the child maps the segment")
	start := time.Now()
	n, err := RunAPBStruct(sim, APBConfig{Rounds: 100, Seed: 1})
	require.Equal(t, 5, n)
	require.ErrorIs(t, err, ErrPeerGone)
	require.Less(t, time.Since(start), o.Timeout, "ended by the liveness check")
	require.ErrorIs(t, sim.Close(), ErrPeerGone, "the end mark cannot be delivered either")
}

// TestSimulationDiesMidExchange: the agent created the segment and was not
// told the simulation's pid (PeerPID 0): while it waits it finds the
// process that maps the segment; the simulation sends 3 rounds and exits
// without marking the end.
func TestSimulationDiesMidExchange(t *testing.T) {
	o := DefaultOptions()
	o.SegmentName = segName(t)
	o.HandleFinish = true
	o.Timeout = time.Minute
	agent, err := CreateStruct[APBEnv, APBAct](o, Agent)
	require.NoError(t, err)
	defer agent.Close()
	cmd := startHelper(t, "sim-dies 3", o.SegmentName, false)
	n, err := ServeAPBStruct(agent)
	require.Equal(t, 3, n)
	require.ErrorIs(t, err, ErrPeerGone)
	require.Contains(t, err.Error(), fmt.Sprintf("peer process [%d] exited", cmd.Process.Pid))
}

func TestMisuse(t *testing.T) {
	o := installSegment(t, fixture(t, "boost174-amd64-stru.seg"))
	o.HandleFinish = true
	sim, err := OpenStruct[APBEnv, APBAct](o, Simulation)
	require.NoError(t, err)
	agent, err := OpenStruct[APBEnv, APBAct](o, Agent)
	require.NoError(t, err)
	require.ErrorIs(t, sim.SendEnd(), ErrMisuse)
	require.ErrorIs(t, sim.RecvEnd(), ErrMisuse)
	require.ErrorIs(t, agent.Finish(), ErrMisuse, "only the simulation marks the end")
	require.NoError(t, sim.SendBegin())
	require.ErrorIs(t, sim.SendBegin(), ErrMisuse)
	require.ErrorIs(t, sim.Finish(), ErrMisuse, "not inside a send cycle")
	require.NoError(t, sim.SendEnd())
	require.NoError(t, agent.RecvBegin())
	require.False(t, agent.Finished())
	require.NoError(t, agent.RecvEnd())
	require.NoError(t, sim.Finish())
	require.NoError(t, agent.RecvBegin())
	require.True(t, agent.Finished())
	require.ErrorIs(t, agent.RecvBegin(), ErrFinished)
	require.ErrorIs(t, sim.SendBegin(), ErrFinished)
	require.NoError(t, sim.Close())
	require.NoError(t, sim.Close(), "twice")
	require.ErrorIs(t, sim.SendBegin(), ErrClosed)
	require.NoError(t, agent.Close())
}

// TestCounterWordNeighbours: the 32-bit CAS changes only its counter's
// byte, also when the counter wraps (ns3-ai's 8-bit arithmetic), and
// leaves the is-finished byte alone.
func TestCounterWordNeighbours(t *testing.T) {
	o := installSegment(t, fixture(t, "boost174-amd64-stru.seg"))
	c, err := OpenStruct[APBEnv, APBAct](o, Simulation)
	require.NoError(t, err)
	defer c.Close()
	mem := c.reg.mem[0x1b8:0x1bd]
	copy(mem, []byte{0xff, 0, 1, 0, 0})
	c.post(cpp2pyEmpty)
	require.Equal(t, []byte{0, 0, 1, 0, 0}, []byte(mem), "255+1 wraps to 0 without a carry")
	require.False(t, c.tryWait(cpp2pyEmpty))
	require.True(t, c.tryWait(py2cppEmpty))
	require.Equal(t, []byte{0, 0, 0, 0, 0}, []byte(mem))
	c.post(py2cppFull)
	c.post(py2cppFull)
	require.Equal(t, []byte{0, 0, 0, 2, 0}, []byte(mem))
	copy(mem, []byte{1, 0, 1, 0, 0})
}

func TestTransport(t *testing.T) {
	o := DefaultOptions()
	o.SegmentName = segName(t)
	o.HandleFinish = true
	o.PeerPID = -1
	agent, err := CreateTransport(o, Agent, GymBufferSize)
	require.NoError(t, err)
	defer agent.Close()
	sim, err := OpenTransport(o, Simulation, GymBufferSize)
	require.NoError(t, err)
	require.Equal(t, 1024, sim.MaxMessage())

	require.NoError(t, sim.Send([]byte("init"), time.Time{}))
	msg, err := agent.Recv(nil, time.Time{})
	require.NoError(t, err)
	require.Equal(t, "init", string(msg))

	// too large: refused before anything is written; the cycle goes on
	err = agent.Send(make([]byte, 1025), time.Time{})
	require.ErrorIs(t, err, ErrTooLarge)
	require.EqualError(t, err, "ns3ai: message larger than the shared buffer: 1025 bytes, the buffer holds 1024")
	full := bytes.Repeat([]byte{7}, 1024)
	require.NoError(t, agent.Send(full, time.Now().Add(time.Second)))
	msg, err = sim.Recv(msg, time.Now().Add(time.Second))
	require.NoError(t, err)
	require.Equal(t, full, msg)

	// a length field beyond the buffer is malformed; the cycle ends
	require.NoError(t, sim.Send(nil, time.Time{}))
	_, err = agent.Recv(nil, time.Time{})
	require.NoError(t, err)
	require.NoError(t, agent.conn.sendBegin(time.Now().Add(time.Second)))
	*agent.outSize = 5000
	require.NoError(t, agent.conn.SendEnd())
	_, err = sim.Recv(nil, time.Time{})
	require.ErrorIs(t, err, ErrMalformed)
	require.EqualError(t, err, "ns3ai: malformed message from peer: length field 5000 beyond the 1024-byte buffer")

	// a deadline in the past: the peer has not answered
	_, err = sim.Recv(nil, time.Now().Add(-time.Second))
	require.ErrorIs(t, err, ErrTimeout)

	// the end
	require.NoError(t, sim.Close())
	_, err = agent.Recv(nil, time.Time{})
	require.ErrorIs(t, err, ErrFinished)
}

// TestGymMsgLayout: GymMsg has ns3-ai's Ns3AiGymMsg layout, which is what
// the transport's byte layout assumes.
func TestGymMsgLayout(t *testing.T) {
	spec, err := cLayout[GymMsg]()
	require.NoError(t, err)
	bs, err := bytesSpec(GymBufferSize)
	require.NoError(t, err)
	require.Equal(t, 1028, spec.size)
	require.Equal(t, bs.size, spec.size)
	require.Equal(t, bs.align, spec.align)
	_, err = bytesSpec(0)
	require.EqualError(t, err, "ns3ai: buffer size 0 must be in [1, 1073741824]")
}

func TestErrorsAreDistinct(t *testing.T) {
	all := []error{ErrNoSegment, ErrLayout, ErrTimeout, ErrPeerGone, ErrFinished, ErrTooLarge, ErrMalformed, ErrMisuse, ErrClosed}
	for i, a := range all {
		for j, b := range all {
			require.Equal(t, i == j, errors.Is(a, b))
		}
	}
}

// TestNetgymVectorResize: a creator that resizes a netgym vector within
// its capacity (netgym's Python Experiment resizes after creating, as
// ns3-ai's does) is followed at the next Begin.
func TestNetgymVectorResize(t *testing.T) {
	o := DefaultOptions()
	o.SegmentName = segName(t)
	o.PeerPID = -1
	creator, err := CreateVector[APBEnv, APBAct](o, Agent, 3)
	require.NoError(t, err)
	defer creator.Close()
	sim, err := OpenVector[APBEnv, APBAct](o, Simulation)
	require.NoError(t, err)
	defer sim.Close()
	require.Len(t, sim.Cpp2Py(), 3)
	binary.LittleEndian.PutUint32(creator.reg.mem[ngCountAt(0):], 2)
	require.NoError(t, sim.SendBegin())
	require.Len(t, sim.Cpp2Py(), 2)
	require.NoError(t, sim.SendEnd())
	binary.LittleEndian.PutUint32(creator.reg.mem[ngCountAt(1):], 9)
	err = creator.RecvBegin()
	require.ErrorIs(t, err, ErrLayout)
	require.EqualError(t, err, `ns3ai: segment layout not recognised: vector "My Python to Cpp Msg" resized to 9 elements; its capacity is 3`)
}
