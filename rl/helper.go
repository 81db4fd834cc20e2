package rl

import (
	"errors"
	"fmt"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/sim"
)

// SocketAttributes asks for socket channel interfaces between two
// applications (DEFIANCE's SocketCommunicationAttributes): each side's
// SocketConfig gives its address (zero: the application's
// DefaultAddress), port (zero: ephemeral) and protocol (SocketTCP gets
// channelif.ErrTCPNotSupported).
type SocketAttributes struct {
	Client channelif.SocketConfig
	Server channelif.SocketConfig
}

// CommunicationAttributes says how two applications talk (DEFIANCE's
// CommunicationAttributes): without Socket, or when both applications run
// on the same node (and CheckForSimpleInterfaces is on), over simple
// interfaces with propagation delay Delay (default 0); with Socket, over
// socket interfaces through the simulated network.
type CommunicationAttributes struct {
	Delay  sim.Time
	Socket *SocketAttributes
}

// CommunicationPair asks for one channel between a client and a server
// application (usually the agent) (DEFIANCE's CommunicationPair).
type CommunicationPair struct {
	Client     RlApplicationID
	Server     RlApplicationID
	Attributes CommunicationAttributes
}

// Channel is a channel CommunicationHelper made: the two interfaces and
// their ids in the client and the server.
type Channel struct {
	Client, Server               channelif.ChannelInterface
	ClientIfaceID, ServerIfaceID int
}

// CommunicationHelper wires RL applications (DEFIANCE's
// CommunicationHelper): it takes every application by role, numbers them
// (SetIDs), calls their Setup (Configure) and connects pairs of them with
// channel interfaces (AddCommunication).
type CommunicationHelper struct {
	sim  *sim.Simulator
	apps [4][]Application
	// CheckForSimpleInterfaces connects applications on the same node
	// with simple interfaces even when socket attributes are given
	// (DEFIANCE's default: true).
	CheckForSimpleInterfaces bool
}

// NewCommunicationHelper returns a helper for the applications of
// simulation s.
func NewCommunicationHelper(s *sim.Simulator) (*CommunicationHelper, error) {
	if s == nil {
		return nil, errors.New("rl: NewCommunicationHelper needs a simulator")
	}
	return &CommunicationHelper{sim: s, CheckForSimpleInterfaces: true}, nil
}

func (h *CommunicationHelper) set(t ApplicationType, apps []Application) error {
	for i, a := range apps {
		if a == nil || a.Base() == nil {
			return fmt.Errorf("rl: %v application %d is nil", t, i)
		}
		if a.Base().ID().Type != t {
			return fmt.Errorf("rl: %v application %d is a %v application", t, i, a.Base().ID().Type)
		}
		if a.Base().Sim() != h.sim {
			return fmt.Errorf("rl: %v application %d belongs to another simulation", t, i)
		}
	}
	h.apps[t] = append([]Application(nil), apps...)
	return nil
}

// SetObservationApps sets the observation applications; their order gives
// their ids.
func (h *CommunicationHelper) SetObservationApps(apps ...Application) error {
	return h.set(ObservationApp, apps)
}

// SetRewardApps sets the reward applications; their order gives their ids.
func (h *CommunicationHelper) SetRewardApps(apps ...Application) error {
	return h.set(RewardApp, apps)
}

// SetAgentApps sets the agent applications; their order gives their ids.
func (h *CommunicationHelper) SetAgentApps(apps ...Application) error {
	return h.set(AgentApp, apps)
}

// SetActionApps sets the action applications; their order gives their ids.
func (h *CommunicationHelper) SetActionApps(apps ...Application) error {
	return h.set(ActionApp, apps)
}

// SetIDs numbers the applications of each role 0, 1, ... in the order
// given.
func (h *CommunicationHelper) SetIDs() error {
	for t, apps := range h.apps {
		for i, a := range apps {
			if err := a.Base().SetID(RlApplicationID{Type: ApplicationType(t), ID: uint32(i)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Configure calls Setup on every application: observation, reward, agent,
// then action applications, as DEFIANCE.
func (h *CommunicationHelper) Configure() error {
	for _, apps := range h.apps {
		for _, a := range apps {
			if err := a.Setup(); err != nil {
				return fmt.Errorf("rl: setup of %v: %w", a.Base().ID(), err)
			}
		}
	}
	return nil
}

// App returns the application with the given id.
func (h *CommunicationHelper) App(id RlApplicationID) (Application, error) {
	if !id.Type.Valid() || int(id.ID) >= len(h.apps[id.Type]) {
		return nil, fmt.Errorf("rl: no application %v", id)
	}
	return h.apps[id.Type][id.ID], nil
}

// AddCommunication makes a channel for every pair, in order, adds its
// interfaces to both applications and connects them at once. It stops at
// the first error.
func (h *CommunicationHelper) AddCommunication(pairs ...CommunicationPair) ([]Channel, error) {
	out := make([]Channel, 0, len(pairs))
	for _, p := range pairs {
		ch, err := h.connect(p)
		if err != nil {
			return out, fmt.Errorf("rl: communication %v - %v: %w", p.Client, p.Server, err)
		}
		out = append(out, ch)
	}
	return out, nil
}

func (h *CommunicationHelper) connect(p CommunicationPair) (Channel, error) {
	ca, err := h.App(p.Client)
	if err != nil {
		return Channel{}, err
	}
	sa, err := h.App(p.Server)
	if err != nil {
		return Channel{}, err
	}
	c, s := ca.Base(), sa.Base()
	if c.accepts == nil || !c.accepts(p.Server.Type) || s.accepts == nil || !s.accepts(p.Client.Type) {
		return Channel{}, fmt.Errorf("%w: %v and %v", ErrUnsupportedInterface, p.Client, p.Server)
	}
	var ci, si channelif.ChannelInterface
	sock := p.Attributes.Socket
	if sock == nil || (h.CheckForSimpleInterfaces && c.Node() == s.Node()) {
		a, err := channelif.NewSimpleChannelInterface(h.sim, p.Attributes.Delay)
		if err != nil {
			return Channel{}, err
		}
		b, err := channelif.NewSimpleChannelInterface(h.sim, p.Attributes.Delay)
		if err != nil {
			return Channel{}, err
		}
		ci, si = a, b
	} else {
		ccfg, scfg := sock.Client, sock.Server
		if ccfg.Address == 0 {
			ccfg.Address = c.DefaultAddress()
		}
		if scfg.Address == 0 {
			scfg.Address = s.DefaultAddress()
		}
		a, err := channelif.NewSocketChannelInterface(c.Node(), ccfg)
		if err != nil {
			return Channel{}, err
		}
		b, err := channelif.NewSocketChannelInterface(s.Node(), scfg)
		if err != nil {
			_ = a.Close()
			return Channel{}, err
		}
		ci, si = a, b
	}
	if err := ci.Connect(si); err != nil {
		return Channel{}, err
	}
	cid, err := c.AddInterface(p.Server, ci)
	if err != nil {
		return Channel{}, err
	}
	sid, err := s.AddInterface(p.Client, si)
	if err != nil {
		_ = c.DeleteInterface(p.Server, cid)
		return Channel{}, err
	}
	return Channel{Client: ci, Server: si, ClientIfaceID: cid, ServerIfaceID: sid}, nil
}

// DeleteCommunication deletes a channel: the local application's interface
// to the remote one and the remote's to the local (DEFIANCE's
// DeleteCommunication).
func (h *CommunicationHelper) DeleteCommunication(local, remote RlApplicationID, localIface, remoteIface int) error {
	la, err := h.App(local)
	if err != nil {
		return err
	}
	ra, err := h.App(remote)
	if err != nil {
		return err
	}
	return errors.Join(la.Base().DeleteInterface(remote, localIface), ra.Base().DeleteInterface(local, remoteIface))
}
