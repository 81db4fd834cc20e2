package epc

import (
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// Entity is a network function of the core.
type Entity uint8

// Entities.
const (
	EntityRANNode Entity = iota + 1 // the core's application on an eNB/gNB
	EntityMME
	EntitySGW // in VariantMmWave, the SGW part of the SGW/PGW node
	EntityPGW // in VariantMmWave, the PGW part of the SGW/PGW node
	EntityUE  // the UE's NAS
)

// String returns the entity's name.
func (e Entity) String() string {
	switch e {
	case EntityRANNode:
		return "RAN node"
	case EntityMME:
		return "MME"
	case EntitySGW:
		return "SGW"
	case EntityPGW:
		return "PGW"
	case EntityUE:
		return "UE"
	}
	return fmt.Sprintf("Entity(%d)", uint8(e))
}

// Interface is a reference point of the core.
type Interface uint8

// Interfaces.
const (
	IfaceS1U  Interface = iota + 1 // RAN node - SGW, GTP-U
	IfaceS1AP                      // RAN node - MME, S1-AP
	IfaceS11                       // MME - SGW, GTP-C
	IfaceS5U                       // SGW - PGW, GTP-U
	IfaceS5C                       // SGW - PGW, GTP-C
	IfaceSGi                       // PGW - packet data network (remote hosts)
)

// String returns the interface's name, e.g. "S1-U".
func (i Interface) String() string {
	switch i {
	case IfaceS1U:
		return "S1-U"
	case IfaceS1AP:
		return "S1-AP"
	case IfaceS11:
		return "S11"
	case IfaceS5U:
		return "S5-U"
	case IfaceS5C:
		return "S5-C"
	case IfaceSGi:
		return "SGi"
	}
	return fmt.Sprintf("Interface(%d)", uint8(i))
}

// Stage is one step of a control procedure: a message handled by the
// entity it was sent to, or the end of a procedure.
type Stage uint8

// Stages of attach (TS 23.401 5.3.2 as ns-3 models it), of dedicated
// bearer activation after attach (5.4.1, netgym's addition) and of bearer
// release (5.4.4.2, the RAN-initiated release ns-3 implements).
const (
	// Attach.
	StageInitialUEMessage           Stage = iota + 1 // S1-AP: RAN node -> MME
	StageCreateSessionRequest                        // S11: MME -> SGW; S5-C: SGW -> PGW
	StageCreateSessionResponse                       // S5-C: PGW -> SGW; S11: SGW -> MME
	StageInitialContextSetupRequest                  // S1-AP: MME -> RAN node
	StageAttached                                    // the RAN node holds the UE's context and tunnels
	// Dedicated bearer activation after attach.
	StageCreateBearerRequest  // S5-C: PGW -> SGW; S11: SGW -> MME
	StageERABSetupRequest     // S1-AP: MME -> RAN node
	StageERABSetupResponse    // S1-AP: RAN node -> MME
	StageCreateBearerResponse // S11: MME -> SGW; S5-C: SGW -> PGW
	StageBearerActivated      // the PGW classifies downlink packets onto the bearer
	// Bearer release.
	StageERABReleaseIndication // S1-AP: RAN node -> MME
	StageDeleteBearerCommand   // S11: MME -> SGW; S5-C: SGW -> PGW
	StageDeleteBearerRequest   // S5-C: PGW -> SGW; S11: SGW -> MME
	StageDeleteBearerResponse  // S11: MME -> SGW; S5-C: SGW -> PGW
	StageBearerReleased        // the PGW removed the bearer
)

var stageNames = [...]string{
	StageInitialUEMessage:           "InitialUEMessage",
	StageCreateSessionRequest:       "CreateSessionRequest",
	StageCreateSessionResponse:      "CreateSessionResponse",
	StageInitialContextSetupRequest: "InitialContextSetupRequest",
	StageAttached:                   "Attached",
	StageCreateBearerRequest:        "CreateBearerRequest",
	StageERABSetupRequest:           "E-RABSetupRequest",
	StageERABSetupResponse:          "E-RABSetupResponse",
	StageCreateBearerResponse:       "CreateBearerResponse",
	StageBearerActivated:            "BearerActivated",
	StageERABReleaseIndication:      "E-RABReleaseIndication",
	StageDeleteBearerCommand:        "DeleteBearerCommand",
	StageDeleteBearerRequest:        "DeleteBearerRequest",
	StageDeleteBearerResponse:       "DeleteBearerResponse",
	StageBearerReleased:             "BearerReleased",
}

// String returns the stage's name.
func (s Stage) String() string {
	if s > 0 && int(s) < len(stageNames) {
		return stageNames[s]
	}
	return fmt.Sprintf("Stage(%d)", uint8(s))
}

// ControlEvent reports one stage of a control procedure, when the entity
// To handles it.
type ControlEvent struct {
	Time  sim.Time // when the entity To handled it
	Stage Stage    // what happened
	// Interface is the reference point the message crossed (0 for the
	// final stages Attached, BearerActivated and BearerReleased).
	Interface Interface
	From, To  Entity // sender and receiver (0 for the final stages)
	IMSI      uint64 // the UE
	CellID    uint16 // the cell the UE attached through (0 before)
	// BearerIDs are the EPS bearers the message is about.
	BearerIDs []uint8
	// Size is the message's size in bytes (the UDP payload) when it
	// travelled over a link, 0 for a direct call.
	Size int
}

// String describes the event.
func (e ControlEvent) String() string {
	s := fmt.Sprintf("%v %v imsi=%d cell=%d bearers=%v", e.Time, e.Stage, e.IMSI, e.CellID, e.BearerIDs)
	if e.Interface != 0 {
		s += fmt.Sprintf(" %v %v->%v", e.Interface, e.From, e.To)
	}
	if e.Size > 0 {
		s += fmt.Sprintf(" %dB", e.Size)
	}
	return s
}

// DropReason says why the core dropped a user packet.
type DropReason uint8

// Drop reasons.
const (
	// DropUnknownUE: a downlink packet for an address no UE has (ns-3's
	// PGW: "unknown UE address").
	DropUnknownUE DropReason = iota + 1
	// DropNoBearer: no TFT of the UE matches the packet (ns-3: "no
	// matching bearer for this packet").
	DropNoBearer
	// DropUnknownTEID: a GTP-U packet for a TEID the receiver does not
	// know (ns-3's RAN node: "UE context not found").
	DropUnknownTEID
	// DropNoContext: an uplink packet from the RAN for a UE and bearer the
	// RAN node has no tunnel for.
	DropNoContext
	// DropSendFailed: the tunnel packet could not be sent (too large for
	// the link MTU, no route, ...).
	DropSendFailed
	// DropMalformed: a packet on a GTP-U port without a GTP-U header, or a
	// user packet without an IPv4 header.
	DropMalformed

	numDropReasons
)

var dropNames = [...]string{
	DropUnknownUE:   "UnknownUE",
	DropNoBearer:    "NoBearer",
	DropUnknownTEID: "UnknownTEID",
	DropNoContext:   "NoContext",
	DropSendFailed:  "SendFailed",
	DropMalformed:   "Malformed",
}

// String returns the reason's name.
func (r DropReason) String() string {
	if r > 0 && r < numDropReasons {
		return dropNames[r]
	}
	return fmt.Sprintf("DropReason(%d)", uint8(r))
}

// DropHook is called for every user packet the core drops, with the entity
// that dropped it; the hook borrows p.
type DropHook func(p *packet.Packet, reason DropReason, where Entity)

// TrafficStats counts packets and bytes in one direction. Bytes are IPv4
// bytes: on S1-U and S5-U a tunnel packet's outer IPv4 packet (the user's
// IPv4 packet plus TunnelOverhead), on GTP-C and S1-AP the message plus
// its UDP and IPv4 headers. Link-layer (PPP) bytes are not included.
type TrafficStats struct {
	Packets uint64 // packets (messages) sent
	Bytes   uint64 // their IPv4 bytes
}

func (t *TrafficStats) add(bytes int) {
	t.Packets++
	t.Bytes += uint64(bytes)
}

// Stats counts what the core sent, per interface: the user plane (GTP-U)
// and the control plane (GTP-C, S1-AP over links; direct calls send
// nothing) apart. Uplink packets are counted by the sender (the RAN node on
// S1-U, the SGW on S5-U), downlink ones by theirs (SGW, PGW).
type Stats struct {
	S1UUplink, S1UDownlink TrafficStats // GTP-U on S1-U
	S5UUplink, S5UDownlink TrafficStats // GTP-U on S5-U (VariantNR)
	S11                    TrafficStats // GTP-C on S11, both ways (VariantNR)
	S5C                    TrafficStats // GTP-C on S5-C, both ways (VariantNR)
	S1AP                   TrafficStats // S1-AP, both ways (VariantMmWave)
	// Drops counts dropped user packets, indexed by DropReason.
	Drops [numDropReasons]uint64
}
