package channelif

import (
	"errors"

	"github.com/netgym/netgym/spaces"
)

// DEFIANCE's channel interfaces
//
// A ChannelInterface is one end of a communication channel between two RL
// applications (DEFIANCE's ChannelInterface): an observation application
// sends to an agent, an agent to an action application. Messages are
// spaces.Value (DEFIANCE sends OpenGymDictContainers); the value itself
// stays on the Go side and is handed to the receiver's callbacks on
// arrival, while the simulation carries only its size (by default its
// spaces.EncodedSize). SimpleChannelInterface is a direct link with a fixed
// delay; SocketChannelInterface sends UDP datagrams through the simulated
// network.

// ConnectionStatus is the state of a channel interface's connection
// (DEFIANCE's ConnectionStatus).
type ConnectionStatus uint8

// Connection states. StatusConnecting is reserved for TCP, whose handshake
// takes simulated time; UDP and simple interfaces connect at once.
const (
	StatusDisconnected ConnectionStatus = iota
	StatusConnecting
	StatusConnected
)

// String returns "Disconnected", "Connecting" or "Connected".
func (s ConnectionStatus) String() string {
	switch s {
	case StatusDisconnected:
		return "Disconnected"
	case StatusConnecting:
		return "Connecting"
	case StatusConnected:
		return "Connected"
	}
	return "ConnectionStatus(?)"
}

// Errors of channel interfaces; match them with errors.Is.
var (
	// ErrNotConnected: Send or Disconnect on an interface that has no
	// connection.
	ErrNotConnected = errors.New("channelif: channel interface is not connected")
	// ErrAlreadyConnected: Connect where one of the two interfaces is
	// already connected (DEFIANCE keeps the old connection; so does
	// netgym).
	ErrAlreadyConnected = errors.New("channelif: channel interface is already connected")
	// ErrIncompatibleInterface: Connect between interfaces of different
	// kinds, of different simulations, or to itself.
	ErrIncompatibleInterface = errors.New("channelif: incompatible channel interfaces")
	// ErrInterfaceClosed: use of a socket interface after Close.
	ErrInterfaceClosed = errors.New("channelif: channel interface is closed")
	// ErrTCPNotSupported: a socket interface asked for TCP, which netgym
	// does not simulate yet.
	ErrTCPNotSupported = errors.New("channelif: TCP socket channel interfaces: TCP arrives with a later issue; use SocketUDP")
	// ErrNilMessage: Send with a nil message.
	ErrNilMessage = errors.New("channelif: cannot send a nil message")
)

// RecvCallback receives a message that arrived at an interface. msg is the
// value the sender passed to Send, not a copy: treat it as read-only (use
// spaces.Clone to keep a modified copy).
type RecvCallback func(msg spaces.Value)

// RecvCallbackID identifies a callback added with AddRecvCallback; the
// zero ID refers to none.
type RecvCallbackID uint64

// MessageSizer returns the number of bytes a message occupies on the
// simulated network. The default is spaces.EncodedSize; a sizer that
// returns the size of ns3-gym's protobuf DataContainer reproduces
// DEFIANCE's packet sizes.
type MessageSizer func(msg spaces.Value) (int, error)

// InterfaceStats counts a channel interface's messages.
type InterfaceStats struct {
	TxMessages uint64 // messages accepted by Send and SendSized
	TxBytes    uint64 // their sizes
	RxMessages uint64 // messages handed to the receive callbacks
	RxBytes    uint64 // their sizes
	// Dropped counts arrivals discarded because the connection they were
	// sent on had ended (Disconnect, or a new Connect) before they arrived.
	Dropped uint64
	// Expired counts messages this interface sent over a socket that never
	// arrived within the configured MessageLifetime (lost in the network):
	// their values are forgotten.
	Expired uint64
}

// ChannelInterface is one end of a channel between two RL applications
// (DEFIANCE's ChannelInterface). Several interfaces may connect the same
// pair of applications. Implementations are driven from the simulation's
// goroutine and are not safe for concurrent use.
type ChannelInterface interface {
	// Connect connects this interface and other, both ways. It fails if
	// either is already connected (the old connection is kept), if other
	// is of another kind or simulation, or is this interface.
	Connect(other ChannelInterface) error
	// Disconnect ends the connection on both sides. Messages still in
	// flight on it are not delivered. It returns ErrNotConnected if there
	// is no connection.
	Disconnect() error
	// Send sends msg to the connected partner; its size on the network is
	// the interface's MessageSizer (by default spaces.EncodedSize). The
	// partner's callbacks get msg itself, so do not modify it afterwards.
	Send(msg spaces.Value) error
	// SendSized is Send with an explicit size in bytes.
	SendSized(msg spaces.Value, size int) error
	// AddRecvCallback adds a callback for arriving messages; callbacks run
	// in the order they were added. A nil cb is ignored (the zero ID).
	AddRecvCallback(cb RecvCallback) RecvCallbackID
	// RemoveRecvCallback removes a callback and reports whether it was
	// there. Changes made during a delivery apply from the next message.
	RemoveRecvCallback(id RecvCallbackID) bool
	// Status returns the connection status.
	Status() ConnectionStatus
	// Connected reports whether Status is StatusConnected.
	Connected() bool
	// Stats returns the interface's counters.
	Stats() InterfaceStats
}

// endpoint is what both interface kinds share: callbacks, status, counters
// and the sizer.
type endpoint struct {
	callbacks []recvEntry
	lastID    RecvCallbackID
	status    ConnectionStatus
	stats     InterfaceStats
	sizer     MessageSizer
}

type recvEntry struct {
	id RecvCallbackID
	fn RecvCallback
}

func (e *endpoint) addRecvCallback(cb RecvCallback) RecvCallbackID {
	if cb == nil {
		return 0
	}
	e.lastID++
	e.callbacks = append(e.callbacks, recvEntry{id: e.lastID, fn: cb})
	return e.lastID
}

func (e *endpoint) removeRecvCallback(id RecvCallbackID) bool {
	for i, c := range e.callbacks {
		if c.id == id && id != 0 {
			// Copy on write: a delivery in progress keeps its slice.
			kept := make([]recvEntry, 0, len(e.callbacks)-1)
			kept = append(kept, e.callbacks[:i]...)
			e.callbacks = append(kept, e.callbacks[i+1:]...)
			return true
		}
	}
	return false
}

// messageSize returns the size of msg on the network.
func (e *endpoint) messageSize(msg spaces.Value) (int, error) {
	if msg == nil {
		return 0, ErrNilMessage
	}
	if e.sizer != nil {
		return e.sizer(msg)
	}
	return spaces.EncodedSize(msg)
}

// deliver hands msg to the callbacks.
func (e *endpoint) deliver(msg spaces.Value, size int) {
	e.stats.RxMessages++
	e.stats.RxBytes += uint64(size)
	for _, c := range e.callbacks {
		c.fn(msg)
	}
}

func (e *endpoint) sent(size int) {
	e.stats.TxMessages++
	e.stats.TxBytes += uint64(size)
}
