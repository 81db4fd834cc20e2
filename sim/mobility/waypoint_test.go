package mobility

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

func TestRandomWaypointValidate(t *testing.T) {
	def := DefaultRandomWaypoint()
	require.NoError(t, def.Validate())
	assert.Equal(t, 0.3, def.MinSpeed)
	assert.Equal(t, 0.7, def.MaxSpeed)
	assert.Equal(t, 2*sim.Second, def.Pause)

	tests := []struct {
		name string
		edit func(c *RandomWaypointConfig)
	}{
		{"zero min speed", func(c *RandomWaypointConfig) { c.MinSpeed = 0 }},
		{"max below min", func(c *RandomWaypointConfig) { c.MaxSpeed = 0.1 }},
		{"infinite speed", func(c *RandomWaypointConfig) { c.MaxSpeed = math.Inf(1) }},
		{"negative pause", func(c *RandomWaypointConfig) { c.Pause = -1 }},
		{"inverted bounds", func(c *RandomWaypointConfig) { c.Bounds = Box{Min: Vector{1, 0, 0}} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultRandomWaypoint()
			tt.edit(&c)
			assert.Error(t, c.Validate())
			_, err := NewRandomWaypoint(c, Vector{}, 0, sim.NewStream(1, 1, "x"))
			assert.Error(t, err)
		})
	}
	_, err := NewRandomWaypoint(def, Vector{}, 0, nil)
	assert.Error(t, err, "no stream")
}

// With fixed destinations and speed, the trajectory is computable by hand.
func TestRandomWaypointHandComputed(t *testing.T) {
	cfg := RandomWaypointConfig{
		MinSpeed: 2, MaxSpeed: 2, Pause: sim.Second,
		Destinations: NewListAllocator(Vector{30, 40, 0}, Vector{30, 0, 0}),
	}
	m, err := NewRandomWaypoint(cfg, Vector{}, 0, sim.NewStream(1, 1, "rwp"))
	require.NoError(t, err)
	var changes []sim.Time
	m.OnCourseChange(func(got Model) {
		assert.Same(t, m, got)
		changes = append(changes, m.NextCourseChange())
	})

	// Pause [0,1s) at the origin; leg of 50 m at 2 m/s in [1s,26s); pause
	// [26s,27s); leg of 40 m in [27s,47s); pause [47s,48s); back to (30,40).
	tests := []struct {
		now sim.Time
		pos Vector
		vel Vector
	}{
		{0, Vector{}, Vector{}},
		{500 * sim.Millisecond, Vector{}, Vector{}},
		{sim.Second, Vector{}, Vector{1.2, 1.6, 0}},
		{13500 * sim.Millisecond, Vector{15, 20, 0}, Vector{1.2, 1.6, 0}},
		{26 * sim.Second, Vector{30, 40, 0}, Vector{}},
		{26500 * sim.Millisecond, Vector{30, 40, 0}, Vector{}},
		{37 * sim.Second, Vector{30, 20, 0}, Vector{0, -2, 0}},
		{47 * sim.Second, Vector{30, 0, 0}, Vector{}},
		{58 * sim.Second, Vector{30, 20, 0}, Vector{0, 2, 0}},
	}
	for _, tt := range tests {
		assertVec(t, tt.pos, m.Position(tt.now), "position at %v", tt.now)
		assertVec(t, tt.vel, m.Velocity(tt.now), "velocity at %v", tt.now)
	}
	// Course changes are reported lazily; each records the end of the
	// segment it starts: walk to 26s, pause to 27s, walk to 47s, pause to
	// 48s, walk to 68s.
	assert.Equal(t, []sim.Time{26 * sim.Second, 27 * sim.Second, 47 * sim.Second,
		48 * sim.Second, 68 * sim.Second}, changes)

	// A time before the current segment is clamped to its start.
	assertVec(t, Vector{30, 0, 0}, m.Position(10*sim.Second))
}

func TestRandomWaypointStaysInBoundsAtLegalSpeeds(t *testing.T) {
	bounds := Box{Min: Vector{-50, 0, 0}, Max: Vector{150, 80, 10}}
	cfg := RandomWaypointConfig{MinSpeed: 1, MaxSpeed: 20, Pause: 500 * sim.Millisecond, Bounds: bounds}
	m, err := NewRandomWaypoint(cfg, Vector{0, 40, 5}, 0, sim.NewStream(7, 1, "mobility/node-0"))
	require.NoError(t, err)
	legs := 0
	m.OnCourseChange(func(Model) { legs++ })

	var moving, paused int
	for now := sim.Time(0); now < 2000*sim.Second; now += 37 * sim.Millisecond {
		p := m.Position(now)
		require.True(t, bounds.Contains(p), "%v outside bounds at %v", p, now)
		v := m.Velocity(now).Len()
		if v == 0 {
			paused++
			continue
		}
		moving++
		require.GreaterOrEqual(t, v, cfg.MinSpeed-eps)
		require.LessOrEqual(t, v, cfg.MaxSpeed+eps)
	}
	assert.Greater(t, legs, 100)
	assert.Greater(t, moving, 0)
	assert.Greater(t, paused, 0)
}

func TestRandomWaypointSameStreamSameTrajectory(t *testing.T) {
	cfg := DefaultRandomWaypoint()
	cfg.Bounds = Box{Max: Vector{100, 100, 0}}
	cfg.MinSpeed, cfg.MaxSpeed = 2, 10
	trajectory := func(seed uint64, name string, step sim.Time) []Vector {
		m, err := NewRandomWaypoint(cfg, Vector{50, 50, 0}, 0, sim.NewStream(seed, 1, name))
		require.NoError(t, err)
		var ps []Vector
		for now := sim.Time(0); now < 600*sim.Second; now += step {
			if now%sim.Second == 0 {
				ps = append(ps, m.Position(now))
			} else {
				m.Position(now) // extra queries must not change the path
			}
		}
		return ps
	}
	a := trajectory(1, "mobility/node-3", sim.Second)
	assert.Equal(t, a, trajectory(1, "mobility/node-3", sim.Second))
	assert.Equal(t, a, trajectory(1, "mobility/node-3", 250*sim.Millisecond))
	assert.NotEqual(t, a, trajectory(1, "mobility/node-4", sim.Second))
	assert.NotEqual(t, a, trajectory(2, "mobility/node-3", sim.Second))
}

func TestRandomWaypointSetPosition(t *testing.T) {
	cfg := DefaultRandomWaypoint()
	cfg.Bounds = Box{Max: Vector{100, 100, 0}}
	m, err := NewRandomWaypoint(cfg, Vector{}, 0, sim.NewStream(1, 1, "rwp"))
	require.NoError(t, err)
	m.Position(10 * sim.Second)
	var calls int
	m.OnCourseChange(func(Model) { calls++ })
	m.SetPosition(10*sim.Second, Vector{7, 7, 0})
	assert.Equal(t, 1, calls)
	// A fresh pause at the new position, as ns-3's DoSetPosition.
	assert.Equal(t, Vector{7, 7, 0}, m.Position(11*sim.Second))
	assert.Equal(t, Vector{}, m.Velocity(11*sim.Second))
	assert.Equal(t, 12*sim.Second, m.NextCourseChange())
}

func TestRandomWaypointDegenerateDestinations(t *testing.T) {
	// Zero pause and a destination equal to the position: the model must
	// not spin forever.
	cfg := RandomWaypointConfig{MinSpeed: 1, MaxSpeed: 1, Destinations: NewListAllocator(Vector{3, 3, 3})}
	m, err := NewRandomWaypoint(cfg, Vector{3, 3, 3}, 0, sim.NewStream(1, 1, "rwp"))
	require.NoError(t, err)
	assert.Equal(t, Vector{3, 3, 3}, m.Position(sim.Second))
	assert.Equal(t, sim.MaxTime, m.NextCourseChange())
}

func TestRandomWaypointDrive(t *testing.T) {
	s := sim.New(1, 1)
	cfg := RandomWaypointConfig{
		MinSpeed: 2, MaxSpeed: 2, Pause: sim.Second,
		Destinations: NewListAllocator(Vector{30, 40, 0}, Vector{30, 0, 0}),
	}
	m, err := NewRandomWaypoint(cfg, Vector{}, s.Now(), s.Stream("rwp"))
	require.NoError(t, err)
	var at []sim.Time
	var where []Vector
	m.OnCourseChange(func(Model) {
		at = append(at, s.Now())
		where = append(where, m.Position(s.Now())) // re-entrant query
	})
	m.Drive(s)
	s.RunUntil(50 * sim.Second)
	assert.Equal(t, []sim.Time{sim.Second, 26 * sim.Second, 27 * sim.Second, 47 * sim.Second, 48 * sim.Second}, at)
	assert.Equal(t, []Vector{{}, {30, 40, 0}, {30, 40, 0}, {30, 0, 0}, {30, 0, 0}}, where)

	// SetPosition moves the pending boundary.
	m.SetPosition(s.Now(), Vector{1, 1, 0})
	s.RunUntil(52 * sim.Second)
	assert.Equal(t, 51*sim.Second, at[len(at)-1])
	assert.Equal(t, 1, s.Pending())
}
