package epc

import (
	"fmt"

	"github.com/netgym/netgym/sim"
)

// QCI is an EPS bearer's QoS Class Identifier (LTE) or 5G QoS Identifier
// (NR 5QI): a number standing for a set of QoS characteristics (3GPP TS
// 23.203 table 6.1.7, TS 23.501 table 5.7.4-1). The constants carry ns-3.45's
// names (EpsBearer::Qci in src/lte/model/eps-bearer.h, the same as 5G-LENA's
// NrEpsBearer::Qci).
type QCI uint8

// QCI and 5QI values, as ns-3.45's EpsBearer::Qci.
const (
	GBRConvVoice         QCI = 1  // GBR conversational voice
	GBRConvVideo         QCI = 2  // GBR conversational video (live streaming)
	GBRGaming            QCI = 3  // GBR real-time gaming
	GBRNonConvVideo      QCI = 4  // GBR non-conversational video (buffered streaming)
	NGBRIMS              QCI = 5  // non-GBR IMS signalling
	NGBRVideoTCPOperator QCI = 6  // non-GBR TCP-based video (buffered streaming, www, e-mail)
	NGBRVoiceVideoGaming QCI = 7  // non-GBR voice, video, interactive streaming
	NGBRVideoTCPPremium  QCI = 8  // non-GBR TCP-based video, premium
	NGBRVideoTCPDefault  QCI = 9  // non-GBR TCP-based video, default bearer
	GBRMCPushToTalk      QCI = 65 // GBR mission-critical push-to-talk voice
	GBRNMCPushToTalk     QCI = 66 // GBR non-mission-critical push-to-talk voice
	GBRMCVideo           QCI = 67 // GBR mission-critical video
	NGBRMCDelaySignal    QCI = 69 // non-GBR mission-critical delay-sensitive signalling
	NGBRMCData           QCI = 70 // non-GBR mission-critical data
	GBRLiveUL71          QCI = 71 // GBR live uplink streaming
	GBRLiveUL72          QCI = 72 // GBR live uplink streaming
	GBRLiveUL73          QCI = 73 // GBR live uplink streaming
	GBRLiveUL74          QCI = 74 // GBR live uplink streaming
	GBRV2X               QCI = 75 // GBR V2X messages
	GBRLiveUL76          QCI = 76 // GBR live uplink streaming
	NGBRV2X              QCI = 79 // non-GBR V2X messages
	NGBRLowLatEMBB       QCI = 80 // non-GBR low-latency eMBB (5QI 80)
	DGBRDiscreteAutSmall QCI = 82 // delay-critical GBR discrete automation, small packets
	DGBRDiscreteAutLarge QCI = 83 // delay-critical GBR discrete automation, large packets
	DGBRITS              QCI = 84 // delay-critical GBR intelligent transport systems
	DGBRElectricity      QCI = 85 // delay-critical GBR electricity distribution, high voltage
	DGBRV2X              QCI = 86 // delay-critical GBR V2X messages
	DGBRInterServ87      QCI = 87 // delay-critical GBR interactive service (motion tracking)
	DGBRInterServ88      QCI = 88 // delay-critical GBR interactive service (motion tracking)
	DGBRVisualContent89  QCI = 89 // delay-critical GBR visual content (split rendering)
	DGBRVisualContent90  QCI = 90 // delay-critical GBR visual content (split rendering)
	qciTableSize             = 91
)

// ResourceType is a QCI's resource type.
type ResourceType uint8

// Resource types, numbered as in ns-3.45's BearerRequirements tables.
const (
	NonGBR           ResourceType = 0 // non-guaranteed bit rate
	GBR              ResourceType = 1 // guaranteed bit rate
	DelayCriticalGBR ResourceType = 2 // delay-critical GBR (5G)
)

// String returns "Non-GBR", "GBR" or "DC-GBR".
func (r ResourceType) String() string {
	switch r {
	case NonGBR:
		return "Non-GBR"
	case GBR:
		return "GBR"
	case DelayCriticalGBR:
		return "DC-GBR"
	}
	return fmt.Sprintf("ResourceType(%d)", uint8(r))
}

// Release selects the 3GPP release whose QCI table applies, as ns-3.45's
// EpsBearer "Release" attribute (8 to 11 share one table; 15 and 18 have
// their own).
type Release uint8

// Releases with a QCI table.
const (
	Release11 Release = 11 // TS 23.203 Rel-8..11: QCIs 1..9 (ns-3's default)
	Release15 Release = 15 // Rel-15: adds mission-critical, V2X and 5QIs 80..85
	Release18 Release = 18 // Rel-18: adds 71..76 and 86..90 (5G-LENA's NrHelper default)
)

// Validate reports whether r is a release with a table: 8 to 11, 15 or 18.
func (r Release) Validate() error {
	switch {
	case r >= 8 && r <= 11, r == 15, r == 18:
		return nil
	}
	return fmt.Errorf("epc: QoS release %d has no QCI table (accepted: 8..11, 15, 18)", r)
}

// QoS is the set of characteristics a QCI stands for, as ns-3.45's
// EpsBearer::BearerRequirements.
type QoS struct {
	// Resource is the resource type: Non-GBR, GBR or delay-critical GBR.
	Resource ResourceType
	// Priority is the priority level: lower is more important.
	Priority uint8
	// PacketDelayBudget is the upper bound of the delay between the UE and
	// the PGW (N6 for 5G).
	PacketDelayBudget sim.Time
	// PacketErrorRate is the upper bound of the rate of SDUs lost by the
	// link layer without being delivered.
	PacketErrorRate float64
	// MaxDataBurst is the largest burst, in bytes, a delay-critical GBR
	// bearer serves within its budget (0 for the others).
	MaxDataBurst uint32
	// AveragingWindow is the window over which GBR rates are computed (0
	// where ns-3's table has none).
	AveragingWindow sim.Time
}

// qosRow is one row of a table: ns-3's tuple (resource type, priority,
// PDB in ms, PER, max data burst in bytes, averaging window in ms).
type qosRow struct {
	ok       bool
	resource ResourceType
	priority uint8
	pdbMs    uint16
	per      float64
	mdbv     uint32
	windowMs uint32
}

func (r qosRow) qos() QoS {
	return QoS{
		Resource:          r.resource,
		Priority:          r.priority,
		PacketDelayBudget: sim.Time(r.pdbMs) * sim.Millisecond,
		PacketErrorRate:   r.per,
		MaxDataBurst:      r.mdbv,
		AveragingWindow:   sim.Time(r.windowMs) * sim.Millisecond,
	}
}

func row(res ResourceType, prio uint8, pdbMs uint16, per float64, mdbv, windowMs uint32) qosRow {
	return qosRow{ok: true, resource: res, priority: prio, pdbMs: pdbMs, per: per, mdbv: mdbv, windowMs: windowMs}
}

// The tables of ns-3.45's EpsBearer::GetRequirementsRel11, Rel15 and Rel18
// (src/lte/model/eps-bearer.cc; 5G-LENA nr-4.1's nr-eps-bearer.cc has the
// same values), indexed by QCI. They are fixed arrays, not maps, so that a
// lookup never allocates and no table is shared mutable state.
var (
	qosRel11 = [qciTableSize]qosRow{
		GBRConvVoice:         row(GBR, 2, 100, 1e-2, 0, 0),
		GBRConvVideo:         row(GBR, 4, 150, 1e-3, 0, 0),
		GBRGaming:            row(GBR, 3, 50, 1e-3, 0, 0),
		GBRNonConvVideo:      row(GBR, 5, 300, 1e-6, 0, 0),
		NGBRIMS:              row(NonGBR, 1, 100, 1e-6, 0, 0),
		NGBRVideoTCPOperator: row(NonGBR, 6, 300, 1e-6, 0, 0),
		NGBRVoiceVideoGaming: row(NonGBR, 7, 100, 1e-3, 0, 0),
		NGBRVideoTCPPremium:  row(NonGBR, 8, 300, 1e-6, 0, 0),
		NGBRVideoTCPDefault:  row(NonGBR, 9, 300, 1e-6, 0, 0),
	}
	qosRel15 = [qciTableSize]qosRow{
		GBRConvVoice:         row(GBR, 20, 100, 1e-2, 0, 2000),
		GBRConvVideo:         row(GBR, 40, 150, 1e-3, 0, 2000),
		GBRGaming:            row(GBR, 30, 50, 1e-3, 0, 2000),
		GBRNonConvVideo:      row(GBR, 50, 300, 1e-6, 0, 2000),
		GBRMCPushToTalk:      row(GBR, 7, 75, 1e-2, 0, 2000),
		GBRNMCPushToTalk:     row(GBR, 20, 100, 1e-2, 0, 2000),
		GBRMCVideo:           row(GBR, 15, 100, 1e-3, 0, 2000),
		GBRV2X:               row(GBR, 25, 50, 1e-2, 0, 2000),
		NGBRIMS:              row(NonGBR, 10, 100, 1e-6, 0, 0),
		NGBRVideoTCPOperator: row(NonGBR, 60, 300, 1e-6, 0, 0),
		NGBRVoiceVideoGaming: row(NonGBR, 70, 100, 1e-3, 0, 0),
		NGBRVideoTCPPremium:  row(NonGBR, 80, 300, 1e-6, 0, 0),
		NGBRVideoTCPDefault:  row(NonGBR, 90, 300, 1e-6, 0, 0),
		NGBRMCDelaySignal:    row(NonGBR, 5, 60, 1e-6, 0, 0),
		NGBRMCData:           row(NonGBR, 55, 200, 1e-6, 0, 0),
		NGBRV2X:              row(NonGBR, 65, 5, 1e-2, 0, 0),
		NGBRLowLatEMBB:       row(NonGBR, 68, 10, 1e-6, 0, 0),
		DGBRDiscreteAutSmall: row(DelayCriticalGBR, 19, 10, 1e-4, 255, 2000),
		DGBRDiscreteAutLarge: row(DelayCriticalGBR, 22, 10, 1e-4, 1358, 2000),
		DGBRITS:              row(DelayCriticalGBR, 24, 30, 1e-5, 1354, 2000),
		DGBRElectricity:      row(DelayCriticalGBR, 21, 5, 1e-5, 255, 2000),
	}
	qosRel18 = func() [qciTableSize]qosRow {
		t := qosRel15
		t[GBRLiveUL71] = row(GBR, 56, 150, 1e-6, 0, 0)
		t[GBRLiveUL72] = row(GBR, 56, 300, 1e-4, 0, 0)
		t[GBRLiveUL73] = row(GBR, 56, 300, 1e-8, 0, 0)
		t[GBRLiveUL74] = row(GBR, 56, 500, 1e-8, 0, 0)
		t[GBRLiveUL76] = row(GBR, 56, 500, 1e-4, 0, 0)
		t[DGBRV2X] = row(DelayCriticalGBR, 18, 5, 1e-4, 1354, 2000)
		t[DGBRInterServ87] = row(DelayCriticalGBR, 25, 5, 1e-3, 500, 2000)
		t[DGBRInterServ88] = row(DelayCriticalGBR, 25, 10, 1e-3, 1125, 2000)
		t[DGBRVisualContent89] = row(DelayCriticalGBR, 25, 15, 1e-4, 17000, 2000)
		t[DGBRVisualContent90] = row(DelayCriticalGBR, 25, 20, 1e-4, 63000, 2000)
		return t
	}()
)

func (r Release) table() *[qciTableSize]qosRow {
	switch {
	case r >= 8 && r <= 11:
		return &qosRel11
	case r == 15:
		return &qosRel15
	case r == 18:
		return &qosRel18
	}
	return nil
}

// QoS returns the characteristics of q under release r, as ns-3.45's
// EpsBearer getters; it is an error for a QCI the release does not define
// (ns-3 throws std::out_of_range there).
func (q QCI) QoS(r Release) (QoS, error) {
	if err := r.Validate(); err != nil {
		return QoS{}, err
	}
	if int(q) >= qciTableSize || !r.table()[q].ok {
		return QoS{}, fmt.Errorf("epc: QCI %d is not defined in release %d (%s)", q, r, r.qciList())
	}
	return r.table()[q].qos(), nil
}

// QCIs returns the QCIs release r defines, in increasing order.
func (r Release) QCIs() []QCI {
	t := r.table()
	if t == nil {
		return nil
	}
	var out []QCI
	for q := range t {
		if t[q].ok {
			out = append(out, QCI(q))
		}
	}
	return out
}

func (r Release) qciList() string {
	qs := r.QCIs()
	if len(qs) == 0 {
		return "none"
	}
	return fmt.Sprintf("%d QCIs from %d to %d", len(qs), qs[0], qs[len(qs)-1])
}

// IsGBR reports whether q is a GBR or delay-critical GBR QCI under r
// (false for unknown QCIs).
func (q QCI) IsGBR(r Release) bool {
	qos, err := q.QoS(r)
	return err == nil && qos.Resource != NonGBR
}

// GBRQoSInfo holds the bit rates of a GBR bearer (ns-3's
// GbrQosInformation), in bit/s.
type GBRQoSInfo struct {
	GBRDownlink uint64 // guaranteed bit rate, downlink
	GBRUplink   uint64 // guaranteed bit rate, uplink
	MBRDownlink uint64 // maximum bit rate, downlink
	MBRUplink   uint64 // maximum bit rate, uplink
}

// ARP is the allocation and retention priority (TS 23.203 6.1.7.3, ns-3's
// AllocationRetentionPriority).
type ARP struct {
	// PriorityLevel is 1 (highest) to 15; 0 leaves it unset, as ns-3's
	// default.
	PriorityLevel uint8
	// PreemptionCapability: the bearer may preempt others.
	PreemptionCapability bool
	// PreemptionVulnerability: the bearer may be preempted.
	PreemptionVulnerability bool
}

// Bearer is an EPS bearer's QoS: its QCI (5QI) with the bit rates of a GBR
// bearer and the allocation and retention priority, as ns-3's EpsBearer.
// The zero value is not valid (QCI 0); DefaultBearer returns ns-3's default
// bearer.
type Bearer struct {
	QCI QCI        // QoS class (5QI)
	GBR GBRQoSInfo // bit rates of a GBR bearer
	ARP ARP        // allocation and retention priority
}

// DefaultBearer returns the QoS of the default bearer ns-3's and 5G-LENA's
// helpers activate at attach (LteHelper/NrHelper::Attach):
// NGBR_VIDEO_TCP_DEFAULT, QCI 9.
func DefaultBearer() Bearer { return Bearer{QCI: NGBRVideoTCPDefault} }

// Validate reports whether the bearer is usable under release r: a QCI the
// release defines, an ARP priority in 0..15, maximum bit rates not below
// guaranteed ones when both are set.
func (b Bearer) Validate(r Release) error {
	if _, err := b.QCI.QoS(r); err != nil {
		return err
	}
	if b.ARP.PriorityLevel > 15 {
		return fmt.Errorf("epc: bearer ARP.PriorityLevel %d is outside 0..15", b.ARP.PriorityLevel)
	}
	g := b.GBR
	if g.MBRDownlink != 0 && g.MBRDownlink < g.GBRDownlink {
		return fmt.Errorf("epc: bearer GBR.MBRDownlink %d is below GBR.GBRDownlink %d", g.MBRDownlink, g.GBRDownlink)
	}
	if g.MBRUplink != 0 && g.MBRUplink < g.GBRUplink {
		return fmt.Errorf("epc: bearer GBR.MBRUplink %d is below GBR.GBRUplink %d", g.MBRUplink, g.GBRUplink)
	}
	return nil
}

// QoS returns the bearer's characteristics under r (see QCI.QoS).
func (b Bearer) QoS(r Release) (QoS, error) { return b.QCI.QoS(r) }
