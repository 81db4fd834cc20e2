package channelif

import (
	"errors"
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// SimBackend is the generic NetRL backend over a simulated technology: it
// steps the scenarios a Builder makes with NetRL's rules, written once for
// every technology.
//
//   - Step t occupies [start + t*d, start + (t+1)*d) of simulated time, d
//     the Spec's StepDuration and start the end of the warm-up (StepClock).
//   - Transmit schedules a packet at its step's send time (SendOffset into
//     the step, or 1 ns from now if that has passed); when it fires, the
//     scenario's Send sends max(size, id field) payload bytes and the id
//     (UE, step) is kept on the Go side, keyed by the packet's uid, while
//     the packet is in flight: only sizes and uids travel through the
//     simulation.
//   - Flush runs the simulation to the end of the step's window and
//     returns the ids the receiver reported meanwhile, in receive order.
//   - Reset rebuilds the scenario, warm-up included, with the next run
//     number: episodes differ while a session replays identically.
//
// SimBackend implements Backend for Serve, and hands out per-UE CommChannel
// views (UE, Views, Factory) for CentralNode, as NetRL's Python does with
// its multi-UE backend. All simulation state persists between calls. Not
// safe for concurrent use.
type SimBackend struct {
	builder  Builder
	spec     Spec
	idField  int
	seed     uint64
	cur      *episode
	arrivals []Arrival
	sendFn   func(any)
	sends    packet.FreeList[scheduledSend]
	// Packets the receiver reports while Send is still running (a
	// synchronous delivery) are matched once Send returns the uid.
	sending    bool
	early      []uint64
	sendErrors uint64
	// waiting counts the scheduled sends that have not fired yet, bounded
	// by maxPending; maxAdvance bounds one Flush.
	waiting    int
	maxPending int
	maxAdvance sim.Time

	// Per-UE views (NetRL's NS3WifiUEChannel) and their coordination.
	views       []*UEChannel
	lastFlushed int64 // step of the views' cached flush, -1 for none
	resetMarks  int   // views that asked for a reset since the last one
}

// episode is one built scenario and its bookkeeping.
type episode struct {
	run      uint64
	s        *sim.Simulator
	clock    StepClock
	sc       Scenario
	inFlight inFlight[Arrival]
}

// scheduledSend is a Transmit waiting for its send time, recycled through
// a free list.
type scheduledSend struct {
	ue   int
	step uint32
	size int
}

// NewSimBackend validates b's Spec, builds the first episode with (seed,
// run) and runs its warm-up.
func NewSimBackend(b Builder, seed, run uint64) (*SimBackend, error) {
	if b == nil {
		return nil, errors.New("sim backend: nil builder")
	}
	spec := b.Spec()
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	be := &SimBackend{builder: b, spec: spec, idField: spec.IDFieldSize(), seed: seed, lastFlushed: -1,
		maxPending: spec.Pending(), maxAdvance: spec.Advance()}
	be.sendFn = be.send
	be.views = make([]*UEChannel, max(spec.NumUEs, 1))
	for i := range be.views {
		be.views[i] = &UEChannel{b: be, ue: i}
	}
	ep, err := be.build(run)
	if err != nil {
		return nil, err
	}
	be.cur = ep
	return be, nil
}

// build makes and warms up the episode of run; the backend's current
// episode is untouched, so a failed build leaves it in place.
func (b *SimBackend) build(run uint64) (*episode, error) {
	ep := &episode{run: run, s: sim.New(b.seed, run)}
	ep.inFlight.reset()
	sc, err := b.builder.Build(Episode{Seed: b.seed, Run: run, Sim: ep.s,
		Received: func(uid uint64) { b.received(ep, uid) }})
	if err != nil {
		return nil, err
	}
	if sc == nil {
		return nil, fmt.Errorf("%s: %w", b.name(), errNilScenario)
	}
	start, err := b.warmUp(ep.s, sc)
	if err != nil {
		return nil, err
	}
	clock, err := NewStepClock(start, b.spec.StepDuration, b.spec.SendOffset)
	if err != nil {
		return nil, err
	}
	ep.clock, ep.sc = clock, sc
	return ep, nil
}

// warmUp runs the warm-up and returns where step 0 starts.
func (b *SimBackend) warmUp(s *sim.Simulator, sc Scenario) (sim.Time, error) {
	end := b.spec.Warmup
	s.RunUntil(end)
	for !sc.Ready() {
		if end >= b.spec.MaxWarmup {
			return 0, fmt.Errorf("%s: not ready after a warm-up of %v", b.name(), end)
		}
		end += min(b.spec.StepDuration, b.spec.MaxWarmup-end)
		s.RunUntil(end)
	}
	return end, nil
}

func (b *SimBackend) name() string {
	if b.spec.Name == "" {
		return "sim backend"
	}
	return b.spec.Name
}

// received is the receive hook of episode ep.
func (b *SimBackend) received(ep *episode, uid uint64) {
	if ep != b.cur {
		return // the warm-up of an episode not yet in use
	}
	if id, ok := ep.inFlight.take(uid); ok {
		b.arrivals = append(b.arrivals, id)
		return
	}
	if b.sending {
		b.early = append(b.early, uid)
	}
}

// send fires at a packet's send time.
func (b *SimBackend) send(arg any) {
	ss := arg.(*scheduledSend)
	id, size := Arrival{UE: ss.ue, Step: ss.step}, ss.size
	b.sends.Put(ss)
	b.waiting--
	ep := b.cur
	b.sending, b.early = true, b.early[:0]
	uid, err := ep.sc.Send(id.UE, size)
	b.sending = false
	if err != nil {
		b.sendErrors++
		return
	}
	for _, u := range b.early {
		if u == uid {
			b.arrivals = append(b.arrivals, id)
			return
		}
	}
	ep.inFlight.add(uid, id, ep.s.Now())
}

// A SimBackend's accessors return zero values, and its other methods
// ErrNotInitialized, on a zero or nil backend (one not made by
// NewSimBackend).

// check returns ErrNotInitialized for a backend not made by NewSimBackend.
func (b *SimBackend) check() error {
	if b == nil || b.cur == nil {
		return ErrNotInitialized
	}
	return nil
}

// NumUEs returns 0 for a single-UE backend, else the number of UEs.
func (b *SimBackend) NumUEs() int {
	if b == nil {
		return 0
	}
	return b.spec.NumUEs
}

// MaxPacketSize returns the largest payload of one packet (0: no limit).
func (b *SimBackend) MaxPacketSize() int {
	if b == nil {
		return 0
	}
	return b.spec.MaxPacketSize
}

// DefaultPacketSize returns the payload used when a command gives none.
func (b *SimBackend) DefaultPacketSize() int {
	if b == nil {
		return 0
	}
	return b.spec.DefaultPacketSize
}

// Spec returns the builder's facts.
func (b *SimBackend) Spec() Spec {
	if b == nil {
		return Spec{}
	}
	return b.spec
}

// Seed returns the seed of every episode.
func (b *SimBackend) Seed() uint64 {
	if b == nil {
		return 0
	}
	return b.seed
}

// Run returns the run number of the current episode: the first run, plus
// one for every Reset.
func (b *SimBackend) Run() uint64 {
	if b.check() != nil {
		return 0
	}
	return b.cur.run
}

// Now returns the simulated time of the current episode.
func (b *SimBackend) Now() sim.Time {
	if b.check() != nil {
		return 0
	}
	return b.cur.s.Now()
}

// Clock returns the step clock of the current episode.
func (b *SimBackend) Clock() StepClock {
	if b.check() != nil {
		return StepClock{}
	}
	return b.cur.clock
}

// Simulator returns the simulator of the current episode (a new one after
// every Reset), e.g. to read its event count or to schedule probes.
func (b *SimBackend) Simulator() *sim.Simulator {
	if b.check() != nil {
		return nil
	}
	return b.cur.s
}

// Scenario returns the current episode's scenario, as the Builder made it
// (a new one after every Reset). Technology packages type-assert it to
// offer their own views (association state, counters).
func (b *SimBackend) Scenario() Scenario {
	if b.check() != nil {
		return nil
	}
	return b.cur.sc
}

// InFlight returns the number of packets sent and neither received nor
// forgotten yet. Packets sent more than 10 s of simulated time ago, which
// no layer can still deliver, are forgotten at a Flush once the count has
// grown past a threshold (4096 at first), not as soon as they are 10 s
// old.
func (b *SimBackend) InFlight() int {
	if b.check() != nil {
		return 0
	}
	return b.cur.inFlight.len()
}

// Waiting returns the number of packets transmitted for steps the
// simulation has not reached: scheduled, not sent yet. It never exceeds the
// Spec's MaxPending.
func (b *SimBackend) Waiting() int {
	if b.check() != nil {
		return 0
	}
	return b.waiting
}

// SendErrors returns how many packets the scenario refused to send (its
// Send returned an error) since the backend was made.
func (b *SimBackend) SendErrors() uint64 {
	if b == nil {
		return 0
	}
	return b.sendErrors
}

// Transmit schedules UE ue's packet of step (ue 0 on a single-UE backend)
// at the step's send time, or 1 ns from now if that time has passed, with a
// payload of max(size, id field) bytes. It refuses a packet beyond the
// Spec's MaxPending packets waiting for their send time, and one whose send
// time lies beyond MaxSimTime.
func (b *SimBackend) Transmit(ue int, step uint32, size int) error {
	if err := b.check(); err != nil {
		return err
	}
	if ue < 0 || ue >= len(b.views) {
		if b.spec.NumUEs == 0 {
			return fmt.Errorf("ue_id %d out of range: single-UE backend", ue)
		}
		return fmt.Errorf("ue_id %d out of range [0,%d)", ue, b.spec.NumUEs)
	}
	if size < 0 || (b.spec.MaxPacketSize > 0 && size > b.spec.MaxPacketSize) {
		if b.spec.MaxPacketSize > 0 {
			return fmt.Errorf("%s: size %d out of range [0,%d]", b.name(), size, b.spec.MaxPacketSize)
		}
		return fmt.Errorf("%s: size %d must be >= 0", b.name(), size)
	}
	if b.waiting >= b.maxPending {
		return b.pendingError()
	}
	ep := b.cur
	at, err := ep.clock.SendTime(step, ep.s.Now())
	if err != nil {
		return err
	}
	if at > MaxSimTime {
		return b.horizonError(step, at)
	}
	ss := b.sends.Get()
	*ss = scheduledSend{ue: ue, step: step, size: max(size, b.idField)}
	if _, err := ep.s.ScheduleAtWith(at, b.sendFn, ss); err != nil {
		b.sends.Put(ss)
		return err
	}
	b.waiting++
	return nil
}

func (b *SimBackend) pendingError() error {
	return fmt.Errorf("%s: %d packets already wait for steps not flushed yet, the most a backend holds (max pending); flush those steps first",
		b.name(), b.maxPending)
}

func (b *SimBackend) horizonError(step uint32, at sim.Time) error {
	return fmt.Errorf("%s: step %d reaches %.4g s of simulated time, beyond the %.4g s a backend simulates", b.name(), step, at.Seconds(), MaxSimTime.Seconds())
}

// flushEnd returns the end of step's window, or an error if flushing it
// would advance the simulation by more than the Spec's MaxAdvance or run
// beyond MaxSimTime.
func (b *SimBackend) flushEnd(step uint32) (sim.Time, error) {
	ep := b.cur
	end, err := ep.clock.FlushEnd(step)
	if err != nil {
		return 0, err
	}
	now := ep.s.Now()
	if end <= now {
		return end, nil
	}
	if end > MaxSimTime {
		return 0, b.horizonError(step, end)
	}
	if end-now > b.maxAdvance {
		return 0, fmt.Errorf("%s: step %d ends %v ahead of the simulation (now %v), more than the %v one command may advance (max advance)",
			b.name(), step, end-now, now, b.maxAdvance)
	}
	return end, nil
}

// CheckStep implements StepChecker: it reports the error that transmitting
// sends packets for step and then flushing it would meet, without doing
// either.
func (b *SimBackend) CheckStep(step uint32, sends int) error {
	if err := b.check(); err != nil {
		return err
	}
	if _, err := b.flushEnd(step); err != nil {
		return err
	}
	if sends > 0 && b.waiting+sends > b.maxPending {
		return b.pendingError()
	}
	return nil
}

// Flush runs the simulation to the end of step's window (if that is later
// than now) and returns the packets received meanwhile, in receive order.
// The slice is reused by the next call.
//
// A Flush that would advance the simulation by more than the Spec's
// MaxAdvance, or beyond MaxSimTime, returns an error and advances nothing.
func (b *SimBackend) Flush(step uint32) ([]Arrival, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	ep := b.cur
	end, err := b.flushEnd(step)
	if err != nil {
		return nil, err
	}
	b.arrivals = b.arrivals[:0]
	ep.s.RunUntil(end)
	ep.inFlight.prune(ep.s.Now())
	return b.arrivals, nil
}

// Reset rebuilds the scenario from scratch, warm-up included, with the next
// run number, so episodes differ while a session replays identically. On
// error the current episode stays in place. It also clears the views'
// flush cache and pending reset requests.
func (b *SimBackend) Reset() error {
	if err := b.check(); err != nil {
		return err
	}
	ep, err := b.build(b.cur.run + 1)
	if err != nil {
		return err
	}
	b.cur = ep
	b.waiting = 0
	b.arrivals = b.arrivals[:0]
	b.lastFlushed = -1
	b.resetMarks = 0
	for _, v := range b.views {
		v.ids = v.ids[:0]
		v.resetAsked = false
	}
	return nil
}

// UE returns the CommChannel view of UE ue.
func (b *SimBackend) UE(ue int) (*UEChannel, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	if ue < 0 || ue >= len(b.views) {
		return nil, fmt.Errorf("ue_id %d out of range [0,%d)", ue, len(b.views))
	}
	return b.views[ue], nil
}

// Views returns the CommChannel views of every UE, UE i at index i (a new
// slice of the backend's views: each UE has exactly one view). A
// single-UE backend has one view, of UE 0.
func (b *SimBackend) Views() []*UEChannel {
	if b.check() != nil {
		return nil
	}
	return append([]*UEChannel(nil), b.views...)
}

// Factory returns a ChannelFactory for CentralNode that hands out the views
// of UE 0, 1, ... in turn, as NetRL's make_multi_ue_wifi_factory: node i
// of a CentralNode with one node per UE gets UE i. The seed is ignored (the
// backend's seed drives the one shared simulation); a call beyond the last
// UE is an error. Give the CentralNode exactly one node per UE: the backend
// resets only once every UE's view has reset.
func (b *SimBackend) Factory() ChannelFactory {
	next := 0
	return func(int64) (CommChannel, error) {
		if err := b.check(); err != nil {
			return nil, err
		}
		if next >= len(b.views) {
			return nil, fmt.Errorf("%s: factory called for UE %d but the backend has %d UEs (use one node per UE)",
				b.name(), next, len(b.views))
		}
		v := b.views[next]
		next++
		return v, nil
	}
}

// flushViews is the views' shared flush (NetRL's NS3WifiMultiUEBackend.flush):
// the first call for a step advances the simulation and sorts the arrivals
// into every view's list; later calls for the same step reuse them; a step
// before the cached one returns false (nothing arrives).
func (b *SimBackend) flushViews(step uint32) (bool, error) {
	switch s := int64(step); {
	case s == b.lastFlushed:
		return true, nil
	case s < b.lastFlushed:
		return false, nil
	}
	arr, err := b.Flush(step)
	if err != nil {
		return false, err
	}
	for _, v := range b.views {
		v.ids = v.ids[:0]
	}
	for _, a := range arr {
		if a.UE >= 0 && a.UE < len(b.views) {
			v := b.views[a.UE]
			v.ids = append(v.ids, a.Step)
		}
	}
	b.lastFlushed = int64(step)
	return true, nil
}

// requestReset records view v's reset and resets the backend once every
// view asked (NetRL's request_reset).
func (b *SimBackend) requestReset(v *UEChannel) error {
	if !v.resetAsked {
		v.resetAsked = true
		b.resetMarks++
	}
	if b.resetMarks < len(b.views) {
		return nil
	}
	return b.Reset()
}

// UEChannel is the CommChannel of one UE of a SimBackend (NetRL's
// NS3WifiUEChannel): Transmit sends from its UE; the first Flush of a step
// by any view of the backend advances the shared simulation and caches the
// arrivals of every UE, and each view's Flush returns its own UE's step ids
// from that cache; a Flush of an earlier step than the cached one returns
// nothing; the backend resets once every view has called Reset (a view that
// resets twice counts once). Get views from the backend's UE, Views or
// Factory. Drive a backend either through its views or directly (Transmit,
// Flush, as Serve does), not both: a direct Flush bypasses the views' cache.
type UEChannel struct {
	b          *SimBackend
	ue         int
	ids        []uint32 // this UE's ids of the cached flush
	resetAsked bool
}

// UE returns the view's UE index.
func (c *UEChannel) UE() int {
	if c == nil {
		return 0
	}
	return c.ue
}

// Backend returns the shared backend (nil for a zero view).
func (c *UEChannel) Backend() *SimBackend {
	if c == nil {
		return nil
	}
	return c.b
}

// Transmit sends the UE's packet of step with a payload of max(size, id
// field) bytes.
func (c *UEChannel) Transmit(step uint32, size int) error {
	if c == nil || c.b == nil {
		return ErrNotInitialized
	}
	return c.b.Transmit(c.ue, step, size)
}

// Flush returns the step ids of this UE's packets that were received
// during step's window, in receive order; the first Flush of a step among
// all the backend's views advances the simulation. The slice is reused by
// the next Flush of a later step through any view of the backend, and by
// Reset.
func (c *UEChannel) Flush(step uint32) ([]uint32, error) {
	if c == nil || c.b == nil {
		return nil, ErrNotInitialized
	}
	ok, err := c.b.flushViews(step)
	if err != nil || !ok {
		return nil, err
	}
	return c.ids, nil
}

// Reset asks for a new episode: the backend rebuilds its scenario once
// every UE's view has called Reset since the last rebuild; until then this
// does nothing. It returns the rebuild's error, if any.
func (c *UEChannel) Reset() error {
	if c == nil || c.b == nil {
		return ErrNotInitialized
	}
	if err := c.b.check(); err != nil {
		return err
	}
	return c.b.requestReset(c)
}

// SimChannel is the CommChannel of a single-UE SimBackend (NetRL's
// single-UE channels, e.g. NS3WifiChannel): Transmit and Flush step the
// backend directly, with no view cache, so a Flush of a step already
// flushed runs nothing and returns nothing.
type SimChannel struct {
	b   *SimBackend
	ids []uint32
}

// NewSimChannel makes the SimBackend of a single-UE builder (Spec.NumUEs
// 0) and returns its CommChannel.
func NewSimChannel(b Builder, seed, run uint64) (*SimChannel, error) {
	if b != nil && b.Spec().NumUEs != 0 {
		return nil, fmt.Errorf("sim channel: builder %q has %d UEs: use NewSimBackend and its UE views",
			b.Spec().Name, b.Spec().NumUEs)
	}
	be, err := NewSimBackend(b, seed, run)
	if err != nil {
		return nil, err
	}
	return &SimChannel{b: be}, nil
}

// Backend returns the SimBackend behind the channel, e.g. to Serve it (nil
// for a zero channel).
func (c *SimChannel) Backend() *SimBackend {
	if c == nil {
		return nil
	}
	return c.b
}

// Transmit schedules the packet of step at its send time (1 ns from now if
// that time has passed) with a payload of max(size, 4) bytes.
func (c *SimChannel) Transmit(step uint32, size int) error {
	return c.Backend().Transmit(0, step, size)
}

// Flush runs the simulation to the end of step's window (if that is later
// than now) and returns the step ids whose packets arrived meanwhile, in
// arrival order. The slice is reused by the next call.
func (c *SimChannel) Flush(step uint32) ([]uint32, error) {
	arr, err := c.Backend().Flush(step)
	if err != nil {
		return nil, err
	}
	c.ids = c.ids[:0]
	for _, a := range arr {
		c.ids = append(c.ids, a.Step)
	}
	return c.ids, nil
}

// Reset rebuilds the scenario, warm-up included, with the next run number.
func (c *SimChannel) Reset() error {
	if c == nil || c.b == nil {
		return ErrNotInitialized
	}
	c.ids = c.ids[:0]
	return c.b.Reset()
}

// Now returns the simulated time of the current episode.
func (c *SimChannel) Now() sim.Time { return c.Backend().Now() }

// Run returns the run number of the current episode.
func (c *SimChannel) Run() uint64 { return c.Backend().Run() }

// Clock returns the step clock of the current episode.
func (c *SimChannel) Clock() StepClock { return c.Backend().Clock() }
