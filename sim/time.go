// Package sim is netgym's discrete-event kernel: simulated time, the event
// scheduler and the named random-number streams every model draws from.
//
// One *Simulator drives one simulation, on one goroutine. Nothing in this
// package is global, so many simulations can run side by side in one process.
package sim

import (
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

// Seconds converts a number of seconds to Time, rounding to the nearest
// nanosecond.
func Seconds(s float64) Time { return Time(math.Round(s * 1e9)) }

// Milliseconds converts a number of milliseconds to Time, rounding to the
// nearest nanosecond.
func Milliseconds(ms float64) Time { return Time(math.Round(ms * 1e6)) }

// Microseconds converts a number of microseconds to Time, rounding to the
// nearest nanosecond.
func Microseconds(us float64) Time { return Time(math.Round(us * 1e3)) }

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
