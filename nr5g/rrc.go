package nr5g

import (
	"fmt"

	"github.com/netgym/netgym/sim"
)

// Random access and RRC connection setup, both ends (5G-LENA nr-4.1's
// NrUeMac random access, NrGnbMac::ProcessRaPreambles and DoBuildRarList,
// NrMacSchedulerNs3::DoScheduleUlMsg3, NrUeRrc and NrGnbRrc's connection
// establishment, with the ideal protocol or a message-delay model).
//
// A UE camped on a cell with a connection pending starts random access at
// SIB2: its preamble goes in the UL control of the next slot; it waits
// for the RAR from one slot after sending until 6 + RaResponseWindowSize
// slots after, then sends another (a new draw), giving up after
// PreambleTransMax + 1 and starting over (the NAS retries at once). At
// the next UL scheduling the gNB takes the preambles it received: two or
// more with one preamble id collide and none is answered; each other one
// gets an RNTI and a UE context (with SRB1 at the scheduler, and
// ConnectionRequestTimeout running), and asks the scheduler for its Msg3
// grant. The RAR goes to the UEs whose Msg3 grant the scheduler placed, in
// the DL control that carries that UL slot's DCIs; a Msg3 that did not
// fit gets no RAR (the UE times out and tries again; its context times
// out at the gNB). With the ideal RRC the RAR completes the connection
// (Request, Setup and Setup Complete take no time) and the gNB sends the
// core the Initial UE Message; the bearers' RRC Connection Reconfiguration
// is immediate. With RrcDelayed each message arrives MessageDelay after it
// is sent: Request (T300 running at the UE), Setup (ConnectionSetupTimeout
// running at the gNB), Setup Complete (then the Initial UE Message),
// Reconfiguration (the UE's side of each bearer), Reconfiguration
// Complete. Msg3 takes its UL symbols in both models (its PUSCH is not
// simulated: 5G-LENA's ideal RRC sends nothing in it either).

// raPreamble is a preamble a gNB received.
type raPreamble struct {
	d  *UeDevice
	id uint8
}

// raContext is a UE whose preamble got an RNTI and waits for its Msg3
// grant (NrGnbMac's m_rapIdRntiMap).
type raContext struct {
	rnti uint16
	d    *UeDevice
}

// nextPreamble is 5G-LENA's g_raPreambleId: one counter for the whole
// simulation (here the network), skipping 255.
func (n *Network) nextPreamble() uint8 {
	p := n.preambleCtr
	n.preambleCtr++
	if p == 255 {
		p, n.preambleCtr = 0, 1
	}
	return p
}

// processPreambles is NrGnbMac::ProcessRaPreambles: unique preambles get
// an RNTI, a context and a Msg3 request; colliding ones nothing.
func (g *Gnb) processPreambles() {
	for i, p := range g.in.rach {
		dup := false
		for j, q := range g.in.rach {
			if i != j && q.id == p.id {
				dup = true
				break
			}
		}
		if dup {
			g.st.PreambleCollisions++
			continue
		}
		g.acceptPreamble(p.d)
	}
	clear(g.in.rach)
	g.in.rach = g.in.rach[:0]
}

// acceptPreamble gives preamble's UE an RNTI (NrGnbRrc::AddUe: a context
// with SRB1 at the scheduler, ConnectionRequestTimeout running) and asks
// the scheduler for its Msg3 grant.
func (g *Gnb) acceptPreamble(d *UeDevice) {
	if d.rrc != rrcRandomAccess {
		return
	}
	g.nextRnti++
	if g.nextRnti == 0 {
		g.nextRnti = 1
	}
	rnti := g.nextRnti
	u := &gnbUE{g: g, dev: d, rnti: rnti, imsi: d.imsi}
	if err := g.sched.AddUE(rnti); err != nil {
		return
	}
	// SRB1 (LCID 1, LCG 0); SRB0 never reaches the scheduler. Neither
	// carries anything: RRC messages are ideal or delayed, not sent.
	_ = g.sched.ConfigureLC(rnti, LcConfig{Lcid: 1, Lcg: 0, QCI: uint8(5)})
	g.sched.RachRequest(rnti)
	g.ues = append(g.ues, u)
	g.raPending = append(g.raPending, raContext{rnti: rnti, d: d})
	u.rrcTimer = g.sim.ScheduleWith(g.cfg.Rrc.ConnectionRequestTimeout, g.rrcTimeoutFn, u)
}

// buildRars is NrGnbMac::DoBuildRarList for UL slot out.Slot: the UEs
// whose Msg3 grant is in the allocation get their RAR with the slot's UL
// DCIs; requests the scheduler could not place are forgotten.
func (g *Gnb) buildRars(out *SlotAlloc) {
	t := out.Slot
	r := &g.rar[t%allocRing]
	if r.slot != t {
		r.slot = t
		clear(r.devs)
		r.devs = r.devs[:0]
	}
	for i := range out.Vars {
		v := &out.Vars[i]
		if v.Type != AllocMsg3 {
			continue
		}
		for _, c := range g.raPending {
			if c.rnti == v.RNTI {
				c.d.pendingRnti = c.rnti
				r.devs = append(r.devs, c.d)
			}
		}
	}
	clear(g.raPending)
	g.raPending = g.raPending[:0]
}

// rrcTimeout is NrGnbRrc's ConnectionRequestTimeout or
// ConnectionSetupTimeout: the UE context is removed.
func (g *Gnb) rrcTimeout(arg any) {
	u := arg.(*gnbUE)
	u.rrcTimer = sim.EventID{}
	if u.connected {
		return
	}
	g.st.RrcTimeouts++
	g.removeUE(u)
}

// removeUE forgets a UE context (NrGnbRrc::RemoveUe).
func (g *Gnb) removeUE(u *gnbUE) {
	for i, o := range g.ues {
		if o == u {
			g.ues = append(g.ues[:i], g.ues[i+1:]...)
			break
		}
	}
	g.sim.Cancel(u.rrcTimer)
	g.sched.RemoveUE(u.rnti)
	for _, b := range u.drbs {
		if b != nil {
			b.rlc.release()
		}
	}
	for i := range u.dlHarq {
		g.net.pools.tbs.release(u.dlHarq[i])
		u.dlHarq[i] = nil
	}
	if u.dev != nil && u.dev.pendingRnti == u.rnti && u.dev.rnti != u.rnti {
		u.dev.pendingRnti = 0
	}
}

// toUe delivers an RRC message to a UE: at once with the ideal protocol,
// MessageDelay later with RrcDelayed.
func (g *Gnb) toUe(f func()) {
	if g.cfg.Rrc.Protocol == RrcIdeal {
		f()
		return
	}
	g.sim.Schedule(g.cfg.Rrc.MessageDelay, f)
}

// toGnb delivers an RRC message to the gNB (see toUe).
func (d *UeDevice) toGnb(f func()) { d.gnb.toUe(f) }

// recvConnectionRequest is NrGnbRrc's RecvRrcConnectionRequest: the
// context (if it did not time out) sends the RRC Connection Setup, with
// ConnectionSetupTimeout running.
func (g *Gnb) recvConnectionRequest(d *UeDevice, rnti uint16) {
	u := g.ue(rnti)
	if u == nil || u.dev != d {
		return
	}
	g.sim.Cancel(u.rrcTimer)
	u.rrcTimer = g.sim.ScheduleWith(g.cfg.Rrc.ConnectionSetupTimeout, g.rrcTimeoutFn, u)
	g.toUe(func() { d.recvConnectionSetup(rnti) })
}

// recvConnectionSetupCompleted is NrGnbRrc's
// RecvRrcConnectionSetupCompleted: the core gets the Initial UE Message.
func (g *Gnb) recvConnectionSetupCompleted(d *UeDevice, rnti uint16) {
	u := g.ue(rnti)
	if u == nil || u.dev != d || u.connected {
		return
	}
	g.sim.Cancel(u.rrcTimer)
	u.rrcTimer = sim.EventID{}
	u.connected = true
	g.st.Connected++
	if err := g.ran.InitialUEMessage(d.imsi, rnti); err != nil {
		d.attachErr = err
	}
}

// recvMib is NrUeRrc::DoRecvMasterInformationBlock: camped; with a
// connection pending the UE waits for SIB2.
func (d *UeDevice) recvMib() {
	d.rrc = rrcWaitSib2
	if d.hasSib2 && d.connPending {
		d.startConnection()
	}
}

// recvSib2 is NrUeRrc::DoRecvSystemInformation with SIB2: the UL is
// configured and a pending connection starts random access.
func (d *UeDevice) recvSib2() {
	d.hasSib2 = true
	if d.rrc == rrcWaitSib2 && d.connPending {
		d.startConnection()
	}
}

// startConnection is NrUeRrc::StartConnection: contention-based random
// access (NrUeMac::DoStartContentionBasedRandomAccessProcedure).
func (d *UeDevice) startConnection() {
	d.connPending = false
	d.rrc = rrcRandomAccess
	d.raCount = 0
	d.sendPreamble()
}

// sendPreamble is NrUeMac::RandomlySelectAndSendRaPreamble and
// SendRaPreamble: the preamble goes out in the UL control of the next slot
// (NrUePhy::SendRachPreamble, EnqueueCtrlMsgNow); the RAR is awaited from
// one slot on, for 6 + RaResponseWindowSize slots in all.
func (d *UeDevice) sendPreamble() {
	rc := d.gnb.cfg.Rrc.Rach
	if rc.RandomPreambles {
		if d.raRng == nil {
			d.raRng = d.sim.Stream(fmt.Sprintf("nr5g/ue/%d/ra", d.imsi))
		}
		d.preamble = uint8(d.raRng.IntN(rc.NumberOfRaPreambles))
	} else {
		d.preamble = d.net.nextPreamble()
	}
	d.ctrlAt(d.gnb.nowSendSlot()).rach = true
	d.st.Preambles++
	d.raWaiting = false
	d.sim.Cancel(d.raWaitEv)
	d.sim.Cancel(d.raTimerEv)
	slot := d.gnb.slotDur
	d.raWaitEv = d.sim.ScheduleWith(slot, d.raWaitFn, nil)
	d.raTimerEv = d.sim.ScheduleWith(slot*sim.Time(6+rc.RaResponseWindowSize), d.raTimerFn, nil)
}

func (d *UeDevice) raWaitStart(any) {
	d.raWaitEv = sim.EventID{}
	if d.rrc == rrcRandomAccess {
		d.raWaiting = true
	}
}

// raTimeout is NrUeMac::RaResponseTimeout: another preamble, or after
// PreambleTransMax + 1 the random access fails (NrUeRrc's
// DoNotifyRandomAccessFailed) and the NAS connects again at once.
func (d *UeDevice) raTimeout(any) {
	d.raTimerEv = sim.EventID{}
	if d.rrc != rrcRandomAccess {
		return
	}
	d.raWaiting = false
	d.raCount++
	d.st.RaTimeouts++
	if d.raCount == d.gnb.cfg.Rrc.Rach.PreambleTransMax+1 {
		d.st.RaFailures++
		d.rrc = rrcWaitSib2
		d.connPending = true
		if d.hasSib2 {
			d.startConnection()
		}
		return
	}
	d.sendPreamble()
}

// recvRar is the RAR's reception (NrUeMac::RecvRaResponse): within its
// window the UE takes its RNTI and sends the RRC Connection Request
// (NrUeRrc::DoNotifyRandomAccessSuccessful, T300 started). With the ideal
// RRC the connection completes at once.
func (d *UeDevice) recvRar() {
	if d.rrc != rrcRandomAccess || !d.raWaiting || d.pendingRnti == 0 {
		return
	}
	d.sim.Cancel(d.raTimerEv)
	d.raTimerEv = sim.EventID{}
	d.raWaiting = false
	d.rnti = d.pendingRnti
	rnti := d.rnti
	g := d.gnb
	if g.cfg.Rrc.Protocol == RrcIdeal {
		d.rrc = rrcConnecting
		g.recvConnectionRequest(d, rnti)
		return
	}
	d.rrc = rrcConnecting
	d.t300Ev = d.sim.ScheduleWith(g.cfg.Rrc.T300, d.t300Fn, nil)
	d.toGnb(func() { g.recvConnectionRequest(d, rnti) })
}

// recvConnectionSetup is NrUeRrc::DoRecvRrcConnectionSetup: connected
// (T300 stopped), the NAS is told, and the Setup Complete goes back.
func (d *UeDevice) recvConnectionSetup(rnti uint16) {
	if d.rrc != rrcConnecting || d.rnti != rnti {
		return
	}
	d.sim.Cancel(d.t300Ev)
	d.t300Ev = sim.EventID{}
	d.rrc = rrcConnected
	d.attachedAt = d.sim.Now()
	d.nas.NotifyConnectionSuccessful()
	g := d.gnb
	d.toGnb(func() { g.recvConnectionSetupCompleted(d, rnti) })
}

// t300Expired is NrUeRrc::ConnectionTimeout with ConnEstFailCount 1: the
// UE gives up (CONNECTED_PHY_PROBLEM) and the NAS is released.
func (d *UeDevice) t300Expired(any) {
	d.t300Ev = sim.EventID{}
	if d.rrc != rrcConnecting {
		return
	}
	d.st.T300Expiries++
	d.rrc = rrcFailed
	d.nas.NotifyConnectionReleased()
}

// recvReconfiguration is the UE's RRC Connection Reconfiguration with a
// data radio bearer: its side of the bearer is set up and the
// Reconfiguration Complete goes back (nothing else happens at the gNB).
func (d *UeDevice) recvReconfiguration(lcid, bid, lcg uint8, mode RlcMode) {
	if d.rrc != rrcConnected {
		return
	}
	d.setupDrb(lcid, bid, lcg, mode)
}

// AttachedAt returns when the UE's RRC connection completed (the RRC
// Connection Setup's arrival), or 0 before.
func (d *UeDevice) AttachedAt() sim.Time { return d.attachedAt }
