package mobility

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidatePosition(t *testing.T) {
	tests := []struct {
		p   Vector
		msg string
	}{
		{Vector{}, ""},
		{Vector{X: MaxCoordinate, Y: -MaxCoordinate, Z: 3}, ""},
		{Vector{X: math.NaN()}, "mobility: position (NaN, 0, 0): x=NaN out of range [-1e+09, 1e+09] m"},
		{Vector{Y: math.Inf(1)}, "mobility: position (0, +Inf, 0): y=+Inf out of range [-1e+09, 1e+09] m"},
		{Vector{Z: -1e300}, "mobility: position (0, 0, -1e+300): z=-1e+300 out of range [-1e+09, 1e+09] m"},
		{Vector{X: 1.0000001e9}, "mobility: position (1.0000001e+09, 0, 0): x=1.0000001e+09 out of range [-1e+09, 1e+09] m"},
	}
	for _, tt := range tests {
		err := ValidatePosition(tt.p)
		if tt.msg == "" {
			require.NoError(t, err, "%v", tt.p)
			continue
		}
		require.EqualError(t, err, tt.msg)
	}
}

func TestBoxAndSpeedRanges(t *testing.T) {
	require.EqualError(t, Box{Max: Vector{X: 2e9}}.Validate(), "mobility: box X bounds [0, 2e+09] out of range [-1e+09, 1e+09] m")
	require.NoError(t, Box{Min: Vector{X: -1e9}, Max: Vector{X: 1e9}}.Validate())
	cfg := DefaultRandomWaypoint()
	cfg.MaxSpeed = 1e308
	require.EqualError(t, cfg.Validate(), "mobility: random waypoint max speed 1e+308 m/s out of range (0, 299792458] m/s")
	cfg.MaxSpeed = MaxSpeed
	require.NoError(t, cfg.Validate())
}

func ExampleValidatePosition() {
	fmt.Println(ValidatePosition(Vector{X: 50}))
	fmt.Println(ValidatePosition(Vector{X: 1e300}))
	// Output:
	// <nil>
	// mobility: position (1e+300, 0, 0): x=1e+300 out of range [-1e+09, 1e+09] m
}
