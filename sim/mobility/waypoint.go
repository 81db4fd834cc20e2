package mobility

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/netgym/netgym/sim"
)

// RandomWaypointConfig configures a RandomWaypoint model. Defaults are ns-3
// 3.37's RandomWaypointMobilityModel attributes.
type RandomWaypointConfig struct {
	// MinSpeed and MaxSpeed bound the speed of each leg, drawn
	// Uniform[MinSpeed, MaxSpeed) m/s (ns-3's Speed attribute, default
	// UniformRandomVariable[Min=0.3|Max=0.7]). MinSpeed must be positive.
	MinSpeed, MaxSpeed float64
	// Pause is how long the node rests at each waypoint, and before its first
	// leg (ns-3's Pause attribute, default ConstantRandomVariable 2 s).
	Pause sim.Time
	// Bounds is the box destinations are drawn from when Destinations is
	// nil, with RandomPoint. ns-3 has no default allocator; the default here
	// is the unit square [0,1]×[0,1] at z = 0, which is what ns-3's
	// RandomRectanglePositionAllocator gives with its default variables.
	Bounds Box
	// Destinations, if set, supplies the waypoints instead of Bounds (ns-3's
	// PositionAllocator attribute). A random allocator should draw from its
	// own stream.
	Destinations PositionAllocator
}

// DefaultRandomWaypoint returns ns-3's defaults: speed Uniform[0.3, 0.7) m/s,
// pause 2 s, destinations uniform in the unit square.
func DefaultRandomWaypoint() RandomWaypointConfig {
	return RandomWaypointConfig{
		MinSpeed: 0.3,
		MaxSpeed: 0.7,
		Pause:    2 * sim.Second,
		Bounds:   Box{Max: Vector{X: 1, Y: 1}},
	}
}

// Validate reports a configuration that cannot produce a trajectory.
func (c RandomWaypointConfig) Validate() error {
	if !finite(c.MinSpeed) || !finite(c.MaxSpeed) || c.MinSpeed <= 0 {
		return fmt.Errorf("mobility: random waypoint speeds [%g, %g] must be finite with a positive minimum", c.MinSpeed, c.MaxSpeed)
	}
	if c.MaxSpeed < c.MinSpeed {
		return fmt.Errorf("mobility: random waypoint max speed %g is below min speed %g", c.MaxSpeed, c.MinSpeed)
	}
	if c.MaxSpeed > MaxSpeed {
		return fmt.Errorf("mobility: random waypoint max speed %g m/s out of range (0, %d] m/s", c.MaxSpeed, MaxSpeed)
	}
	if c.Pause < 0 {
		return fmt.Errorf("mobility: random waypoint pause %v is negative", c.Pause)
	}
	if c.Destinations == nil {
		if err := c.Bounds.Validate(); err != nil {
			return fmt.Errorf("mobility: random waypoint bounds: %w", err)
		}
	}
	return nil
}

// maxZeroSegments bounds how many zero-length segments (a zero pause
// followed by a leg to the current position) RandomWaypoint runs through at
// one instant before it concludes the destinations cannot move it.
const maxZeroSegments = 1000

// RandomWaypoint is ns-3's RandomWaypointMobilityModel
// (src/mobility/model/random-waypoint-mobility-model.cc): the node rests for
// Pause, then walks in a straight line at a random speed to a random
// destination, rests again, and so on. As in ns-3 the model starts with a
// pause, and every pause and every leg starts with a course change.
//
// Random draws come from the stream given to NewRandomWaypoint, in this order
// for each leg: the destination (X, Y, then Z for a box with height; or
// Destinations.Next), then the speed.
//
// The model is evaluated lazily: legs are computed when Position or Velocity
// is asked about a time past the end of the current segment, and the
// course-change subscribers of the segments passed over are notified then, in
// order. Times passed to Position, Velocity and SetPosition must therefore be
// non-decreasing (as the simulator's clock is): the model forgets segments it
// has passed, and a time before the start of the current segment is answered
// with the position at that segment's start. Use Drive to have the
// simulator evaluate the model at every segment boundary, so that course
// changes are reported when they happen.
//
// A leg lasts distance/speed rounded to the nearest nanosecond and ends
// exactly on the destination; ns-3 keeps the sub-nanosecond overshoot of its
// rounded travel time in the position.
type RandomWaypoint struct {
	cfg RandomWaypointConfig
	rng *rand.Rand

	from   Vector // position at start
	vel    Vector // velocity while moving
	to     Vector // destination of a leg
	start  sim.Time
	end    sim.Time
	moving bool

	hooks CourseChangeHooks

	sim     *sim.Simulator
	driveID sim.EventID
	driveFn func(any)
}

// NewRandomWaypoint returns a node at position p that begins its first pause
// at time now, drawing from rng (e.g. s.Stream("mobility/node-3")).
func NewRandomWaypoint(cfg RandomWaypointConfig, p Vector, now sim.Time, rng *rand.Rand) (*RandomWaypoint, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if rng == nil {
		return nil, errors.New("mobility: random waypoint needs a random stream")
	}
	m := &RandomWaypoint{cfg: cfg, rng: rng}
	m.beginPause(p, now)
	return m, nil
}

// beginPause starts a rest at p from time t (ns-3's DoInitializePrivate).
func (m *RandomWaypoint) beginPause(p Vector, t sim.Time) {
	m.from, m.to, m.vel = p, p, Vector{}
	m.moving = false
	m.start = t
	m.end = t.Add(m.cfg.Pause)
}

// beginWalk starts a leg from the current position at time t (ns-3's
// BeginWalk): draw the destination, then the speed.
func (m *RandomWaypoint) beginWalk(t sim.Time) {
	var dest Vector
	if m.cfg.Destinations != nil {
		dest = m.cfg.Destinations.Next()
	} else {
		dest = RandomPoint(m.cfg.Bounds, m.rng)
	}
	speed := m.cfg.MinSpeed + m.rng.Float64()*(m.cfg.MaxSpeed-m.cfg.MinSpeed)
	dist := dest.Distance(m.from)
	m.to = dest
	m.vel = Vector{}
	if dist > 0 {
		m.vel = dest.Sub(m.from).Scale(speed / dist)
	}
	m.moving = true
	m.start = t
	m.end = t.Add(sim.Seconds(dist / speed))
}

// advance moves the model's state to the segment that contains now,
// notifying subscribers of every segment it starts. It re-reads the state on
// every iteration, so a subscriber may query the model re-entrantly.
func (m *RandomWaypoint) advance(now sim.Time) {
	zero := 0
	for now >= m.end && m.end != sim.MaxTime {
		t := m.end
		if m.moving {
			m.beginPause(m.to, t)
		} else {
			m.beginWalk(t)
		}
		if m.end == t {
			zero++
			if zero > maxZeroSegments {
				// The destinations never move the node and it never
				// pauses: it stays where it is for good.
				m.beginPause(m.to, t)
				m.end = sim.MaxTime
			}
		} else {
			zero = 0
		}
		m.hooks.Notify(m)
	}
}

// Position returns the node's position at now (see the type's note on
// non-decreasing times).
func (m *RandomWaypoint) Position(now sim.Time) Vector {
	m.advance(now)
	if !m.moving || now <= m.start {
		return m.from
	}
	dt := (now - m.start).Seconds()
	return Vector{m.from.X + m.vel.X*dt, m.from.Y + m.vel.Y*dt, m.from.Z + m.vel.Z*dt}
}

// Velocity returns the node's velocity at now: zero while it pauses.
func (m *RandomWaypoint) Velocity(now sim.Time) Vector {
	m.advance(now)
	if !m.moving || now < m.start {
		return Vector{}
	}
	return m.vel
}

// SetPosition moves the node to p at time now and starts a new pause there,
// as ns-3's RandomWaypointMobilityModel::DoSetPosition. Course-change
// subscribers are notified.
func (m *RandomWaypoint) SetPosition(now sim.Time, p Vector) {
	m.advance(now)
	m.beginPause(p, now)
	m.hooks.Notify(m)
	m.reschedule()
}

// OnCourseChange registers fn to be called at the start of every pause and
// every leg, and after SetPosition.
func (m *RandomWaypoint) OnCourseChange(fn func(m Model)) { m.hooks.Add(fn) }

// NextCourseChange returns the time the current segment ends, as far as the
// model has been evaluated: the time of the next course change, or
// sim.MaxTime if there is none.
func (m *RandomWaypoint) NextCourseChange() sim.Time { return m.end }

// Drive has s evaluate the model at every segment boundary, so that
// course-change subscribers hear of each pause and leg at the simulated time
// it starts rather than at the next query. Each boundary costs one event and
// no allocation. Call it with the simulator whose clock the model follows;
// calling it again moves the pending event to that simulator.
func (m *RandomWaypoint) Drive(s *sim.Simulator) {
	if m.sim != nil {
		m.sim.Cancel(m.driveID)
		m.driveID = sim.EventID{}
	}
	m.sim = s
	if m.driveFn == nil {
		m.driveFn = m.onDrive
	}
	m.advance(s.Now())
	m.reschedule()
}

func (m *RandomWaypoint) onDrive(any) {
	m.driveID = sim.EventID{}
	m.advance(m.sim.Now())
	m.reschedule()
}

// reschedule points the drive event at the end of the current segment.
func (m *RandomWaypoint) reschedule() {
	if m.sim == nil {
		return
	}
	m.sim.Cancel(m.driveID)
	m.driveID = sim.EventID{}
	if m.end == sim.MaxTime || m.end < m.sim.Now() {
		return
	}
	id, err := m.sim.ScheduleAtWith(m.end, m.driveFn, nil)
	if err == nil {
		m.driveID = id
	}
}
