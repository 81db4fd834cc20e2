package wifi

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseDistances parses a comma-separated list of distances in metres for n
// UEs, as NetRL's multi-UE --distances flag: UE i gets the i-th value, the
// last value repeats for the remaining UEs, and values beyond the n-th are
// ignored. White space around values is allowed. Unlike NetRL's program,
// which silently uses 10 m for a bad value or an empty list, every value
// must be a finite number > 0 and the list must not be empty or contain an
// empty item.
func ParseDistances(list string, n int) ([]float64, error) {
	if n < 1 {
		return nil, fmt.Errorf("distances: %d UEs, need at least 1", n)
	}
	if strings.TrimSpace(list) == "" {
		return nil, errors.New("distances: empty list")
	}
	items := strings.Split(list, ",")
	out := make([]float64, 0, n)
	for i, it := range items {
		it = strings.TrimSpace(it)
		if it == "" {
			return nil, fmt.Errorf("distances: item %d of %q is empty", i+1, list)
		}
		d, err := strconv.ParseFloat(it, 64)
		if err != nil || math.IsNaN(d) || math.IsInf(d, 0) {
			return nil, fmt.Errorf("distances: %q is not a number", it)
		}
		if d <= 0 {
			return nil, fmt.Errorf("distances: %v must be > 0", d)
		}
		if len(out) < n {
			out = append(out, d)
		}
	}
	for len(out) < n {
		out = append(out, out[len(out)-1])
	}
	return out, nil
}
