package mobility

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// PositionAllocator hands out positions one after another, as ns-3's
// PositionAllocator: scenario helpers place node i at the i-th position, and
// RandomWaypoint draws its destinations from one.
type PositionAllocator interface {
	// Next returns the next position.
	Next() Vector
}

// Take returns the next n positions of a.
func Take(a PositionAllocator, n int) []Vector {
	if n <= 0 {
		return nil
	}
	ps := make([]Vector, n)
	for i := range ps {
		ps[i] = a.Next()
	}
	return ps
}

// GridLayout says in which order a GridAllocator fills its grid.
type GridLayout uint8

const (
	// RowFirst fills a row of GridWidth positions along X, then moves up one
	// row along Y (ns-3's ROW_FIRST, the default).
	RowFirst GridLayout = iota
	// ColumnFirst fills a column of GridWidth positions along Y, then moves
	// along X (ns-3's COLUMN_FIRST).
	ColumnFirst
)

// String returns "RowFirst" or "ColumnFirst".
func (l GridLayout) String() string {
	switch l {
	case RowFirst:
		return "RowFirst"
	case ColumnFirst:
		return "ColumnFirst"
	}
	return fmt.Sprintf("GridLayout(%d)", uint8(l))
}

// GridAllocator lays positions out on a rectangular grid, as ns-3's
// GridPositionAllocator (src/mobility/model/position-allocator.cc). With the
// RowFirst layout the i-th position is
//
//	(MinX + DeltaX·(i mod GridWidth), MinY + DeltaY·(i div GridWidth), Z)
//
// and ColumnFirst swaps the roles of the two axes. Construct it with
// DefaultGridAllocator or set the fields, then call Validate.
type GridAllocator struct {
	// MinX is the x coordinate where the grid starts (ns-3 default 1 m).
	MinX float64
	// MinY is the y coordinate where the grid starts (default 0 m).
	MinY float64
	// Z is the z coordinate of every position (default 0 m).
	Z float64
	// DeltaX is the x spacing between positions (default 1 m).
	DeltaX float64
	// DeltaY is the y spacing between positions (default 1 m).
	DeltaY float64
	// GridWidth is the number of positions on a row (RowFirst) or column
	// (ColumnFirst) (default 10).
	GridWidth int
	// Layout is RowFirst (default) or ColumnFirst.
	Layout GridLayout

	next int
}

// DefaultGridAllocator returns a grid with ns-3 3.37's defaults: MinX 1,
// MinY 0, Z 0, DeltaX 1, DeltaY 1, GridWidth 10, RowFirst.
func DefaultGridAllocator() *GridAllocator {
	return &GridAllocator{MinX: 1, DeltaX: 1, DeltaY: 1, GridWidth: 10}
}

// Validate reports a grid that cannot lay out positions: a GridWidth below
// 1, coordinates that are not finite, or an unknown layout.
func (g *GridAllocator) Validate() error {
	if g.GridWidth < 1 {
		return fmt.Errorf("mobility: grid width %d must be at least 1", g.GridWidth)
	}
	for _, x := range [...]float64{g.MinX, g.MinY, g.Z, g.DeltaX, g.DeltaY} {
		if !finite(x) {
			return fmt.Errorf("mobility: grid coordinates and spacings must be finite, got %g", x)
		}
	}
	if g.Layout > ColumnFirst {
		return fmt.Errorf("mobility: unknown grid layout %v", g.Layout)
	}
	return nil
}

// Next returns the next grid position. A GridWidth below 1 (which Validate
// rejects) is treated as 1.
func (g *GridAllocator) Next() Vector {
	w := max(g.GridWidth, 1)
	i := g.next
	g.next++
	a, b := float64(i%w), float64(i/w)
	if g.Layout == ColumnFirst {
		a, b = b, a
	}
	return Vector{g.MinX + g.DeltaX*a, g.MinY + g.DeltaY*b, g.Z}
}

// Reset makes the next call to Next return the first grid position again.
func (g *GridAllocator) Reset() { g.next = 0 }

// ListAllocator hands out a fixed list of positions in order and starts over
// after the last one, as ns-3's ListPositionAllocator.
type ListAllocator struct {
	positions []Vector
	next      int
}

// NewListAllocator returns an allocator over a copy of positions.
func NewListAllocator(positions ...Vector) *ListAllocator {
	return &ListAllocator{positions: append([]Vector(nil), positions...)}
}

// Add appends p to the list. As in ns-3's ListPositionAllocator::Add, the
// next call to Next starts again from the first position.
func (l *ListAllocator) Add(p Vector) {
	l.positions = append(l.positions, p)
	l.next = 0
}

// Len returns the number of positions in the list.
func (l *ListAllocator) Len() int { return len(l.positions) }

// Next returns the next position of the list, wrapping around after the last
// one. An empty list returns the origin.
func (l *ListAllocator) Next() Vector {
	if len(l.positions) == 0 {
		return Vector{}
	}
	p := l.positions[l.next]
	l.next++
	if l.next == len(l.positions) {
		l.next = 0
	}
	return p
}

// RandomBoxAllocator draws positions uniformly from a box using the caller's
// random stream, as ns-3's RandomBoxPositionAllocator (or, for a flat box,
// RandomRectanglePositionAllocator): see RandomPoint.
type RandomBoxAllocator struct {
	// Box is the region positions are drawn from.
	Box Box
	// Rand is the stream the coordinates are drawn from, e.g.
	// s.Stream("mobility/placement").
	Rand *rand.Rand
}

// Next returns a random point of the box.
func (a *RandomBoxAllocator) Next() Vector { return RandomPoint(a.Box, a.Rand) }

// RandomPoint draws a point uniformly from b: X, then Y, then Z, each
// Uniform[min, max) from r. For a flat box (Min.Z == Max.Z) Z is not drawn
// and is Min.Z, as with ns-3's RandomRectanglePositionAllocator, which draws
// only X and Y.
func RandomPoint(b Box, r *rand.Rand) Vector {
	p := Vector{
		X: b.Min.X + r.Float64()*(b.Max.X-b.Min.X),
	}
	p.Y = b.Min.Y + r.Float64()*(b.Max.Y-b.Min.Y)
	p.Z = b.Min.Z
	if b.Max.Z != b.Min.Z {
		p.Z += r.Float64() * (b.Max.Z - b.Min.Z)
	}
	return p
}

// Ring returns n positions equally spaced on a circle of the given radius
// around center, in the plane z = center.Z: position i is at angle 2πi/n from
// the +X axis, counter-clockwise. n <= 0 returns nil.
func Ring(center Vector, radius float64, n int) []Vector {
	if n <= 0 {
		return nil
	}
	ps := make([]Vector, n)
	for i := range ps {
		sin, cos := math.Sincos(2 * math.Pi * float64(i) / float64(n))
		ps[i] = Vector{center.X + radius*cos, center.Y + radius*sin, center.Z}
	}
	return ps
}
