package mobility

import "github.com/netgym/netgym/sim"

// Model says where a node is and how fast it moves at a given simulated
// time, as ns-3's MobilityModel. Implementations are evaluated lazily from the
// time argument; see each model for what it requires of the times it is
// asked about.
type Model interface {
	// Position returns the node's position at time now.
	Position(now sim.Time) Vector
	// Velocity returns the node's velocity (m/s) at time now.
	Velocity(now sim.Time) Vector
	// OnCourseChange registers fn to be called with the model whenever its
	// position or velocity changes other than by steady motion along the
	// current course: ns-3's CourseChange trace source.
	OnCourseChange(fn func(m Model))
}

// CourseChangeHooks is a list of course-change subscribers. A Model
// implementation keeps one to provide OnCourseChange and calls Notify when its
// course changes. The zero value is ready to use.
type CourseChangeHooks struct {
	fns []func(Model)
}

// Add registers fn. Subscribers are called in the order they were added.
func (h *CourseChangeHooks) Add(fn func(m Model)) {
	if fn != nil {
		h.fns = append(h.fns, fn)
	}
}

// Notify calls every subscriber with m.
func (h *CourseChangeHooks) Notify(m Model) {
	for _, fn := range h.fns {
		fn(m)
	}
}

// ConstantPosition is a node that never moves, as ns-3's
// ConstantPositionMobilityModel (src/mobility/model/
// constant-position-mobility-model.cc): its velocity is always zero and only
// SetPosition moves it.
type ConstantPosition struct {
	pos   Vector
	hooks CourseChangeHooks
}

// NewConstantPosition returns a node fixed at p.
func NewConstantPosition(p Vector) *ConstantPosition { return &ConstantPosition{pos: p} }

// Position returns the node's position; now is ignored.
func (m *ConstantPosition) Position(sim.Time) Vector { return m.pos }

// Velocity returns the zero vector.
func (m *ConstantPosition) Velocity(sim.Time) Vector { return Vector{} }

// SetPosition moves the node to p and notifies course-change subscribers, as
// ns-3's DoSetPosition. now is ignored; it is there so that every model in
// this package is moved the same way.
func (m *ConstantPosition) SetPosition(_ sim.Time, p Vector) {
	m.pos = p
	m.hooks.Notify(m)
}

// OnCourseChange registers fn to be called after every SetPosition.
func (m *ConstantPosition) OnCourseChange(fn func(m Model)) { m.hooks.Add(fn) }

// ConstantVelocity is a node moving in a straight line at constant velocity,
// as ns-3's ConstantVelocityMobilityModel with its ConstantVelocityHelper
// (src/mobility/model/constant-velocity-helper.cc).
//
// The model keeps one segment of motion: the node is at origin at time start
// and moves with velocity vel from then on. Before start it rests at origin
// with zero velocity, so a model created with a future start time describes a
// node that departs at that time. Position is computed as
// origin + vel·(now-start) from the last course change, where ns-3 adds
// vel·Δt at every query; the results agree to floating-point rounding.
// Any time may be queried; times before the last SetVelocity or SetPosition
// see the node resting where that change left it (history is not kept).
type ConstantVelocity struct {
	origin Vector
	vel    Vector
	start  sim.Time
	hooks  CourseChangeHooks
}

// NewConstantVelocity returns a node that is at position p at time start and
// moves with velocity v (m/s) from then on.
func NewConstantVelocity(p, v Vector, start sim.Time) *ConstantVelocity {
	return &ConstantVelocity{origin: p, vel: v, start: start}
}

// Position returns the node's position at now.
func (m *ConstantVelocity) Position(now sim.Time) Vector {
	if now <= m.start {
		return m.origin
	}
	dt := (now - m.start).Seconds()
	return Vector{m.origin.X + m.vel.X*dt, m.origin.Y + m.vel.Y*dt, m.origin.Z + m.vel.Z*dt}
}

// Velocity returns the node's velocity at now: zero before the start time.
func (m *ConstantVelocity) Velocity(now sim.Time) Vector {
	if now < m.start {
		return Vector{}
	}
	return m.vel
}

// SetVelocity changes course at time now: the node continues from where it
// is at now with velocity v. Course-change subscribers are notified, as in
// ns-3's ConstantVelocityMobilityModel::SetVelocity.
func (m *ConstantVelocity) SetVelocity(now sim.Time, v Vector) {
	m.origin = m.Position(now)
	m.start = now
	m.vel = v
	m.hooks.Notify(m)
}

// SetPosition moves the node to p at time now and, as ns-3's
// ConstantVelocityHelper::SetPosition does, stops it: the velocity becomes
// zero until the next SetVelocity. Course-change subscribers are notified.
func (m *ConstantVelocity) SetPosition(now sim.Time, p Vector) {
	m.origin = p
	m.start = now
	m.vel = Vector{}
	m.hooks.Notify(m)
}

// OnCourseChange registers fn to be called after every SetVelocity and
// SetPosition.
func (m *ConstantVelocity) OnCourseChange(fn func(m Model)) { m.hooks.Add(fn) }
