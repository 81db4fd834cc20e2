package epc

import (
	"errors"
	"fmt"

	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// MaxBearers is the most EPS bearers a UE has (ns-3's MME and UE NAS
// assert fewer than 11 before adding one; bearer ids are 1..11).
const MaxBearers = 11

// UE is a UE as the core knows it: its IMSI, node, address and NAS, and
// where it is attached.
type UE struct {
	e     *EPC
	imsi  uint64
	node  *inet.Node
	dev   inet.NetDevice
	iface *inet.Interface
	addr  inet.IPv4Addr
	nas   NAS
}

// IMSI returns the UE's IMSI.
func (u *UE) IMSI() uint64 { return u.imsi }

// Node returns the UE's node.
func (u *UE) Node() *inet.Node { return u.node }

// Device returns the RAN's device on the UE's node.
func (u *UE) Device() inet.NetDevice { return u.dev }

// Interface returns the UE's interface on that device.
func (u *UE) Interface() *inet.Interface { return u.iface }

// Address returns the UE's address from the UE pool.
func (u *UE) Address() inet.IPv4Addr { return u.addr }

// NAS returns the UE's NAS: the RAN's UE device hands it the uplink
// packets IPv4 sends (NAS.Send).
func (u *UE) NAS() *NAS { return &u.nas }

// Attached reports whether the UE's context is set up: the RAN node
// serving it holds its bearers' tunnels.
func (u *UE) Attached() bool { return u.e.mme.ues[u.imsi].attached }

// Cell returns the cell the UE attached through and its RNTI there, and
// whether it has one.
func (u *UE) Cell() (cellID, rnti uint16, ok bool) {
	ctx := u.e.mme.ues[u.imsi]
	if ctx.cell == nil {
		return 0, 0, false
	}
	return ctx.cell.cellID, ctx.rnti, true
}

// BearerInfo describes one EPS bearer of a UE.
type BearerInfo struct {
	ID     uint8  // EPS bearer id
	Bearer Bearer // QoS
	TFT    *TFT   // a copy
	// State is "pending" (waiting for attach), "setting up", "active" or
	// "releasing".
	State string
	// TEID is the bearer's tunnel id on S1-U and S5-U, 0 before set-up.
	TEID uint32
}

// Bearers returns the UE's bearers in id order, as the MME knows them.
func (u *UE) Bearers() []BearerInfo {
	ctx := u.e.mme.ues[u.imsi]
	out := make([]BearerInfo, 0, len(ctx.bearers))
	for _, b := range ctx.bearers {
		out = append(out, BearerInfo{ID: b.id, Bearer: b.bearer, TFT: b.tft.clone(), State: b.state.String(), TEID: b.teid})
	}
	return out
}

// UEAccess is the RAN's side of a UE: what the NAS hands classified uplink
// packets to (ns-3's NrAsSapProvider::SendData). The RAN's device on the
// UE's node typically implements it.
type UEAccess interface {
	// SendData sends p, an IPv4 packet of the UE, on the data radio bearer
	// of EPS bearer bearerID. On nil error the RAN owns p; on error p stays
	// with the caller, unchanged.
	SendData(p *packet.Packet, bearerID uint8) error
}

// NASState is the state of a UE's NAS.
type NASState uint8

// NAS states (ns-3's EpcUeNas has OFF, ATTACHING, IDLE_REGISTERED,
// CONNECTING_TO_EPC and ACTIVE; the RRC-driven states between OFF and
// ACTIVE belong to the RAN).
const (
	NASOff    NASState = iota // not connected: uplink packets are refused
	NASActive                 // connected: uplink packets are classified onto bearers
)

// String returns "off" or "active".
func (s NASState) String() string {
	switch s {
	case NASOff:
		return "off"
	case NASActive:
		return "active"
	}
	return fmt.Sprintf("NASState(%d)", uint8(s))
}

// Errors of NAS.Send.
var (
	// ErrNASNotActive: the UE is not connected.
	ErrNASNotActive = errors.New("epc: UE NAS is not active (not connected)")
	// ErrNoMatchingBearer: no TFT of the UE matches the packet.
	ErrNoMatchingBearer = errors.New("epc: no bearer's TFT matches the packet")
	// ErrNoAccess: the NAS has no RAN to send through (SetAccess).
	ErrNoAccess = errors.New("epc: UE NAS has no RAN access")
)

// NASStats counts a NAS's uplink packets.
type NASStats struct {
	Sent      uint64 // packets handed to the RAN
	NoBearer  uint64 // refused: no TFT matched
	NotActive uint64 // refused: not connected
}

// NAS is a UE's non-access stratum as far as user packets go, after ns-3's
// EpcUeNas: it holds the UE's bearers and their TFTs, and classifies every
// uplink packet onto a bearer (the highest bearer id whose TFT matches, so
// the default bearer last) before handing it to the RAN. Bearers
// registered before the UE connects are activated when the RAN reports
// the connection (NotifyConnectionSuccessful), as in ns-3; dedicated
// bearers activated later are added when their E-RAB is set up at the RAN
// node.
type NAS struct {
	// OnStateChange, when set, is called at every state change.
	OnStateChange func(old, new NASState)

	imsi       uint64
	state      NASState
	classifier Classifier
	registered []nasBearer // every bearer of the UE, id order
	access     UEAccess
	stats      NASStats
}

type nasBearer struct {
	id  uint8
	tft *TFT
}

// IMSI returns the UE's IMSI.
func (n *NAS) IMSI() uint64 { return n.imsi }

// State returns the NAS state.
func (n *NAS) State() NASState { return n.state }

// Active reports whether the NAS is active.
func (n *NAS) Active() bool { return n.state == NASActive }

// Stats returns the NAS's counters.
func (n *NAS) Stats() NASStats { return n.stats }

// SetAccess sets the RAN access uplink packets go to.
func (n *NAS) SetAccess(a UEAccess) { n.access = a }

// BearerIDs returns the ids of the bearers the classifier holds, in
// classification order (highest first).
func (n *NAS) BearerIDs() []uint8 {
	ids := n.classifier.IDs()
	out := make([]uint8, len(ids))
	for i, id := range ids {
		out[i] = uint8(id)
	}
	return out
}

// Classify returns the bearer id p (an IPv4 packet leaving the UE) travels
// on, or 0 when no active bearer's TFT matches.
func (n *NAS) Classify(p *packet.Packet) uint8 {
	return uint8(n.classifier.Classify(p, Uplink))
}

// Send classifies p, an IPv4 packet the UE sends, and hands it to the RAN
// on its bearer (ns-3's EpcUeNas::Send). It returns ErrNASNotActive,
// ErrNoMatchingBearer or ErrNoAccess, or the RAN's error; on error p stays
// with the caller. This is what the RAN's UE device calls from its Send.
func (n *NAS) Send(p *packet.Packet) error {
	if n.state != NASActive {
		n.stats.NotActive++
		return ErrNASNotActive
	}
	id := n.Classify(p)
	if id == 0 {
		n.stats.NoBearer++
		return ErrNoMatchingBearer
	}
	if n.access == nil {
		return ErrNoAccess
	}
	if err := n.access.SendData(p, id); err != nil {
		return err
	}
	n.stats.Sent++
	return nil
}

// NotifyConnectionSuccessful is the RAN telling the NAS the UE is
// connected: the NAS becomes active and activates every bearer registered
// so far (ns-3's DoNotifyConnectionSuccessful).
func (n *NAS) NotifyConnectionSuccessful() {
	for _, b := range n.registered {
		_ = n.classifier.Add(uint32(b.id), b.tft) // at most MaxBearers < MaxClassifierEntries
	}
	n.setState(NASActive)
}

// NotifyConnectionReleased is the RAN telling the NAS the connection is
// gone: the NAS removes the TFTs and goes off, keeping its bearers for the
// next connection (ns-3's DoNotifyConnectionReleased).
func (n *NAS) NotifyConnectionReleased() {
	n.classifier = Classifier{}
	n.setState(NASOff)
}

func (n *NAS) setState(s NASState) {
	old := n.state
	n.state = s
	if n.OnStateChange != nil && old != s {
		n.OnStateChange(old, s)
	}
}

// register records a bearer (classified once active).
func (n *NAS) register(id uint8, tft *TFT) {
	i := 0
	for i < len(n.registered) && n.registered[i].id < id {
		i++
	}
	n.registered = append(n.registered, nasBearer{})
	copy(n.registered[i+1:], n.registered[i:])
	n.registered[i] = nasBearer{id: id, tft: tft}
}

// activate adds a registered bearer to the classifier of an active NAS
// (a dedicated bearer set up after attach).
func (n *NAS) activate(id uint8) {
	if n.state != NASActive {
		return
	}
	for _, b := range n.registered {
		if b.id == id {
			_ = n.classifier.Add(uint32(id), b.tft)
			return
		}
	}
}

// unregister forgets a bearer.
func (n *NAS) unregister(id uint8) {
	n.classifier.Delete(uint32(id))
	for i, b := range n.registered {
		if b.id == id {
			n.registered = append(n.registered[:i], n.registered[i+1:]...)
			return
		}
	}
}
