package rl

import (
	"errors"
	"fmt"
	"slices"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/spaces"
)

// Application is what CommunicationHelper wires: any of the four RL
// applications, or a user type that embeds one (its promoted methods
// satisfy this interface).
type Application interface {
	// Base returns the application's RlApplication.
	Base() *RlApplication
	// Setup is called once after the ids are set, before the interfaces
	// are added (DEFIANCE's Setup).
	Setup() error
}

// Errors of RL applications; match them with errors.Is.
var (
	// ErrUnsupportedInterface: an application was given an interface to
	// a role it does not talk to (e.g. an observation application to
	// another observation application).
	ErrUnsupportedInterface = errors.New("rl: application does not talk to that role")
	// ErrNoInterface: no interface with the given remote application id
	// and interface id.
	ErrNoInterface = errors.New("rl: no such interface")
)

// ifaceEntry is one interface of an application and the receive callback
// the application added to it.
type ifaceEntry struct {
	iface channelif.ChannelInterface
	cb    channelif.RecvCallbackID
}

// RlApplication is what every RL application shares (DEFIANCE's
// RlApplication): its id, its node and default address, whether it runs,
// and its channel interfaces keyed by remote application id, then by
// interface id (0, 1, ... per remote application, as DEFIANCE numbers
// them). Interfaces may be added and deleted while the simulation runs.
// The four roles embed it; user code reaches it through Base.
type RlApplication struct {
	id          RlApplicationID
	node        *inet.Node
	sim         *sim.Simulator
	defaultAddr inet.IPv4Addr
	running     bool

	ifaces map[RlApplicationID]map[int]ifaceEntry
	// accepts reports whether the role talks to remote applications of
	// type t; onAdd adds the receive callback for a new interface.
	accepts func(t ApplicationType) bool
	onAdd   func(remote RlApplicationID, iface channelif.ChannelInterface) channelif.RecvCallbackID
}

func newRlApplication(node *inet.Node, t ApplicationType) (RlApplication, error) {
	if node == nil {
		return RlApplication{}, fmt.Errorf("rl: a %v application needs a node", t)
	}
	return RlApplication{
		id:      RlApplicationID{Type: t},
		node:    node,
		sim:     node.Sim(),
		running: true,
		ifaces:  make(map[RlApplicationID]map[int]ifaceEntry),
	}, nil
}

// Base returns a itself.
func (a *RlApplication) Base() *RlApplication { return a }

// ID returns the application's id.
func (a *RlApplication) ID() RlApplicationID { return a.id }

// SetID sets the id (CommunicationHelper.SetIDs does this); the type must
// be the application's role.
func (a *RlApplication) SetID(id RlApplicationID) error {
	if id.Type != a.id.Type {
		return fmt.Errorf("rl: cannot give a %v application the id %v", a.id.Type, id)
	}
	a.id = id
	return nil
}

// Node returns the node the application runs on.
func (a *RlApplication) Node() *inet.Node { return a.node }

// Sim returns the node's simulator.
func (a *RlApplication) Sim() *sim.Simulator { return a.sim }

// DefaultAddress returns the address new socket interfaces use: the one
// set with SetDefaultAddress, otherwise the node's first interface address
// (DEFIANCE skips the loopback; netgym nodes have none in their list).
func (a *RlApplication) DefaultAddress() inet.IPv4Addr {
	if a.defaultAddr != inet.IPv4Any {
		return a.defaultAddr
	}
	return a.node.Address()
}

// SetDefaultAddress sets the address new socket interfaces use.
func (a *RlApplication) SetDefaultAddress(addr inet.IPv4Addr) { a.defaultAddr = addr }

// Setup does nothing for the base; the roles override it.
func (a *RlApplication) Setup() error { return nil }

// Start lets the application send (applications start running).
func (a *RlApplication) Start() { a.running = true }

// Stop makes the application drop what it would send, as DEFIANCE's
// StopApplication.
func (a *RlApplication) Stop() { a.running = false }

// Running reports whether the application sends.
func (a *RlApplication) Running() bool { return a.running }

// AddInterface adds iface as a channel to the remote application and
// returns its id among the interfaces to that application: one more than
// the highest so far, 0 for the first (DEFIANCE's numbering). The
// application adds its receive callback to iface.
func (a *RlApplication) AddInterface(remote RlApplicationID, iface channelif.ChannelInterface) (int, error) {
	if iface == nil {
		return 0, fmt.Errorf("rl: %v: AddInterface to %v with a nil interface", a.id, remote)
	}
	if !remote.Type.Valid() || a.accepts == nil || !a.accepts(remote.Type) {
		return 0, fmt.Errorf("%w: %v cannot talk to %v", ErrUnsupportedInterface, a.id, remote)
	}
	m := a.ifaces[remote]
	if m == nil {
		m = make(map[int]ifaceEntry)
		a.ifaces[remote] = m
	}
	id := 0
	for k := range m {
		id = max(id, k+1)
	}
	var cb channelif.RecvCallbackID
	if a.onAdd != nil {
		cb = a.onAdd(remote, iface)
	}
	m[id] = ifaceEntry{iface: iface, cb: cb}
	return id, nil
}

// DeleteInterface disconnects the interface and removes it (with its
// receive callback). Disconnecting an interface that is not connected is
// not an error.
func (a *RlApplication) DeleteInterface(remote RlApplicationID, ifaceID int) error {
	e, ok := a.ifaces[remote][ifaceID]
	if !ok {
		return fmt.Errorf("%w: %v has no interface %d to %v", ErrNoInterface, a.id, ifaceID, remote)
	}
	if e.iface.Connected() {
		if err := e.iface.Disconnect(); err != nil {
			return err
		}
	}
	e.iface.RemoveRecvCallback(e.cb)
	delete(a.ifaces[remote], ifaceID)
	if len(a.ifaces[remote]) == 0 {
		delete(a.ifaces, remote)
	}
	return nil
}

// Interface returns an interface by remote application id and interface
// id.
func (a *RlApplication) Interface(remote RlApplicationID, ifaceID int) (channelif.ChannelInterface, bool) {
	e, ok := a.ifaces[remote][ifaceID]
	return e.iface, ok
}

// InterfaceIDs returns the ids of the interfaces to the remote
// application, in increasing order.
func (a *RlApplication) InterfaceIDs(remote RlApplicationID) []int {
	ids := make([]int, 0, len(a.ifaces[remote]))
	for k := range a.ifaces[remote] {
		ids = append(ids, k)
	}
	slices.Sort(ids)
	return ids
}

// Remotes returns the ids of the remote applications of type t the
// application has interfaces to, in increasing order.
func (a *RlApplication) Remotes(t ApplicationType) []RlApplicationID {
	var ids []RlApplicationID
	for id := range a.ifaces {
		if id.Type == t {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(x, y RlApplicationID) int {
		if x.less(y) {
			return -1
		}
		if y.less(x) {
			return 1
		}
		return 0
	})
	return ids
}

// sendTo sends msg over every interface to remote, in interface id order,
// if the application runs. It returns ErrNoInterface if there is none, and
// otherwise the errors of the interfaces, joined (the other interfaces
// still send).
func (a *RlApplication) sendTo(msg spaces.Value, remote RlApplicationID) error {
	ids := a.InterfaceIDs(remote)
	if len(ids) == 0 {
		return fmt.Errorf("%w: %v has no interface to %v", ErrNoInterface, a.id, remote)
	}
	if !a.running {
		return nil
	}
	var errs []error
	for _, k := range ids {
		if err := a.ifaces[remote][k].iface.Send(msg); err != nil {
			errs = append(errs, fmt.Errorf("rl: %v to %v interface %d: %w", a.id, remote, k, err))
		}
	}
	return errors.Join(errs...)
}

// sendVia sends msg over one interface.
func (a *RlApplication) sendVia(msg spaces.Value, remote RlApplicationID, ifaceID int) error {
	e, ok := a.ifaces[remote][ifaceID]
	if !ok {
		return fmt.Errorf("%w: %v has no interface %d to %v", ErrNoInterface, a.id, ifaceID, remote)
	}
	if !a.running {
		return nil
	}
	if err := e.iface.Send(msg); err != nil {
		return fmt.Errorf("rl: %v to %v interface %d: %w", a.id, remote, ifaceID, err)
	}
	return nil
}

// sendAll sends msg to every remote application of type t.
func (a *RlApplication) sendAll(msg spaces.Value, t ApplicationType) error {
	var errs []error
	for _, r := range a.Remotes(t) {
		if err := a.sendTo(msg, r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
