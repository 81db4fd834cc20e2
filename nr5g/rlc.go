package nr5g

import (
	"fmt"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// RlcMode is the RLC mode of a radio bearer.
type RlcMode uint8

// The RLC modes (NrGnbRrc's EpsBearerToRlcMapping). 5G-LENA's NrHelper maps
// every EPS bearer to RLC UM when an EPC is present (RLC_SM_ALWAYS, which
// NrHelper::InstallSingleGnbDevice turns into RLC_UM_ALWAYS), so RlcUM is
// the default.
const (
	RlcUM RlcMode = iota // unacknowledged mode (TS 36.322 as 5G-LENA's NrRlcUm)
	RlcAM                // acknowledged mode (TS 36.322 as 5G-LENA's NrRlcAm)
	// RlcPerBased is PER_BASED: AM for a bearer whose QCI's packet error
	// rate is at most 1e-5, UM otherwise.
	RlcPerBased
)

// String returns "UM", "AM" or "PER_BASED".
func (m RlcMode) String() string {
	switch m {
	case RlcUM:
		return "UM"
	case RlcAM:
		return "AM"
	case RlcPerBased:
		return "PER_BASED"
	}
	return fmt.Sprintf("RlcMode(%d)", uint8(m))
}

// RlcConfig configures the RLC entities of the data radio bearers, with
// 5G-LENA's NrRlcUm and NrRlcAm defaults.
type RlcConfig struct {
	// Mode is the RLC mode of every data radio bearer (default RlcUM).
	Mode RlcMode
	// ModeByQCI overrides Mode for the bearers of the QCIs (5QIs) it
	// holds: the RLC mode per bearer. It must not hold RlcPerBased.
	ModeByQCI map[epc.QCI]RlcMode
	// MaxTxBufferBytes is NrRlcUm's MaxTxBufferSize: a PDCP PDU that does
	// not fit in the transmission buffer is dropped (default 10 KiB).
	MaxTxBufferBytes int
	// ReorderingTimer is NrRlcUm's ReorderingTimer, t-Reordering of TS
	// 36.322 7.3 (default 100 ms).
	ReorderingTimer sim.Time
	// BsrTimer is the period at which an RLC UM entity with data left after
	// a transmission opportunity reports its buffer again (NrRlcUm's
	// m_bsrTimer, fixed at 10 ms in 5G-LENA).
	BsrTimer sim.Time
	// EnablePdcpDiscarding is NrRlcUm's EnablePdcpDiscarding (default
	// true): when a PDCP PDU arrives while the head of the transmission
	// buffer has waited longer than the discard timer, the PDU is traced
	// as discarded (RlcStats.DiscardTimerHits, the OnRlcDrop trace) but
	// kept, as in 5G-LENA.
	EnablePdcpDiscarding bool
	// DiscardTimer is NrRlcUm's DiscardTimerMs; 0 (the default) takes the
	// bearer's packet delay budget at the gNB and never fires at the UE
	// (5G-LENA sets the budget only on the gNB's entities).
	DiscardTimer sim.Time
	// Am configures the RLC AM entities.
	Am RlcAmConfig
}

// RlcAmConfig configures RLC AM entities with NrRlcAm's defaults.
type RlcAmConfig struct {
	// MaxTxBufferBytes is NrRlcAm's MaxTxBufferSize (default 10 KiB; 0:
	// unlimited).
	MaxTxBufferBytes int
	// PollRetransmitTimer is t-PollRetransmit (default 20 ms).
	PollRetransmitTimer sim.Time
	// ReorderingTimer is t-Reordering (default 10 ms).
	ReorderingTimer sim.Time
	// StatusProhibitTimer is t-StatusProhibit (default 10 ms).
	StatusProhibitTimer sim.Time
	// BufferStatusReportTimer is how long after an SDU the buffer is
	// reported again while anything is queued or unacknowledged (default
	// 20 ms).
	BufferStatusReportTimer sim.Time
	// TxOpportunityForRetxAlwaysBigEnough retransmits a PDU in any
	// opportunity, even one smaller than the PDU (default false).
	TxOpportunityForRetxAlwaysBigEnough bool
}

// DefaultRlcConfig returns 5G-LENA's defaults: RLC UM with a 10 KiB
// buffer, t-Reordering 100 ms, BSR timer 10 ms and PDCP discard tracing
// at the bearer's delay budget; RLC AM with a 10 KiB buffer,
// t-PollRetransmit 20 ms, t-Reordering 10 ms, t-StatusProhibit 10 ms and
// a 20 ms buffer status timer.
func DefaultRlcConfig() RlcConfig {
	return RlcConfig{Mode: RlcUM, MaxTxBufferBytes: 10 * 1024, ReorderingTimer: 100 * sim.Millisecond,
		BsrTimer: 10 * sim.Millisecond, EnablePdcpDiscarding: true,
		Am: RlcAmConfig{MaxTxBufferBytes: 10 * 1024, PollRetransmitTimer: 20 * sim.Millisecond,
			ReorderingTimer: 10 * sim.Millisecond, StatusProhibitTimer: 10 * sim.Millisecond,
			BufferStatusReportTimer: 20 * sim.Millisecond}}
}

// Validate reports the first field out of range.
func (c RlcConfig) Validate() error {
	timer := func(name string, t sim.Time, zeroOK bool) error {
		if t < 0 || t > 3600*sim.Second || (!zeroOK && t == 0) {
			lo := "("
			if zeroOK {
				lo = "["
			}
			return fmt.Errorf("nr5g: RlcConfig.%s %v out of range %s0, 1h]", name, t, lo)
		}
		return nil
	}
	switch {
	case c.Mode > RlcPerBased:
		return fmt.Errorf("nr5g: RlcConfig.Mode %v unknown (want RlcUM, RlcAM or RlcPerBased)", c.Mode)
	case c.MaxTxBufferBytes < 1 || c.MaxTxBufferBytes > 1<<30:
		return fmt.Errorf("nr5g: RlcConfig.MaxTxBufferBytes %d out of range [1, %d]", c.MaxTxBufferBytes, 1<<30)
	case c.Am.MaxTxBufferBytes < 0 || c.Am.MaxTxBufferBytes > 1<<30:
		return fmt.Errorf("nr5g: RlcConfig.Am.MaxTxBufferBytes %d out of range [0, %d]", c.Am.MaxTxBufferBytes, 1<<30)
	}
	for q, m := range c.ModeByQCI {
		if m > RlcAM {
			return fmt.Errorf("nr5g: RlcConfig.ModeByQCI[%d] %v: want RlcUM or RlcAM", q, m)
		}
	}
	for _, e := range []error{
		timer("ReorderingTimer", c.ReorderingTimer, true),
		timer("BsrTimer", c.BsrTimer, false),
		timer("DiscardTimer", c.DiscardTimer, true),
		timer("Am.PollRetransmitTimer", c.Am.PollRetransmitTimer, false),
		timer("Am.ReorderingTimer", c.Am.ReorderingTimer, true),
		timer("Am.StatusProhibitTimer", c.Am.StatusProhibitTimer, true),
		timer("Am.BufferStatusReportTimer", c.Am.BufferStatusReportTimer, false),
	} {
		if e != nil {
			return e
		}
	}
	return nil
}

// modeFor returns the RLC mode of a bearer (NrGnbRrc::GetRlcType).
func (c RlcConfig) modeFor(b epc.Bearer, rel epc.Release) RlcMode {
	if m, ok := c.ModeByQCI[b.QCI]; ok {
		return m
	}
	if c.Mode == RlcPerBased {
		if q, err := b.QoS(rel); err == nil && q.PacketErrorRate > 1e-5 {
			return RlcUM
		}
		return RlcAM
	}
	return c.Mode
}

// newRlc returns the RLC entity of mode for logical channel lcid; pdb is
// the bearer's packet delay budget for RLC UM's discard tracing (0: none).
func newRlc(s *sim.Simulator, mode RlcMode, cfg RlcConfig, lcid uint8, pdb sim.Time, user rlcUser, pdus *rlcPdus) rlcEntity {
	if mode == RlcAM {
		return newRlcAM(s, cfg, lcid, user, pdus)
	}
	r := newRlcUM(s, cfg, lcid, user, pdus)
	if cfg.EnablePdcpDiscarding {
		r.discardAfter = cfg.DiscardTimer
		if r.discardAfter == 0 {
			r.discardAfter = pdb
		}
	}
	return r
}

// RlcStats counts an RLC entity's traffic.
type RlcStats struct {
	TxSdus      uint64 // PDCP PDUs accepted into the transmission buffer
	TxDrops     uint64 // PDCP PDUs dropped because the buffer was full
	TxPdus      uint64 // RLC PDUs handed to the MAC (AM: STATUS PDUs and retransmissions included)
	TxBytes     uint64 // bytes of those PDUs, headers included
	TxRetx      uint64 // AM: data PDUs retransmitted
	TxStatus    uint64 // AM: STATUS PDUs sent
	RxPdus      uint64 // RLC PDUs received from the MAC
	RxStatus    uint64 // AM: STATUS PDUs received
	RxDiscarded uint64 // received PDUs discarded (duplicate or outside the window)
	RxSdus      uint64 // SDUs delivered to PDCP
	RxLostSdus  uint64 // SDU segments discarded by reassembly
	Reorderings uint64 // t-Reordering expiries
	// DiscardTimerHits counts the PDCP PDUs that arrived while the head of
	// the UM transmission buffer was older than the discard timer (traced,
	// not dropped, as 5G-LENA's NrRlcUm does).
	DiscardTimerHits uint64
}

// rlcUser is what an RLC entity calls: the MAC for buffer reports, PDCP
// for delivery.
type rlcUser interface {
	// rlcBufferStatus reports the entity's queues to the MAC.
	rlcBufferStatus(lcid uint8, st BufferStatus)
	// rlcDeliver hands a reassembled SDU (a PDCP PDU) upwards; the user
	// owns p.
	rlcDeliver(lcid uint8, p *packet.Packet)
	// rlcEvent reports a PDU sent or received (pdu) or an SDU dropped or
	// discard-traced (bytes) to the network's Rlc trace.
	rlcEvent(lcid uint8, mode RlcMode, ev RlcEvent, pdu *rlcPdu, bytes int)
}

// rlcEntity is one RLC entity (both directions of one logical channel on
// one side). RLC UM is the implementation; RLC AM plugs in here.
type rlcEntity interface {
	// transmitSdu queues a PDCP PDU (taking ownership).
	transmitSdu(p *packet.Packet)
	// txOpportunity builds a PDU of at most bytes bytes (header included),
	// or returns nil when there is nothing to send or the opportunity is
	// too small.
	txOpportunity(bytes int) *rlcPdu
	// receivePdu processes a PDU from the MAC (taking ownership).
	receivePdu(pdu *rlcPdu)
	// bufferStatus returns the current queue report.
	bufferStatus() BufferStatus
	// stats returns the counters.
	stats() RlcStats
	// release drops every buffered packet and stops the timers.
	release()
}

// Framing info bits of an RLC UM PDU (TS 36.322 6.2.2.6, 5G-LENA's
// NrRlcHeader::FramingInfo).
const (
	fiFirstByte   = 0x00 // the first byte of the data field is the first byte of an SDU
	fiNoFirstByte = 0x02
	fiLastByte    = 0x00 // the last byte is the last byte of an SDU
	fiNoLastByte  = 0x01
)

// segStatus is the status of a buffered SDU (5G-LENA's NrRlcSduStatusTag).
type segStatus uint8

const (
	segFull segStatus = iota
	segFirst
	segMiddle
	segLast
)

// rlcSeg is one element of an RLC PDU's data field: an SDU or a segment of
// one. p is a packet that stands for the SDU (a copy when the SDU was
// split); size is the element's byte count.
type rlcSeg struct {
	p    *packet.Packet
	size int
}

// rlcPdu is an RLC data PDU: the sequence number, framing info, the data
// field elements and the header size (2 bytes plus the length indicators).
type rlcPdu struct {
	sn     uint16
	fi     uint8
	header int
	segs   []rlcSeg
	size   int // header + data
	// RLC AM: a STATUS PDU (ctrl) with its ACK_SN and NACK_SNs, or a data
	// PDU with its polling bit.
	ctrl  bool
	poll  bool
	ackSn uint16
	nacks []uint16
	// For the traces: when the PDU was handed to the MAC, and whether it
	// is an AM retransmission.
	txTime sim.Time
	retx   bool
}

// rlcPdus recycles RLC PDUs.
type rlcPdus struct{ free packet.FreeList[rlcPdu] }

func (f *rlcPdus) get() *rlcPdu {
	p := f.free.Get()
	p.segs = p.segs[:0]
	p.size, p.header, p.sn, p.fi = 0, 0, 0, 0
	p.ctrl, p.poll, p.ackSn, p.nacks = false, false, 0, p.nacks[:0]
	p.txTime, p.retx = 0, false
	return p
}

// clone returns a copy of p whose elements are copies of p's packets.
func (f *rlcPdus) clone(p *rlcPdu) *rlcPdu {
	c := f.get()
	c.sn, c.fi, c.header, c.size = p.sn, p.fi, p.header, p.size
	c.ctrl, c.poll, c.ackSn, c.txTime, c.retx = p.ctrl, p.poll, p.ackSn, p.txTime, p.retx
	c.nacks = append(c.nacks, p.nacks...)
	for _, s := range p.segs {
		c.segs = append(c.segs, rlcSeg{p: s.p.Copy(), size: s.size})
	}
	return c
}

// put releases the PDU's packets and recycles it.
func (f *rlcPdus) put(p *rlcPdu) {
	for i := range p.segs {
		if p.segs[i].p != nil {
			p.segs[i].p.Release()
			p.segs[i].p = nil
		}
	}
	p.segs = p.segs[:0]
	f.free.Put(p)
}

// rlcHeaderSize returns the RLC UM header size for k data field elements
// (NrRlcHeader::PushExtensionBit: 2 bytes of fixed part, then 1.5 bytes per
// extension/LI pair, rounded as 1 byte for an odd count and 2 for an even).
func rlcHeaderSize(k int) int {
	if k <= 0 {
		return 0
	}
	h := 2
	for i := 2; i <= k; i++ {
		if i%2 == 1 {
			h++
		} else {
			h += 2
		}
	}
	return h
}
