package channelif

import (
	"errors"

	"github.com/netgym/netgym/sim"
)

// Limits that keep a backend's cost per command and its memory bounded
// whatever a client sends. docs/netrl-protocol.md lists them with the
// replies a client gets beyond them.
const (
	// DefaultMaxAdvance is the most simulated time one FLUSH (or STEP) may
	// advance a SimBackend unless its Spec says otherwise: 10 minutes.
	// Simulating idle time is not free (an access point beacons every
	// 102.4 ms and every station hears it): 10 minutes of the multi-UE
	// Wi-Fi scenario cost about 13 ms of CPU with 2 UEs and 1.3 s with 253,
	// well within the 10 s NetRL waits for a reply, and cover 600 000 steps
	// of 1 ms, far more than any NetRL client skips. A FLUSH beyond it is
	// answered with ERROR and advances nothing.
	DefaultMaxAdvance = 10 * 60 * sim.Second

	// DefaultMaxPending is the most packets a channel holds for steps not
	// reached yet: TRANSMITs whose send time lies ahead of the simulation
	// (SimBackend), or ids not yet returned by Flush (PerfectChannel,
	// GEChannel). It is 65536, more than NetRL ever has in flight (its
	// max_pending_steps of 200 steps times the 253 UEs of the largest
	// multi-UE scenario is 50 600). A TRANSMIT beyond it is answered with
	// ERROR; memory stays bounded (about 150 bytes per pending packet).
	DefaultMaxPending = 1 << 16

	// MaxSimTime is the latest simulated time a SimBackend runs to: about
	// 146 years, half of sim.MaxTime, so that every timer a model sets from
	// within a step (a beacon interval, a propagation delay, a queue
	// lifetime, all bounded by their configurations' Validate) still fits
	// sim.Time. A step that ends later is refused.
	MaxSimTime = sim.MaxTime / 2
)

// ErrNotInitialized is returned by the methods of a channel or backend that
// was not made by its constructor (a zero value), instead of a panic.
var ErrNotInitialized = errors.New("channelif: zero value used: make it with its New... constructor")

// StepChecker is implemented by backends that can tell, before anything is
// sent, whether a STEP would be refused: Serve asks before a STEP
// transmits, so that a STEP answered with ERROR sent nothing.
type StepChecker interface {
	// CheckStep reports the error a STEP of step with sends transmissions
	// would meet (the flush would advance too far, the pending packets
	// would exceed their bound), or nil.
	CheckStep(step uint32, sends int) error
}
