package nr5g

import "github.com/netgym/netgym/sim/packet"

// MAC sizes and logical channels (5G-LENA's NrMacHeaderVs, NrMacHeaderFsUl,
// NrMacShortBsrCe, TS 38.321 6.1.2 and 6.2.1).
const (
	// ShortBsrLcid is the LCID of the short BSR MAC CE (TS 38.321 Table
	// 6.2.1-2; NrMacHeaderFsUl::SHORT_BSR).
	ShortBsrLcid = 61
	// ShortBsrSize is the short BSR MAC CE with its 1-byte fixed-size
	// subheader: 5 bytes as 5G-LENA writes it (a level per LCG, 4 LCGs).
	ShortBsrSize = 5
	// NumLcgs is the number of logical channel groups a BSR reports.
	NumLcgs = 4
	// NumHarqProcesses is NrGnbMac's and NrUeMac's NumHarqProcess default.
	NumHarqProcesses = 16
	// MaxHarqRetx is the most retransmissions of a transport block
	// (NrMacSchedulerNs3 EnableHarqReTx true: 3).
	MaxHarqRetx = 3
	// macSubheaderReserve is what the MAC reserves per logical channel
	// for its subheader when it hands out opportunities (3 bytes).
	macSubheaderReserve = 3
)

// MacSubheaderSize returns the size of the variable-size MAC subheader in
// front of an SDU of n bytes: 2 bytes up to 127, else 3
// (NrMacHeaderVs::GetSerializedSize).
func MacSubheaderSize(n int) int {
	if n > 127 {
		return 3
	}
	return 2
}

// bsrLevels is TS 38.321 V15.3.0 Table 6.1.3-1 as 5G-LENA codes it
// (NrMacShortBsrCe::FromBytesToLevel): the upper bound in bytes of each
// buffer size level 0..30; level 31 means more than 150000 bytes.
var bsrLevels = [...]uint32{
	0, 10, 14, 20, 28, 38, 53, 74, 102, 142, 198,
	276, 384, 535, 745, 1038, 1446, 2014, 2806, 3909, 5446, 7587,
	10570, 14726, 20516, 28581, 39818, 55474, 77284, 107669, 150000}

// BsrLevel returns the short BSR buffer size level of n bytes: the first
// level whose bound is at least n, 31 above 150000 bytes
// (NrMacShortBsrCe::FromBytesToLevel).
func BsrLevel(n uint32) uint8 {
	if n > bsrLevels[len(bsrLevels)-1] {
		return 31
	}
	if n == 0 {
		return 0
	}
	i := 0
	for bsrLevels[i] < n {
		i++
	}
	return uint8(i)
}

// BsrBytes returns the bytes the gNB assumes for a short BSR level: the
// level's upper bound, 1200000 for level 31
// (NrMacShortBsrCe::FromLevelToBytes).
func BsrBytes(level uint8) uint32 {
	if int(level) >= len(bsrLevels) {
		return 150000 * 8
	}
	return bsrLevels[level]
}

// macSub is one subPDU of a MAC PDU: an RLC PDU with its subheader, a
// short BSR, or the empty PDU a UE sends when a grant finds nothing to
// carry.
type macSub struct {
	lcid  uint8
	size  int     // bytes, subheader included
	rlc   *rlcPdu // the RLC PDU (nil for a BSR or an empty PDU)
	empty bool    // NrUeMac's empty PDU: a subheader with no data
}

// macTb is a transport block's MAC PDU as its HARQ process keeps it: the
// data subPDUs (the BSR of an uplink block travels beside it, see ulTx).
// It is reference counted: the HARQ buffer holds one reference and a
// reception that is still being decoded another, so that neither frees the
// RLC PDUs under the other. A successful decode takes the RLC PDUs out.
type macTb struct {
	subs []macSub
	used int // bytes of the subPDUs
	refs int
}

// macTbs recycles transport blocks.
type macTbs struct {
	free packet.FreeList[macTb]
	pdus *rlcPdus
}

// get returns an empty block with one reference.
func (f *macTbs) get() *macTb {
	t := f.free.Get()
	t.subs = t.subs[:0]
	t.used = 0
	t.refs = 1
	return t
}

// release drops a reference; the last one frees the RLC PDUs still in the
// block.
func (f *macTbs) release(t *macTb) {
	if t == nil {
		return
	}
	t.refs--
	if t.refs > 0 {
		return
	}
	for i := range t.subs {
		if t.subs[i].rlc != nil {
			f.pdus.put(t.subs[i].rlc)
			t.subs[i].rlc = nil
		}
	}
	t.subs = t.subs[:0]
	f.free.Put(t)
}

// hasData reports whether the block carries at least one subPDU.
func (t *macTb) hasData() bool { return t != nil && len(t.subs) > 0 }

// tblerCache remembers the error model's output for first transmissions
// over one SINR vector: with a static channel each new block sees the same
// SINRs and only its size and MCS change, so the mutual information (or
// EESM) sums need not be redone. A cached record is the one computing again
// would give, bit for bit. Retransmissions (a HARQ history) bypass it.
type tblerCache struct {
	sinr  []float64
	rbs   []int
	whole bool // rbs was nil
	recs  map[uint64]TxRecord
}

func (c *tblerCache) stats(em ErrorModel, sinr []float64, rbs []int, tbs uint32, mcs int, hist *HarqHistory) (TxRecord, error) {
	if hist.Len() > 0 {
		return em.TbDecodingStats(sinr, rbs, tbs, mcs, hist)
	}
	if !c.same(sinr, rbs) {
		c.sinr = append(c.sinr[:0], sinr...)
		c.rbs = append(c.rbs[:0], rbs...)
		c.whole = rbs == nil
		if c.recs == nil {
			c.recs = make(map[uint64]TxRecord)
		}
		clear(c.recs)
	}
	key := uint64(tbs)<<8 | uint64(mcs)
	if r, ok := c.recs[key]; ok {
		return r, nil
	}
	r, err := em.TbDecodingStats(sinr, rbs, tbs, mcs, nil)
	if err != nil {
		return r, err
	}
	if len(c.recs) >= 256 {
		clear(c.recs)
	}
	c.recs[key] = r
	return r, nil
}

func (c *tblerCache) same(sinr []float64, rbs []int) bool {
	if c.recs == nil || len(c.sinr) != len(sinr) || c.whole != (rbs == nil) || len(c.rbs) != len(rbs) {
		return false
	}
	for i, v := range sinr {
		if c.sinr[i] != v {
			return false
		}
	}
	for i, v := range rbs {
		if c.rbs[i] != v {
			return false
		}
	}
	return true
}
