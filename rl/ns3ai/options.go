package ns3ai

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors of the message interface; match them with errors.Is.
var (
	// ErrNoSegment: the named segment does not exist (yet).
	ErrNoSegment = errors.New("ns3ai: no such segment")
	// ErrLayout: the segment is not one this package can read: an unknown
	// or newer Boost.Interprocess layout, a wrong size, a missing object,
	// an object whose size or alignment differs from the Go type's.
	ErrLayout = errors.New("ns3ai: segment layout not recognised")
	// ErrTimeout: the peer did not take its turn within the timeout.
	ErrTimeout = errors.New("ns3ai: peer did not answer in time")
	// ErrPeerGone: the peer process died or removed the segment.
	ErrPeerGone = errors.New("ns3ai: peer is gone")
	// ErrFinished: the simulation side marked the end (handleFinish).
	ErrFinished = errors.New("ns3ai: simulation finished")
	// ErrTooLarge: a message does not fit the shared buffer.
	ErrTooLarge = errors.New("ns3ai: message larger than the shared buffer")
	// ErrMalformed: the peer wrote a message this side cannot read (a
	// size field beyond the buffer).
	ErrMalformed = errors.New("ns3ai: malformed message from peer")
	// ErrMisuse: the calls are out of the protocol's order on this side
	// (SendEnd without SendBegin, use after Close, ...).
	ErrMisuse = errors.New("ns3ai: protocol calls out of order")
	// ErrClosed: the interface was closed.
	ErrClosed = errors.New("ns3ai: interface closed")
)

// Side says which end of ns3-ai's message interface this process plays.
type Side int

const (
	// Simulation is ns3-ai's C++ side (CppSendBegin, CppRecvBegin, ...):
	// it sends in the cpp-to-python object and receives in the
	// python-to-cpp one, and marks the end when handleFinish is set.
	Simulation Side = iota
	// Agent is ns3-ai's Python side (PyRecvBegin, PySendBegin, ...).
	Agent
)

// peer returns the other side.
func (s Side) peer() Side {
	if s == Simulation {
		return Agent
	}
	return Simulation
}

// String returns "simulation" or "agent".
func (s Side) String() string {
	switch s {
	case Simulation:
		return "simulation"
	case Agent:
		return "agent"
	}
	return fmt.Sprintf("Side(%d)", int(s))
}

// Defaults of ns3-ai's Ns3AiMsgInterface (model/msg-interface/
// ns3-ai-msg-interface.h, class Ns3AiMsgInterface's members) and of this
// package's waits.
const (
	DefaultSegmentName  = "My Seg"
	DefaultCpp2PyName   = "My Cpp to Python Msg"
	DefaultPy2CppName   = "My Python to Cpp Msg"
	DefaultLockableName = "My Lockable"
	DefaultSize         = 4096
	DefaultTimeout      = 60 * time.Second
)

// Segment sizes this package accepts.
const (
	minSegmentSize = 512
	maxSegmentSize = 1 << 30
)

// Options configures one end of the message interface. The zero value is
// not valid: start from DefaultOptions.
type Options struct {
	// SegmentName is the shared-memory segment's name (ns3-ai:
	// segName / SetNames' first argument); the segment is the file
	// /dev/shm/<SegmentName>.
	SegmentName string
	// Cpp2PyName, Py2CppName and LockableName are the names of the
	// three named objects in the segment.
	Cpp2PyName, Py2CppName, LockableName string
	// Vector selects the vector-based interface (ns3-ai: useVector).
	// Both sides must agree.
	Vector bool
	// HandleFinish enables ns3-ai's end-of-simulation protocol: the
	// simulation side marks the end inside a send cycle when it closes,
	// and the agent side sees Finished() after RecvBegin. Both sides
	// must agree.
	HandleFinish bool
	// Size is the segment size in bytes when this side creates it
	// (ns3-ai: shmSize); an opener takes the creator's size.
	Size int
	// Timeout bounds every wait for the peer's turn.
	Timeout time.Duration
	// PeerPID is the process whose death ends the waits with
	// ErrPeerGone: 0 finds it from /proc (the other processes that map
	// the segment: at Open, or while a creator waits), a negative value
	// watches no process. An opener notices the segment's removal by its
	// creator in any case.
	PeerPID int
}

// DefaultOptions returns ns3-ai's defaults: segment "My Seg" of 4096 bytes
// with its three object names, the struct interface, no handleFinish, and
// a 60 s timeout per wait.
func DefaultOptions() Options {
	return Options{
		SegmentName:  DefaultSegmentName,
		Cpp2PyName:   DefaultCpp2PyName,
		Py2CppName:   DefaultPy2CppName,
		LockableName: DefaultLockableName,
		Size:         DefaultSize,
		Timeout:      DefaultTimeout,
	}
}

// maxNameLen bounds object names; netgym's own layout stores names in
// fixed 64-byte fields.
const maxNameLen = 63

// Validate reports the first invalid field.
func (o Options) Validate() error {
	switch {
	case o.SegmentName == "" || len(o.SegmentName) > 255 || strings.ContainsAny(o.SegmentName, "/\x00") ||
		o.SegmentName == "." || o.SegmentName == "..":
		return fmt.Errorf("ns3ai: SegmentName %q must be 1 to 255 bytes without '/' or NUL", o.SegmentName)
	case o.Size < minSegmentSize || o.Size > maxSegmentSize:
		return fmt.Errorf("ns3ai: Size %d out of range [%d, %d]", o.Size, minSegmentSize, maxSegmentSize)
	case o.Timeout <= 0:
		return fmt.Errorf("ns3ai: Timeout %v must be positive", o.Timeout)
	}
	names := []struct{ field, v string }{
		{"Cpp2PyName", o.Cpp2PyName}, {"Py2CppName", o.Py2CppName}, {"LockableName", o.LockableName}}
	for i, n := range names {
		if n.v == "" || len(n.v) > maxNameLen || strings.IndexByte(n.v, 0) >= 0 {
			return fmt.Errorf("ns3ai: %s %q must be 1 to %d bytes without NUL", n.field, n.v, maxNameLen)
		}
		for _, m := range names[:i] {
			if m.v == n.v {
				return fmt.Errorf("ns3ai: %s and %s are both %q; the three objects need distinct names", m.field, n.field, n.v)
			}
		}
	}
	return nil
}
