package channelif

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

// lineBuilder is a toy technology: UE u's packet of size bytes arrives
// delay(u, size) after it is sent, or never when that is negative. It
// records what the core asked of it.
type lineBuilder struct {
	spec Spec
	// delay returns a packet's delay; nil means 1 ms for everyone.
	delay func(ue, size int) sim.Time
	// readyAt is when the scenario becomes Ready (0: at once).
	readyAt sim.Time
	// failRun makes Build fail for this run number (0: never).
	failRun uint64
	// failSend makes Send fail for packets of this size (0: never).
	failSend int
	// foreign makes the scenario deliver packets the core did not send
	// at every send, before and (when the delay is 0) after the real one.
	foreign bool

	builds []Episode
	sent   []sentRecord
}

type sentRecord struct {
	ue, size int
	at       sim.Time
	run      uint64
}

func (l *lineBuilder) Spec() Spec { return l.spec }

func (l *lineBuilder) Build(ep Episode) (Scenario, error) {
	l.builds = append(l.builds, ep)
	if l.failRun != 0 && ep.Run == l.failRun {
		return nil, errors.New("line: cannot build")
	}
	sc := &lineScenario{b: l, ep: ep, nextUID: 1000}
	// Traffic of the scenario's own during the warm-up: its uids collide
	// with the core's on purpose, and must be ignored.
	ep.Sim.ScheduleAt(ep.Sim.Now()+sim.Millisecond, func() { ep.Received(1000) })
	return sc, nil
}

type lineScenario struct {
	b       *lineBuilder
	ep      Episode
	nextUID uint64
}

func (s *lineScenario) Send(ue, size int) (uint64, error) {
	if s.b.failSend != 0 && size == s.b.failSend {
		return 0, errors.New("line: refused")
	}
	uid := s.nextUID
	s.nextUID++
	s.b.sent = append(s.b.sent, sentRecord{ue: ue, size: size, at: s.ep.Sim.Now(), run: s.ep.Run})
	if s.b.foreign {
		s.ep.Received(1 << 40)
	}
	d := sim.Millisecond
	if s.b.delay != nil {
		d = s.b.delay(ue, size)
	}
	switch {
	case d == 0:
		s.ep.Received(uid) // delivered before Send returns
		if s.b.foreign {
			s.ep.Received(1 << 41)
		}
	case d > 0:
		s.ep.Sim.ScheduleAt(s.ep.Sim.Now()+d, func() { s.ep.Received(uid) })
	}
	return uid, nil
}

func (s *lineScenario) Ready() bool { return s.ep.Sim.Now() >= s.b.readyAt }

func lineSpec(n int) Spec {
	return Spec{Name: "line", NumUEs: n, StepDuration: 10 * sim.Millisecond, SendOffset: 0.5,
		Warmup: 100 * sim.Millisecond, MaxPacketSize: 1000, DefaultPacketSize: 64}
}

func TestSpecValidate(t *testing.T) {
	require.NoError(t, lineSpec(0).Validate())
	require.NoError(t, lineSpec(MaxNumUEs).Validate())
	tests := []struct {
		name   string
		mutate func(*Spec)
		msg    string
	}{
		{"negative UEs", func(s *Spec) { s.NumUEs = -1 }, "line: NumUEs=-1 out of range [0,65535]"},
		{"too many UEs", func(s *Spec) { s.NumUEs = MaxNumUEs + 1 }, "line: NumUEs=65536 out of range [0,65535]"},
		{"zero step", func(s *Spec) { s.StepDuration = 0 }, "line: StepDuration=0s must be > 0"},
		{"offset 1", func(s *Spec) { s.SendOffset = 1 }, "line: SendOffset=1 must be in [0, 1)"},
		{"negative warm-up", func(s *Spec) { s.Warmup = -1 }, "line: Warmup=-1ns out of range [0, 4.612e+09 s]"},
		{"negative max warm-up", func(s *Spec) { s.MaxWarmup = -1 }, "line: MaxWarmup=-1ns out of range [0, 4.612e+09 s]"},
		{"warm-up beyond the horizon", func(s *Spec) { s.Warmup = MaxSimTime + 1 }, "line: Warmup=1281023h53m38.427387904s out of range [0, 4.612e+09 s]"},
		{"negative max advance", func(s *Spec) { s.MaxAdvance = -1 }, "line: MaxAdvance=-1ns must be >= 0 (0: 10m0s)"},
		{"step above max advance", func(s *Spec) { s.MaxAdvance = sim.Millisecond / 2 }, "line: StepDuration=10ms exceeds MaxAdvance=500µs, the most one flush may advance"},
		{"step above default max advance", func(s *Spec) { s.StepDuration = DefaultMaxAdvance + 1 }, "line: StepDuration=10m0.000000001s exceeds MaxAdvance=10m0s, the most one flush may advance"},
		{"negative max pending", func(s *Spec) { s.MaxPending = -1 }, "line: MaxPending=-1 must be >= 0 (0: 65536)"},
		{"negative max size", func(s *Spec) { s.MaxPacketSize = -1 }, "line: MaxPacketSize=-1 out of range [0,2147483647]"},
		{"negative default", func(s *Spec) { s.DefaultPacketSize = -1 }, "line: DefaultPacketSize=-1 out of range [0,2147483647]"},
		{"default above max", func(s *Spec) { s.DefaultPacketSize = 1001 }, "line: DefaultPacketSize=1001 exceeds MaxPacketSize=1000"},
		{"unnamed", func(s *Spec) { s.Name, s.StepDuration = "", 0 }, "backend: StepDuration=0s must be > 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := lineSpec(0)
			tt.mutate(&s)
			require.EqualError(t, s.Validate(), tt.msg)
			_, err := NewSimBackend(&lineBuilder{spec: s}, 1, 1)
			require.EqualError(t, err, tt.msg)
		})
	}
	assert.Equal(t, 4, lineSpec(0).IDFieldSize())
	assert.Equal(t, 8, lineSpec(1).IDFieldSize())
}

func TestSimBackendBuildsEpisodes(t *testing.T) {
	lb := &lineBuilder{spec: lineSpec(2)}
	b, err := NewSimBackend(lb, 7, 3)
	require.NoError(t, err)
	require.Len(t, lb.builds, 1)
	ep := lb.builds[0]
	assert.Equal(t, uint64(7), ep.Seed)
	assert.Equal(t, uint64(3), ep.Run)
	assert.Same(t, ep.Sim, b.Simulator())
	assert.Equal(t, uint64(3), ep.Sim.RunNumber())
	assert.Equal(t, 100*sim.Millisecond, b.Now(), "the core ran the warm-up")
	assert.Equal(t, 100*sim.Millisecond, b.Clock().Start())
	assert.Equal(t, uint64(7), b.Seed())
	assert.Equal(t, uint64(3), b.Run())
	assert.Equal(t, 2, b.NumUEs())
	assert.Equal(t, 1000, b.MaxPacketSize())
	assert.Equal(t, 64, b.DefaultPacketSize())
	assert.Equal(t, lineSpec(2), b.Spec())
	assert.IsType(t, &lineScenario{}, b.Scenario())

	require.NoError(t, b.Reset())
	require.Len(t, lb.builds, 2)
	assert.Equal(t, uint64(4), lb.builds[1].Run)
	assert.Equal(t, uint64(4), b.Run())
	assert.Same(t, lb.builds[1].Sim, b.Simulator())
	assert.Equal(t, 100*sim.Millisecond, b.Now())
}

// TestSimBackendStepping: send times follow the step clock, ids come back
// keyed by uid in receive order, the id field is the floor of a payload,
// and the scenario's own warm-up traffic (uid 1000, the uid of the first
// packet) is not reported.
func TestSimBackendStepping(t *testing.T) {
	lb := &lineBuilder{spec: lineSpec(2)}
	lb.delay = func(ue, size int) sim.Time { return sim.Time(7+10*ue) * sim.Millisecond }
	b, err := NewSimBackend(lb, 1, 1)
	require.NoError(t, err)
	ms := sim.Millisecond
	require.NoError(t, b.Transmit(1, 0, 3))
	require.NoError(t, b.Transmit(0, 0, 100))
	arr, err := b.Flush(0)
	require.NoError(t, err)
	assert.Empty(t, arr, "UE 0's packet arrives at 112 ms, UE 1's at 122 ms, after step 0's window")
	assert.Equal(t, 2, b.InFlight())
	arr, err = b.Flush(1)
	require.NoError(t, err)
	assert.Equal(t, []Arrival{{UE: 0, Step: 0}}, arr)
	arr, err = b.Flush(2)
	require.NoError(t, err)
	assert.Equal(t, []Arrival{{UE: 1, Step: 0}}, arr)
	assert.Zero(t, b.InFlight())
	assert.Equal(t, []sentRecord{{1, 8, 105 * ms, 1}, {0, 100, 105 * ms, 1}}, lb.sent,
		"sent 50% into step 0, in Transmit order; 3 bytes become the 8-byte id field")

	// A late step goes 1 ns from now.
	require.NoError(t, b.Transmit(0, 1, 64))
	_, err = b.Flush(3)
	require.NoError(t, err)
	assert.Equal(t, 130*ms+1, lb.sent[2].at)

	// A flush of a past step runs nothing.
	now := b.Now()
	arr, err = b.Flush(0)
	require.NoError(t, err)
	assert.Empty(t, arr)
	assert.Equal(t, now, b.Now())
}

func TestSimBackendTransmitErrors(t *testing.T) {
	multi, err := NewSimBackend(&lineBuilder{spec: lineSpec(2)}, 1, 1)
	require.NoError(t, err)
	single, err := NewSimBackend(&lineBuilder{spec: lineSpec(0)}, 1, 1)
	require.NoError(t, err)
	unlimited := lineSpec(0)
	unlimited.MaxPacketSize = 0
	free, err := NewSimBackend(&lineBuilder{spec: unlimited}, 1, 1)
	require.NoError(t, err)
	long := lineSpec(0)
	long.StepDuration = 10 * sim.Second
	slow, err := NewSimBackend(&lineBuilder{spec: long}, 1, 1)
	require.NoError(t, err)
	tests := []struct {
		b       *SimBackend
		ue      int
		step    uint32
		size    int
		message string
	}{
		{multi, 2, 0, 64, "ue_id 2 out of range [0,2)"},
		{multi, -1, 0, 64, "ue_id -1 out of range [0,2)"},
		{single, 1, 0, 64, "ue_id 1 out of range: single-UE backend"},
		{single, 0, 0, -1, "line: size -1 out of range [0,1000]"},
		{single, 0, 0, 1001, "line: size 1001 out of range [0,1000]"},
		{free, 0, 0, -1, "line: size -1 must be >= 0"},
		{slow, 0, 4_294_967_295, 64, "step 4294967295 ends beyond the largest simulated time"},
	}
	for _, tt := range tests {
		require.ErrorContains(t, tt.b.Transmit(tt.ue, tt.step, tt.size), tt.message)
	}
	require.NoError(t, free.Transmit(0, 0, 1<<20))
}

// TestSimBackendSynchronousDelivery: a packet the receiver reports before
// Send returns (a zero-delay path) still arrives, once.
func TestSimBackendSynchronousDelivery(t *testing.T) {
	lb := &lineBuilder{spec: lineSpec(0), foreign: true}
	lb.delay = func(int, int) sim.Time { return 0 }
	ch, err := NewSimChannel(lb, 1, 1)
	require.NoError(t, err)
	for step := range uint32(3) {
		require.NoError(t, ch.Transmit(step, 64))
		ids, err := ch.Flush(step)
		require.NoError(t, err)
		assert.Equal(t, []uint32{step}, ids)
	}
	assert.Zero(t, ch.Backend().InFlight())
}

func TestSimBackendSendErrorsAreCounted(t *testing.T) {
	lb := &lineBuilder{spec: lineSpec(0), failSend: 99}
	ch, err := NewSimChannel(lb, 1, 1)
	require.NoError(t, err)
	require.NoError(t, ch.Transmit(0, 99))
	require.NoError(t, ch.Transmit(0, 64))
	ids, err := ch.Flush(0)
	require.NoError(t, err)
	assert.Equal(t, []uint32{0}, ids)
	assert.Equal(t, uint64(1), ch.Backend().SendErrors())
	assert.Zero(t, ch.Backend().InFlight())
}

// TestSimBackendWarmupUntilReady: with MaxWarmup the warm-up goes on one
// step at a time until the scenario is ready; without it, or past it, an
// unready scenario fails to build.
func TestSimBackendWarmupUntilReady(t *testing.T) {
	ms := sim.Millisecond
	tests := []struct {
		name      string
		readyAt   sim.Time
		maxWarmup sim.Time
		start     sim.Time
		err       string
	}{
		{"ready at once", 0, 0, 100 * ms, ""},
		{"ready at the warm-up's end", 100 * ms, 0, 100 * ms, ""},
		{"not ready, no extension", 101 * ms, 0, 0, "line: not ready after a warm-up of 100ms"},
		{"extended by whole steps", 125 * ms, 500 * ms, 130 * ms, ""},
		{"last slice cut at the maximum", 125 * ms, 125 * ms, 125 * ms, ""},
		{"never ready", sim.Second, 125 * ms, 0, "line: not ready after a warm-up of 125ms"},
		{"maximum below the warm-up", 101 * ms, 50 * ms, 0, "line: not ready after a warm-up of 100ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := lineSpec(0)
			spec.MaxWarmup = tt.maxWarmup
			b, err := NewSimBackend(&lineBuilder{spec: spec, readyAt: tt.readyAt}, 1, 1)
			if tt.err != "" {
				require.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.start, b.Clock().Start())
			assert.Equal(t, tt.start, b.Now())
		})
	}
}

// TestSimBackendFailedResetKeepsTheEpisode: a Reset whose build fails
// leaves the current episode, its run number and its packets in place; the
// next Reset tries the same run again.
func TestSimBackendFailedResetKeepsTheEpisode(t *testing.T) {
	lb := &lineBuilder{spec: lineSpec(0), failRun: 2}
	lb.delay = func(int, int) sim.Time { return 10 * sim.Millisecond }
	ch, err := NewSimChannel(lb, 1, 1)
	require.NoError(t, err)
	require.NoError(t, ch.Transmit(0, 64))
	ids, err := ch.Flush(0)
	require.NoError(t, err)
	assert.Empty(t, ids)
	require.EqualError(t, ch.Reset(), "line: cannot build")
	assert.Equal(t, uint64(1), ch.Run())
	ids, err = ch.Flush(1)
	require.NoError(t, err)
	assert.Equal(t, []uint32{0}, ids, "the packet in flight still arrives")
	lb.failRun = 0
	require.NoError(t, ch.Reset())
	assert.Equal(t, uint64(2), ch.Run())
	assert.Equal(t, 100*sim.Millisecond, ch.Now())
	assert.Equal(t, 100*sim.Millisecond, ch.Clock().Start())
}

// TestSimBackendResetForgetsPackets: packets of the old episode never
// arrive in the new one.
func TestSimBackendResetForgetsPackets(t *testing.T) {
	ch, err := NewSimChannel(&lineBuilder{spec: lineSpec(0)}, 1, 1)
	require.NoError(t, err)
	require.NoError(t, ch.Transmit(0, 64))
	require.NoError(t, ch.Reset())
	assert.Zero(t, ch.Backend().InFlight())
	ids, err := ch.Flush(5)
	require.NoError(t, err)
	assert.Empty(t, ids)
}

func TestSimBackendConstructorErrors(t *testing.T) {
	_, err := NewSimBackend(nil, 1, 1)
	require.EqualError(t, err, "sim backend: nil builder")
	_, err = NewSimChannel(nil, 1, 1)
	require.EqualError(t, err, "sim backend: nil builder")
	_, err = NewSimChannel(&lineBuilder{spec: lineSpec(2)}, 1, 1)
	require.EqualError(t, err, `sim channel: builder "line" has 2 UEs: use NewSimBackend and its UE views`)
	_, err = NewSimBackend(&lineBuilder{spec: lineSpec(0), failRun: 1}, 1, 1)
	require.EqualError(t, err, "line: cannot build")
	_, err = NewSimBackend(nilBuilder{}, 1, 1)
	require.EqualError(t, err, "line: builder returned a nil scenario")
}

type nilBuilder struct{}

func (nilBuilder) Spec() Spec                      { return lineSpec(0) }
func (nilBuilder) Build(Episode) (Scenario, error) { return nil, nil }

// TestSimBackendViews: the per-UE views share one flush per step and reset
// the backend once every view asked.
func TestSimBackendViews(t *testing.T) {
	lb := &lineBuilder{spec: lineSpec(3)}
	lb.delay = func(ue, _ int) sim.Time { return sim.Time(ue) * 10 * sim.Millisecond }
	b, err := NewSimBackend(lb, 1, 1)
	require.NoError(t, err)
	views := b.Views()
	require.Len(t, views, 3)
	for i, v := range views {
		assert.Equal(t, i, v.UE())
		assert.Same(t, b, v.Backend())
		u, err := b.UE(i)
		require.NoError(t, err)
		assert.Same(t, v, u)
	}
	_, err = b.UE(3)
	require.EqualError(t, err, "ue_id 3 out of range [0,3)")
	for step := range uint32(4) {
		for _, v := range views {
			require.NoError(t, v.Transmit(step, 64))
		}
		for k := range 3 {
			v := views[(int(step)+k)%3]
			ids, err := v.Flush(step)
			require.NoError(t, err)
			// UE u's packet takes u steps (the delay is u*10 ms from the
			// middle of the step, so it arrives in step+u).
			if int(step) >= v.UE() {
				assert.Equal(t, []uint32{step - uint32(v.UE())}, ids, "step %d UE %d", step, v.UE())
			} else {
				assert.Empty(t, ids, "step %d UE %d", step, v.UE())
			}
		}
		assert.Equal(t, b.Clock().Start()+sim.Time(step+1)*10*sim.Millisecond, b.Now())
	}
	ids, err := views[0].Flush(1)
	require.NoError(t, err)
	assert.Empty(t, ids, "a flush before the cached step returns nothing")

	require.NoError(t, views[0].Reset())
	require.NoError(t, views[0].Reset())
	require.NoError(t, views[1].Reset())
	assert.Equal(t, uint64(1), b.Run())
	require.NoError(t, views[2].Reset())
	assert.Equal(t, uint64(2), b.Run())

	f := b.Factory()
	for i := range 3 {
		ch, err := f(int64(i))
		require.NoError(t, err)
		assert.Same(t, views[i], ch)
	}
	_, err = f(3)
	require.EqualError(t, err, "line: factory called for UE 3 but the backend has 3 UEs (use one node per UE)")

	single, err := NewSimBackend(&lineBuilder{spec: lineSpec(0)}, 1, 1)
	require.NoError(t, err)
	assert.Len(t, single.Views(), 1, "a single-UE backend has one view, of UE 0")
}

// TestSimBackendServe: Serve drives a SimBackend with the protocol's
// replies.
func TestSimBackendServe(t *testing.T) {
	lb := &lineBuilder{spec: lineSpec(2)}
	lb.delay = func(ue, _ int) sim.Time { return sim.Time(10*ue+1) * sim.Millisecond }
	b, err := NewSimBackend(lb, 1, 1)
	require.NoError(t, err)
	got := serve(t, b, "TRANSMIT 0 0\nTRANSMIT 1 0 2000\nSTEP 1 0 10\nFLUSH 2\nRESET\nSTEP 0\n", ServeOptions{Ready: true})
	assert.Equal(t, []string{
		"READY",
		"OK",
		"ERROR pkt_size 2000 exceeds the maximum of 1000 bytes (no fragmentation)",
		"RECV 0:0",
		"RECV 1:1",
		"OK",
		"RECV 0:0",
	}, got)
	assert.Equal(t, []sentRecord{{0, 64, 105 * sim.Millisecond, 1}, {1, 10, 115 * sim.Millisecond, 1},
		{0, 64, 105 * sim.Millisecond, 2}, {1, 64, 105 * sim.Millisecond, 2}}, lb.sent)
}

// TestSimChannelStepDoesNotAllocate: steady-state stepping reuses its send
// records and slices.
func TestSimChannelStepDoesNotAllocate(t *testing.T) {
	lb := &lineBuilder{spec: lineSpec(0)}
	lb.delay = func(int, int) sim.Time { return 0 }
	ch, err := NewSimChannel(lb, 1, 1)
	require.NoError(t, err)
	step := uint32(0)
	run := func() {
		if err := ch.Transmit(step, 64); err != nil {
			t.Fatal(err)
		}
		if _, err := ch.Flush(step); err != nil {
			t.Fatal(err)
		}
		step++
	}
	for range 100 {
		run()
	}
	lb.sent = make([]sentRecord, 0, 10000)
	assert.Zero(t, testing.AllocsPerRun(1000, run))
}
