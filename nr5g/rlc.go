package nr5g

import (
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// RlcMode is the RLC mode of a radio bearer.
type RlcMode uint8

// The RLC modes. 5G-LENA's NrHelper maps every EPS bearer to RLC UM when an
// EPC is present (NrGnbRrc's EpsBearerToRlcMapping RLC_SM_ALWAYS, which
// NrHelper::InstallSingleGnbDevice turns into RLC_UM_ALWAYS); RLC AM is
// issue 15's.
const (
	RlcUM RlcMode = iota // unacknowledged mode (TS 36.322 as 5G-LENA's NrRlcUm)
)

// String returns "UM".
func (m RlcMode) String() string {
	if m == RlcUM {
		return "UM"
	}
	return fmt.Sprintf("RlcMode(%d)", uint8(m))
}

// RlcConfig configures the RLC entities of a radio bearer, with 5G-LENA's
// NrRlcUm defaults.
type RlcConfig struct {
	// Mode is the RLC mode (RlcUM).
	Mode RlcMode
	// MaxTxBufferBytes is NrRlcUm's MaxTxBufferSize: a PDCP PDU that does
	// not fit in the transmission buffer is dropped (default 10 KiB).
	MaxTxBufferBytes int
	// ReorderingTimer is NrRlcUm's ReorderingTimer, t-Reordering of TS
	// 36.322 7.3 (default 100 ms).
	ReorderingTimer sim.Time
	// BsrTimer is the period at which an RLC entity with data left after a
	// transmission opportunity reports its buffer again (NrRlcUm's
	// m_bsrTimer, fixed at 10 ms in 5G-LENA).
	BsrTimer sim.Time
}

// DefaultRlcConfig returns NrRlcUm's defaults: 10 KiB buffer, t-Reordering
// 100 ms, BSR timer 10 ms.
func DefaultRlcConfig() RlcConfig {
	return RlcConfig{Mode: RlcUM, MaxTxBufferBytes: 10 * 1024, ReorderingTimer: 100 * sim.Millisecond,
		BsrTimer: 10 * sim.Millisecond}
}

// Validate reports the first field out of range.
func (c RlcConfig) Validate() error {
	switch {
	case c.Mode != RlcUM:
		return fmt.Errorf("nr5g: RlcConfig.Mode %v not supported (want RlcUM)", c.Mode)
	case c.MaxTxBufferBytes < 1 || c.MaxTxBufferBytes > 1<<30:
		return fmt.Errorf("nr5g: RlcConfig.MaxTxBufferBytes %d out of range [1, %d]", c.MaxTxBufferBytes, 1<<30)
	case c.ReorderingTimer < 0 || c.ReorderingTimer > 3600*sim.Second:
		return fmt.Errorf("nr5g: RlcConfig.ReorderingTimer %v out of range [0, 1h]", c.ReorderingTimer)
	case c.BsrTimer <= 0 || c.BsrTimer > 3600*sim.Second:
		return fmt.Errorf("nr5g: RlcConfig.BsrTimer %v out of range (0, 1h]", c.BsrTimer)
	}
	return nil
}

// RlcStats counts an RLC entity's traffic.
type RlcStats struct {
	TxSdus      uint64 // PDCP PDUs accepted into the transmission buffer
	TxDrops     uint64 // PDCP PDUs dropped because the buffer was full
	TxPdus      uint64 // RLC PDUs handed to the MAC
	TxBytes     uint64 // bytes of those PDUs, headers included
	RxPdus      uint64 // RLC PDUs received from the MAC
	RxDiscarded uint64 // received PDUs discarded (duplicate or outside the window)
	RxSdus      uint64 // SDUs delivered to PDCP
	RxLostSdus  uint64 // SDU segments discarded by reassembly
	Reorderings uint64 // t-Reordering expiries
}

// rlcUser is what an RLC entity calls: the MAC for buffer reports, PDCP
// for delivery.
type rlcUser interface {
	// rlcBufferStatus reports the entity's queues to the MAC.
	rlcBufferStatus(lcid uint8, st BufferStatus)
	// rlcDeliver hands a reassembled SDU (a PDCP PDU) upwards; the user
	// owns p.
	rlcDeliver(lcid uint8, p *packet.Packet)
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
}

// rlcPdus recycles RLC PDUs.
type rlcPdus struct{ free packet.FreeList[rlcPdu] }

func (f *rlcPdus) get() *rlcPdu {
	p := f.free.Get()
	p.segs = p.segs[:0]
	p.size, p.header, p.sn, p.fi = 0, 0, 0, 0
	return p
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
