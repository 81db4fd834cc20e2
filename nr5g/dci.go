package nr5g

import (
	"fmt"
	"math/bits"
)

// Direction is the link direction of an allocation or a transport block.
type Direction uint8

// The two directions.
const (
	Downlink Direction = iota
	Uplink
)

// String returns "DL" or "UL".
func (d Direction) String() string {
	if d == Uplink {
		return "UL"
	}
	return "DL"
}

// AllocType is what a block of symbols carries (5G-LENA's
// DciInfoElementTdma::VarTtiType).
type AllocType uint8

// The allocation types of 5G-LENA (nr-phy-mac-common.h).
const (
	AllocData AllocType = iota // user data (PDSCH/PUSCH)
	AllocCtrl                  // DL or UL control (PDCCH/PUCCH)
	AllocSRS                   // sounding reference signal
	AllocMsg3                  // the Msg3 grant of a random access response
)

// String returns "DATA", "CTRL" or "SRS".
func (t AllocType) String() string {
	switch t {
	case AllocData:
		return "DATA"
	case AllocCtrl:
		return "CTRL"
	case AllocSRS:
		return "SRS"
	case AllocMsg3:
		return "MSG3"
	}
	return fmt.Sprintf("AllocType(%d)", uint8(t))
}

// RbgMask is a set of resource-block groups, one bit per RBG.
type RbgMask []uint64

// makeRbgMask returns a mask able to hold n RBGs, reusing m's storage.
func (m RbgMask) resize(n int) RbgMask {
	w := (n + 63) / 64
	if cap(m) < w {
		m = make(RbgMask, w)
	}
	m = m[:w]
	clear(m)
	return m
}

// setAll sets RBGs 0..n-1.
func (m RbgMask) setAll(n int) {
	for i := 0; i < n; i++ {
		m[i/64] |= 1 << (i % 64)
	}
}

// Has reports whether RBG i is in the set.
func (m RbgMask) Has(i int) bool {
	w := i / 64
	return w < len(m) && m[w]&(1<<(i%64)) != 0
}

// Count returns the number of RBGs in the set.
func (m RbgMask) Count() int {
	n := 0
	for _, w := range m {
		n += bits.OnesCount64(w)
	}
	return n
}

// DCI is a downlink control information element: the grant of one
// transport block (or a control or SRS allocation) in one slot, as
// 5G-LENA's DciInfoElementTdma (nr-phy-mac-common.h) with the TDMA layout
// of its schedulers: a run of whole symbols over the RBGs of Mask.
type DCI struct {
	RNTI     uint16    // the UE the allocation is for
	Dir      Direction // downlink or uplink
	Type     AllocType // data, SRS or control
	SymStart uint8     // first symbol of the allocation in the slot
	NumSym   uint8     // number of symbols
	MCS      uint8     // MCS index in the error model's table
	Rank     uint8     // number of layers (always 1 here)
	TBS      uint32    // transport block size in bytes (5G-LENA's CalculateTbSize)
	NDI      bool      // new data indicator: true for a first transmission
	RV       uint8     // redundancy version = retransmission count (0..3)
	HarqID   uint8     // HARQ process (0..NumHarqProcesses-1)
	Mask     RbgMask   // the RBGs allocated
}

// String describes the DCI.
func (d *DCI) String() string {
	return fmt.Sprintf("%v %v rnti=%d sym=%d+%d mcs=%d tbs=%d ndi=%v rv=%d harq=%d rbg=%d",
		d.Dir, d.Type, d.RNTI, d.SymStart, d.NumSym, d.MCS, d.TBS, d.NDI, d.RV, d.HarqID, d.Mask.Count())
}

// copyFrom copies src into d, reusing d's mask storage.
func (d *DCI) copyFrom(src *DCI) {
	m := d.Mask
	*d = *src
	d.Mask = append(m[:0], src.Mask...)
}

// LcBytes is the share of a transport block the scheduler gives one
// logical channel (5G-LENA's RlcPduInfo).
type LcBytes struct {
	Lcid  uint8  // logical channel identity
	Bytes uint32 // bytes granted to it
}

// VarTti is one allocation of a slot: its DCI and, for new downlink data,
// the bytes each logical channel gets (5G-LENA's VarTtiAllocInfo).
type VarTti struct {
	DCI
	Rlc []LcBytes // per logical channel bytes of new downlink data
}

// SlotAlloc is the allocation of one slot in one direction (5G-LENA's
// SlotAllocInfo): its control, data and SRS blocks, ordered by first
// symbol.
type SlotAlloc struct {
	Slot uint64   // absolute slot number
	Vars []VarTti // the allocations, ordered by first symbol
	// NumSymAlloc counts the symbols used (control included).
	NumSymAlloc int
}

// reset empties a for slot, keeping its storage.
func (a *SlotAlloc) reset(slot uint64) {
	a.Slot = slot
	a.Vars = a.Vars[:0]
	a.NumSymAlloc = 0
}

// add appends a copy of d and returns the new entry.
func (a *SlotAlloc) add(d *DCI) *VarTti {
	if len(a.Vars) < cap(a.Vars) {
		a.Vars = a.Vars[:len(a.Vars)+1]
	} else {
		a.Vars = append(a.Vars, VarTti{})
	}
	x := &a.Vars[len(a.Vars)-1]
	x.DCI.copyFrom(d)
	x.Rlc = x.Rlc[:0]
	return x
}

// sortBySymbol orders the allocations by first symbol, stably (as
// NrGnbMac::DoSchedConfigIndication does).
func (a *SlotAlloc) sortBySymbol() {
	v := a.Vars
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j].SymStart < v[j-1].SymStart; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

// HarqFeedback is a HARQ ACK/NACK (5G-LENA's DlHarqInfo and UlHarqInfo).
type HarqFeedback struct {
	RNTI   uint16 // the UE
	HarqID uint8  // the HARQ process
	OK     bool   // true for an ACK, false for a NACK
	RV     uint8  // the redundancy version of the transmission it answers
}

// BufferStatus is what an RLC entity reports to the MAC about its queues
// (5G-LENA's NrMacSapProvider::BufferStatusReportParameters).
type BufferStatus struct {
	TxQueue     uint32 // bytes waiting for a first transmission, headers estimated
	TxHolDelay  uint32 // head-of-line delay of the transmission queue, ms
	RetxQueue   uint32 // bytes waiting for retransmission (RLC AM)
	RetxHol     uint32 // head-of-line delay of the retransmission queue, ms
	StatusPdu   uint32 // size of a pending status PDU (RLC AM)
	ExpBsrTimer bool   // the report comes from the RLC's BSR timer
}

// Total returns the bytes of all queues.
func (b BufferStatus) Total() uint32 { return b.TxQueue + b.RetxQueue + b.StatusPdu }
