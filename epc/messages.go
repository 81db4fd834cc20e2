package epc

import (
	"fmt"
	"strings"

	"github.com/netgym/netgym/sim/inet"
)

// GTPCMessageType is a GTPv2-C message type (TS 29.274 table 6.1-1).
type GTPCMessageType uint8

// The GTP-C messages the core exchanges. ns-3.45 and 5G-LENA implement the
// session, modify and delete messages; netgym adds Create Bearer Request
// and Response for dedicated bearers activated after attach (TS 23.401
// 5.4.1), which ns-3 does not implement.
const (
	CreateSessionRequest  GTPCMessageType = 32
	CreateSessionResponse GTPCMessageType = 33
	ModifyBearerRequest   GTPCMessageType = 34
	ModifyBearerResponse  GTPCMessageType = 35
	DeleteBearerCommand   GTPCMessageType = 66
	CreateBearerRequest   GTPCMessageType = 95
	CreateBearerResponse  GTPCMessageType = 96
	DeleteBearerRequest   GTPCMessageType = 99
	DeleteBearerResponse  GTPCMessageType = 100
)

// String returns the message's name.
func (t GTPCMessageType) String() string {
	switch t {
	case CreateSessionRequest:
		return "CreateSessionRequest"
	case CreateSessionResponse:
		return "CreateSessionResponse"
	case ModifyBearerRequest:
		return "ModifyBearerRequest"
	case ModifyBearerResponse:
		return "ModifyBearerResponse"
	case DeleteBearerCommand:
		return "DeleteBearerCommand"
	case CreateBearerRequest:
		return "CreateBearerRequest"
	case CreateBearerResponse:
		return "CreateBearerResponse"
	case DeleteBearerRequest:
		return "DeleteBearerRequest"
	case DeleteBearerResponse:
		return "DeleteBearerResponse"
	}
	return fmt.Sprintf("GTPCMessageType(%d)", uint8(t))
}

// FTEIDInterface is the interface type of a fully qualified TEID (TS
// 29.274 8.22), with ns-3's NrGtpcHeader::InterfaceType_t values.
type FTEIDInterface uint8

// F-TEID interface types.
const (
	S1UENBGTPU  FTEIDInterface = 0  // S1-U eNodeB/gNB GTP-U
	S1USGWGTPU  FTEIDInterface = 1  // S1-U SGW GTP-U
	S5SGWGTPU   FTEIDInterface = 4  // S5/S8 SGW GTP-U
	S5PGWGTPU   FTEIDInterface = 5  // S5/S8 PGW GTP-U
	S5SGWGTPC   FTEIDInterface = 6  // S5/S8 SGW GTP-C
	S5PGWGTPC   FTEIDInterface = 7  // S5/S8 PGW GTP-C
	S11MMEGTPC  FTEIDInterface = 10 // S11 MME GTP-C
	S11SGWGTPC  FTEIDInterface = 11 // S11 SGW GTP-C
	causeAccept                = 16 // GTP-C cause "Request accepted"
)

// FTEID is a fully qualified tunnel endpoint id: an interface type, a TEID
// and an IPv4 address.
type FTEID struct {
	Interface FTEIDInterface // what the endpoint is
	TEID      uint32         // the endpoint's tunnel id
	Address   inet.IPv4Addr  // the endpoint's address
}

// BearerContext is a GTP-C bearer context: the EPS bearer id, its QoS and
// TFT, and a tunnel endpoint.
type BearerContext struct {
	BearerID uint8  // EPS bearer id
	Bearer   Bearer // QoS
	TFT      *TFT   // traffic flow template
	FTEID    FTEID  // a tunnel endpoint of the bearer
}

// Serialized sizes of ns-3.45's GTPv2-C information elements
// (NrGtpcIes in nr-epc-gtpc-header.h: serializedSize*), in bytes.
const (
	gtpcHeaderSize          = 12 // version, flags, type, length, TEID, sequence number, spare
	ieIMSISize              = 12
	ieCauseSize             = 6
	ieEBISize               = 5
	ieBearerQoSSize         = 26
	iePacketFilterSize      = 3 + 9 + 9 + 5 + 5 + 3 // 34
	ieTFTHeaderSize         = 5                     // IE header (4) + TFT operation and filter count (1)
	ieULIECGISize           = 12
	ieFTEIDSize             = 13
	ieBearerContextHdrSize  = 4
	gtpcBearerContextFixed  = ieBearerContextHdrSize + ieEBISize + ieTFTHeaderSize + ieFTEIDSize + ieBearerQoSSize // 53
	gtpcCreateBearerRspCtxt = ieBearerContextHdrSize + ieEBISize + ieCauseSize + ieFTEIDSize                       // 28
)

// GTPCMessage is a GTPv2-C message as a typed packet header: it is the
// whole UDP payload of a GTP-C packet, and its Size is the byte count of
// ns-3.45's serialisation (NrGtpc*Message::GetSerializedSize: the 12-byte
// header with TEID plus the information elements). Which fields are
// present depends on Type.
type GTPCMessage struct {
	// Type is the message type.
	Type GTPCMessageType
	// TEID is the receiver's control-plane TEID (ns-3 uses the IMSI).
	TEID uint32
	// IMSI: Create Session and Modify Bearer Requests.
	IMSI uint64
	// CellID is the user location (ECGI): Create Session and Modify Bearer
	// Requests.
	CellID uint16
	// Sender is the sender's control-plane F-TEID: Create Session Request
	// and Response.
	Sender FTEID
	// Cause: responses.
	Cause uint8
	// LinkedBearerID is the default bearer a dedicated bearer hangs on:
	// Create Bearer Request.
	LinkedBearerID uint8
	// Bearers are the bearer contexts: Create Session, Create Bearer and
	// Modify Bearer messages, Delete Bearer Command (ids only).
	Bearers []BearerContext
	// BearerIDs are the EPS bearer ids of Delete Bearer Request and
	// Response.
	BearerIDs []uint8
}

func tftIESize(t *TFT) int {
	n := 0
	if t != nil {
		n = t.Len()
	}
	return ieTFTHeaderSize + n*iePacketFilterSize
}

// Size returns the message's serialised size in bytes, as ns-3.45 counts
// it. The two messages ns-3 lacks are counted with ns-3's IE sizes: a
// Create Bearer Request is the header, the linked EBI and the bearer
// contexts of a Create Session Request; a Create Bearer Response is the
// header, a cause and per bearer a context of EBI, cause and F-TEID.
func (m *GTPCMessage) Size() int {
	n := gtpcHeaderSize
	switch m.Type {
	case CreateSessionRequest:
		n += ieIMSISize + ieULIECGISize + ieFTEIDSize
		for i := range m.Bearers {
			n += gtpcBearerContextFixed - ieTFTHeaderSize + tftIESize(m.Bearers[i].TFT)
		}
	case CreateSessionResponse:
		n += ieCauseSize + ieFTEIDSize
		for i := range m.Bearers {
			n += gtpcBearerContextFixed - ieTFTHeaderSize + tftIESize(m.Bearers[i].TFT)
		}
	case ModifyBearerRequest:
		n += ieIMSISize + ieULIECGISize + len(m.Bearers)*(ieBearerContextHdrSize+ieEBISize+ieFTEIDSize)
	case ModifyBearerResponse:
		n += ieCauseSize
	case DeleteBearerCommand:
		n += len(m.Bearers) * (ieBearerContextHdrSize + ieEBISize)
	case DeleteBearerRequest:
		n += len(m.BearerIDs) * ieEBISize
	case DeleteBearerResponse:
		n += ieCauseSize + len(m.BearerIDs)*ieEBISize
	case CreateBearerRequest:
		n += ieEBISize
		for i := range m.Bearers {
			n += gtpcBearerContextFixed - ieTFTHeaderSize + tftIESize(m.Bearers[i].TFT)
		}
	case CreateBearerResponse:
		n += ieCauseSize + len(m.Bearers)*gtpcCreateBearerRspCtxt
	}
	return n
}

// String describes the message.
func (m *GTPCMessage) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "GTP-C %v teid=%d len=%d", m.Type, m.TEID, m.Size())
	if m.IMSI != 0 {
		fmt.Fprintf(&b, " imsi=%d", m.IMSI)
	}
	for _, c := range m.Bearers {
		fmt.Fprintf(&b, " ebi=%d", c.BearerID)
	}
	for _, id := range m.BearerIDs {
		fmt.Fprintf(&b, " ebi=%d", id)
	}
	return b.String()
}

// S1APProcedure is an S1-AP procedure code (TS 36.413 9.3.7), as ns3-mmwave's
// EpcS1APHeader::ProcedureCode_t.
type S1APProcedure uint8

// The S1-AP messages the core exchanges, with ns3-mmwave's procedure
// codes (EpcS1APHeader::ProcedureCode_t), which its EpcS1apEnb and
// EpcS1apMme carry over UDP. netgym adds E-RAB Setup Request (TS 36.413's
// E-RAB Setup code, 5) and Response (a netgym code: S1-AP tells request
// and response apart by the PDU type, not the code) for dedicated bearers
// activated after attach.
const (
	S1APInitialUEMessage       S1APProcedure = 71
	S1APInitialContextSetupReq S1APProcedure = 41
	S1APInitialContextSetupRsp S1APProcedure = 43 // defined, never sent (as in ns-3)
	S1APERABReleaseIndication  S1APProcedure = 37
	S1APERABSetupRequest       S1APProcedure = 5
	S1APERABSetupResponse      S1APProcedure = 133

	s1apHeaderSize                = 6 // ns3-mmwave EpcS1APHeader::GetSerializedSize
	s1apInitialUEMessageSize      = 3 + 2 + 6 + 4 + 2 + 9 + 9
	s1apContextSetupFixed         = 9 + 3 + 9 + 4 + 1
	s1apERABToBeSetupItemSize     = 47
	s1apReleaseIndicationFixed    = 9 + 3 + 4 + 1
	s1apReleaseIndicationItemSize = 1
	s1apERABSetupResponseFixed    = 9 + 3 + 4 + 1
	s1apERABSetupItemSize         = 10
	s1apERABSetupRequestFixed     = 9 + 3 + 4 + 1
)

// String returns the procedure's name.
func (c S1APProcedure) String() string {
	switch c {
	case S1APERABSetupRequest:
		return "E-RABSetupRequest"
	case S1APERABSetupResponse:
		return "E-RABSetupResponse"
	case S1APInitialContextSetupReq:
		return "InitialContextSetupRequest"
	case S1APInitialUEMessage:
		return "InitialUEMessage"
	case S1APERABReleaseIndication:
		return "E-RABReleaseIndication"
	case S1APInitialContextSetupRsp:
		return "InitialContextSetupResponse"
	}
	return fmt.Sprintf("S1APProcedure(%d)", uint8(c))
}

// ERAB is an E-RAB of an S1-AP message: the EPS bearer id, its QoS, the
// TFT (for the UE's NAS), and the tunnel: the SGW's S1-U address and the
// TEID, which ns-3 uses in both directions.
type ERAB struct {
	BearerID   uint8         // EPS bearer id (E-RAB id)
	Bearer     Bearer        // QoS
	TFT        *TFT          // the bearer's TFT
	SGWAddress inet.IPv4Addr // the SGW's S1-U address
	TEID       uint32        // the tunnel id, both directions
}

// S1APMessage is an S1-AP message as a typed packet header. In the
// ns3-mmwave variant it travels over UDP port 36412 on the S1-AP link and
// is the whole UDP payload; Size is ns3-mmwave's byte count (the 6-byte
// EpcS1APHeader plus the message header's m_headerLength). In the 5G-LENA
// variant S1-AP is a direct call and nothing is sent.
type S1APMessage struct {
	// Procedure is the procedure code.
	Procedure S1APProcedure
	// MMEUEID and ENBUEID are the UE's S1-AP ids (ns-3: the IMSI and the
	// RNTI).
	MMEUEID uint64
	ENBUEID uint16 // see MMEUEID
	// CellID: Initial UE Message.
	CellID uint16
	// ERABs: Initial Context Setup and E-RAB Setup Requests, E-RAB Setup
	// Response, E-RAB Release Indication (ids only).
	ERABs []ERAB
}

// Size returns the message's serialised size in bytes (ns3-mmwave's
// epc-s1ap-header.cc; the sizes of the two messages it lacks follow its
// Initial Context Setup Request and Response).
func (m *S1APMessage) Size() int {
	n := s1apHeaderSize
	switch m.Procedure {
	case S1APInitialUEMessage:
		n += s1apInitialUEMessageSize
	case S1APInitialContextSetupReq:
		n += s1apContextSetupFixed + len(m.ERABs)*s1apERABToBeSetupItemSize
	case S1APERABSetupRequest:
		n += s1apERABSetupRequestFixed + len(m.ERABs)*s1apERABToBeSetupItemSize
	case S1APERABSetupResponse, S1APInitialContextSetupRsp:
		n += s1apERABSetupResponseFixed + len(m.ERABs)*s1apERABSetupItemSize
	case S1APERABReleaseIndication:
		n += s1apReleaseIndicationFixed + len(m.ERABs)*s1apReleaseIndicationItemSize
	}
	return n
}

// String describes the message.
func (m *S1APMessage) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "S1-AP %v mme-ue=%d enb-ue=%d len=%d", m.Procedure, m.MMEUEID, m.ENBUEID, m.Size())
	for _, e := range m.ERABs {
		fmt.Fprintf(&b, " erab=%d", e.BearerID)
	}
	return b.String()
}
