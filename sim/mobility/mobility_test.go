package mobility

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

const eps = 1e-9

func assertVec(t *testing.T, want, got Vector, msgAndArgs ...any) {
	t.Helper()
	assert.InDelta(t, want.X, got.X, eps, msgAndArgs...)
	assert.InDelta(t, want.Y, got.Y, eps, msgAndArgs...)
	assert.InDelta(t, want.Z, got.Z, eps, msgAndArgs...)
}

func TestVector(t *testing.T) {
	a, b := Vector{1, 2, 3}, Vector{4, 6, 3}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"Add", a.Add(b), Vector{5, 8, 6}},
		{"Sub", b.Sub(a), Vector{3, 4, 0}},
		{"Scale", a.Scale(-2), Vector{-2, -4, -6}},
		{"Len", Vector{3, 4, 12}.Len(), 13.0},
		{"Distance", a.Distance(b), 5.0},
		{"DistanceSymmetric", b.Distance(a), 5.0},
		{"DistanceSelf", a.Distance(a), 0.0},
		{"String", Vector{1.5, -2, 0}.String(), "(1.5, -2, 0)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, tt.got) })
	}
}

func TestBox(t *testing.T) {
	b := Box{Min: Vector{0, 0, 0}, Max: Vector{10, 5, 0}}
	require.NoError(t, b.Validate())
	assert.True(t, b.Contains(Vector{10, 5, 0}))
	assert.True(t, b.Contains(Vector{3, 2, 0}))
	assert.False(t, b.Contains(Vector{3, 2, 0.1}))
	assert.False(t, b.Contains(Vector{-0.1, 2, 0}))

	bad := []Box{
		{Min: Vector{1, 0, 0}, Max: Vector{0, 1, 1}},
		{Min: Vector{0, 0, 2}, Max: Vector{1, 1, 1}},
		{Min: Vector{0, math.NaN(), 0}, Max: Vector{1, 1, 1}},
		{Min: Vector{0, 0, 0}, Max: Vector{math.Inf(1), 1, 1}},
	}
	for _, b := range bad {
		assert.Error(t, b.Validate(), "%v", b)
	}
}

func TestConstantPosition(t *testing.T) {
	m := NewConstantPosition(Vector{1, 2, 3})
	var calls int
	m.OnCourseChange(func(got Model) {
		calls++
		assert.Same(t, m, got)
	})
	assert.Equal(t, Vector{1, 2, 3}, m.Position(0))
	assert.Equal(t, Vector{1, 2, 3}, m.Position(100*sim.Second))
	assert.Equal(t, Vector{}, m.Velocity(5*sim.Second))
	m.SetPosition(sim.Second, Vector{4, 5, 6})
	assert.Equal(t, 1, calls)
	assert.Equal(t, Vector{4, 5, 6}, m.Position(0))
}

func TestConstantVelocityPositions(t *testing.T) {
	// At (1,2,0) at t = 1 s, moving at (2,-1,0.5) m/s.
	m := NewConstantVelocity(Vector{1, 2, 0}, Vector{2, -1, 0.5}, sim.Second)
	tests := []struct {
		now     sim.Time
		pos     Vector
		vel     Vector
		comment string
	}{
		{0, Vector{1, 2, 0}, Vector{}, "rests before its start time"},
		{sim.Second, Vector{1, 2, 0}, Vector{2, -1, 0.5}, "departs at its start time"},
		{1500 * sim.Millisecond, Vector{2, 1.5, 0.25}, Vector{2, -1, 0.5}, ""},
		{2 * sim.Second, Vector{3, 1, 0.5}, Vector{2, -1, 0.5}, ""},
		{3500 * sim.Millisecond, Vector{6, -0.5, 1.25}, Vector{2, -1, 0.5}, ""},
		{11 * sim.Second, Vector{21, -8, 5}, Vector{2, -1, 0.5}, ""},
		{sim.Second + 1, Vector{1 + 2e-9, 2 - 1e-9, 0.5e-9}, Vector{2, -1, 0.5}, "one nanosecond"},
	}
	for _, tt := range tests {
		t.Run(tt.now.String(), func(t *testing.T) {
			assertVec(t, tt.pos, m.Position(tt.now), tt.comment)
			assert.Equal(t, tt.vel, m.Velocity(tt.now), tt.comment)
		})
	}
}

func TestConstantVelocitySetVelocityIsContinuous(t *testing.T) {
	m := NewConstantVelocity(Vector{0, 0, 0}, Vector{1, 0, 0}, 0)
	var calls int
	m.OnCourseChange(func(Model) { calls++ })

	steps := []struct {
		at   sim.Time
		vel  Vector
		want Vector // position at the change, which must not jump
	}{
		{2 * sim.Second, Vector{0, 3, 0}, Vector{2, 0, 0}},
		{4 * sim.Second, Vector{-1, -1, 1}, Vector{2, 6, 0}},
		{4500 * sim.Millisecond, Vector{}, Vector{1.5, 5.5, 0.5}},
	}
	for i, st := range steps {
		before := m.Position(st.at)
		assertVec(t, st.want, before)
		m.SetVelocity(st.at, st.vel)
		assertVec(t, before, m.Position(st.at), "step %d jumped", i)
		assert.Equal(t, st.vel, m.Velocity(st.at))
		assert.Equal(t, i+1, calls)
	}
	// Stopped at (1.5, 5.5, 0.5) for good.
	assertVec(t, Vector{1.5, 5.5, 0.5}, m.Position(100*sim.Second))
}

func TestConstantVelocitySetPositionStops(t *testing.T) {
	// ns-3's ConstantVelocityHelper::SetPosition zeroes the velocity.
	m := NewConstantVelocity(Vector{}, Vector{1, 1, 0}, 0)
	var calls int
	m.OnCourseChange(func(Model) { calls++ })
	m.SetPosition(sim.Second, Vector{10, 10, 10})
	assert.Equal(t, 1, calls)
	assert.Equal(t, Vector{}, m.Velocity(2*sim.Second))
	assert.Equal(t, Vector{10, 10, 10}, m.Position(5*sim.Second))
	m.SetVelocity(5*sim.Second, Vector{0, 0, -1})
	assertVec(t, Vector{10, 10, 8}, m.Position(7*sim.Second))
}

func TestCourseChangeHooks(t *testing.T) {
	var h CourseChangeHooks
	var order []int
	h.Add(func(Model) { order = append(order, 1) })
	h.Add(nil)
	h.Add(func(Model) { order = append(order, 2) })
	h.Notify(nil)
	assert.Equal(t, []int{1, 2}, order)
}

func TestGridAllocator(t *testing.T) {
	tests := []struct {
		name string
		grid *GridAllocator
		want []Vector
	}{
		{
			name: "ns-3 defaults",
			grid: DefaultGridAllocator(),
			want: []Vector{{1, 0, 0}, {2, 0, 0}, {3, 0, 0}, {4, 0, 0}, {5, 0, 0}, {6, 0, 0},
				{7, 0, 0}, {8, 0, 0}, {9, 0, 0}, {10, 0, 0}, {1, 1, 0}, {2, 1, 0}},
		},
		{
			name: "row first",
			grid: &GridAllocator{MinX: -10, MinY: 5, Z: 1.5, DeltaX: 20, DeltaY: 2.5, GridWidth: 3},
			want: []Vector{{-10, 5, 1.5}, {10, 5, 1.5}, {30, 5, 1.5}, {-10, 7.5, 1.5}, {10, 7.5, 1.5}},
		},
		{
			name: "column first",
			grid: &GridAllocator{DeltaX: 20, DeltaY: 2.5, GridWidth: 2, Layout: ColumnFirst},
			want: []Vector{{0, 0, 0}, {0, 2.5, 0}, {20, 0, 0}, {20, 2.5, 0}, {40, 0, 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, tt.grid.Validate())
			assert.Equal(t, tt.want, Take(tt.grid, len(tt.want)))
			tt.grid.Reset()
			assert.Equal(t, tt.want[0], tt.grid.Next())
		})
	}
}

func TestGridAllocatorValidate(t *testing.T) {
	for _, g := range []*GridAllocator{
		{GridWidth: 0},
		{GridWidth: 2, DeltaX: math.NaN()},
		{GridWidth: 2, MinY: math.Inf(-1)},
		{GridWidth: 2, Layout: 7},
	} {
		assert.Error(t, g.Validate(), "%+v", g)
	}
	assert.Equal(t, "ColumnFirst", ColumnFirst.String())
}

func TestListAllocator(t *testing.T) {
	l := NewListAllocator(Vector{1, 0, 0}, Vector{2, 0, 0})
	assert.Equal(t, 2, l.Len())
	assert.Equal(t, []Vector{{1, 0, 0}, {2, 0, 0}, {1, 0, 0}}, Take(l, 3))
	// Add restarts from the first position, as ns-3's ListPositionAllocator.
	l.Add(Vector{3, 0, 0})
	assert.Equal(t, []Vector{{1, 0, 0}, {2, 0, 0}, {3, 0, 0}, {1, 0, 0}}, Take(l, 4))
	assert.Equal(t, Vector{}, NewListAllocator().Next())
	assert.Nil(t, Take(l, 0))
}

func TestRing(t *testing.T) {
	c := Vector{5, 5, 1}
	tests := []struct {
		n    int
		want []Vector
	}{
		{0, nil},
		{1, []Vector{{15, 5, 1}}},
		{4, []Vector{{15, 5, 1}, {5, 15, 1}, {-5, 5, 1}, {5, -5, 1}}},
		{6, []Vector{{15, 5, 1}, {10, 5 + 5*math.Sqrt(3), 1}, {0, 5 + 5*math.Sqrt(3), 1},
			{-5, 5, 1}, {0, 5 - 5*math.Sqrt(3), 1}, {10, 5 - 5*math.Sqrt(3), 1}}},
	}
	for _, tt := range tests {
		got := Ring(c, 10, tt.n)
		require.Len(t, got, len(tt.want), "n=%d", tt.n)
		for i := range got {
			assertVec(t, tt.want[i], got[i], "n=%d i=%d", tt.n, i)
			assert.InDelta(t, 10, got[i].Distance(c), eps)
		}
	}
}

func TestRandomBoxAllocator(t *testing.T) {
	flat := Box{Min: Vector{-5, 10, 2}, Max: Vector{5, 20, 2}}
	tall := Box{Min: Vector{0, 0, 0}, Max: Vector{1, 1, 30}}
	for _, b := range []Box{flat, tall} {
		a := &RandomBoxAllocator{Box: b, Rand: sim.NewStream(1, 1, "placement")}
		var zs []float64
		for range 1000 {
			p := a.Next()
			require.True(t, b.Contains(p), "%v outside %v", p, b)
			zs = append(zs, p.Z)
		}
		if b == flat {
			assert.Equal(t, 2.0, zs[0])
		} else {
			assert.NotEqual(t, zs[0], zs[1])
		}
	}
}
