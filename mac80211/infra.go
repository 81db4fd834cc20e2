package mac80211

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// Management frame body sizes for 802.11a (IEEE 802.11-2016 9.3.3), with
// the information elements ns-3 3.37 puts in them for a non-HT, non-QoS
// 5 GHz station: SSID (2 + length) and Supported Rates (2 + 8 rates).
const (
	supportedRatesIE = 2 + 8
	beaconFixed      = 8 + 2 + 2 // timestamp, beacon interval, capability
	assocReqFixed    = 2 + 2     // capability, listen interval
	assocRespFixed   = 2 + 2 + 2 // capability, status code, AID
)

func ssidIE(ssid string) int { return 2 + len(ssid) }

// ApConfig configures an access point, with ns-3 3.37's ApWifiMac defaults.
type ApConfig struct {
	SSID string
	// BeaconInterval between beacons (102.4 ms).
	BeaconInterval sim.Time
	// BeaconJitter: the first beacon goes at Uniform[0, BeaconInterval)
	// instead of at once (ns-3 EnableBeaconJitter, true).
	BeaconJitter bool
}

// DefaultApConfig returns ns-3's defaults with SSID "netgym".
func DefaultApConfig() ApConfig {
	return ApConfig{SSID: "netgym", BeaconInterval: 102400 * sim.Microsecond, BeaconJitter: true}
}

// TU is IEEE 802.11's time unit, 1024 µs: beacon intervals are counted in
// it.
const TU = 1024 * sim.Microsecond

// MaxBeaconInterval is the longest beacon interval, 65535 TU (about
// 67.1 s): the Beacon Interval field has 16 bits (IEEE 802.11-2016
// 9.4.1.3; ns-3's ApWifiMac::SetBeaconInterval refuses longer ones).
const MaxBeaconInterval = 65535 * TU

// Validate reports the first invalid setting: a BeaconInterval that is not
// a whole number of TU in [1, 65535] TU, as ns-3's
// ApWifiMac::SetBeaconInterval requires, or an SSID longer than 32 bytes.
func (c *ApConfig) Validate() error {
	if c.BeaconInterval <= 0 || c.BeaconInterval > MaxBeaconInterval || c.BeaconInterval%TU != 0 {
		return fmt.Errorf("mac80211: BeaconInterval=%v must be a multiple of 1024µs (802.11's time unit) in (0, %v]", c.BeaconInterval, MaxBeaconInterval)
	}
	if len(c.SSID) > 32 {
		return fmt.Errorf("mac80211: SSID %q longer than 32 bytes", c.SSID)
	}
	return nil
}

// StaConfig configures a non-AP station, with ns-3 3.37's StaWifiMac
// defaults.
type StaConfig struct {
	SSID string
	// ActiveProbing sends a probe request instead of listening for
	// beacons (false).
	ActiveProbing bool
	// ProbeRequestTimeout: how long active scanning collects probe
	// responses (and beacons) after the probe request's random delay,
	// ns-3's ProbeDelay, Uniform[50, 250] us (50 ms).
	ProbeRequestTimeout sim.Time
	// WaitBeaconTimeout: how long passive scanning collects beacons
	// (120 ms).
	WaitBeaconTimeout sim.Time
	// AssocRequestTimeout: when to resend an unanswered association
	// request (500 ms).
	AssocRequestTimeout sim.Time
	// MaxMissedBeacons: after this many beacon intervals without a beacon
	// the station considers itself disassociated and scans again (10).
	MaxMissedBeacons int
	// StartJitter, when positive, staggers the station's power-on: it
	// begins scanning Uniform[0, StartJitter) after Start (its stream
	// mac80211/sta-start/<address>), not at once; it applies to the first
	// scan only (a station that scans again, having heard no AP, lost its
	// AP's beacons or been refused, does so at once). ns-3's StaWifiMac scans
	// from initialisation, and so does a station here by default (0); but
	// then every passive scan of a large network ends at the same
	// WaitBeaconTimeout and all its stations contend for the channel
	// within a few slots of each other (at 10,000 nodes, about 500
	// association requests overlapping at every PHY; docs/sweep.md).
	StartJitter sim.Time
}

// DefaultStaConfig returns ns-3's defaults with SSID "netgym".
func DefaultStaConfig() StaConfig {
	return StaConfig{
		SSID:                "netgym",
		ProbeRequestTimeout: 50 * sim.Millisecond,
		WaitBeaconTimeout:   120 * sim.Millisecond,
		AssocRequestTimeout: 500 * sim.Millisecond,
		MaxMissedBeacons:    10,
	}
}

// MaxStaTimeout is the longest StaConfig timeout, one hour (ns-3's are
// 50 ms, 120 ms and 500 ms).
const MaxStaTimeout = 3600 * sim.Second

// MaxMissedBeaconsLimit is the largest StaConfig.MaxMissedBeacons, 65535:
// with the longest beacon interval the station still notices a lost AP
// within about 50 days.
const MaxMissedBeaconsLimit = 65535

// Validate reports the first invalid setting: timeouts outside
// (0, MaxStaTimeout], a StartJitter outside [0, MaxStaTimeout],
// MaxMissedBeacons outside [1, MaxMissedBeaconsLimit], an SSID longer than
// 32 bytes.
func (c *StaConfig) Validate() error {
	for _, d := range [...]struct {
		name string
		v    sim.Time
	}{{"ProbeRequestTimeout", c.ProbeRequestTimeout}, {"WaitBeaconTimeout", c.WaitBeaconTimeout}, {"AssocRequestTimeout", c.AssocRequestTimeout}} {
		if d.v <= 0 || d.v > MaxStaTimeout {
			return fmt.Errorf("mac80211: StaConfig.%s=%v out of range (0, %v]", d.name, d.v, MaxStaTimeout)
		}
	}
	switch {
	case c.StartJitter < 0 || c.StartJitter > MaxStaTimeout:
		return fmt.Errorf("mac80211: StaConfig.StartJitter=%v out of range [0, %v]", c.StartJitter, MaxStaTimeout)
	case c.MaxMissedBeacons < 1 || c.MaxMissedBeacons > MaxMissedBeaconsLimit:
		return fmt.Errorf("mac80211: MaxMissedBeacons=%d out of range [1, %d]", c.MaxMissedBeacons, MaxMissedBeaconsLimit)
	case len(c.SSID) > 32:
		return fmt.Errorf("mac80211: SSID %q longer than 32 bytes", c.SSID)
	}
	return nil
}

// apRole is an infrastructure access point (ns-3 ApWifiMac, non-QoS):
// beacons, probe responses, association, and relaying between stations.
type apRole struct {
	m        *Mac
	cfg      ApConfig
	beacons  *Txop
	stations map[packet.Mac48]uint16 // associated station -> AID
	waiting  map[packet.Mac48]uint16 // association responses awaiting their ACK
	nextAID  uint16
	started  bool // Start was called: beacons are scheduled
	onBeacon func(any)
}

// NewApMac returns an access point MAC on phy. Call Start (helpers do) to
// begin beaconing.
func NewApMac(s *sim.Simulator, phy *Phy, cfg MacConfig, ap ApConfig) (*Mac, error) {
	if err := ap.Validate(); err != nil {
		return nil, err
	}
	m, err := newMac(s, phy, cfg)
	if err != nil {
		return nil, err
	}
	r := &apRole{m: m, cfg: ap, stations: make(map[packet.Mac48]uint16),
		waiting: make(map[packet.Mac48]uint16), nextAID: 1}
	// Beacons use their own Txop with AIFSN 1 and CW 0, ahead of data (ns-3
	// ApWifiMac's beacon Txop).
	r.beacons = newTxop(m, "mac80211/beacon-backoff/"+m.addr.String(), 1, 0, 0, 0, 0)
	m.cam.txops = append([]*Txop{r.beacons}, m.cam.txops...)
	r.onBeacon = func(any) { r.sendBeacon() }
	m.role = r
	return m, nil
}

// AssociatedStations returns the number of stations associated with an AP
// MAC (0 for other roles).
func (m *Mac) AssociatedStations() int {
	if r, ok := m.role.(*apRole); ok {
		return len(r.stations)
	}
	return 0
}

func (r *apRole) start() {
	if r.started {
		return
	}
	r.started = true
	var first sim.Time
	if r.cfg.BeaconJitter {
		us := int64(r.cfg.BeaconInterval / sim.Microsecond)
		first = sim.Time(r.m.sim.Stream("mac80211/beacon-jitter/"+r.m.addr.String()).Int64N(us)) * sim.Microsecond
	}
	r.m.sim.ScheduleWith(first, r.onBeacon, nil)
}

func (r *apRole) mgmt(t FrameType, to packet.Mac48, body MgmtBody) Frame {
	return Frame{Header: MACHeader{Type: t, Addr1: to, Addr2: r.m.addr, Addr3: r.m.addr}, Mgmt: body}
}

func (r *apRole) sendBeacon() {
	body := MgmtBody{Size: beaconFixed + ssidIE(r.cfg.SSID) + supportedRatesIE, SSID: r.cfg.SSID,
		BeaconInterval: r.cfg.BeaconInterval}
	f := r.mgmt(FrameBeacon, packet.BroadcastMac48, body)
	_ = r.m.enqueueOn(r.beacons, f)
	r.m.sim.ScheduleWith(r.cfg.BeaconInterval, r.onBeacon, nil)
}

func (r *apRole) send(msdu *packet.Packet, dst packet.Mac48) error {
	if !dst.IsGroup() {
		if _, ok := r.stations[dst]; !ok {
			r.m.dropValue(Frame{Header: MACHeader{Type: FrameData, Addr1: dst}, MSDU: msdu}, DropUnknownDestination)
			return ErrUnknownDestination
		}
	}
	f := Frame{Header: MACHeader{Type: FrameData, Addr1: dst, Addr2: r.m.addr, Addr3: r.m.addr, FromDS: true}, MSDU: msdu}
	return r.m.enqueue(f)
}

// ErrUnknownDestination is returned when an AP is asked to send to a
// station that is not associated.
var ErrUnknownDestination = errors.New("mac80211: destination not associated with this AP")

func (r *apRole) receive(f *Frame, _ RxInfo) {
	h := &f.Header
	m := r.m
	switch h.Type {
	case FrameData:
		if !h.ToDS {
			return
		}
		if _, ok := r.stations[h.Addr2]; !ok {
			return // not associated: ns-3 drops it
		}
		dst, src := h.Addr3, h.Addr2
		switch {
		case dst == m.addr:
			m.deliver(f.MSDU, src, dst)
		case dst.IsGroup():
			m.deliver(f.MSDU, src, dst)
			r.forward(f.MSDU, src, dst)
		default:
			// A unicast frame for another station is relayed if that
			// station is associated; otherwise it is not ours either:
			// ns-3 3.37 ApWifiMac::Receive calls ForwardUp with that
			// destination, which WifiNetDevice::ForwardUp classifies as
			// PACKET_OTHERHOST and does not hand to the stack.
			if _, ok := r.stations[dst]; ok {
				r.forward(f.MSDU, src, dst)
			}
		}
	case FrameProbeRequest:
		if h.Addr1.IsBroadcast() || h.Addr1 == m.addr {
			if f.Mgmt.SSID == "" || f.Mgmt.SSID == r.cfg.SSID {
				body := MgmtBody{Size: beaconFixed + ssidIE(r.cfg.SSID) + supportedRatesIE, SSID: r.cfg.SSID,
					BeaconInterval: r.cfg.BeaconInterval}
				resp := r.mgmt(FrameProbeResponse, h.Addr2, body)
				_ = m.enqueue(resp)
			}
		}
	case FrameAssocRequest:
		if h.Addr1 != m.addr {
			return
		}
		body := MgmtBody{Size: assocRespFixed + supportedRatesIE}
		if f.Mgmt.SSID != r.cfg.SSID {
			body.StatusCode = 1 // unspecified failure
		} else {
			aid, ok := r.stations[h.Addr2]
			if !ok {
				aid, ok = r.waiting[h.Addr2] // a retried request keeps its AID
			}
			if !ok {
				aid = r.nextAID
				r.nextAID++
			}
			body.AID = aid
			// The station counts as associated once the response is
			// acknowledged (txOk), as ns-3's ApWifiMac::TxOk.
			r.pending(h.Addr2, aid)
		}
		resp := r.mgmt(FrameAssocResponse, h.Addr2, body)
		_ = m.enqueue(resp)
	}
}

// pending records an association response awaiting its ACK.
func (r *apRole) pending(sta packet.Mac48, aid uint16) { r.waiting[sta] = aid }

func (r *apRole) txOk(f *Frame) {
	if f.Header.Type == FrameAssocResponse && f.Mgmt.StatusCode == 0 {
		if aid, ok := r.waiting[f.Header.Addr1]; ok {
			delete(r.waiting, f.Header.Addr1)
			r.stations[f.Header.Addr1] = aid
		}
	}
}

func (r *apRole) forward(msdu *packet.Packet, src, dst packet.Mac48) {
	f := Frame{Header: MACHeader{Type: FrameData, Addr1: dst, Addr2: r.m.addr, Addr3: src, FromDS: true},
		MSDU: msdu.Copy()}
	_ = r.m.enqueue(f)
}

// staState is a station's association state (ns-3 StaWifiMac::MacState).
type staState uint8

const (
	staUnassociated staState = iota
	staScanning
	staWaitAssocResp
	staAssociated
)

var staStateNames = [...]string{"unassociated", "scanning", "waiting for association response", "associated"}

func (s staState) String() string { return staStateNames[s] }

type apCandidate struct {
	bssid    packet.Mac48
	snrDb    float64
	interval sim.Time // its advertised beacon interval
}

// staRole is an infrastructure station (ns-3 StaWifiMac, non-QoS).
type staRole struct {
	m          *Mac
	cfg        StaConfig
	state      staState
	bssid      packet.Mac48
	best       apCandidate
	haveBest   bool
	started    bool // Start was called: powering on, scanning or beyond
	lastBeacon sim.Time
	beaconInt  sim.Time
	aid        uint16
	timer      sim.EventID
	watchdog   sim.EventID

	onScanDone     func(any)
	onAssocTimeout func(any)
	onWatchdog     func(any)
	onProbe        func(any)
	probeDelay     *rand.Rand // ns-3 StaWifiMac ProbeDelay draws (active probing)

	// OnAssociated, when set, is called each time the station associates.
	onAssoc    func(bssid packet.Mac48)
	assocTimes []sim.Time
	powerOn    sim.Time // when the first scan starts (set by start)
}

// NewStaMac returns an infrastructure station MAC on phy. Call Start
// (helpers do) to begin scanning.
func NewStaMac(s *sim.Simulator, phy *Phy, cfg MacConfig, sta StaConfig) (*Mac, error) {
	if err := sta.Validate(); err != nil {
		return nil, err
	}
	m, err := newMac(s, phy, cfg)
	if err != nil {
		return nil, err
	}
	r := &staRole{m: m, cfg: sta}
	r.onScanDone = func(any) { r.scanDone() }
	r.onAssocTimeout = func(any) { r.assocTimeout() }
	r.onWatchdog = func(any) { r.checkBeacons() }
	r.onProbe = func(any) { r.sendProbeRequest() }
	if sta.ActiveProbing {
		r.probeDelay = s.Stream("mac80211/probe-delay/" + m.addr.String())
	}
	m.role = r
	return m, nil
}

// IsAssociated reports whether a STA MAC is associated (ad-hoc and AP MACs
// always report true).
func (m *Mac) IsAssociated() bool {
	if r, ok := m.role.(*staRole); ok {
		return r.state == staAssociated
	}
	return true
}

// AssociationTimes returns the times at which a STA MAC associated, oldest
// first (nil for other roles).
func (m *Mac) AssociationTimes() []sim.Time {
	if r, ok := m.role.(*staRole); ok {
		return append([]sim.Time(nil), r.assocTimes...)
	}
	return nil
}

// PowerOnTime returns when a STA MAC's first scan starts: the time Start
// was called, plus its StaConfig.StartJitter draw if that is set. It
// reports false for other roles and for a station not started yet. A peer
// simulator given these times can power its stations on as netgym did
// (bench/ns3/wifi-grid.cc --starts, fed by wifi-grid -starts).
func (m *Mac) PowerOnTime() (sim.Time, bool) {
	if r, ok := m.role.(*staRole); ok && r.started {
		return r.powerOn, true
	}
	return 0, false
}

// OnAssociated sets a function called whenever a STA MAC associates.
func (m *Mac) OnAssociated(f func(bssid packet.Mac48)) {
	if r, ok := m.role.(*staRole); ok {
		r.onAssoc = f
	}
}

// start powers the station on: its first scan starts now, or with
// StartJitter after its own draw. Scans after that (no AP heard, beacons
// lost, association refused) start at once, without a new draw.
func (r *staRole) start() {
	if r.started {
		return
	}
	r.started = true
	r.powerOn = r.m.sim.Now()
	if j := r.cfg.StartJitter; j > 0 {
		d := r.m.sim.Stream("mac80211/sta-start/" + r.m.addr.String()).Int64N(int64(j))
		r.powerOn += sim.Time(d)
		r.timer = r.m.sim.ScheduleWith(sim.Time(d), func(any) { r.startScanning() }, nil)
		return
	}
	r.startScanning()
}

func (r *staRole) startScanning() {
	r.state = staScanning
	r.haveBest = false
	s := r.m.sim
	if r.cfg.ActiveProbing {
		// The probe request goes after ns-3's ProbeDelay, Uniform[50, 250]
		// us, and the scan ends ProbeRequestTimeout after that (ns-3 3.37
		// WifiDefaultAssocManager::DoStartScanning; StaWifiMac ProbeDelay).
		delay := sim.Time(math.Round((50 + 200*r.probeDelay.Float64()) * float64(sim.Microsecond)))
		s.ScheduleWith(delay, r.onProbe, nil)
		r.timer = s.ScheduleWith(delay+r.cfg.ProbeRequestTimeout, r.onScanDone, nil)
		return
	}
	r.timer = s.ScheduleWith(r.cfg.WaitBeaconTimeout, r.onScanDone, nil)
}

func (r *staRole) sendProbeRequest() {
	body := MgmtBody{Size: ssidIE(r.cfg.SSID) + supportedRatesIE, SSID: r.cfg.SSID}
	f := Frame{Header: MACHeader{Type: FrameProbeRequest, Addr1: packet.BroadcastMac48, Addr2: r.m.addr,
		Addr3: packet.BroadcastMac48}, Mgmt: body}
	_ = r.m.enqueue(f)
}

// scanDone picks the AP heard with the best SNR and asks to associate, or
// scans again if none was heard (ns-3 StaWifiMac::ScanningTimeout).
func (r *staRole) scanDone() {
	if r.state != staScanning {
		return
	}
	if !r.haveBest {
		r.startScanning()
		return
	}
	r.bssid = r.best.bssid
	// The beacon watchdog starts now, MaxMissedBeacons beacon intervals of
	// the chosen AP, so that a STA whose association responses keep getting
	// lost scans again (ns-3 3.37 StaWifiMac::ScanningTimeout:
	// RestartBeaconWatchdog before WAIT_ASSOC_RESP).
	r.beaconInt = r.best.interval
	if r.beaconInt <= 0 {
		r.beaconInt = 102400 * sim.Microsecond
	}
	r.lastBeacon = r.m.sim.Now()
	r.m.sim.Cancel(r.watchdog)
	r.watchdog = r.m.sim.ScheduleWith(sim.Time(r.cfg.MaxMissedBeacons)*r.beaconInt, r.onWatchdog, nil)
	r.sendAssocRequest()
}

func (r *staRole) sendAssocRequest() {
	r.state = staWaitAssocResp
	body := MgmtBody{Size: assocReqFixed + ssidIE(r.cfg.SSID) + supportedRatesIE, SSID: r.cfg.SSID}
	f := Frame{Header: MACHeader{Type: FrameAssocRequest, Addr1: r.bssid, Addr2: r.m.addr, Addr3: r.bssid}, Mgmt: body}
	_ = r.m.enqueue(f)
	r.timer = r.m.sim.ScheduleWith(r.cfg.AssocRequestTimeout, r.onAssocTimeout, nil)
}

func (r *staRole) assocTimeout() {
	if r.state == staWaitAssocResp {
		r.sendAssocRequest()
	}
}

func (r *staRole) checkBeacons() {
	if r.state != staAssociated && r.state != staWaitAssocResp {
		return
	}
	limit := sim.Time(r.cfg.MaxMissedBeacons) * r.beaconInt
	now := r.m.sim.Now()
	if now-r.lastBeacon >= limit {
		// Missed too many beacons (or no association response in that
		// time): disassociated, scan again.
		if r.state == staWaitAssocResp {
			r.m.sim.Cancel(r.timer)
		}
		r.state = staUnassociated
		r.startScanning()
		return
	}
	r.watchdog = r.m.sim.ScheduleWith(r.lastBeacon+limit-now, r.onWatchdog, nil)
}

func (r *staRole) send(msdu *packet.Packet, dst packet.Mac48) error {
	if r.state != staAssociated {
		r.m.dropValue(Frame{Header: MACHeader{Type: FrameData, Addr1: dst}, MSDU: msdu}, DropNotAssociated)
		return ErrNotAssociated
	}
	f := Frame{Header: MACHeader{Type: FrameData, Addr1: r.bssid, Addr2: r.m.addr, Addr3: dst, ToDS: true}, MSDU: msdu}
	return r.m.enqueue(f)
}

// ErrNotAssociated is returned when a STA that is not associated is asked to
// send data.
var ErrNotAssociated = errors.New("mac80211: station not associated")

func (r *staRole) receive(f *Frame, info RxInfo) {
	h := &f.Header
	m := r.m
	if h.Addr3 == m.addr {
		// our own frame relayed back by the AP (a broadcast): ns-3 3.37
		// StaWifiMac::Receive drops it ("packet sent by us")
		return
	}
	switch h.Type {
	case FrameData:
		if r.state == staAssociated && h.FromDS && !h.ToDS && h.Addr2 == r.bssid {
			m.deliver(f.MSDU, h.Addr3, h.Addr1)
		}
	case FrameBeacon, FrameProbeResponse:
		if f.Mgmt.SSID != r.cfg.SSID {
			return
		}
		// While scanning, beacons and probe responses both make
		// candidates, whichever the scan type (ns-3 3.37
		// WifiDefaultAssocManager::CanBeInserted: the scan timer runs).
		if r.state == staScanning {
			if !r.haveBest || info.SNRDb > r.best.snrDb {
				r.best = apCandidate{bssid: h.Addr2, snrDb: info.SNRDb, interval: f.Mgmt.BeaconInterval}
				r.haveBest = true
			}
		}
		if h.Type == FrameBeacon && h.Addr2 == r.bssid && r.state == staAssociated {
			r.lastBeacon = m.sim.Now()
			r.beaconInt = f.Mgmt.BeaconInterval
		}
	case FrameAssocResponse:
		if r.state != staWaitAssocResp || h.Addr2 != r.bssid {
			return
		}
		m.sim.Cancel(r.timer)
		if f.Mgmt.StatusCode != 0 {
			r.startScanning()
			return
		}
		r.state = staAssociated
		r.aid = f.Mgmt.AID
		// The watchdog started at the end of the scan keeps running; beacons
		// restart it from now on.
		r.assocTimes = append(r.assocTimes, m.sim.Now())
		if r.onAssoc != nil {
			r.onAssoc(r.bssid)
		}
	}
}

func (r *staRole) txOk(*Frame) {}
