package nr5g

import (
	"math/bits"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// RLC UM constants (TS 36.322 with a 10-bit sequence number, 5G-LENA's
// NrRlcUm and nr::SequenceNumber10).
const (
	umSnModulus        = 1024
	umWindowSize       = 512
	umMaxSegment       = 2047 // the 11-bit LI limit: longer SDUs only end a data field
	umMinTxOpportunity = 3    // NrRlcUm ignores opportunities of 2 bytes or fewer
)

// umTxSdu is an SDU (or what is left of it) in the transmission buffer.
type umTxSdu struct {
	p      *packet.Packet
	size   int
	status segStatus
	since  sim.Time
}

// rlcUM is 5G-LENA's NrRlcUm (nr-rlc-um.cc), written from its algorithm:
// a transmission buffer with tail drop, segmentation and concatenation to
// the MAC's opportunities, and a receiver with the reordering window,
// t-Reordering and in-order reassembly of TS 36.322 5.1.2.2.
type rlcUM struct {
	sim  *sim.Simulator
	cfg  RlcConfig
	lcid uint8
	user rlcUser
	pdus *rlcPdus
	st   RlcStats

	// Transmitter.
	txBuf     []umTxSdu // FIFO: txBuf[txHead:]
	txHead    int
	txBytes   int
	sn        uint16
	bsrTimer  sim.EventID
	expBsr    bool
	bsrFn     func(any)
	dataField []rlcSeg // scratch

	// Receiver.
	vrUr, vrUx, vrUh uint16
	rxBuf            [umSnModulus]*rlcPdu
	rxPresent        [umSnModulus / 64]uint64
	rxCount          int
	reorderTimer     sim.EventID
	reorderFn        func(any)
	reasm            sduReasm
	discardAfter     sim.Time // PDCP discard tracing (0: off)
}

var _ rlcEntity = (*rlcUM)(nil)

func newRlcUM(s *sim.Simulator, cfg RlcConfig, lcid uint8, user rlcUser, pdus *rlcPdus) *rlcUM {
	r := &rlcUM{sim: s, cfg: cfg, lcid: lcid, user: user, pdus: pdus}
	r.bsrFn = r.expireBsrTimer
	r.reorderFn = r.expireReorderingTimer
	return r
}

func (r *rlcUM) stats() RlcStats { return r.st }

func (r *rlcUM) txLen() int { return len(r.txBuf) - r.txHead }

func (r *rlcUM) txFront() *umTxSdu { return &r.txBuf[r.txHead] }

func (r *rlcUM) popFront() umTxSdu {
	e := r.txBuf[r.txHead]
	r.txBuf[r.txHead] = umTxSdu{}
	r.txHead++
	if r.txHead == len(r.txBuf) {
		r.txBuf, r.txHead = r.txBuf[:0], 0
	}
	return e
}

func (r *rlcUM) pushFront(e umTxSdu) {
	if r.txHead > 0 {
		r.txHead--
		r.txBuf[r.txHead] = e
		return
	}
	r.txBuf = append(r.txBuf, umTxSdu{})
	copy(r.txBuf[1:], r.txBuf)
	r.txBuf[0] = e
}

func (r *rlcUM) pushBack(e umTxSdu) {
	if r.txHead > 0 && len(r.txBuf) == cap(r.txBuf) {
		n := copy(r.txBuf, r.txBuf[r.txHead:])
		clear(r.txBuf[n:])
		r.txBuf, r.txHead = r.txBuf[:n], 0
	}
	r.txBuf = append(r.txBuf, e)
}

// transmitSdu is NrRlcUm::DoTransmitPdcpPdu: the SDU joins the buffer if
// it fits (tail drop otherwise), then the buffer is reported to the MAC
// and the BSR timer stops. (5G-LENA's PDCP discard check only traces.)
func (r *rlcUM) transmitSdu(p *packet.Packet) {
	size := p.Size()
	if r.txBytes+size <= r.cfg.MaxTxBufferBytes {
		// EnablePdcpDiscarding: an SDU that finds the head of line older
		// than the discard timer (whole milliseconds) is traced, and kept.
		if r.discardAfter > 0 && r.txLen() > 0 &&
			(r.sim.Now()-r.txFront().since)/sim.Millisecond > r.discardAfter/sim.Millisecond {
			r.st.DiscardTimerHits++
			r.user.rlcEvent(r.lcid, RlcUM, RlcDiscard, nil, size)
		}
		r.pushBack(umTxSdu{p: p, size: size, status: segFull, since: r.sim.Now()})
		r.txBytes += size
		r.st.TxSdus++
	} else {
		r.st.TxDrops++
		r.user.rlcEvent(r.lcid, RlcUM, RlcDrop, nil, size)
		p.Release()
	}
	r.reportBuffer()
	r.sim.Cancel(r.bsrTimer)
	r.bsrTimer = sim.EventID{}
}

// bufferStatus is NrRlcUm::DoTransmitBufferStatusReport's report: the
// buffered bytes plus 2 bytes of header per SDU, and the head-of-line
// delay in whole milliseconds.
func (r *rlcUM) bufferStatus() BufferStatus {
	var st BufferStatus
	if n := r.txLen(); n > 0 {
		st.TxQueue = uint32(r.txBytes + 2*n)
		st.TxHolDelay = uint32((r.sim.Now() - r.txFront().since) / sim.Millisecond)
	}
	st.ExpBsrTimer = r.expBsr
	return st
}

func (r *rlcUM) reportBuffer() {
	st := r.bufferStatus()
	r.expBsr = false
	r.user.rlcBufferStatus(r.lcid, st)
}

func (r *rlcUM) expireBsrTimer(any) {
	r.bsrTimer = sim.EventID{}
	if r.txLen() > 0 {
		r.expBsr = true
		r.reportBuffer()
		r.bsrTimer = r.sim.ScheduleWith(r.cfg.BsrTimer, r.bsrFn, nil)
	}
}

// txOpportunity is NrRlcUm::DoNotifyTxOpportunity: it fills a PDU of at
// most bytes bytes with the buffer's SDUs in order, segmenting the last
// one (and any SDU longer than 2047 bytes) and concatenating the others
// with length indicators, and restarts the 10 ms BSR timer if data is
// left.
func (r *rlcUM) txOpportunity(bytes int) *rlcPdu {
	if bytes < umMinTxOpportunity || r.txLen() == 0 {
		return nil
	}
	next := bytes - 2
	segID := 1
	df := r.dataField[:0]
	var statuses [2]segStatus // status of the first and last element
	first := r.popFront()
	r.txBytes -= first.size
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
				r.txBytes += first.size
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
			r.txBytes -= first.size
		}
	}
	pdu := r.pdus.get()
	pdu.sn = r.sn
	r.sn = (r.sn + 1) % umSnModulus
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
	pdu.header = rlcHeaderSize(len(df))
	pdu.size = pdu.header
	for i := range df {
		pdu.size += df[i].size
		df[i] = rlcSeg{}
	}
	r.dataField = df[:0]
	r.st.TxPdus++
	r.st.TxBytes += uint64(pdu.size)
	pdu.txTime = r.sim.Now()
	r.user.rlcEvent(r.lcid, RlcUM, RlcTx, pdu, pdu.size)
	if r.txLen() > 0 {
		r.sim.Cancel(r.bsrTimer)
		r.bsrTimer = r.sim.ScheduleWith(r.cfg.BsrTimer, r.bsrFn, nil)
	}
	return pdu
}

// Sequence-number arithmetic relative to the window base VR(UH) -
// UM_Window_Size, as nr::SequenceNumber10 compares.
func (r *rlcUM) rel(sn uint16) uint16 {
	return (sn - (r.vrUh - umWindowSize)) & (umSnModulus - 1)
}

func (r *rlcUM) inWindow(sn uint16) bool { return r.rel(sn) < umWindowSize }

func (r *rlcUM) has(sn uint16) bool { return r.rxPresent[sn/64]&(1<<(sn%64)) != 0 }

func (r *rlcUM) put(pdu *rlcPdu) {
	sn := pdu.sn
	if old := r.rxBuf[sn]; old != nil {
		r.pdus.put(old)
		r.rxCount--
	}
	r.rxBuf[sn] = pdu
	r.rxPresent[sn/64] |= 1 << (sn % 64)
	r.rxCount++
}

func (r *rlcUM) take(sn uint16) *rlcPdu {
	pdu := r.rxBuf[sn]
	r.rxBuf[sn] = nil
	r.rxPresent[sn/64] &^= 1 << (sn % 64)
	r.rxCount--
	return pdu
}

// receivePdu is NrRlcUm::DoReceivePdu (TS 36.322 5.1.2.2.2 and 5.1.2.2.3).
func (r *rlcUM) receivePdu(pdu *rlcPdu) {
	r.st.RxPdus++
	r.user.rlcEvent(r.lcid, RlcUM, RlcRx, pdu, pdu.size)
	sn := pdu.sn
	if (r.rel(r.vrUr) < r.rel(sn) && r.rel(sn) < r.rel(r.vrUh) && r.has(sn)) || r.rel(sn) < r.rel(r.vrUr) {
		r.st.RxDiscarded++
		r.pdus.put(pdu)
		return
	}
	r.put(pdu)
	if !r.inWindow(sn) {
		r.vrUh = (sn + 1) % umSnModulus
		r.reassembleOutsideWindow()
		if !r.inWindow(r.vrUr) {
			r.vrUr = (r.vrUh - umWindowSize) & (umSnModulus - 1)
		}
	}
	if r.has(r.vrUr) {
		old := r.vrUr
		n := (r.vrUr + 1) % umSnModulus
		for r.has(n) {
			n = (n + 1) % umSnModulus
		}
		r.vrUr = n
		r.reassembleInterval(old, r.vrUr)
	}
	if !r.reorderTimer.IsZero() && r.sim.IsPending(r.reorderTimer) {
		if r.rel(r.vrUx) <= r.rel(r.vrUr) || (!r.inWindow(r.vrUx) && r.vrUx != r.vrUh) {
			r.sim.Cancel(r.reorderTimer)
			r.reorderTimer = sim.EventID{}
		}
	}
	if r.reorderTimer.IsZero() || !r.sim.IsPending(r.reorderTimer) {
		if r.rel(r.vrUh) > r.rel(r.vrUr) {
			r.reorderTimer = r.sim.ScheduleWith(r.cfg.ReorderingTimer, r.reorderFn, nil)
			r.vrUx = r.vrUh
		}
	}
}

// expireReorderingTimer is NrRlcUm::ExpireReorderingTimer (5.1.2.2.4).
func (r *rlcUM) expireReorderingTimer(any) {
	r.reorderTimer = sim.EventID{}
	r.st.Reorderings++
	n := r.vrUx
	for r.has(n) {
		n = (n + 1) % umSnModulus
	}
	old := r.vrUr
	r.vrUr = n
	r.reassembleInterval(old, r.vrUr)
	if r.rel(r.vrUh) > r.rel(r.vrUr) {
		r.reorderTimer = r.sim.ScheduleWith(r.cfg.ReorderingTimer, r.reorderFn, nil)
		r.vrUx = r.vrUh
	}
}

// reassembleOutsideWindow is NrRlcUm::ReassembleOutsideWindow: it walks
// the reception buffer in ascending numeric SN order (a std::map in
// 5G-LENA) and delivers PDUs while they fall outside the window, stopping
// at the first inside it.
func (r *rlcUM) reassembleOutsideWindow() {
	if r.rxCount == 0 {
		return
	}
	for w := range r.rxPresent {
		for r.rxPresent[w] != 0 {
			sn := uint16(w*64 + bits.TrailingZeros64(r.rxPresent[w]))
			if r.inWindow(sn) {
				return
			}
			r.reassembleAndDeliver(r.take(sn))
		}
	}
}

// reassembleInterval is NrRlcUm::ReassembleSnInterval: deliver the PDUs
// with low <= SN < high present in the buffer, in SN order.
func (r *rlcUM) reassembleInterval(low, high uint16) {
	for sn := low; r.rel(sn) < r.rel(high); sn = (sn + 1) % umSnModulus {
		if r.has(sn) {
			r.reassembleAndDeliver(r.take(sn))
		}
	}
}

func (r *rlcUM) deliver(p *packet.Packet) {
	r.st.RxSdus++
	r.user.rlcDeliver(r.lcid, p)
}

func (r *rlcUM) discard(p *packet.Packet) {
	if p != nil {
		r.st.RxLostSdus++
		p.Release()
	}
}

// reassembleAndDeliver is NrRlcUm::ReassembleAndDeliver (see sduReasm).
func (r *rlcUM) reassembleAndDeliver(pdu *rlcPdu) { r.reasm.run(pdu, umSnModulus, r.pdus, r) }

// release drops every buffered packet and stops the timers.
func (r *rlcUM) release() {
	for r.txLen() > 0 {
		e := r.popFront()
		e.p.Release()
	}
	r.txBytes = 0
	for sn := range r.rxBuf {
		if r.rxBuf[sn] != nil {
			r.pdus.put(r.take(uint16(sn)))
		}
	}
	r.reasm.release()
	r.sim.Cancel(r.bsrTimer)
	r.sim.Cancel(r.reorderTimer)
	r.bsrTimer, r.reorderTimer = sim.EventID{}, sim.EventID{}
}
