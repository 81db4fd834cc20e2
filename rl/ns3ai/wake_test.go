//go:build linux

package ns3ai

import (
	"encoding/binary"
	"os"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// transportPair creates a Gym-sized transport as the agent and opens it as
// the simulation, in netgym's layout.
func transportPair(t *testing.T) (sim, agent *Transport) {
	t.Helper()
	o := GymOptions()
	o.SegmentName = segName(t)
	o.PeerPID = -1
	o.Timeout = 5 * time.Second
	agent, err := CreateTransport(o, Agent, GymBufferSize)
	require.NoError(t, err)
	t.Cleanup(func() { _ = agent.Close() })
	sim, err = OpenTransport(o, Simulation, GymBufferSize)
	require.NoError(t, err)
	t.Cleanup(func() { _ = sim.Close() })
	return sim, agent
}

func header32(c *Conn, off int) uint32 {
	return atomic.LoadUint32((*uint32)(unsafe.Pointer(&c.reg.mem[off])))
}

// TestWakersWord: each netgym Go side says in the header that it wakes a
// sleeping peer, and takes it back when it closes; the rest of the header
// is as before (a version-1 reader ignores the two words).
func TestWakersWord(t *testing.T) {
	sim, agent := transportPair(t)
	assert.Equal(t, uint32(3), header32(sim.conn, ngWakers), "both sides wake")
	assert.Equal(t, uint32(0), header32(sim.conn, ngSleepers))
	assert.True(t, sim.conn.peerWakes())
	assert.True(t, agent.conn.peerWakes())
	img, err := os.ReadFile(shmDir + sim.conn.opts.SegmentName)
	require.NoError(t, err)
	assert.Equal(t, []byte{3, 0, 0, 0, 0, 0, 0, 0}, img[32:40])
	assert.Equal(t, make([]byte, 24), img[40:64])
	require.Equal(t, uint32(1), binary.LittleEndian.Uint32(img[8:]), "layout version unchanged")

	require.NoError(t, sim.Close())
	assert.Equal(t, uint32(2), header32(agent.conn, ngWakers), "the simulation no longer wakes")
	assert.False(t, agent.conn.peerWakes())
}

// TestFutexWake: a side whose peer is slower than the spin blocks in the
// kernel, and the peer's post wakes it with the message.
func TestFutexWake(t *testing.T) {
	sim, agent := transportPair(t)
	const delay = 20 * time.Millisecond
	done := make(chan error, 1)
	go func() {
		msg, err := agent.Recv(nil, time.Time{})
		if err == nil {
			time.Sleep(delay) // think longer than the spin
			err = agent.Send(append(msg, '!'), time.Time{})
		}
		done <- err
	}()
	require.NoError(t, sim.Send([]byte("state"), time.Time{}))
	t0 := time.Now()
	msg, err := sim.Recv(nil, time.Time{})
	waited := time.Since(t0)
	require.NoError(t, err)
	require.NoError(t, <-done)
	assert.Equal(t, "state!", string(msg))
	assert.GreaterOrEqual(t, waited, delay)
	assert.Positive(t, sim.conn.blocks, "the simulation blocked in FUTEX_WAIT")
	// It blocks in slices of checkEvery (10 ms) to check its peer: about
	// delay/checkEvery calls, not one per yield or sleep.
	assert.LessOrEqual(t, sim.conn.blocks, int(delay/checkEvery)+3)
	assert.Equal(t, uint32(0), header32(sim.conn, ngSleepers))
}

// TestNoFutexWithoutPeerWake: a peer that does not set its bit (netgym's
// Python side, a netgym build before the wakers word, ns3-ai's peers)
// never wakes anyone, so this side polls (spin, yield, sleep) as before
// and never blocks.
func TestNoFutexWithoutPeerWake(t *testing.T) {
	sim, agent := transportPair(t)
	atomic.AndUint32(sim.conn.wakers, ^wakeBit(Agent)) // the agent does not wake
	require.False(t, sim.conn.peerWakes())
	done := make(chan error, 1)
	go func() {
		msg, err := agent.Recv(nil, time.Time{})
		if err == nil {
			time.Sleep(5 * time.Millisecond)
			err = agent.Send(msg, time.Time{})
		}
		done <- err
	}()
	time.Sleep(5 * time.Millisecond) // the agent waits longer than its spin
	require.NoError(t, sim.Send([]byte("x"), time.Time{}))
	msg, err := sim.Recv(nil, time.Time{})
	require.NoError(t, err)
	require.NoError(t, <-done)
	assert.Equal(t, "x", string(msg))
	assert.Zero(t, sim.conn.blocks)
	assert.Positive(t, agent.conn.blocks, "the agent still blocks: the simulation wakes it")
}

// TestFutexTimeoutAndPeerGone: a blocked side still gives up at its
// deadline, and notices at once a peer that closes (Close clears the bit
// and wakes it).
func TestFutexTimeoutAndPeerGone(t *testing.T) {
	sim, agent := transportPair(t)
	require.NoError(t, sim.Send([]byte("x"), time.Time{}))
	t0 := time.Now()
	_, err := sim.Recv(nil, time.Now().Add(30*time.Millisecond))
	require.ErrorIs(t, err, ErrTimeout)
	assert.GreaterOrEqual(t, time.Since(t0), 30*time.Millisecond)
	assert.Positive(t, sim.conn.blocks)

	// A fresh pair: the agent closes (removing the segment) while the
	// simulation sleeps.
	sim, agent = transportPair(t)
	go func() {
		time.Sleep(20 * time.Millisecond)
		_ = agent.Close()
	}()
	_, err = sim.Recv(nil, time.Now().Add(5*time.Second))
	require.ErrorIs(t, err, ErrPeerGone)
}

// TestBoostSegmentNeverBlocks: on a Boost.Interprocess segment (ns3-ai's
// own peers, which only spin) there are no wakers: this side polls.
func TestBoostSegmentNeverBlocks(t *testing.T) {
	o := installSegment(t, fixture(t, "boost174-amd64-stru.seg"))
	o.Timeout = 20 * time.Millisecond
	o.HandleFinish = true
	sim, err := OpenStruct[APBEnv, APBAct](o, Simulation)
	require.NoError(t, err)
	require.Nil(t, sim.Conn.wakers)
	require.False(t, sim.Conn.peerWakes())
	require.NoError(t, sim.SendBegin())
	require.NoError(t, sim.SendEnd())
	require.ErrorIs(t, sim.RecvBegin(), ErrTimeout)
	assert.Zero(t, sim.Conn.blocks)
}
