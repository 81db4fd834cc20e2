package mmwave

import (
	"fmt"

	"github.com/netgym/netgym/sim"
)

// RlcAmConfig is ns3-mmwave's LteRlcAm attributes and constants
// (src/lte/model/lte-rlc-am.cc).
type RlcAmConfig struct {
	// MaxTxBufferSize is the transmission buffer in bytes (default 1 MiB).
	MaxTxBufferSize int
	// PollRetransmitTimer is t-PollRetransmit (default 20 ms).
	PollRetransmitTimer sim.Time
	// ReorderingTimer is t-Reordering (default 10 ms).
	ReorderingTimer sim.Time
	// StatusProhibitTimer is t-StatusProhibit (default 10 ms).
	StatusProhibitTimer sim.Time
	// ReportBufferStatusTimer is the buffer report period while data
	// waits (default 20 ms; NetRL sets 100 us).
	ReportBufferStatusTimer sim.Time
	// TxOpportunityForRetxAlwaysBigEnough retransmits a PDU whole even in
	// a smaller grant (default false).
	TxOpportunityForRetxAlwaysBigEnough bool
	// MaxRetxThreshold is maxRetxThreshold (ns3-mmwave fixes 5).
	MaxRetxThreshold int
	// PollPdu and PollByte are pollPDU and pollByte (ns3-mmwave fixes 1
	// and 50: a poll in practically every PDU).
	PollPdu, PollByte int
}

// DefaultRlcAmConfig returns LteRlcAm's defaults in ns3-mmwave v7.0.
func DefaultRlcAmConfig() RlcAmConfig {
	return RlcAmConfig{
		MaxTxBufferSize:         1024 * 1024,
		PollRetransmitTimer:     20 * sim.Millisecond,
		ReorderingTimer:         10 * sim.Millisecond,
		StatusProhibitTimer:     10 * sim.Millisecond,
		ReportBufferStatusTimer: 20 * sim.Millisecond,
		MaxRetxThreshold:        5,
		PollPdu:                 1,
		PollByte:                50,
	}
}

func (c RlcAmConfig) validate() error {
	for _, f := range []struct {
		name string
		v    sim.Time
	}{
		{"PollRetransmitTimer", c.PollRetransmitTimer}, {"ReorderingTimer", c.ReorderingTimer},
		{"StatusProhibitTimer", c.StatusProhibitTimer}, {"ReportBufferStatusTimer", c.ReportBufferStatusTimer},
	} {
		if f.v <= 0 || f.v > (3600*sim.Second) {
			return fmt.Errorf("mmwave: RlcAmConfig.%s %v out of range (0, 1h]", f.name, f.v)
		}
	}
	switch {
	case c.MaxTxBufferSize < 0 || c.MaxTxBufferSize > 1<<30:
		return fmt.Errorf("mmwave: RlcAmConfig.MaxTxBufferSize %d out of range [0, %d]", c.MaxTxBufferSize, 1<<30)
	case c.MaxRetxThreshold < 1 || c.MaxRetxThreshold > 255:
		return fmt.Errorf("mmwave: RlcAmConfig.MaxRetxThreshold %d out of range [1, 255]", c.MaxRetxThreshold)
	case c.PollPdu < 1 || c.PollByte < 1:
		return fmt.Errorf("mmwave: RlcAmConfig.PollPdu %d and PollByte %d must be >= 1", c.PollPdu, c.PollByte)
	}
	return nil
}

// amPduInfo is the AM header part of an RLC PDU.
type amPduInfo struct {
	data      bool // an AMD PDU (a status PDU otherwise)
	poll      bool
	resegment bool // an AMD PDU segment
	segOffset int
	lastSeg   bool
	bytes     int // data bytes of a segment
}

// amStatus is a STATUS PDU: ACK_SN and the NACKed SNs.
type amStatus struct {
	ackSn uint16
	nacks []uint16
}

// AM header sizes (LteRlcAmHeader): a data PDU's header counts 4 bytes
// (SetDataPdu), plus its length indicators; a STATUS PDU 2 bytes plus 12
// bits per NACK_SN.
const (
	amDataHeader   = 4
	amStatusHeader = 2
	amWindow       = 512
)

// amHeaderSize is the data PDU header for n data-field elements.
func amHeaderSize(n int) int {
	h := amDataHeader
	for k := 2; k <= n; k++ {
		if k%2 == 1 {
			h++
		} else {
			h += 2
		}
	}
	return h
}

// amRetx is a PDU waiting for retransmission, or the rest of one after a
// resegmentation.
type amRetx struct {
	pdu       *rlcPDU
	retxCount int
	seg       *rlcPDU // the remaining segment
	segOffset int
	lastSent  bool
}

// amRx is a PDU being received.
type amRx struct {
	pdu      *rlcPDU // the whole PDU (for segments, their orig)
	next     int     // next byte offset expected
	complete bool
	present  bool
}

// rlcAm is ns3-mmwave's LteRlcAm (src/lte/model/lte-rlc-am.cc), the parts
// that act in a single-connectivity cell: a transmission buffer, new PDUs
// built as RLC UM's with a 4-byte header budget, a poll in every PDU with
// ns3-mmwave's PollPdu 1 and PollByte 50, t-PollRetransmit, retransmission
// of NACKed PDUs (resegmented when the grant is too small), STATUS PDUs
// with t-StatusProhibit, and the receiving window with t-Reordering and
// in-order reassembly. Buffer reports go out on every SDU and on the
// ReportBufferStatusTimer while anything is buffered or unacknowledged.
// Not modelled: CoDel (EnableAQM, off by default), dual connectivity
// forwarding, maxRetxThreshold's (empty) action.
type rlcAm struct {
	h   rlcHooks
	cfg RlcAmConfig

	txon                                 []txEntry
	txonSize                             int
	txed                                 [snMod]*rlcPDU
	txedRetx                             [snMod]int
	txedSize                             int
	retx                                 [snMod]amRetx
	retxSize                             int
	vtA, vtS                             uint16
	vtMs                                 uint16
	pollSn                               uint16
	pduNoPoll                            int
	byteNoPoll                           int
	pollJustExpired                      bool
	pollTimer                            sim.EventID
	pollRunning                          bool
	prohibitTimer                        sim.EventID
	prohibitRunning                      bool
	rbsTimer                             sim.EventID
	pollFn, prohibitFn, rbsFn, reorderFn func()

	rx             [snMod]amRx
	rxSNs          []uint16
	vrR, vrMr      uint16
	vrX, vrMs, vrH uint16
	statusReq      bool
	statusSize     int
	reorderTimer   sim.EventID
	reorderRunning bool
	waitingSiSf    bool
	keepS0         *sdu
	pieces         []segment
	nackBuf        []uint16
}

func newRlcAm(h rlcHooks, cfg RlcAmConfig) *rlcAm {
	r := &rlcAm{h: h, cfg: cfg, vtMs: amWindow, vrMr: amWindow}
	r.pollFn, r.prohibitFn, r.rbsFn, r.reorderFn = r.expirePoll, r.expireProhibit, r.expireRbs, r.expireReordering
	return r
}

func (r *rlcAm) close() {
	s := r.h.s
	s.Cancel(r.pollTimer)
	s.Cancel(r.prohibitTimer)
	s.Cancel(r.rbsTimer)
	s.Cancel(r.reorderTimer)
	pp := r.h.pool
	for _, e := range r.txon {
		pp.releaseSdu(e.s)
	}
	r.txon = nil
	for i := range r.txed {
		if r.txed[i] != nil {
			pp.releasePdu(r.txed[i])
			r.txed[i] = nil
		}
		r.clearRetx(uint16(i))
		if r.rx[i].pdu != nil {
			pp.releasePdu(r.rx[i].pdu)
			r.rx[i] = amRx{}
		}
	}
	if r.keepS0 != nil {
		pp.releaseSdu(r.keepS0)
		r.keepS0 = nil
	}
}

func (r *rlcAm) clearRetx(sn uint16) {
	e := &r.retx[sn]
	if e.pdu != nil {
		r.h.pool.releasePdu(e.pdu)
	}
	if e.seg != nil {
		r.h.pool.releasePdu(e.seg)
	}
	*e = amRetx{}
}

// before reports a < b in the 10-bit space relative to base.
func before(a, b, base uint16) bool { return rel(a, base) < rel(b, base) }

// transmitSdu is DoTransmitPdcpPdu: the SDU is queued if it fits, the
// buffer reported, the report timer restarted.
func (r *rlcAm) transmitSdu(s *sdu) {
	if r.txonSize+s.size <= r.cfg.MaxTxBufferSize {
		s.arrival = r.h.s.Now()
		r.txon = append(r.txon, txEntry{s: s, bytes: s.size})
		r.txonSize += s.size
	} else {
		r.h.pool.releaseSdu(s)
		if r.h.dropped != nil {
			*r.h.dropped++
		}
	}
	r.reportBufferStatus()
	r.h.s.Cancel(r.rbsTimer)
	r.rbsTimer = r.h.s.Schedule(r.cfg.ReportBufferStatusTimer, r.rbsFn)
}

// reportBufferStatus is DoReportBufferStatus: the new data, the
// retransmission queue and a pending STATUS PDU, when any is non-zero.
func (r *rlcAm) reportBufferStatus() {
	var st bufferStatus
	st.txQueue = uint32(r.txonSize)
	if len(r.txon) > 0 {
		st.txHolDelayMicros = uint32((r.h.s.Now() - r.txon[0].s.arrival) / sim.Microsecond)
	}
	st.retxQueue = uint32(r.retxSize)
	if r.statusReq && !r.prohibitRunning {
		st.statusPdu = uint32(r.statusSize)
	}
	if st.txQueue != 0 || st.retxQueue != 0 || st.statusPdu != 0 {
		r.h.report(st)
	}
}

// expireRbs is ExpireRbsTimer: report again while anything is buffered or
// unacknowledged.
func (r *rlcAm) expireRbs() {
	if r.txonSize+r.txedSize+r.retxSize > 0 {
		r.reportBufferStatus()
		r.rbsTimer = r.h.s.Schedule(r.cfg.ReportBufferStatusTimer, r.rbsFn)
	}
}

// expireProhibit is ExpireStatusProhibitTimer (it reports nothing in ns-3).
func (r *rlcAm) expireProhibit() { r.prohibitRunning = false }

// startPoll is the common end of setting the polling bit.
func (r *rlcAm) startPoll() {
	r.pollJustExpired = false
	r.pduNoPoll, r.byteNoPoll = 0, 0
	r.pollSn = (r.vtS - 1) % snMod
	r.h.s.Cancel(r.pollTimer)
	r.pollTimer = r.h.s.Schedule(r.cfg.PollRetransmitTimer, r.pollFn)
	r.pollRunning = true
}

// expirePoll is ExpirePollRetransmitTimer: with nothing left to send (or a
// full window), every unacknowledged PDU is queued for retransmission.
func (r *rlcAm) expirePoll() {
	r.pollRunning = false
	r.pollJustExpired = true
	if (r.txonSize == 0 && r.retxSize == 0) || r.vtS == r.vtMs {
		for sn := r.vtA; sn != r.vtS; sn = (sn + 1) % snMod {
			if p := r.txed[sn]; p != nil {
				r.retx[sn].pdu = p
				r.retx[sn].retxCount = r.txedRetx[sn]
				r.retxSize += p.size
				r.txedSize -= p.size
				r.txed[sn] = nil
			}
		}
	}
	r.reportBufferStatus()
}

// txOpportunity is DoNotifyTxOpportunity: a STATUS PDU if one is due and
// not prohibited, else a retransmission (resegmented to fit), else a new
// PDU.
func (r *rlcAm) txOpportunity(bytes int) *rlcPDU {
	if bytes < 4 {
		return nil
	}
	pp := r.h.pool
	if r.statusReq && !r.prohibitRunning {
		if bytes < r.statusSize {
			return nil
		}
		p := pp.newPdu(r.h.lcid)
		st := &amStatus{}
		size := amStatusHeader
		nacks := r.nackBuf[:0]
		sn := r.vrR
		for ; before(sn, r.vrMs, r.vrR); sn = (sn + 1) % snMod {
			fits := size < bytes
			if len(nacks)%2 == 1 {
				fits = size < bytes-1
			}
			if !fits {
				break
			}
			if !r.rx[sn].present || !r.rx[sn].complete {
				nacks = append(nacks, sn)
				if len(nacks)%2 == 0 {
					size++
				} else {
					size += 2
				}
			}
		}
		for before(sn, r.vrMs, r.vrR) && r.rx[sn].present && r.rx[sn].complete {
			sn = (sn + 1) % snMod
		}
		r.nackBuf = nacks
		st.ackSn = sn
		st.nacks = append([]uint16(nil), nacks...)
		p.status = st
		p.size = size
		r.statusReq = false
		r.statusSize = 0
		r.prohibitTimer = r.h.s.Schedule(r.cfg.StatusProhibitTimer, r.prohibitFn)
		r.prohibitRunning = true
		return p
	}
	if r.retxSize > 0 {
		for sn := r.vtA; sn != r.vtS; sn = (sn + 1) % snMod {
			e := &r.retx[sn]
			if e.lastSent {
				return nil // every segment sent: wait for the status
			}
			src, segment := e.pdu, false
			if e.seg != nil {
				src, segment = e.seg, true
			}
			if src == nil {
				continue
			}
			if src.size <= bytes || r.cfg.TxOpportunityForRetxAlwaysBigEnough {
				out := src.ref()
				if segment {
					out.am.lastSeg = true
				}
				out.am.poll = false
				if (len(r.txon) == 0 && r.retxSize == src.size) || r.vtS == r.vtMs || r.pollJustExpired {
					out.am.poll = true
					r.startPoll()
				}
				e.retxCount++
				r.txed[sn] = e.pdu.ref()
				r.txedRetx[sn] = e.retxCount
				r.txedSize += e.pdu.size
				r.retxSize -= e.pdu.size
				r.clearRetx(sn)
				return out
			}
			// Resegment: the first part goes now, the rest waits.
			if bytes < amDataHeader {
				return nil
			}
			whole := e.pdu
			offset, data := 0, whole.size-amHeaderSize(len(whole.segs))
			if segment {
				offset, data = e.segOffset, e.seg.am.bytes
			}
			first := bytes - amDataHeader
			poll := (len(r.txon) == 0 && r.retxSize == src.size) || r.vtS == r.vtMs || r.pollJustExpired
			if poll {
				r.startPoll()
			}
			out := pp.newPdu(r.h.lcid)
			out.sn = sn
			out.orig = whole.ref()
			out.am = amPduInfo{data: true, poll: poll, resegment: true, segOffset: offset, bytes: first}
			out.size = amDataHeader + first
			rest := pp.newPdu(r.h.lcid)
			rest.sn = sn
			rest.orig = whole.ref()
			rest.am = amPduInfo{data: true, resegment: true, segOffset: offset + first, bytes: data - first}
			rest.size = amDataHeader + data - first
			if e.seg != nil {
				pp.releasePdu(e.seg)
			}
			e.seg, e.segOffset = rest, offset+first
			return out
		}
		return nil
	}
	if r.txonSize == 0 || bytes < 7 || r.vtS == r.vtMs {
		return nil
	}
	return r.newPdu(bytes)
}

// newPdu builds a new AMD PDU of at most bytes bytes (the UM layout with
// the AM header budget) and keeps it for retransmission.
func (r *rlcAm) newPdu(bytes int) *rlcPDU {
	pp := r.h.pool
	next := bytes - amDataHeader
	id := 1
	pdu := pp.newPdu(r.h.lcid)
	first := r.popFront()
	have := true
	for have && first.bytes > 0 && next > 0 {
		switch {
		case first.bytes > next || first.bytes > 2047:
			cur := min(first.bytes, next)
			pdu.addSegment(first.s, cur, first.offset, first.first(), cur == first.bytes)
			first.bytes -= cur
			first.offset += cur
			if first.bytes > 0 {
				r.txon = append([]txEntry{first}, r.txon...)
				r.txonSize += first.bytes
			} else {
				pp.releaseSdu(first.s)
			}
			have = false
			next -= cur
			id++
		case next-first.bytes <= 2 || len(r.txon) == 0:
			pdu.addSegment(first.s, first.bytes, first.offset, first.first(), true)
			pp.releaseSdu(first.s)
			next -= first.bytes
			id++
			have = false
		default:
			pdu.addSegment(first.s, first.bytes, first.offset, first.first(), true)
			pp.releaseSdu(first.s)
			if id%2 == 1 {
				next -= 2 + first.bytes
			} else {
				next -= 1 + first.bytes
			}
			id++
			first = r.popFront()
		}
	}
	data := 0
	for _, sg := range pdu.segs {
		data += sg.bytes
	}
	pdu.sn = r.vtS
	r.vtS = (r.vtS + 1) % snMod
	pdu.size = amHeaderSize(len(pdu.segs)) + data
	pdu.am = amPduInfo{data: true, lastSeg: true}
	r.pduNoPoll++
	r.byteNoPoll += pdu.size
	if r.pduNoPoll >= r.cfg.PollPdu || r.byteNoPoll >= r.cfg.PollByte ||
		(len(r.txon) == 0 && r.retxSize == 0) || r.vtS == r.vtMs || r.pollJustExpired {
		pdu.am.poll = true
		r.startPoll()
	}
	r.txed[pdu.sn] = pdu.ref()
	r.txedRetx[pdu.sn] = 0
	r.txedSize += pdu.size
	return pdu
}

func (r *rlcAm) popFront() txEntry {
	e := r.txon[0]
	copy(r.txon, r.txon[1:])
	r.txon[len(r.txon)-1] = txEntry{}
	r.txon = r.txon[:len(r.txon)-1]
	r.txonSize -= e.bytes
	return e
}

// inRxWindow is IsInsideReceivingWindow: VR(R) <= sn < VR(MR).
func (r *rlcAm) inRxWindow(sn uint16) bool {
	return rel(sn, r.vrR) < rel(r.vrMr, r.vrR)
}

// receivePdu is DoReceivePdu: a data PDU (or segment) in the window is
// buffered, VR(H), VR(MS) and VR(R) advance, in-sequence PDUs are
// delivered, t-Reordering runs while a gap remains; a STATUS PDU
// acknowledges PDUs below ACK_SN and queues the NACKed ones for
// retransmission.
func (r *rlcAm) receivePdu(p *rlcPDU) {
	if p.status != nil {
		r.receiveStatus(p.status)
		return
	}
	sn := p.sn
	if p.am.poll {
		r.statusReq = true
		r.statusSize = 4
		if !r.prohibitRunning {
			r.reportBufferStatus()
		}
	}
	if !r.inRxWindow(sn) {
		return
	}
	e := &r.rx[sn]
	whole, bytes := p, p.size
	if p.am.resegment {
		whole, bytes = p.orig, p.am.bytes
	}
	switch {
	case e.present:
		if p.am.resegment && !e.complete {
			if p.am.segOffset == e.next {
				e.next += bytes
				if p.am.lastSeg {
					e.complete = true
				}
			} else {
				r.h.pool.releasePdu(e.pdu)
				*e = amRx{}
			}
		}
	case !p.am.resegment || p.am.segOffset == 0:
		*e = amRx{pdu: whole.ref(), present: true, next: bytes, complete: !p.am.resegment || p.am.lastSeg}
	}
	if !before(sn, r.vrH, r.vrR) {
		r.vrH = (sn + 1) % snMod
	}
	for r.rx[r.vrMs].present && r.rx[r.vrMs].complete {
		r.vrMs = (r.vrMs + 1) % snMod
	}
	if sn == r.vrR && r.rx[sn].present && r.rx[sn].complete {
		for r.rx[r.vrR].present && r.rx[r.vrR].complete {
			x := &r.rx[r.vrR]
			r.reassemble(x.pdu)
			r.h.pool.releasePdu(x.pdu)
			*x = amRx{}
			r.vrR = (r.vrR + 1) % snMod
		}
		r.vrMr = (r.vrR + amWindow) % snMod
	}
	if r.reorderRunning && (r.vrX == r.vrR || (!r.inRxWindow(r.vrX) && r.vrX != r.vrMr)) {
		r.h.s.Cancel(r.reorderTimer)
		r.reorderRunning = false
	}
	if !r.reorderRunning && before(r.vrR, r.vrH, r.vrR) {
		r.reorderTimer = r.h.s.Schedule(r.cfg.ReorderingTimer, r.reorderFn)
		r.reorderRunning = true
		r.vrX = r.vrH
	}
}

// reassemble delivers the SDUs a PDU completes (in-order delivery: no SN
// is ever skipped).
func (r *rlcAm) reassemble(p *rlcPDU) {
	r.pieces = append(r.pieces[:0], p.segs...)
	reassembleAndDeliver(r.h, &r.waitingSiSf, &r.keepS0, r.pieces, false)
}

// expireReordering is ExpireReorderingTimer: VR(MS) moves to the first
// incomplete PDU from VR(X) and a STATUS PDU is due.
func (r *rlcAm) expireReordering() {
	r.reorderRunning = false
	r.vrMs = r.vrX
	for r.rx[r.vrMs].present && r.rx[r.vrMs].complete {
		r.vrMs = (r.vrMs + 1) % snMod
	}
	if before(r.vrMs, r.vrH, r.vrR) {
		r.reorderTimer = r.h.s.Schedule(r.cfg.ReorderingTimer, r.reorderFn)
		r.reorderRunning = true
		r.vrX = r.vrH
	}
	r.statusReq = true
}

// receiveStatus handles a STATUS PDU.
func (r *rlcAm) receiveStatus(st *amStatus) {
	inc := true
	for sn := r.vtA; before(sn, st.ackSn, r.vtA) && before(sn, r.vtS, r.vtA); sn = (sn + 1) % snMod {
		if r.pollRunning && sn == r.pollSn {
			r.h.s.Cancel(r.pollTimer)
			r.pollRunning = false
		}
		nacked := false
		for _, n := range st.nacks {
			if n == sn {
				nacked = true
				break
			}
		}
		if nacked {
			inc = false
			if p := r.txed[sn]; p != nil {
				r.retx[sn].pdu = p
				r.retx[sn].retxCount = r.txedRetx[sn]
				r.retxSize += p.size
				r.txedSize -= p.size
				r.txed[sn] = nil
			}
		} else {
			if p := r.txed[sn]; p != nil {
				r.txedSize -= p.size
				r.h.pool.releasePdu(p)
				r.txed[sn] = nil
			}
			if r.retx[sn].pdu != nil {
				r.retxSize -= r.retx[sn].pdu.size
				r.clearRetx(sn)
			}
		}
		if inc {
			r.vtA = (r.vtA + 1) % snMod
			r.vtMs = (r.vtA + amWindow) % snMod
		}
	}
}
