package channelif

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

// TestSimBackendMaxAdvance: a flush that would advance the simulation by
// more than MaxAdvance is refused, names the limit and advances nothing; a
// flush within it runs as before.
func TestSimBackendMaxAdvance(t *testing.T) {
	spec := lineSpec(0) // 10 ms steps, step 0 starts at 100 ms
	spec.MaxAdvance = sim.Second
	b, err := NewSimBackend(&lineBuilder{spec: spec}, 1, 1)
	require.NoError(t, err)
	start := b.Now()

	_, err = b.Flush(100) // ends 1.01 s after now
	require.EqualError(t, err, "line: step 100 ends 1.01s ahead of the simulation (now 100ms), more than the 1s one command may advance (max advance)")
	assert.Equal(t, start, b.Now(), "a refused flush advances nothing")
	require.ErrorContains(t, b.CheckStep(100, 0), "max advance")

	_, err = b.Flush(99) // exactly 1 s
	require.NoError(t, err)
	assert.Equal(t, start+sim.Second, b.Now())
	_, err = b.Flush(199) // 1 s more
	require.NoError(t, err)
	_, err = b.Flush(0) // a past step never advances, whatever the limit
	require.NoError(t, err)

	// The default is 10 minutes.
	def, err := NewSimBackend(&lineBuilder{spec: lineSpec(0)}, 1, 1)
	require.NoError(t, err)
	assert.Equal(t, DefaultMaxAdvance, def.Spec().Advance())
	_, err = def.Flush(60_000) // 600.01 s
	require.ErrorContains(t, err, "ends 10m0.01s ahead of the simulation (now 100ms), more than the 10m0s one command may advance")
	_, err = def.Flush(59_999) // 600 s
	require.NoError(t, err)
}

// TestSimBackendHorizon: no step may end beyond MaxSimTime, so that timers
// set from within a step always fit sim.Time.
func TestSimBackendHorizon(t *testing.T) {
	spec := lineSpec(0)
	spec.StepDuration = 10 * 60 * sim.Second
	b, err := NewSimBackend(&lineBuilder{spec: spec}, 1, 1)
	require.NoError(t, err)
	// Step 8 000 000 ends after 4.8e9 s, past the 4.6e9 s horizon.
	require.EqualError(t, b.Transmit(0, 8_000_000, 64), "line: step 8000000 reaches 4.8e+09 s of simulated time, beyond the 4.612e+09 s a backend simulates")
	_, err = b.Flush(8_000_000)
	require.ErrorContains(t, err, "beyond the 4.612e+09 s a backend simulates")
	assert.Zero(t, b.Waiting())
}

// TestSimBackendMaxPending: packets waiting for their send time are
// bounded; flushing their steps frees room.
func TestSimBackendMaxPending(t *testing.T) {
	spec := lineSpec(2)
	spec.MaxPending = 3
	lb := &lineBuilder{spec: spec}
	b, err := NewSimBackend(lb, 1, 1)
	require.NoError(t, err)
	for step := range uint32(3) {
		require.NoError(t, b.Transmit(0, 10+step, 64))
	}
	assert.Equal(t, 3, b.Waiting())
	require.EqualError(t, b.Transmit(1, 20, 64), "line: 3 packets already wait for steps not flushed yet, the most a backend holds (max pending); flush those steps first")
	require.ErrorContains(t, b.CheckStep(5, 1), "max pending")
	require.NoError(t, b.CheckStep(5, 0), "a STEP that sends nothing needs no room")
	assert.Equal(t, 3, b.Waiting())

	_, err = b.Flush(10) // step 10's packet leaves
	require.NoError(t, err)
	assert.Equal(t, 2, b.Waiting())
	require.NoError(t, b.Transmit(1, 20, 64))
	require.NoError(t, b.Reset())
	assert.Zero(t, b.Waiting(), "a reset drops the waiting packets")
	assert.Equal(t, DefaultMaxPending, lineSpec(0).Pending())
}

// TestServeStepRefusedSendsNothing: a STEP refused for a backend limit is
// answered with ERROR before any of its packets is scheduled.
func TestServeStepRefusedSendsNothing(t *testing.T) {
	spec := lineSpec(3)
	spec.MaxPending = 4
	spec.MaxAdvance = sim.Second
	lb := &lineBuilder{spec: spec}
	b, err := NewSimBackend(lb, 1, 1)
	require.NoError(t, err)
	in := "TRANSMIT 0 50\nTRANSMIT 1 50\nSTEP 0\nSTEP 500\nSTEP 1 0 64 0\nQUIT\n"
	replies := serve(t, b, in, ServeOptions{})
	assert.Equal(t, []string{
		"OK", "OK",
		"ERROR line: 4 packets already wait for steps not flushed yet, the most a backend holds (max pending); flush those steps first",
		"ERROR line: step 500 ends 5.01s ahead of the simulation (now 100ms), more than the 1s one command may advance (max advance)",
		"RECV 1:1", // one packet, sent 50% into step 1, arrives 1 ms later
	}, replies)
	assert.Equal(t, 2, b.Waiting(), "the TRANSMITs for step 50")
	require.Len(t, lb.sent, 1)
	assert.Equal(t, sentRecord{ue: 1, size: 64, at: 115 * sim.Millisecond, run: 1}, lb.sent[0])
}

// TestNormalSteppingUnaffectedByLimits: the same session gives the same
// replies with the default limits and with limits far above anything used.
func TestNormalSteppingUnaffectedByLimits(t *testing.T) {
	var in strings.Builder
	for step := range 500 {
		fmt.Fprintf(&in, "STEP %d\n", step)
		if step%7 == 0 {
			fmt.Fprintf(&in, "TRANSMIT 1 %d 9\n", step+3)
		}
	}
	session := func(spec Spec) []string {
		lb := &lineBuilder{spec: spec}
		lb.delay = func(ue, size int) sim.Time { return sim.Time(3+ue*12) * sim.Millisecond }
		b, err := NewSimBackend(lb, 1, 1)
		require.NoError(t, err)
		return serve(t, b, in.String(), ServeOptions{})
	}
	loose := lineSpec(2)
	loose.MaxAdvance, loose.MaxPending = sim.MaxTime, 1<<40
	def := session(lineSpec(2))
	assert.Equal(t, session(loose), def)
	assert.Len(t, def, 500+72)
	assert.NotContains(t, strings.Join(def, "\n"), "ERROR")
}

// TestPerfectChannelFlushIsNotQuadratic: with n ids pending for far steps,
// stepping through n steps examines O(n) heap entries, where a scan of the
// pending ids at every flush examined n per step (n^2 in all).
func TestPerfectChannelFlushIsNotQuadratic(t *testing.T) {
	const n = 60_000
	c := NewPerfectChannel()
	for i := range uint32(n) {
		require.NoError(t, c.Transmit(1_000_000+i, 64))
	}
	for step := range uint32(n) {
		require.NoError(t, c.Transmit(step, 64))
		got, err := c.Flush(step)
		require.NoError(t, err)
		require.Equal(t, []uint32{step}, got)
	}
	assert.Equal(t, n, c.Pending())
	assert.LessOrEqual(t, c.examined, uint64(2*n), "entries examined by %d flushes", n)
	// The far ids come back in transmission order.
	got, err := c.Flush(2_000_000)
	require.NoError(t, err)
	require.Len(t, got, n)
	assert.Equal(t, uint32(1_000_000), got[0])
	assert.Equal(t, uint32(1_000_000+n-1), got[n-1])
}

func TestPerfectChannelKeepsTransmissionOrder(t *testing.T) {
	c := NewPerfectChannel()
	for _, s := range []uint32{5, 3, 9, 3, 1, 7, 5} {
		require.NoError(t, c.Transmit(s, 0))
	}
	got, err := c.Flush(5)
	require.NoError(t, err)
	assert.Equal(t, []uint32{5, 3, 3, 1, 5}, got)
	got, err = c.Flush(100)
	require.NoError(t, err)
	assert.Equal(t, []uint32{9, 7}, got)
}

// TestPendingIsBounded: every channel refuses packets beyond
// DefaultMaxPending and its memory stops growing there.
func TestPendingIsBounded(t *testing.T) {
	ge, err := NewGEChannel(GEConfig{Seed: 1}) // lossless
	require.NoError(t, err)
	chans := map[string]interface {
		CommChannel
		Pending() int
	}{"perfect": NewPerfectChannel(), "ge": ge}
	for name, c := range chans {
		t.Run(name, func(t *testing.T) {
			for i := range DefaultMaxPending {
				require.NoError(t, c.Transmit(uint32(1000+i), 64))
			}
			for range 1000 {
				err := c.Transmit(7, 64)
				require.ErrorContains(t, err, "65536 packets already")
				require.ErrorContains(t, err, "(max pending)")
			}
			assert.Equal(t, DefaultMaxPending, c.Pending())
			got, err := c.Flush(1000 + 9)
			require.NoError(t, err)
			assert.Len(t, got, 10)
			require.NoError(t, c.Transmit(7, 64), "flushing frees room")
		})
	}
	b, err := NewChannelBackend(NewPerfectChannel(), DefaultChannelBackendConfig())
	require.NoError(t, err)
	var in strings.Builder
	for i := range DefaultMaxPending + 1 {
		fmt.Fprintf(&in, "TRANSMIT %d\n", 5000+i)
	}
	in.WriteString("STEP 10\n")
	replies := serve(t, b, in.String(), ServeOptions{})
	require.Len(t, replies, DefaultMaxPending+2)
	assert.Equal(t, "ERROR perfect channel: 65536 packets already pending, the most a channel holds (max pending); flush their steps first", replies[DefaultMaxPending])
	assert.Equal(t, "ERROR perfect channel: 65536 packets already pending, the most a channel holds (max pending); flush their steps first", replies[DefaultMaxPending+1])
}

// TestZeroValuesReturnErrors: channels and backends not made by their
// constructors, and Serve without streams, return errors instead of
// panicking.
func TestZeroValuesReturnErrors(t *testing.T) {
	var nilBackend *SimBackend
	chans := map[string]CommChannel{
		"SimChannel": &SimChannel{}, "UEChannel": &UEChannel{}, "GEChannel": &GEChannel{},
		"nil SimChannel": (*SimChannel)(nil), "nil GEChannel": (*GEChannel)(nil),
	}
	for name, c := range chans {
		require.ErrorIs(t, c.Transmit(0, 64), ErrNotInitialized, name)
		_, err := c.Flush(0)
		require.ErrorIs(t, err, ErrNotInitialized, name)
		require.ErrorIs(t, c.Reset(), ErrNotInitialized, name)
	}
	backends := map[string]Backend{"SimBackend": &SimBackend{}, "nil SimBackend": nilBackend, "ChannelBackend": &ChannelBackend{}}
	for name, b := range backends {
		require.ErrorIs(t, b.Transmit(0, 0, 64), ErrNotInitialized, name)
		_, err := b.Flush(0)
		require.ErrorIs(t, err, ErrNotInitialized, name)
		require.ErrorIs(t, b.Reset(), ErrNotInitialized, name)
		assert.Zero(t, b.NumUEs()+b.MaxPacketSize()+b.DefaultPacketSize(), name)
		replies := serve(t, b, "STEP 0\nRESET\n", ServeOptions{})
		assert.Equal(t, []string{"ERROR " + ErrNotInitialized.Error(), "ERROR " + ErrNotInitialized.Error()}, replies, name)
	}
	zero := &SimBackend{}
	assert.Zero(t, zero.Now())
	assert.Zero(t, zero.Run())
	assert.Nil(t, zero.Simulator())
	assert.Nil(t, zero.Scenario())
	assert.Nil(t, zero.Views())
	assert.Zero(t, zero.InFlight()+zero.Waiting())
	_, err := zero.UE(0)
	require.ErrorIs(t, err, ErrNotInitialized)
	_, err = zero.Factory()(1)
	require.ErrorIs(t, err, ErrNotInitialized)
	require.ErrorIs(t, zero.CheckStep(0, 1), ErrNotInitialized)
	assert.Nil(t, (&SimChannel{}).Backend())

	var out bytes.Buffer
	require.EqualError(t, Serve(nil, &out, single(), ServeOptions{}), "serve: nil reader")
	require.EqualError(t, Serve(strings.NewReader("FLUSH 1\n"), nil, single(), ServeOptions{}), "serve: nil writer")
	require.EqualError(t, Serve(strings.NewReader(""), &out, nil, ServeOptions{}), "serve: nil backend")
}

// TestServeRepliesBeforeDiagnostics: OnError runs after the ERROR reply is
// written and flushed, so a diagnostic that blocks or fails cannot hold
// the reply back.
func TestServeRepliesBeforeDiagnostics(t *testing.T) {
	var out bytes.Buffer
	var seen []string
	err := Serve(strings.NewReader("FOO\nFLUSH 1\nBAR\n"), &out, single(), ServeOptions{
		OnError: func(line string, err error) { seen = append(seen, out.String()) },
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"ERROR unknown command: FOO\n", "ERROR unknown command: FOO\nRECV\nERROR unknown command: BAR\n"}, seen)

	// A reply that cannot be written is still reported to OnError.
	var reported int
	err = Serve(strings.NewReader("FOO\n"), failingWriter{}, single(), ServeOptions{
		OnError: func(string, error) { reported++ },
	})
	require.EqualError(t, err, "pipe closed")
	assert.Equal(t, 1, reported)
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("pipe closed") }
