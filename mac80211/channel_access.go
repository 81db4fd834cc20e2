package mac80211

import "github.com/netgym/netgym/sim"

// channelAccess decides when each Txop may transmit: the DCF of IEEE
// 802.11-2016 10.3, computed the way ns-3 3.37's ChannelAccessManager does.
//
// It keeps the end times of the last reception, transmission, CCA-busy
// period, NAV and response timeouts. Access is granted SIFS after the latest
// of them (plus EIFS-DIFS after a reception error), and a Txop's backoff
// counts down one slot per idle slot from AIFSN slots after that. Nothing
// runs per slot: the backoff is brought up to date arithmetically whenever
// the medium turns busy (updateBackoff), and one timer is armed for the
// earliest expected backoff end. This is what keeps a frame exchange down to
// a few dozen events.
type channelAccess struct {
	// What every busy notification reads comes first (the MAC starts with
	// its channel access, and the data Txop follows it).
	lastRxEnd         sim.Time
	lastRxOk          bool
	lastBusyEnd       sim.Time
	lastTxEnd         sim.Time
	lastNavEnd        sim.Time
	lastAckTimeoutEnd sim.Time
	lastCtsTimeoutEnd sim.Time

	txops []*Txop
	// txopArr is txops' first array, inside the MAC: the Txops are
	// read at every busy notification, without another allocation to
	// visit on the way.
	txopArr [2]*Txop
	s       *sim.Simulator
	mac     *Mac

	accessTimeout sim.EventID
}

func (c *channelAccess) init(m *Mac) {
	c.mac = m
	c.s = m.sim
	c.txops = c.txopArr[:0]
	c.lastRxOk = true
}

// accessTimeoutEvent is the access timeout of the channel access in arg.
// Events of the MAC run functions shared by every node, with the node's
// part as argument (not per-node method values: one object less to read
// per event).
func accessTimeoutEvent(arg any) {
	c := arg.(*channelAccess)
	c.accessTimeout = sim.EventID{}
	c.updateBackoff()
	c.grantAccess()
	c.restartAccessTimeoutIfNeeded()
}

// eifsNoDifs is EIFS - DIFS: the extra deferral after a reception error.
const eifsNoDifs = EIFS - DIFS

// accessGrantStart is the earliest time the medium counts as idle for
// access: SIFS after the end of every busy condition (ns-3
// ChannelAccessManager::GetAccessGrantStart).
func (c *channelAccess) accessGrantStart() sim.Time {
	now := c.s.Now()
	rx := c.lastRxEnd + SIFS
	if c.lastRxEnd <= now && !c.lastRxOk {
		rx += eifsNoDifs
	}
	return max(rx, c.lastBusyEnd+SIFS, c.lastTxEnd+SIFS, c.lastNavEnd+SIFS,
		c.lastAckTimeoutEnd+SIFS, c.lastCtsTimeoutEnd+SIFS)
}

func (c *channelAccess) backoffStartFor(t *Txop) sim.Time {
	return max(t.backoffStart, c.accessGrantStart()+sim.Time(t.aifsn)*Slot)
}

func (c *channelAccess) backoffEndFor(t *Txop) sim.Time {
	return c.backoffStartFor(t) + sim.Time(t.backoffSlots)*Slot
}

// isBusy reports whether any busy condition holds now.
func (c *channelAccess) isBusy() bool {
	now := c.s.Now()
	return c.lastRxEnd > now || c.lastTxEnd > now || c.lastNavEnd > now || c.lastBusyEnd > now
}

// updateBackoff counts down every Txop's backoff by the idle slots elapsed
// since its backoff (re)started. A DCF decrements at the end of each idle
// slot after DIFS (ns-3 ChannelAccessManager::UpdateBackoff, non-QoS case).
func (c *channelAccess) updateBackoff() {
	now := c.s.Now()
	for _, t := range c.txops {
		start := c.backoffStartFor(t)
		if start <= now {
			n := min(int((now-start)/Slot), t.backoffSlots)
			t.updateBackoffSlotsNow(n, start+sim.Time(n)*Slot)
		}
	}
}

// needBackoffUponAccess implements IEEE 802.11-2016 10.3.4.2: a frame queued
// while the medium is idle and the backoff is zero may go after DIFS without
// backoff; if the medium is busy a backoff is drawn (ns-3
// ChannelAccessManager::NeedBackoffUponAccess).
func (c *channelAccess) needBackoffUponAccess(t *Txop) bool {
	c.updateBackoff()
	if !t.hasFrames() && t.access != accessGranted && t.backoffSlots == 0 {
		if !c.isBusy() {
			t.updateBackoffSlotsNow(0, c.s.Now()+SIFS+sim.Time(t.aifsn)*Slot)
			return false
		}
		return true
	}
	return false
}

func (c *channelAccess) requestAccess(t *Txop) {
	c.updateBackoff()
	t.access = accessRequested
	c.grantAccess()
	c.restartAccessTimeoutIfNeeded()
}

// grantAccess starts a transmission for the first Txop whose backoff has
// expired; Txops registered later whose backoff also expired suffer an
// internal collision (ns-3 DoGrantDcfAccess).
func (c *channelAccess) grantAccess() {
	now := c.s.Now()
	for i, t := range c.txops {
		if t.access != accessRequested || c.backoffEndFor(t) > now {
			continue
		}
		if !c.mac.fex.startTransmission(t) {
			continue
		}
		for _, o := range c.txops[i+1:] {
			if o.access == accessRequested && c.backoffEndFor(o) <= now {
				// Internal collision: the loser behaves as after a failed
				// transmission (ns-3 FrameExchangeManager::
				// NotifyInternalCollision: UpdateFailedCw, then release).
				o.updateFailedCw()
				o.notifyChannelReleased()
			}
		}
		return
	}
}

func (c *channelAccess) restartAccessTimeoutIfNeeded() {
	now := c.s.Now()
	expected := sim.MaxTime
	for _, t := range c.txops {
		if t.access == accessRequested {
			if end := c.backoffEndFor(t); end > now && end < expected {
				expected = end
			}
		}
	}
	if expected == sim.MaxTime {
		return
	}
	if !c.accessTimeout.IsZero() && c.s.IsPending(c.accessTimeout) {
		if c.accessTimeout.Time() <= expected {
			return
		}
		c.s.Cancel(c.accessTimeout)
	}
	c.accessTimeout = c.s.ScheduleWith(expected-now, accessTimeoutEvent, c)
}

// Notifications from the PHY and the frame exchange.

func (c *channelAccess) notifyRxStart(end sim.Time) {
	c.updateBackoff()
	c.lastRxEnd = end
	c.lastRxOk = true
}

func (c *channelAccess) notifyRxEnd(ok bool) {
	c.lastRxEnd = c.s.Now()
	c.lastRxOk = ok
}

func (c *channelAccess) notifyTxStart(end sim.Time) {
	now := c.s.Now()
	c.lastRxOk = true
	if c.lastRxEnd > now {
		c.lastRxEnd = now // a reception cut short by our own transmission
	}
	c.updateBackoff()
	c.lastTxEnd = end
}

func (c *channelAccess) notifyCcaBusy(end sim.Time) {
	c.updateBackoff()
	c.lastBusyEnd = end
}

func (c *channelAccess) notifyNavStart(end sim.Time) {
	c.updateBackoff()
	c.lastNavEnd = max(c.lastNavEnd, end)
}

// notifyNavReset ends the NAV now; the backoff may then end earlier than
// the armed timer expects.
func (c *channelAccess) notifyNavReset() {
	c.updateBackoff()
	c.lastNavEnd = c.s.Now()
	c.restartAccessTimeoutIfNeeded()
}

func (c *channelAccess) notifyAckTimeoutStart(end sim.Time) { c.lastAckTimeoutEnd = end }

func (c *channelAccess) notifyAckTimeoutReset() {
	c.lastAckTimeoutEnd = c.s.Now()
	c.restartAccessTimeoutIfNeeded()
}

func (c *channelAccess) notifyCtsTimeoutStart(end sim.Time) { c.lastCtsTimeoutEnd = end }

func (c *channelAccess) notifyCtsTimeoutReset() {
	c.lastCtsTimeoutEnd = c.s.Now()
	c.restartAccessTimeoutIfNeeded()
}
