// Package sim is netgym's discrete-event kernel: simulated time, the event
// scheduler and the named random-number streams every model draws from.
//
// One *Simulator drives one simulation, on one goroutine. Nothing in this
// package is global, so many simulations can run side by side in one process.
package sim

import (
	"fmt"
	"math"
	"time"
)

// Time is simulated time: an integer count of nanoseconds since the start of
// the simulation. Integer time makes event order exact and runs reproducible.
type Time int64

// Units of simulated time.
const (
	Nanosecond  Time = 1
	Microsecond Time = 1000 * Nanosecond
	Millisecond Time = 1000 * Microsecond
	Second      Time = 1000 * Millisecond
)

// MaxTime is the largest representable simulated time (about 292 years).
const MaxTime Time = math.MaxInt64

// MinTime is the most negative simulated time netgym produces: -MaxTime, so
// that negating a Time never overflows.
const MinTime Time = -MaxTime

// Seconds converts a number of seconds to Time, rounding to the nearest
// nanosecond. Values beyond the range of Time saturate at MaxTime or
// MinTime, and NaN gives 0, identically on every platform (a plain
// float-to-int conversion is platform-dependent there). Code that takes a
// time from user input should use FromFloat, which reports those values as
// errors instead.
func Seconds(s float64) Time { return saturate(s * 1e9) }

// Milliseconds converts a number of milliseconds to Time like Seconds.
func Milliseconds(ms float64) Time { return saturate(ms * 1e6) }

// Microseconds converts a number of microseconds to Time like Seconds.
func Microseconds(us float64) Time { return saturate(us * 1e3) }

// maxTimeFloat is the smallest float64 above MaxTime (2^63): every float64
// below it converts to int64 exactly.
const maxTimeFloat = 1 << 63

// saturate rounds ns to the nearest integer and clamps it to [MinTime,
// MaxTime]; NaN gives 0.
func saturate(ns float64) Time {
	ns = math.Round(ns)
	switch {
	case ns != ns:
		return 0
	case ns >= maxTimeFloat:
		return MaxTime
	case ns <= -maxTimeFloat:
		return MinTime
	}
	// The float64 next above -2^63 is -2^63+1024: Time(ns) >= MinTime.
	return Time(ns)
}

// FromFloat converts value, counted in units of unit (e.g. sim.Second or
// sim.Millisecond), to Time, rounding to the nearest nanosecond. It returns
// an error for NaN, infinities and values outside [MinTime, MaxTime], so
// that flags and configuration taken from users are range-checked instead
// of wrapping. unit must be positive.
func FromFloat(value float64, unit Time) (Time, error) {
	if unit <= 0 {
		return 0, fmt.Errorf("sim: time unit %d ns must be positive", int64(unit))
	}
	ns := math.Round(value * float64(unit))
	if math.IsNaN(value) || math.IsInf(value, 0) || !(ns < maxTimeFloat && ns > -maxTimeFloat) {
		return 0, fmt.Errorf("sim: time %g x %v is outside the simulated time range (+-%.4g s)", value, unit, MaxTime.Seconds())
	}
	return Time(ns), nil
}

// Add returns t + d, saturated at MaxTime and MinTime instead of wrapping.
func (t Time) Add(d Time) Time {
	r := t + d
	switch {
	case d > 0 && r < t:
		return MaxTime
	case d < 0 && r > t:
		return MinTime
	}
	return r
}

// Mul returns t * n, saturated at MaxTime and MinTime instead of wrapping.
func (t Time) Mul(n int64) Time {
	if t == 0 || n == 0 {
		return 0
	}
	r := t * Time(n)
	if r/Time(n) != t || (n == -1 && t == math.MinInt64) {
		if (t > 0) == (n > 0) {
			return MaxTime
		}
		return MinTime
	}
	return max(r, MinTime)
}

// FromDuration converts a Go time.Duration (also nanoseconds) to Time.
func FromDuration(d time.Duration) Time { return Time(d) }

// Duration returns t as a Go time.Duration.
func (t Time) Duration() time.Duration { return time.Duration(t) }

// Seconds returns t in seconds.
func (t Time) Seconds() float64 { return float64(t) / 1e9 }

// Milliseconds returns t in milliseconds.
func (t Time) Milliseconds() float64 { return float64(t) / 1e6 }

// Microseconds returns t in microseconds.
func (t Time) Microseconds() float64 { return float64(t) / 1e3 }

// String formats t with Go's duration syntax, e.g. "1.5s", "34µs", "0s".
func (t Time) String() string { return time.Duration(t).String() }
