package mac80211

import (
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

type timerReason uint8

const (
	timerNone timerReason = iota
	timerWaitAck
	timerWaitCts
)

// psduDurationSafeguard is the margin ns-3 adds to a response timeout when
// the response's reception has started (FrameExchangeManager::
// RxStartIndication, PSDU_DURATION_SAFEGUARD = 400 ns).
const psduDurationSafeguard = 400 * sim.Nanosecond

// frameExchange runs frame exchange sequences for a MAC: data or management
// frame then ACK, optionally preceded by RTS/CTS; retries and the contention
// window after failures; responses (ACK, CTS) to frames addressed to us;
// the NAV. It follows ns-3 3.37's FrameExchangeManager for non-QoS stations.
type frameExchange struct {
	mac *Mac
	s   *sim.Simulator

	txop *Txop // Txop holding the channel, nil when idle
	// inFlight: the head of txop's queue is being transmitted (it stays the
	// head until acknowledged or dropped; use head(), never keep a pointer:
	// the queue's ring may grow and move)
	inFlight bool
	txBuf    Frame // the frame handed to the PHY

	timer       sim.EventID
	timerReason timerReason

	navEnd        sim.Time
	navResetEvent sim.EventID

	// the response scheduled SIFS after a reception
	resp Frame

	// short and long retry counts of the station (ns-3 keeps them per
	// remote-station manager: m_ssrc, m_slrc)
	ssrc, slrc int
}

func (x *frameExchange) init(m *Mac) {
	x.mac = m
	x.s = m.sim
}

// The frame exchange's events (see accessTimeoutEvent).
func fxTimeout(arg any)      { arg.(*frameExchange).timeout() }
func fxSendMpdu(arg any)     { arg.(*frameExchange).sendMpdu() }
func fxSendResponse(arg any) { arg.(*frameExchange).sendResponse() }
func fxNoAckTxEnd(arg any)   { arg.(*frameExchange).transmissionSucceeded() }
func fxNavReset(arg any) {
	x := arg.(*frameExchange)
	x.navResetEvent = sim.EventID{}
	x.navEnd = x.s.Now()
	x.mac.cam.notifyNavReset()
}

func (x *frameExchange) cancelTimer() {
	if x.timerReason != timerNone {
		x.s.Cancel(x.timer)
		x.timerReason = timerNone
	}
}

func (x *frameExchange) setTimer(reason timerReason, d sim.Time) {
	x.timerReason = reason
	x.timer = x.s.ScheduleWith(d, fxTimeout, x)
}

// roundDurationID rounds a Duration/ID value up to whole microseconds, as
// the field carries (ns-3 WifiMacHeader::SetDuration).
func roundDurationID(d sim.Time) sim.Time {
	if d <= 0 {
		return 0
	}
	return (d + sim.Microsecond - 1) / sim.Microsecond * sim.Microsecond
}

// startTransmission is called by channel access when t won the medium. It
// reports false when t has nothing to send (the channel is then released).
func (x *frameExchange) startTransmission(t *Txop) bool {
	x.cancelTimer()
	if !t.hasFrames() {
		t.notifyChannelReleased()
		return false
	}
	t.access = accessGranted
	x.txop = t
	x.inFlight = true
	t.queue.pin()
	h := &x.head().frame.Header
	if !h.Retry {
		h.Seq = x.mac.nextSeq()
	}
	f := &x.head().frame
	m := x.mac
	switch {
	case h.Addr1.IsBroadcast():
		f.Mode = m.cfg.NonUnicastMode
	case h.Type.IsManagement():
		f.Mode = m.cfg.ManagementMode
	default:
		f.Mode = m.rate.DataMode(h.Addr1, f.Size())
	}
	f.TxPowerDbm = m.phy.cfg.TxPowerDbm
	if !h.Addr1.IsBroadcast() && f.Size() > m.cfg.RtsCtsThreshold {
		x.sendRts()
	} else {
		x.sendMpdu()
	}
	return true
}

// head returns the MPDU being transmitted: the head of the Txop's queue.
func (x *frameExchange) head() *queuedMPDU { return x.txop.queue.front() }

func (x *frameExchange) isLong() bool { return x.head().frame.Size() > x.mac.cfg.RtsCtsThreshold }

// ackTime is SIFS plus the ACK's airtime in response to a frame at mode.
func ackTime(mode Mode) sim.Time {
	return SIFS + FrameDuration(ACKSize, ControlResponseMode(mode))
}

func (x *frameExchange) sendRts() {
	m := x.mac
	f := &x.head().frame
	dataDur := f.Duration()
	rtsMode := m.rate.RtsMode(f.Header.Addr1)
	ctsDur := FrameDuration(CTSSize, ControlResponseMode(rtsMode))
	x.txBuf = Frame{
		Header: MACHeader{
			Type:     FrameRTS,
			Addr1:    f.Header.Addr1,
			Addr2:    m.addr,
			Duration: roundDurationID(SIFS + ctsDur + SIFS + dataDur + ackTime(f.Mode)),
		},
		Mode:       rtsMode,
		TxPowerDbm: f.TxPowerDbm,
	}
	x.transmitAwaiting(timerWaitCts)
}

func (x *frameExchange) sendMpdu() {
	m := x.mac
	it := x.head()
	f := &it.frame
	it.attempts++
	if f.Header.Addr1.IsBroadcast() {
		// No acknowledgment: the MPDU leaves the queue now and the channel
		// is released when the transmission ends.
		f.Header.Duration = 0
		x.txBuf = *f
		x.txop.queue.pop()
		x.inFlight = false
		end := m.transmit(&x.txBuf)
		x.s.ScheduleWith(end-x.s.Now(), fxNoAckTxEnd, x)
		return
	}
	f.Header.Duration = roundDurationID(ackTime(f.Mode))
	x.txBuf = *f
	x.transmitAwaiting(timerWaitAck)
}

// transmitAwaiting sends txBuf and arms the timeout for its response (ACK
// or CTS): "aSIFSTime + aSlotTime + aRxPHYStartDelay, starting at the
// PHY-TXEND.confirm" (IEEE 802.11-2016 10.3.2.9), as ns-3; channel access
// defers until the timeout ends.
func (x *frameExchange) transmitAwaiting(reason timerReason) {
	timeout := x.txBuf.Duration() + SIFS + Slot + PreambleAndSignalDuration
	x.setTimer(reason, timeout)
	if reason == timerWaitAck {
		x.mac.cam.notifyAckTimeoutStart(x.s.Now() + timeout)
	} else {
		x.mac.cam.notifyCtsTimeoutStart(x.s.Now() + timeout)
	}
	x.mac.transmit(&x.txBuf)
}

func (x *frameExchange) transmissionSucceeded() {
	t := x.txop
	x.txop = nil
	if t != nil {
		t.notifyChannelReleased()
	}
}

func (x *frameExchange) transmissionFailed() {
	t := x.txop
	x.txop = nil
	x.inFlight = false
	if t != nil {
		// The frame stays queued for its retry; the next access picks the
		// next frame afresh (a management frame queued meanwhile goes
		// first).
		t.queue.unpin()
		t.notifyChannelReleased()
	}
}

func (x *frameExchange) timeout() {
	reason := x.timerReason
	x.timerReason = timerNone
	m := x.mac
	f := &x.head().frame
	dst := f.Header.Addr1
	long := x.isLong()
	switch reason {
	case timerWaitAck:
		m.rate.ReportDataFailed(dst)
		if m.OnTxFailed != nil {
			m.OnTxFailed(f)
		}
	case timerWaitCts:
		m.rate.ReportRtsFailed(dst)
	default:
		return
	}
	count, limit := &x.ssrc, m.cfg.RetryLimit
	if long {
		count, limit = &x.slrc, m.cfg.LongRetryLimit
	}
	*count++
	if *count >= limit {
		*count = 0
		it := x.txop.queue.pop()
		if reason == timerWaitAck {
			m.rate.ReportFinalDataFailed(dst)
			m.discard(it.frame, DropRetryLimit)
		} else {
			m.rate.ReportFinalRtsFailed(dst)
			m.discard(it.frame, DropRtsRetryLimit)
		}
		x.txop.resetCw()
	} else {
		if reason == timerWaitAck {
			f.Header.Retry = true
		}
		x.txop.updateFailedCw()
	}
	x.transmissionFailed()
}

// rxStartIndication is PHY-RXSTART while we may be waiting for a response:
// the timeout moves to the end of the frame being received (ns-3
// FrameExchangeManager::RxStartIndication).
func (x *frameExchange) rxStartIndication(end sim.Time) {
	if x.timerReason != timerNone {
		reason := x.timerReason
		x.s.Cancel(x.timer)
		x.setTimer(reason, end-x.s.Now()+psduDurationSafeguard)
		x.mac.cam.notifyAckTimeoutReset()
	}
	if !x.navResetEvent.IsZero() {
		x.s.Cancel(x.navResetEvent)
		x.navResetEvent = sim.EventID{}
	}
}

// updateNav applies a received frame's Duration field (IEEE 802.11-2016
// 10.3.2.4): not for frames addressed to us, only when it extends the NAV;
// after an RTS, the NAV may be reset if no reception starts within
// NAVTimeout.
func (x *frameExchange) updateNav(f *Frame) {
	h := &f.Header
	if h.Addr1 == x.mac.addr {
		return
	}
	now := x.s.Now()
	end := now + h.Duration
	if end <= x.navEnd {
		return
	}
	x.navEnd = end
	x.mac.cam.notifyNavStart(end)
	if h.Type == FrameRTS {
		ctsDur := FrameDuration(CTSSize, f.Mode)
		d := 2*SIFS + ctsDur + PreambleAndSignalDuration + 2*Slot
		if !x.navResetEvent.IsZero() {
			x.s.Cancel(x.navResetEvent)
		}
		x.navResetEvent = x.s.ScheduleWith(d, fxNavReset, x)
	}
}

// receive handles a correctly received frame.
func (x *frameExchange) receive(f *Frame, info RxInfo) {
	m := x.mac
	x.updateNav(f)
	h := &f.Header
	if !h.Addr1.IsBroadcast() && h.Addr1 != m.addr {
		return
	}
	now := x.s.Now()
	switch h.Type {
	case FrameRTS:
		if x.navEnd <= now {
			ctsMode := ControlResponseMode(f.Mode)
			dur := h.Duration - SIFS - FrameDuration(CTSSize, ctsMode)
			x.scheduleResponse(FrameCTS, h.Addr2, dur, ctsMode)
		}
	case FrameCTS:
		if x.timerReason == timerWaitCts && x.inFlight {
			m.rate.ReportRtsOk(x.head().frame.Header.Addr1)
			x.ssrc = 0
			x.cancelTimer()
			m.cam.notifyCtsTimeoutReset()
			x.s.ScheduleWith(SIFS, fxSendMpdu, x)
		}
	case FrameACK:
		if x.timerReason == timerWaitAck && x.inFlight {
			x.receivedAck(info)
		}
	default: // data and management
		if h.Addr1 == m.addr {
			ackMode := ControlResponseMode(f.Mode)
			dur := h.Duration - SIFS - FrameDuration(ACKSize, ackMode)
			x.scheduleResponse(FrameACK, h.Addr2, dur, ackMode)
			if m.isDuplicate(h) {
				return
			}
		}
		m.receiveMPDU(f, info)
	}
}

func (x *frameExchange) scheduleResponse(t FrameType, to packet.Mac48, dur sim.Time, mode Mode) {
	x.resp = Frame{
		Header:     MACHeader{Type: t, Addr1: to, Duration: roundDurationID(max(dur, 0))},
		Mode:       mode,
		TxPowerDbm: x.mac.phy.cfg.TxPowerDbm,
	}
	x.s.ScheduleWith(SIFS, fxSendResponse, x)
}

func (x *frameExchange) sendResponse() { x.mac.transmit(&x.resp) }

func (x *frameExchange) receivedAck(info RxInfo) {
	m := x.mac
	f := &x.head().frame
	m.rate.ReportDataOk(f.Header.Addr1, info.SNRDb)
	if x.isLong() {
		x.slrc = 0
	} else {
		x.ssrc = 0
	}
	x.cancelTimer()
	m.cam.notifyAckTimeoutReset()
	x.txop.resetCw()
	m.doneBuf = x.txop.queue.pop().frame
	x.inFlight = false
	m.Counters.TxOk++
	if m.OnTxOk != nil {
		m.OnTxOk(&m.doneBuf)
	}
	m.role.txOk(&m.doneBuf)
	// The ACK came after every receiver finished with the frame: the MSDU
	// goes back to its pool.
	if m.doneBuf.MSDU != nil {
		m.doneBuf.MSDU.Release()
	}
	m.doneBuf = Frame{}
	x.transmissionSucceeded()
}
