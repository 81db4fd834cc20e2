package mmwave

import (
	"slices"

	"github.com/netgym/netgym/sim"
)

// bufferStatus is LteMacSapProvider::ReportBufferStatusParameters: what an
// RLC entity tells its MAC about its queues.
type bufferStatus struct {
	txQueue, retxQueue, statusPdu uint32
	txHolDelayMicros              uint32
}

// rlcEntity is one RLC entity of a radio bearer (ns-3's LteRlc): the
// transmitting side gets PDCP PDUs and hands out RLC PDUs at transmission
// opportunities, the receiving side reassembles SDUs. RLC UM LowLat
// (rlcUm) and RLC AM (rlcAm) implement it.
type rlcEntity interface {
	// transmitSdu is DoTransmitPdcpPdu; the entity owns s's reference.
	transmitSdu(s *sdu)
	// txOpportunity is DoNotifyTxOpportunity: the PDU for a grant of
	// bytes, or nil.
	txOpportunity(bytes int) *rlcPDU
	// receivePdu is DoReceivePdu; the entity takes a reference of p when it
	// keeps it.
	receivePdu(p *rlcPDU)
	// close cancels the entity's timers and releases its buffers.
	close()
}

// rlcHooks connect an RLC entity to its MAC and PDCP.
type rlcHooks struct {
	s    *sim.Simulator
	pool *pduPool
	lcid uint8
	// report is the MAC's ReportBufferStatus.
	report func(bufferStatus)
	// deliver hands a reassembled SDU to PDCP (the receiver takes its
	// packet with sdu.take).
	deliver func(*sdu)
	// dropped counts SDUs the transmission buffer had no room for.
	dropped *uint64
}

// txEntry is an SDU, or the rest of one, waiting in a transmission buffer.
type txEntry struct {
	s      *sdu
	bytes  int // bytes not sent yet
	offset int // first byte not sent yet
}

// first reports whether no byte of the entry was sent (FULL_SDU rather
// than LAST_SEGMENT).
func (e txEntry) first() bool { return e.offset == 0 }

// snMod is the 10-bit sequence number space of RLC UM and AM.
const snMod = 1024

// umWindow is the UM reordering window (UM_Window_Size, 512).
const umWindow = 512

// rel returns x relative to base in the 10-bit space (ns-3's
// SequenceNumber10 with SetModulusBase).
func rel(x, base uint16) uint16 { return (x - base) % snMod }

// rlcUm is ns3-mmwave's RLC UM, in its two versions: LteRlcUmLowLat
// (src/lte/model/lte-rlc-um-lowlat.cc, the eNB's, lowLat true) and
// LteRlcUm (lte-rlc-um.cc, the UE's). Both have a transmission buffer of
// MaxTxBufferSize bytes, segmentation and concatenation into 10-bit SN
// PDUs, and the receiving side's reordering window with t-Reordering and
// the reassembly state machine of TS 36.322 5.1.2.2. LowLat reports its
// buffer on an SDU only if no report is pending (m_bsrReported: no
// transmission since the last one), restarts its ReportBufferStatusTimer
// on every SDU and then reports every 10 ms while data waits; LteRlcUm
// reports on every SDU, stops the timer on an SDU and restarts it only
// after a transmission, then reports every ReportBufferStatusTimer while
// data waits.
type rlcUm struct {
	h      rlcHooks
	cfg    RlcUmConfig
	lowLat bool

	// transmitting side
	txBuf     []txEntry
	txBufSize int
	sn        uint16
	reported  bool // m_bsrReported
	rbsTimer  sim.EventID
	rbsFn     func()

	// receiving side
	rxSNs          []uint16 // buffered SNs, ascending raw value (std::map order)
	rxBuf          [snMod]*rlcPDU
	vrUr, vrUx     uint16
	vrUh           uint16
	reorderTimer   sim.EventID
	reorderRunning bool
	reorderFn      func()
	expectedSn     uint16
	waitingSiSf    bool
	keepS0         *sdu
	pieces         []segment
}

func newRlcUm(h rlcHooks, cfg RlcUmConfig, lowLat bool) *rlcUm {
	r := &rlcUm{h: h, cfg: cfg, lowLat: lowLat}
	r.rbsFn = r.expireRbs
	r.reorderFn = r.expireReordering
	return r
}

func (r *rlcUm) close() {
	r.h.s.Cancel(r.rbsTimer)
	r.h.s.Cancel(r.reorderTimer)
	for _, e := range r.txBuf {
		r.h.pool.releaseSdu(e.s)
	}
	r.txBuf = r.txBuf[:0]
	for _, sn := range r.rxSNs {
		r.h.pool.releasePdu(r.rxBuf[sn])
		r.rxBuf[sn] = nil
	}
	r.rxSNs = r.rxSNs[:0]
	if r.keepS0 != nil {
		r.h.pool.releaseSdu(r.keepS0)
		r.keepS0 = nil
	}
}

// transmitSdu is DoTransmitPdcpPdu: a PDU that fits the buffer is queued
// (else dropped), then the buffer is reported; LowLat restarts the report
// timer, LteRlcUm stops it.
func (r *rlcUm) transmitSdu(s *sdu) {
	if r.txBufSize+s.size <= r.cfg.MaxTxBufferSize {
		s.arrival = r.h.s.Now()
		r.txBuf = append(r.txBuf, txEntry{s: s, bytes: s.size})
		r.txBufSize += s.size
	} else {
		r.h.pool.releaseSdu(s)
		if r.h.dropped != nil {
			*r.h.dropped++
		}
	}
	r.reportBufferStatus()
	r.h.s.Cancel(r.rbsTimer)
	if r.lowLat {
		r.reported = true
		r.rbsTimer = r.h.s.Schedule(r.cfg.ReportBufferStatusTimer, r.rbsFn)
	}
}

// reportBufferStatus is DoReportBufferStatus (LowLat: only when no report
// is pending); the queue counts 2 header bytes per buffered SDU.
func (r *rlcUm) reportBufferStatus() {
	if r.lowLat && r.reported {
		return
	}
	var st bufferStatus
	if len(r.txBuf) > 0 {
		st.txQueue = uint32(r.txBufSize + 2*len(r.txBuf))
		st.txHolDelayMicros = uint32((r.h.s.Now() - r.txBuf[0].s.arrival) / sim.Microsecond)
	}
	r.h.report(st)
}

// expireRbs is ExpireRbsTimer: report again while data waits, then every
// 10 ms (LowLat) or every ReportBufferStatusTimer (LteRlcUm).
func (r *rlcUm) expireRbs() {
	if len(r.txBuf) > 0 {
		r.reportBufferStatus()
		next := r.cfg.ReportBufferStatusTimer
		if r.lowLat {
			next = 10 * sim.Millisecond
		}
		r.rbsTimer = r.h.s.Schedule(next, r.rbsFn)
	}
}

// umHeaderSize is LteRlcHeader's length for n data-field elements: 2 bytes
// of fixed part, then 2 more for every even element and 1 for every odd
// one (E and 11-bit LI fields, packed in pairs).
func umHeaderSize(n int) int {
	h := 2
	for k := 2; k <= n; k++ {
		if k%2 == 0 {
			h += 2
		} else {
			h++
		}
	}
	return h
}

// txOpportunity is DoNotifyTxOpportunity: a PDU of at most bytes bytes
// (2-byte fixed header) made of the buffer's head, the first SDU (or the
// rest of one) segmented to fill the grant, further SDUs concatenated with
// a length indicator each as long as more than 2 bytes would remain.
func (r *rlcUm) txOpportunity(bytes int) *rlcPDU {
	if bytes <= 2 || len(r.txBuf) == 0 {
		return nil
	}
	next := bytes - 2
	id := 1
	pdu := r.h.pool.newPdu(r.h.lcid)
	first := r.popFront()
	have := true
	for have && first.bytes > 0 && next > 0 {
		switch {
		case first.bytes > next || first.bytes > 2047:
			cur := min(first.bytes, next)
			isFirst := first.first()
			pdu.addSegment(first.s, cur, first.offset, isFirst, cur == first.bytes)
			first.bytes -= cur
			first.offset += cur
			if first.bytes > 0 {
				r.txBuf = slices.Insert(r.txBuf, 0, first)
				r.txBufSize += first.bytes
			} else {
				r.h.pool.releaseSdu(first.s)
			}
			have = false
			next -= cur
			id++
		case next-first.bytes <= 2 || len(r.txBuf) == 0:
			pdu.addSegment(first.s, first.bytes, first.offset, first.first(), true)
			r.h.pool.releaseSdu(first.s)
			next -= first.bytes
			id++
			have = false
		default:
			pdu.addSegment(first.s, first.bytes, first.offset, first.first(), true)
			r.h.pool.releaseSdu(first.s)
			if id%2 == 1 {
				next -= 2 + first.bytes
			} else {
				next -= 1 + first.bytes
			}
			id++
			first = r.popFront()
		}
	}
	pdu.sn = r.sn
	r.sn = (r.sn + 1) % snMod
	data := 0
	for _, sg := range pdu.segs {
		data += sg.bytes
	}
	pdu.size = umHeaderSize(len(pdu.segs)) + data
	if len(r.txBuf) > 0 {
		r.h.s.Cancel(r.rbsTimer)
		r.rbsTimer = r.h.s.Schedule(r.cfg.ReportBufferStatusTimer, r.rbsFn)
	}
	if r.lowLat {
		r.reported = false
		if r.cfg.SendBsrWhenPacketTx {
			r.reportBufferStatus()
		}
	}
	return pdu
}

// popFront takes the buffer's head (the caller owns its reference).
func (r *rlcUm) popFront() txEntry {
	e := r.txBuf[0]
	copy(r.txBuf, r.txBuf[1:])
	r.txBuf[len(r.txBuf)-1] = txEntry{}
	r.txBuf = r.txBuf[:len(r.txBuf)-1]
	r.txBufSize -= e.bytes
	return e
}

// inWindow is IsInsideReorderingWindow: VR(UH) - 512 <= sn < VR(UH).
func (r *rlcUm) inWindow(sn uint16) bool {
	return rel(sn, r.vrUh-umWindow) < umWindow
}

// receivePdu is DoReceivePdu (TS 36.322 5.1.2.2): duplicates and PDUs
// below VR(UR) are discarded; a PDU beyond the window moves VR(UH) and
// delivers what falls out of it; VR(UR) advances over received PDUs,
// delivering them; t-Reordering starts while VR(UH) > VR(UR).
func (r *rlcUm) receivePdu(p *rlcPDU) {
	sn := p.sn
	base := r.vrUh - umWindow
	if (rel(r.vrUr, base) < rel(sn, base) && rel(sn, base) < rel(r.vrUh, base) && r.rxBuf[sn] != nil) ||
		rel(sn, base) < rel(r.vrUr, base) {
		return
	}
	if r.rxBuf[sn] == nil {
		i, _ := slices.BinarySearch(r.rxSNs, sn)
		r.rxSNs = slices.Insert(r.rxSNs, i, sn)
	} else {
		r.h.pool.releasePdu(r.rxBuf[sn])
	}
	r.rxBuf[sn] = p.ref()

	if !r.inWindow(sn) {
		r.vrUh = (sn + 1) % snMod
		r.reassembleOutsideWindow()
		if !r.inWindow(r.vrUr) {
			r.vrUr = (r.vrUh - umWindow) % snMod
		}
	}
	if r.rxBuf[r.vrUr] != nil {
		old := r.vrUr
		n := (r.vrUr + 1) % snMod
		for r.rxBuf[n] != nil {
			n = (n + 1) % snMod
		}
		r.vrUr = n
		r.reassembleInterval(old, r.vrUr)
	}
	base = r.vrUh - umWindow
	if r.reorderRunning {
		if rel(r.vrUx, base) <= rel(r.vrUr, base) || (!r.inWindow(r.vrUx) && r.vrUx != r.vrUh) {
			r.h.s.Cancel(r.reorderTimer)
			r.reorderRunning = false
		}
	}
	if !r.reorderRunning && rel(r.vrUh, base) > rel(r.vrUr, base) {
		r.reorderTimer = r.h.s.Schedule(r.cfg.ReorderingTimer, r.reorderFn)
		r.reorderRunning = true
		r.vrUx = r.vrUh
	}
}

// reassembleOutsideWindow is ReassembleOutsideWindow: the buffered PDUs,
// in raw SN order, are delivered while they are outside the window.
func (r *rlcUm) reassembleOutsideWindow() {
	for len(r.rxSNs) > 0 && !r.inWindow(r.rxSNs[0]) {
		sn := r.rxSNs[0]
		r.rxSNs = slices.Delete(r.rxSNs, 0, 1)
		r.take(sn)
	}
}

// take reassembles and forgets the PDU of sn.
func (r *rlcUm) take(sn uint16) {
	p := r.rxBuf[sn]
	r.rxBuf[sn] = nil
	r.reassemble(p)
	r.h.pool.releasePdu(p)
}

// reassembleInterval is ReassembleSnInterval: the buffered PDUs from low
// up to (not including) high are delivered.
func (r *rlcUm) reassembleInterval(low, high uint16) {
	base := r.vrUh - umWindow
	for sn := low; rel(sn, base) < rel(high, base); sn = (sn + 1) % snMod {
		if r.rxBuf[sn] == nil {
			continue
		}
		i, _ := slices.BinarySearch(r.rxSNs, sn)
		r.rxSNs = slices.Delete(r.rxSNs, i, i+1)
		r.take(sn)
	}
}

// expireReordering is ExpireReorderingTimer (5.1.2.2.4).
func (r *rlcUm) expireReordering() {
	r.reorderRunning = false
	n := r.vrUx
	for r.rxBuf[n] != nil {
		n = (n + 1) % snMod
	}
	old := r.vrUr
	r.vrUr = n
	r.reassembleInterval(old, r.vrUr)
	base := r.vrUh - umWindow
	if rel(r.vrUh, base) > rel(r.vrUr, base) {
		r.reorderTimer = r.h.s.Schedule(r.cfg.ReorderingTimer, r.reorderFn)
		r.reorderRunning = true
		r.vrUx = r.vrUh
	}
}

// reassemble is ReassembleAndDeliver: the PDU's SDU pieces go through the
// reassembly state machine (WAITING_S0_FULL, WAITING_SI_SF) with
// ns-3's transitions, with and without a lost SN before it.
func (r *rlcUm) reassemble(p *rlcPDU) {
	lost := p.sn != r.expectedSn
	r.expectedSn = (p.sn + 1) % snMod
	r.pieces = append(r.pieces[:0], p.segs...)
	reassembleAndDeliver(r.h, &r.waitingSiSf, &r.keepS0, r.pieces, lost)
}

// reassembleAndDeliver runs the UM/AM reassembly state machine on the
// pieces of one PDU; firstByte/lastByte are the framing info.
func reassembleAndDeliver(h rlcHooks, waitingSiSf *bool, keepS0 **sdu, pieces []segment, lost bool) {
	if len(pieces) == 0 {
		return
	}
	firstByte := pieces[0].first
	lastByte := pieces[len(pieces)-1].last
	deliver := func(sg segment) {
		if sg.first && sg.last {
			h.deliver(sg.s)
		}
	}
	dropKeep := func() {
		if *keepS0 != nil {
			h.pool.releaseSdu(*keepS0)
			*keepS0 = nil
		}
	}
	keep := func(sg segment) {
		dropKeep()
		sg.s.refs++
		*keepS0 = sg.s
	}
	// completeKeep delivers the kept S0 with its continuation sn.
	completeKeep := func(sg segment) {
		if *keepS0 != nil && *keepS0 == sg.s && sg.last {
			h.deliver(sg.s)
		}
		dropKeep()
	}
	// continueKeep appends a middle piece to the kept S0.
	continueKeep := func(sg segment) {
		if *keepS0 != sg.s {
			dropKeep()
		}
	}
	n := len(pieces)
	deliverRange := func(lo, hi int) {
		for _, sg := range pieces[lo:hi] {
			deliver(sg)
		}
	}
	if *waitingSiSf && !lost {
		switch {
		case !firstByte && lastByte:
			*waitingSiSf = false
			completeKeep(pieces[0])
			deliverRange(1, n)
		case !firstByte && !lastByte:
			if n == 1 {
				continueKeep(pieces[0])
			} else {
				completeKeep(pieces[0])
				deliverRange(1, n-1)
				keep(pieces[n-1])
			}
		default:
			// ns-3: "Transition not possible"; nothing delivered.
		}
		return
	}
	if *waitingSiSf && lost {
		dropKeep() // Discard S0
	}
	// WAITING_S0_FULL, or WAITING_SI_SF with a loss (S0 discarded): the
	// same transitions.
	switch {
	case firstByte && lastByte:
		*waitingSiSf = false
		deliverRange(0, n)
	case firstByte && !lastByte:
		*waitingSiSf = true
		deliverRange(0, n-1)
		keep(pieces[n-1])
	case !firstByte && lastByte:
		*waitingSiSf = false
		deliverRange(1, n)
	default:
		*waitingSiSf = n > 1
		if n > 1 {
			deliverRange(1, n-1)
			keep(pieces[n-1])
		}
	}
}
