package nr5g

import (
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// RLC AM constants (TS 36.322 with a 10-bit sequence number, 5G-LENA's
// NrRlcAm and NrRlcAmHeader).
const (
	amSnModulus  = 1024
	amWindowSize = 512
	// amDataHeader is the AMD PDU header without length indicators: 5G-LENA
	// always writes the 2-byte fixed part and the 2 bytes of LSF and
	// segment offset (NrRlcAmHeader::SetDataPdu).
	amDataHeader = 4
	// amStatusHeader is the STATUS PDU header with its ACK_SN
	// (NrRlcAmHeader::SetControlPdu).
	amStatusHeader = 2
	// amStatusEstimate is the STATUS PDU size NrRlcAm reports to the MAC
	// when a status is requested (m_statusPduBufferSize).
	amStatusEstimate = 4
	// amPollPdu and amPollByte are NrRlcAm's m_pollPdu and m_pollByte: a
	// poll at least every PDU.
	amPollPdu  = 1
	amPollByte = 50
)

// amHeaderSize returns the AMD PDU header for k data field elements: the 4
// fixed bytes and 1.5 bytes per extension/LI pair beyond the first element
// (NrRlcAmHeader::PushExtensionBit).
func amHeaderSize(k int) int { return rlcHeaderSize(k) + amDataHeader - 2 }

// statusSize returns the STATUS PDU size with n NACK_SNs
// (NrRlcAmHeader::PushNack: 2 bytes for an odd count, 1 for an even).
func statusSize(n int) int {
	h := amStatusHeader
	for i := 1; i <= n; i++ {
		if i%2 == 1 {
			h += 2
		} else {
			h++
		}
	}
	return h
}

// amTxPdu is an entry of the transmitted or retransmission buffer.
type amTxPdu struct {
	pdu     *rlcPdu // a stored copy (nil: empty entry)
	retx    int
	waiting sim.Time
}

// rlcAM is 5G-LENA's NrRlcAm (nr-rlc-am.cc), written from its algorithm:
// the AM entity of TS 36.322 with polling every PDU, STATUS PDUs (ACK_SN
// and the NACK_SNs that fit), retransmission of whole PDUs (no
// re-segmentation: a retransmission waits for an opportunity that holds
// it), t-PollRetransmit, t-Reordering, t-StatusProhibit and the buffer
// status timer.
type rlcAM struct {
	sim  *sim.Simulator
	cfg  RlcConfig
	lcid uint8
	user rlcUser
	pdus *rlcPdus
	st   RlcStats

	// Transmitter.
	txon      []umTxSdu // FIFO: txon[txHead:]
	txHead    int
	txonBytes int
	txed      [amSnModulus]amTxPdu
	txedBytes int
	retx      [amSnModulus]amTxPdu
	retxBytes int
	vtA, vtS  uint16
	pollSn    uint16
	pduNoPoll int
	byteNoPol int
	pollJust  bool // m_pollRetransmitTimerJustExpired
	dataField []rlcSeg

	// Status reporting.
	statusReq   bool
	statusBytes int

	// Receiver.
	rx                  [amSnModulus]*rlcPdu
	vrR, vrX, vrMs, vrH uint16
	reasm               sduReasm
	pollTimer, reorderT sim.EventID
	prohibitT, bsrT     sim.EventID
	pollFn, reorderFn   func(any)
	prohibitFn, bsrFn   func(any)
}

var _ rlcEntity = (*rlcAM)(nil)

func newRlcAM(s *sim.Simulator, cfg RlcConfig, lcid uint8, user rlcUser, pdus *rlcPdus) *rlcAM {
	r := &rlcAM{sim: s, cfg: cfg, lcid: lcid, user: user, pdus: pdus}
	r.pollFn, r.reorderFn = r.expirePollRetransmit, r.expireReordering
	r.prohibitFn, r.bsrFn = r.expireStatusProhibit, r.expireBsr
	return r
}

func (r *rlcAM) stats() RlcStats { return r.st }

// Sequence-number comparisons relative to a base (nr::SequenceNumber10).
func amRel(sn, base uint16) uint16 { return (sn - base) & (amSnModulus - 1) }

func (r *rlcAM) txLen() int { return len(r.txon) - r.txHead }

func (r *rlcAM) popFront() umTxSdu {
	e := r.txon[r.txHead]
	r.txon[r.txHead] = umTxSdu{}
	r.txHead++
	if r.txHead == len(r.txon) {
		r.txon, r.txHead = r.txon[:0], 0
	}
	return e
}

func (r *rlcAM) pushFront(e umTxSdu) {
	if r.txHead > 0 {
		r.txHead--
		r.txon[r.txHead] = e
		return
	}
	r.txon = append(r.txon, umTxSdu{})
	copy(r.txon[1:], r.txon)
	r.txon[0] = e
}

func (r *rlcAM) pushBack(e umTxSdu) {
	if r.txHead > 0 && len(r.txon) == cap(r.txon) {
		n := copy(r.txon, r.txon[r.txHead:])
		clear(r.txon[n:])
		r.txon, r.txHead = r.txon[:n], 0
	}
	r.txon = append(r.txon, e)
}

// transmitSdu is NrRlcAm::DoTransmitPdcpPdu: the SDU joins the
// transmission buffer if it fits (tail drop otherwise), the buffer is
// reported and the buffer status timer restarts.
func (r *rlcAM) transmitSdu(p *packet.Packet) {
	size := p.Size()
	if r.cfg.Am.MaxTxBufferBytes == 0 || r.txonBytes+size <= r.cfg.Am.MaxTxBufferBytes {
		r.pushBack(umTxSdu{p: p, size: size, status: segFull, since: r.sim.Now()})
		r.txonBytes += size
		r.st.TxSdus++
	} else {
		r.st.TxDrops++
		r.user.rlcEvent(r.lcid, RlcAM, RlcDrop, nil, size)
		p.Release()
	}
	r.reportBuffer()
	r.sim.Cancel(r.bsrT)
	r.bsrT = r.sim.ScheduleWith(r.cfg.Am.BufferStatusReportTimer, r.bsrFn, nil)
}

// bufferStatus is NrRlcAm::DoTransmitBufferStatusReport's report: the new
// data (without header estimate), the retransmission queue counting every
// PDU not yet acknowledged, and a STATUS PDU of 4 bytes when one is
// requested and not prohibited.
func (r *rlcAM) bufferStatus() BufferStatus {
	now := r.sim.Now()
	var st BufferStatus
	st.TxQueue = uint32(r.txonBytes)
	if r.txonBytes > 0 {
		st.TxHolDelay = uint32((now - r.txon[r.txHead].since) / sim.Millisecond)
	}
	st.RetxQueue = uint32(r.retxBytes + r.txedBytes)
	if r.retxBytes > 0 {
		since := r.txed[r.vtA].waiting
		if r.retx[r.vtA].pdu != nil {
			since = r.retx[r.vtA].waiting
		}
		st.RetxHol = uint32((now - since) / sim.Millisecond)
	}
	if r.statusReq && !r.sim.IsPending(r.prohibitT) {
		st.StatusPdu = uint32(r.statusBytes)
	}
	return st
}

// reportBuffer sends the report if any queue is non-empty.
func (r *rlcAM) reportBuffer() {
	st := r.bufferStatus()
	if st.TxQueue != 0 || st.RetxQueue != 0 || st.StatusPdu != 0 {
		r.user.rlcBufferStatus(r.lcid, st)
	}
}

// txOpportunity is NrRlcAm::DoNotifyTxOpportunity: a STATUS PDU if one is
// requested and not prohibited, else the first PDU waiting for
// retransmission if it fits, else a new AMD PDU (segmenting and
// concatenating SDUs as RLC UM does, 4 bytes of header) unless the
// transmitting window is full.
func (r *rlcAM) txOpportunity(bytes int) *rlcPdu {
	if bytes < 4 {
		return nil
	}
	if r.statusReq && !r.sim.IsPending(r.prohibitT) {
		if bytes < r.statusBytes {
			return nil
		}
		return r.buildStatus(bytes)
	}
	if r.retxBytes > 0 {
		return r.sendRetx(bytes)
	}
	if r.txonBytes == 0 || bytes < 7 || r.vtS == (r.vtA+amWindowSize)&(amSnModulus-1) {
		return nil
	}
	return r.sendNew(bytes)
}

// buildStatus builds the STATUS PDU: a NACK_SN for every SN from VR(R) to
// VR(MS) not received while one more fits in bytes, and ACK_SN the first
// SN after them not received.
func (r *rlcAM) buildStatus(bytes int) *rlcPdu {
	pdu := r.pdus.get()
	pdu.ctrl = true
	h := amStatusHeader
	sn := r.vrR
	for ; amRel(sn, r.vrR) < amRel(r.vrMs, r.vrR); sn = (sn + 1) & (amSnModulus - 1) {
		// NrRlcAmHeader::OneMoreNackWouldFitIn.
		if len(pdu.nacks)%2 == 0 && !(h < bytes) || len(pdu.nacks)%2 == 1 && !(h < bytes-1) {
			break
		}
		if r.rx[sn] == nil {
			pdu.nacks = append(pdu.nacks, sn)
			h = statusSize(len(pdu.nacks))
		}
	}
	for amRel(sn, r.vrR) < amRel(r.vrMs, r.vrR) && r.rx[sn] != nil {
		sn = (sn + 1) & (amSnModulus - 1)
	}
	pdu.ackSn = sn
	pdu.header, pdu.size = h, h
	r.statusReq, r.statusBytes = false, 0
	r.prohibitT = r.sim.ScheduleWith(r.cfg.Am.StatusProhibitTimer, r.prohibitFn, nil)
	r.st.TxPdus++
	r.st.TxStatus++
	r.st.TxBytes += uint64(pdu.size)
	r.sent(pdu)
	return pdu
}

// startPoll sets the poll of a PDU sent now: POLL_SN, counters, and
// t-PollRetransmit (re)started.
func (r *rlcAM) startPoll(pdu *rlcPdu) {
	r.pollJust = false
	pdu.poll = true
	r.pduNoPoll, r.byteNoPol = 0, 0
	r.pollSn = (r.vtS - 1) & (amSnModulus - 1)
	r.sim.Cancel(r.pollTimer)
	r.pollTimer = r.sim.ScheduleWith(r.cfg.Am.PollRetransmitTimer, r.pollFn, nil)
}

// sendRetx retransmits the first PDU of the retransmission buffer, whole,
// if it fits (or TxOpportunityForRetxAlwaysBigEnough).
func (r *rlcAM) sendRetx(bytes int) *rlcPdu {
	for sn := r.vtA; amRel(sn, r.vtA) < amRel(r.vtS, r.vtA); sn = (sn + 1) & (amSnModulus - 1) {
		e := &r.retx[sn]
		if e.pdu == nil {
			continue
		}
		if e.pdu.size > bytes && !r.cfg.Am.TxOpportunityForRetxAlwaysBigEnough {
			return nil
		}
		pdu := r.pdus.clone(e.pdu)
		pdu.poll = false
		if (r.txLen() == 0 && r.retxBytes == e.pdu.size) ||
			amRel(r.vtS, r.vtA) >= amWindowSize || r.pollJust {
			r.startPoll(pdu)
		}
		t := &r.txed[sn]
		t.pdu, t.retx, t.waiting = e.pdu, e.retx+1, r.sim.Now()
		r.txedBytes += e.pdu.size
		r.retxBytes -= e.pdu.size
		*e = amTxPdu{}
		r.st.TxPdus++
		r.st.TxRetx++
		r.st.TxBytes += uint64(pdu.size)
		pdu.retx = true
		r.sent(pdu)
		return pdu
	}
	return nil
}

// sendNew builds a new AMD PDU of at most bytes bytes.
func (r *rlcAM) sendNew(bytes int) *rlcPdu {
	next := bytes - amDataHeader
	segID := 1
	df := r.dataField[:0]
	var statuses [2]segStatus
	first := r.popFront()
	r.txonBytes -= first.size
	have := true
	for have && first.size > 0 && next > 0 {
		switch {
		case first.size > next || first.size > umMaxSegment:
			cur := min(first.size, next)
			newStatus, oldStatus := first.status, first.status
			switch first.status {
			case segFull:
				newStatus, oldStatus = segFirst, segLast
			case segLast:
				newStatus = segMiddle
			}
			first.size -= cur
			var seg rlcSeg
			if first.size > 0 {
				seg = rlcSeg{p: first.p.Copy(), size: cur}
				first.status = oldStatus
				r.pushFront(first)
				r.txonBytes += first.size
			} else {
				switch newStatus {
				case segFirst:
					newStatus = segFull
				case segMiddle:
					newStatus = segLast
				}
				seg = rlcSeg{p: first.p, size: cur}
			}
			if len(df) == 0 {
				statuses[0] = newStatus
			}
			statuses[1] = newStatus
			df = append(df, seg)
			next -= cur
			segID++
			have = false
		case next-first.size <= 2 || r.txLen() == 0:
			if len(df) == 0 {
				statuses[0] = first.status
			}
			statuses[1] = first.status
			df = append(df, rlcSeg{p: first.p, size: first.size})
			next -= first.size
			segID++
			have = false
		default:
			if len(df) == 0 {
				statuses[0] = first.status
			}
			statuses[1] = first.status
			df = append(df, rlcSeg{p: first.p, size: first.size})
			if segID%2 == 1 {
				next -= 2 + first.size
			} else {
				next -= 1 + first.size
			}
			segID++
			first = r.popFront()
			r.txonBytes -= first.size
		}
	}
	pdu := r.pdus.get()
	pdu.sn = r.vtS
	r.vtS = (r.vtS + 1) & (amSnModulus - 1)
	if statuses[0] == segFull || statuses[0] == segFirst {
		pdu.fi |= fiFirstByte
	} else {
		pdu.fi |= fiNoFirstByte
	}
	if statuses[1] == segFull || statuses[1] == segLast {
		pdu.fi |= fiLastByte
	} else {
		pdu.fi |= fiNoLastByte
	}
	pdu.segs = append(pdu.segs, df...)
	pdu.header = amHeaderSize(len(df))
	pdu.size = pdu.header
	for i := range df {
		pdu.size += df[i].size
		df[i] = rlcSeg{}
	}
	r.dataField = df[:0]
	r.pduNoPoll++
	r.byteNoPol += pdu.size
	if r.pduNoPoll >= amPollPdu || r.byteNoPol >= amPollByte || (r.txLen() == 0 && r.retxBytes == 0) ||
		amRel(r.vtS, r.vtA) >= amWindowSize || r.pollJust {
		r.startPoll(pdu)
	}
	t := &r.txed[pdu.sn]
	if t.pdu != nil {
		r.txedBytes -= t.pdu.size
		r.pdus.put(t.pdu)
	}
	t.pdu, t.retx, t.waiting = r.pdus.clone(pdu), 0, r.sim.Now()
	r.txedBytes += pdu.size
	r.st.TxPdus++
	r.st.TxBytes += uint64(pdu.size)
	r.sent(pdu)
	return pdu
}

// sent stamps and traces a PDU handed to the MAC.
func (r *rlcAM) sent(pdu *rlcPdu) {
	pdu.txTime = r.sim.Now()
	r.user.rlcEvent(r.lcid, RlcAM, RlcTx, pdu, pdu.size)
}

// receivePdu is NrRlcAm::DoReceivePdu: a STATUS PDU acknowledges and
// NACKs the transmitter's PDUs; a data PDU with the poll bit requests a
// STATUS PDU, is stored if inside the receiving window and not a
// duplicate, and moves VR(H), VR(MS), VR(R) (delivering in order) and
// t-Reordering (TS 36.322 5.1.3.2).
func (r *rlcAM) receivePdu(pdu *rlcPdu) {
	r.st.RxPdus++
	r.user.rlcEvent(r.lcid, RlcAM, RlcRx, pdu, pdu.size)
	if pdu.ctrl {
		r.st.RxStatus++
		r.receiveStatus(pdu)
		r.pdus.put(pdu)
		return
	}
	if pdu.poll {
		r.statusReq, r.statusBytes = true, amStatusEstimate
		if !r.sim.IsPending(r.prohibitT) {
			r.reportBuffer()
		}
	}
	sn := pdu.sn
	if amRel(sn, r.vrR) >= amWindowSize || r.rx[sn] != nil {
		r.st.RxDiscarded++
		r.pdus.put(pdu)
		return
	}
	r.rx[sn] = pdu
	if amRel(sn, r.vrR) >= amRel(r.vrH, r.vrR) {
		r.vrH = (sn + 1) & (amSnModulus - 1)
	}
	for r.rx[r.vrMs] != nil && amRel(r.vrMs, r.vrR) < amWindowSize {
		r.vrMs = (r.vrMs + 1) & (amSnModulus - 1)
	}
	if sn == r.vrR {
		for r.rx[r.vrR] != nil {
			p := r.rx[r.vrR]
			r.rx[r.vrR] = nil
			r.vrR = (r.vrR + 1) & (amSnModulus - 1)
			r.reasm.run(p, amSnModulus, r.pdus, r)
		}
	}
	if r.sim.IsPending(r.reorderT) {
		vrMr := (r.vrR + amWindowSize) & (amSnModulus - 1)
		if r.vrX == r.vrR || (amRel(r.vrX, r.vrR) >= amWindowSize && r.vrX != vrMr) {
			r.sim.Cancel(r.reorderT)
			r.reorderT = sim.EventID{}
		}
	}
	if !r.sim.IsPending(r.reorderT) && amRel(r.vrH, r.vrR) > 0 {
		r.reorderT = r.sim.ScheduleWith(r.cfg.Am.ReorderingTimer, r.reorderFn, nil)
		r.vrX = r.vrH
	}
}

// receiveStatus processes a STATUS PDU at the transmitter: every SN from
// VT(A) below ACK_SN and VT(S) is acknowledged unless NACKed, a NACKed one
// goes to the retransmission buffer, and VT(A) advances up to the first
// NACK.
func (r *rlcAM) receiveStatus(pdu *rlcPdu) {
	inc := true
	start := r.vtA
	end := amRel(pdu.ackSn, start)
	if s := amRel(r.vtS, start); s < end {
		end = s
	}
	for i := uint16(0); i < end; i++ {
		sn := (start + i) & (amSnModulus - 1)
		if r.sim.IsPending(r.pollTimer) && sn == r.pollSn {
			r.sim.Cancel(r.pollTimer)
			r.pollTimer = sim.EventID{}
		}
		nack := false
		for _, n := range pdu.nacks {
			if n == sn {
				nack = true
				break
			}
		}
		t, x := &r.txed[sn], &r.retx[sn]
		if nack {
			inc = false
			if t.pdu != nil {
				*x = *t
				r.retxBytes += t.pdu.size
				r.txedBytes -= t.pdu.size
				*t = amTxPdu{}
			}
		} else {
			if t.pdu != nil {
				r.txedBytes -= t.pdu.size
				r.pdus.put(t.pdu)
				*t = amTxPdu{}
			}
			if x.pdu != nil {
				r.retxBytes -= x.pdu.size
				r.pdus.put(x.pdu)
				*x = amTxPdu{}
			}
		}
		if inc {
			r.vtA = (r.vtA + 1) & (amSnModulus - 1)
		}
	}
}

func (r *rlcAM) deliver(p *packet.Packet) {
	r.st.RxSdus++
	r.user.rlcDeliver(r.lcid, p)
}

func (r *rlcAM) discard(p *packet.Packet) {
	if p != nil {
		r.st.RxLostSdus++
		p.Release()
	}
}

// expireReordering is NrRlcAm::ExpireReorderingTimer: VR(MS) moves to the
// first SN from VR(X) not received, the timer restarts if VR(H) is beyond
// it, and a STATUS PDU is requested (without a buffer report, as 5G-LENA).
func (r *rlcAM) expireReordering(any) {
	r.reorderT = sim.EventID{}
	r.st.Reorderings++
	r.vrMs = r.vrX
	for r.rx[r.vrMs] != nil && amRel(r.vrMs, r.vrR) < amWindowSize {
		r.vrMs = (r.vrMs + 1) & (amSnModulus - 1)
	}
	if amRel(r.vrH, r.vrR) > amRel(r.vrMs, r.vrR) {
		r.reorderT = r.sim.ScheduleWith(r.cfg.Am.ReorderingTimer, r.reorderFn, nil)
		r.vrX = r.vrH
	}
	r.statusReq = true
	r.statusBytes = amStatusEstimate
}

// expirePollRetransmit is NrRlcAm::ExpirePollRetransmitTimer: the next PDU
// polls; with nothing new to send (or the window full) every PDU not yet
// acknowledged is queued for retransmission; the buffer is reported.
func (r *rlcAM) expirePollRetransmit(any) {
	r.pollTimer = sim.EventID{}
	r.pollJust = true
	if (r.txonBytes == 0 && r.retxBytes == 0) || amRel(r.vtS, r.vtA) >= amWindowSize {
		for sn := r.vtA; sn != r.vtS; sn = (sn + 1) & (amSnModulus - 1) {
			t := &r.txed[sn]
			if t.pdu == nil {
				continue
			}
			r.retx[sn] = *t
			r.retxBytes += t.pdu.size
			r.txedBytes -= t.pdu.size
			*t = amTxPdu{}
		}
	}
	r.reportBuffer()
}

// expireStatusProhibit is NrRlcAm::ExpireStatusProhibitTimer: nothing
// else (a pending STATUS PDU waits for the next buffer report).
func (r *rlcAM) expireStatusProhibit(any) { r.prohibitT = sim.EventID{} }

// expireBsr is NrRlcAm::ExpireBsrTimer: the buffer is reported again while
// anything is queued or unacknowledged.
func (r *rlcAM) expireBsr(any) {
	r.bsrT = sim.EventID{}
	if r.txonBytes+r.txedBytes+r.retxBytes > 0 {
		r.reportBuffer()
		r.bsrT = r.sim.ScheduleWith(r.cfg.Am.BufferStatusReportTimer, r.bsrFn, nil)
	}
}

// release drops every buffered packet and stops the timers.
func (r *rlcAM) release() {
	for r.txLen() > 0 {
		e := r.popFront()
		e.p.Release()
	}
	r.txonBytes = 0
	for sn := range r.txed {
		if p := r.txed[sn].pdu; p != nil {
			r.pdus.put(p)
		}
		if p := r.retx[sn].pdu; p != nil {
			r.pdus.put(p)
		}
		if p := r.rx[sn]; p != nil {
			r.pdus.put(p)
		}
		r.txed[sn], r.retx[sn], r.rx[sn] = amTxPdu{}, amTxPdu{}, nil
	}
	r.txedBytes, r.retxBytes = 0, 0
	r.reasm.release()
	for _, id := range []*sim.EventID{&r.pollTimer, &r.reorderT, &r.prohibitT, &r.bsrT} {
		r.sim.Cancel(*id)
		*id = sim.EventID{}
	}
}
