package sim

import (
	"fmt"
)

// EventID identifies a scheduled event, for Cancel and IsPending. The zero
// EventID refers to no event.
type EventID struct {
	at    Time
	seq   uint64
	owner *Simulator // the simulator that scheduled it
}

// Time returns the simulated time the event is (or was) scheduled for.
func (id EventID) Time() Time { return id.at }

// IsZero reports whether id refers to no event.
func (id EventID) IsZero() bool { return id.seq == 0 }

// mine reports whether id was scheduled by s (an id of another simulator
// never cancels or matches an event of s).
func (s *Simulator) mine(id EventID) bool { return id.seq != 0 && id.owner == s }

// Simulator is a discrete-event simulator: a clock and a queue of events
// ordered by time, with ties run in the order they were scheduled (FIFO), as
// in ns-3.
//
// A Simulator is driven from one goroutine; it is not safe for concurrent use.
// Separate Simulators share nothing and may run in parallel goroutines.
type Simulator struct {
	now      Time
	queue    eventQueue
	seq      uint64
	executed uint64
	// curAt and curSeq identify the event running now, or run last.
	curAt   Time
	curSeq  uint64
	running bool
	stop    bool
	seed    uint64
	run     uint64
}

// New returns a simulator at time 0 with the given seed and run number. As in
// ns-3's RngSeedManager, the seed selects a family of random streams and the
// run number selects an independent replication within it; ns-3's defaults
// are seed 1, run 1.
func New(seed, run uint64) *Simulator {
	s := &Simulator{queue: newEventQueue(), seed: seed, run: run}
	s.queue.now = &s.now
	return s
}

// Now returns the current simulated time.
func (s *Simulator) Now() Time { return s.now }

// Seed returns the simulation's seed.
func (s *Simulator) Seed() uint64 { return s.seed }

// RunNumber returns the simulation's run number.
func (s *Simulator) RunNumber() uint64 { return s.run }

// EventCount returns the number of events executed so far.
func (s *Simulator) EventCount() uint64 { return s.executed }

// Pending returns the number of events scheduled and not yet executed or
// cancelled.
func (s *Simulator) Pending() int { return s.queue.len() }

// QueueBytes returns the bytes the event queue holds in its own arrays
// (pending events and the room kept for more), not counting what the
// events point to, nor the far tier's btree nodes (a few pointers per
// far bucket). A model's memory "beyond the event queue" is its heap less
// this.
func (s *Simulator) QueueBytes() int { return s.queue.footprint() }

func callFunc(f any) { f.(func())() }

// Schedule schedules fn to run delay after Now and returns its id. Events at
// equal times run in the order they were scheduled.
//
// Schedule is meant for model code, where a negative delay is a programming
// error: it panics. User code that takes times from input should use
// ScheduleAt, which returns an error instead.
//
// fn is a closure, which typically allocates; per-packet and per-frame events
// should use ScheduleWith.
func (s *Simulator) Schedule(delay Time, fn func()) EventID {
	if fn == nil {
		panic(fmt.Sprintf("sim: Schedule of a nil function at %v (a bug in model code)", s.now))
	}
	return s.ScheduleWith(delay, callFunc, fn)
}

// ScheduleWith schedules fn(arg) to run delay after Now. With fn a function
// or method value created once (e.g. stored in the model at construction) and
// arg a pointer, scheduling allocates nothing: this is the form for the hot
// path. A negative delay panics, as in Schedule.
func (s *Simulator) ScheduleWith(delay Time, fn func(any), arg any) EventID {
	if fn == nil {
		panic(fmt.Sprintf("sim: Schedule of a nil function at %v (a bug in model code)", s.now))
	}
	if delay < 0 {
		panic(fmt.Sprintf("sim: Schedule with negative delay %v at %v (a bug in model code)", delay, s.now))
	}
	at := s.now + delay
	if at < s.now {
		panic(fmt.Sprintf("sim: Schedule delay %v at %v overflows Time", delay, s.now))
	}
	return s.insert(at, fn, arg)
}

// ScheduleAt schedules fn to run at absolute time t. It returns an error if t
// is earlier than Now.
func (s *Simulator) ScheduleAt(t Time, fn func()) (EventID, error) {
	if fn == nil {
		return EventID{}, fmt.Errorf("sim: cannot schedule a nil function at %v", t)
	}
	return s.ScheduleAtWith(t, callFunc, fn)
}

// ScheduleAtWith schedules fn(arg) at absolute time t without allocating. It
// returns an error if t is earlier than Now.
func (s *Simulator) ScheduleAtWith(t Time, fn func(any), arg any) (EventID, error) {
	if t < s.now {
		return EventID{}, fmt.Errorf("sim: cannot schedule at %v: it is before now (%v)", t, s.now)
	}
	if fn == nil {
		return EventID{}, fmt.Errorf("sim: cannot schedule a nil handler at %v", t)
	}
	return s.insert(t, fn, arg), nil
}

// ReserveSeq returns the sequence number an event scheduled now would get,
// and consumes it: events scheduled later order after it at equal times.
// With ScheduleReserved and Happened it lets a model stand in for an event
// it has not scheduled (say, a signal arriving at a radio that has nothing
// to do with it yet), and schedule it later, or account for its effect, in
// exactly the place it would have had among the others: an event at time t
// with a reserved sequence number runs after every event at t scheduled
// before the reservation and before every one scheduled after it.
func (s *Simulator) ReserveSeq() uint64 {
	s.seq++
	return s.seq
}

// ReserveSeqs reserves n sequence numbers in one step, as n calls of
// ReserveSeq would, and returns the first of them.
func (s *Simulator) ReserveSeqs(n uint64) uint64 {
	first := s.seq + 1
	s.seq += n
	return first
}

// ScheduleReserved schedules fn(arg) at absolute time at under seq, a
// sequence number from ReserveSeq not used before. The event must not
// precede the one running now (at >= Now, and seq greater than the running
// event's if at == Now): model code that breaks this has a bug, and
// ScheduleReserved panics, as Schedule does for a negative delay.
func (s *Simulator) ScheduleReserved(at Time, seq uint64, fn func(any), arg any) EventID {
	if fn == nil {
		panic(fmt.Sprintf("sim: ScheduleReserved of a nil function at %v (a bug in model code)", s.now))
	}
	if seq == 0 || seq > s.seq || s.Happened(at, seq) {
		panic(fmt.Sprintf("sim: ScheduleReserved at %v with sequence number %d, not a reservation still ahead of now %v (a bug in model code)", at, seq, s.now))
	}
	s.queue.push(event{at: at, seq: seq, fn: fn, arg: arg})
	return EventID{at: at, seq: seq, owner: s}
}

// Happened reports whether an event at time at with sequence number seq
// would have run by now: it is earlier than Now, or at Now and before the
// event running now (or, between runs, the last one run at Now).
func (s *Simulator) Happened(at Time, seq uint64) bool {
	return at < s.now || (at == s.now && s.curAt == s.now && seq < s.curSeq)
}

func (s *Simulator) insert(at Time, fn func(any), arg any) EventID {
	s.seq++
	s.queue.push(event{at: at, seq: s.seq, fn: fn, arg: arg})
	return EventID{at: at, seq: s.seq, owner: s}
}

// Cancel removes a pending event so that it never runs, and reports whether it
// was pending. Cancelling an event that already ran, was already cancelled,
// the zero EventID or an id from another simulator does nothing and returns
// false.
func (s *Simulator) Cancel(id EventID) bool {
	if !s.mine(id) || id.at < s.now {
		return false
	}
	return s.queue.remove(id.at, id.seq)
}

// IsPending reports whether the event is scheduled and has neither run nor
// been cancelled (false for an id of another simulator).
func (s *Simulator) IsPending(id EventID) bool {
	if !s.mine(id) || id.at < s.now {
		return false
	}
	_, _, ok := s.queue.find(id.at, id.seq)
	return ok
}

// Stop, called from inside an event, ends the current Run or RunUntil after
// that event returns. Now stays at that event's time, and the next Run or
// RunUntil continues from there with every pending event intact: an RL
// environment pauses the simulation this way while its agent decides.
// Outside a run, Stop does nothing (as ns-3, each run clears the request).
func (s *Simulator) Stop() {
	if s.running {
		s.stop = true
	}
}

// Run executes events in time order until none is left or Stop is called.
func (s *Simulator) Run() {
	s.runUntil(MaxTime, false)
}

// RunUntil executes every event with a timestamp strictly before t (a
// half-open window), then sets Now to t. If Stop is called, it returns after
// that event and Now stays at the event's time. All state is kept, so a later
// RunUntil resumes exactly where this one ended. RunUntil(t) with t <= Now
// does nothing.
func (s *Simulator) RunUntil(t Time) {
	if t <= s.now {
		return
	}
	s.runUntil(t, true)
}

func (s *Simulator) runUntil(t Time, advance bool) {
	if s.running {
		panic("sim: Run or RunUntil called from inside an event (a bug in model code)")
	}
	s.running = true
	s.stop = false
	defer func() { s.running = false }()
	q := &s.queue
	for {
		// Inlined peek and pop: the head of the current bucket is read in
		// place, not copied out.
		if q.head == len(q.cur) && q.peekBefore(t) == nil {
			break
		}
		e := &q.cur[q.head]
		if advance && e.at >= t {
			break
		}
		at, seq, fn, arg := e.at, e.seq, e.fn, e.arg
		*e = event{} // drop references for the garbage collector
		q.head++
		q.n--
		if q.popped++; q.popped >= adaptEvery {
			q.adapt(at)
		}
		s.now, s.curAt, s.curSeq = at, at, seq
		s.executed++
		fn(arg)
		if s.stop {
			s.stop = false
			return
		}
	}
	if advance {
		s.now = t
	}
}
