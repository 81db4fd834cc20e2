package mac80211

import (
	"errors"
	"fmt"
	"math"
	"unsafe"

	"github.com/netgym/netgym/internal/prefetch"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// DropReason says why the MAC discarded a frame.
type DropReason uint8

// Reasons for MAC drops, reported through Mac.OnDrop.
const (
	DropQueueFull          DropReason = iota + 1 // the queue held MaxQueueSize frames
	DropQueueExpired                             // the frame waited longer than MaxQueueDelay
	DropRetryLimit                               // no ACK after RetryLimit (or LongRetryLimit) transmissions
	DropRtsRetryLimit                            // no CTS after the retry limit
	DropNotAssociated                            // a STA has no AP to send through
	DropUnknownDestination                       // an AP does not know the destination station
)

var dropReasonNames = [...]string{"", "queue full", "queue lifetime expired",
	"retry limit reached", "RTS retry limit reached", "not associated", "unknown destination"}

// String describes the reason.
func (r DropReason) String() string {
	if int(r) < len(dropReasonNames) && r != 0 {
		return dropReasonNames[r]
	}
	return fmt.Sprintf("DropReason(%d)", uint8(r))
}

// MacConfig configures a MAC. The defaults are ns-3 3.37's for a non-QoS
// 802.11a station.
type MacConfig struct {
	// Address is the station's MAC address.
	Address packet.Mac48
	// RetryLimit is the most transmissions of a frame not longer than
	// RtsCtsThreshold (ns-3 WifiRemoteStationManager MaxSsrc, 7).
	RetryLimit int
	// LongRetryLimit is the most transmissions of a longer frame, which
	// goes with RTS/CTS (ns-3 MaxSlrc, 4).
	LongRetryLimit int
	// RtsCtsThreshold: unicast frames longer than this many bytes (MPDU
	// size) are protected by RTS/CTS. ns-3's default 65535 turns it off.
	RtsCtsThreshold int
	// CWMin and CWMax bound the contention window (15 and 1023).
	CWMin, CWMax int
	// MaxQueueSize is the queue capacity in frames (ns-3 WifiMacQueue
	// MaxSize 500p); 0 means unlimited.
	MaxQueueSize int
	// MaxQueueDelay drops frames that waited longer (ns-3 MaxDelay
	// 500 ms); 0 means unlimited.
	MaxQueueDelay sim.Time
	// Rate selects data and RTS modes. Default: constant 54 Mb/s data,
	// 6 Mb/s control (see RateManager for the adaptive choices).
	Rate RateManager
	// NonUnicastMode is used for group-addressed frames: the first basic
	// rate, 6 Mb/s, as ns-3.
	NonUnicastMode Mode
	// ManagementMode is used for unicast management frames: the lowest
	// basic rate, 6 Mb/s.
	ManagementMode Mode
}

// DefaultMacConfig returns ns-3's defaults with constant-rate 54/6 Mb/s
// (ns-3's WifiHelper defaults to ARF; netgym defaults to the constant rate
// that ns-3's 802.11a validation scripts and NetRL's scenarios set).
func DefaultMacConfig() MacConfig {
	return MacConfig{
		RetryLimit:      7,
		LongRetryLimit:  4,
		RtsCtsThreshold: 65535,
		CWMin:           CWMin,
		CWMax:           CWMax,
		MaxQueueSize:    500,
		MaxQueueDelay:   500 * sim.Millisecond,
		Rate:            NewConstantRate(OfdmRate54Mbps, OfdmRate6Mbps),
		NonUnicastMode:  OfdmRate6Mbps,
		ManagementMode:  OfdmRate6Mbps,
	}
}

// Ranges of MacConfig that Validate accepts.
const (
	// MaxRetryLimit is the largest RetryLimit and LongRetryLimit: IEEE
	// 802.11-2016 Annex C's dot11ShortRetryLimit and dot11LongRetryLimit are
	// INTEGER (1..255).
	MaxRetryLimit = 255
	// UnlimitedRetries, as RetryLimit or LongRetryLimit, retransmits a
	// frame until it is acknowledged: Bianchi's saturation model, which
	// RunSaturation's raw mode reproduces.
	UnlimitedRetries = math.MaxInt32
	// MaxCW is the largest CWMax: 2^15-1, the largest contention window an
	// ECWmax field (4 bits) can announce (IEEE 802.11-2016 9.4.2.29).
	MaxCW = 1<<15 - 1
	// MaxRtsCtsThreshold is the largest RtsCtsThreshold, 65535 bytes (ns-3's
	// default, which turns RTS/CTS off for every 802.11a frame).
	MaxRtsCtsThreshold = 65535
	// MaxQueueFrames is the largest MaxQueueSize, 2^20 frames (ns-3's
	// default is 500).
	MaxQueueFrames = 1 << 20
	// MaxQueueLifetime is the largest MaxQueueDelay, one hour (ns-3's
	// default is 500 ms).
	MaxQueueLifetime = 3600 * sim.Second
)

// Validate reports the first invalid setting, naming the field and its
// range: RetryLimit and LongRetryLimit in [1, MaxRetryLimit] or
// UnlimitedRetries, RtsCtsThreshold in [0, MaxRtsCtsThreshold],
// 0 <= CWMin <= CWMax <= MaxCW, MaxQueueSize in [0, MaxQueueFrames],
// MaxQueueDelay in [0, MaxQueueLifetime], a rate manager and valid modes.
func (c *MacConfig) Validate() error {
	retries := func(v int) bool { return (v >= 1 && v <= MaxRetryLimit) || v == UnlimitedRetries }
	switch {
	case !retries(c.RetryLimit):
		return fmt.Errorf("mac80211: RetryLimit=%d out of range [1, %d] (or UnlimitedRetries)", c.RetryLimit, MaxRetryLimit)
	case !retries(c.LongRetryLimit):
		return fmt.Errorf("mac80211: LongRetryLimit=%d out of range [1, %d] (or UnlimitedRetries)", c.LongRetryLimit, MaxRetryLimit)
	case c.RtsCtsThreshold < 0 || c.RtsCtsThreshold > MaxRtsCtsThreshold:
		return fmt.Errorf("mac80211: RtsCtsThreshold=%d out of range [0, %d]", c.RtsCtsThreshold, MaxRtsCtsThreshold)
	case c.CWMin < 0 || c.CWMax < c.CWMin || c.CWMax > MaxCW:
		return fmt.Errorf("mac80211: contention window [%d, %d] must satisfy 0 <= CWMin <= CWMax <= %d", c.CWMin, c.CWMax, MaxCW)
	case c.MaxQueueSize < 0 || c.MaxQueueSize > MaxQueueFrames:
		return fmt.Errorf("mac80211: MaxQueueSize=%d out of range [0, %d]", c.MaxQueueSize, MaxQueueFrames)
	case c.MaxQueueDelay < 0 || c.MaxQueueDelay > MaxQueueLifetime:
		return fmt.Errorf("mac80211: MaxQueueDelay=%v out of range [0, %v]", c.MaxQueueDelay, MaxQueueLifetime)
	case c.Rate == nil:
		return errors.New("mac80211: no rate manager")
	case !c.NonUnicastMode.Valid() || !c.ManagementMode.Valid():
		return errors.New("mac80211: invalid non-unicast or management mode")
	}
	return nil
}

// role is what distinguishes ad-hoc, AP and STA MACs: how data is addressed
// and what management frames do.
type role interface {
	// send addresses an MSDU for dst and queues it, or drops it.
	send(msdu *packet.Packet, dst packet.Mac48) error
	// receive handles a data or management MPDU addressed to us (or
	// group-addressed), after duplicate filtering.
	receive(f *Frame, info RxInfo)
	// txOk reports an acknowledged unicast frame.
	txOk(f *Frame)
	// start runs when the MAC starts (beacons, scanning).
	start()
}

// ReceiveFunc receives an MSDU from the MAC: src and dst are the original
// source and final destination.
type ReceiveFunc func(msdu *packet.Packet, src, dst packet.Mac48)

// Mac is an 802.11 MAC with DCF channel access on top of a Phy. Its role
// (ad-hoc, AP or STA) is fixed at construction.
type Mac struct {
	// cam comes first and data right after it: a busy notification
	// reads both, and little else of the MAC.
	cam channelAccess
	// data is the Txop of data and management frames, in the MAC's own
	// allocation next to the channel access state that reads its backoff
	// at every busy notification; txop points to it.
	data Txop

	sim  *sim.Simulator
	phy  *Phy
	cfg  MacConfig
	addr packet.Mac48
	rate RateManager
	role role

	fex  frameExchange
	txop *Txop // &data

	seq     uint16
	lastSeq map[packet.Mac48]uint16 // last sequence number seen per transmitter, for duplicates

	up      ReceiveFunc
	dropBuf Frame // the frame being reported dropped (keeps it off the heap)
	doneBuf Frame // the frame being reported acknowledged

	// Trace hooks (nil: off). Frames are valid only during the call.
	OnTx       func(f *Frame)               // a frame goes on the air
	OnTxOk     func(f *Frame)               // a unicast frame was acknowledged
	OnTxFailed func(f *Frame)               // an ACK did not come (before retry or drop)
	OnDrop     func(f *Frame, r DropReason) // a frame left the MAC undelivered
	OnRx       func(f *Frame, info RxInfo)  // a frame addressed to us was received (after duplicate filtering)
	OnBackoff  func(slots int)              // a backoff was drawn
	Counters   MacCounters
}

// MacCounters counts MAC events.
type MacCounters struct {
	TxFrames     uint64 // frames put on the air (all types, responses included)
	TxData       uint64 // data frame transmissions, retransmissions included
	TxRetries    uint64 // data frame retransmissions (Retry bit set)
	TxOk         uint64 // unicast frames acknowledged
	Drops        uint64 // frames that left the MAC undelivered (OnDrop)
	RxData       uint64 // data frames received for us or group-addressed, after duplicate filtering, before the role decides what to do with them
	RxDuplicates uint64 // retransmissions discarded as duplicates
}

func newMac(s *sim.Simulator, phy *Phy, cfg MacConfig) (*Mac, error) {
	if s == nil || phy == nil {
		return nil, errors.New("mac80211: NewMac needs a simulator and a PHY")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Mac{sim: s, phy: phy, cfg: cfg, addr: cfg.Address, rate: cfg.Rate,
		lastSeq: make(map[packet.Mac48]uint16)}
	m.cam.init(m)
	m.fex.init(m)
	m.txop = &m.data
	initTxop(m.txop, m, "mac80211/backoff/"+m.addr.String(), 2, cfg.CWMin, cfg.CWMax,
		cfg.MaxQueueSize, cfg.MaxQueueDelay)
	m.cam.txops = append(m.cam.txops, m.txop)
	phy.SetListener(m)
	return m, nil
}

// NewAdhocMac returns an ad-hoc (IBSS) MAC on phy: data goes straight to its
// destination, no association.
func NewAdhocMac(s *sim.Simulator, phy *Phy, cfg MacConfig) (*Mac, error) {
	m, err := newMac(s, phy, cfg)
	if err != nil {
		return nil, err
	}
	m.role = &adhocRole{m: m}
	return m, nil
}

// Address returns the MAC address.
func (m *Mac) Address() packet.Mac48 { return m.addr }

// Phy returns the PHY below the MAC.
func (m *Mac) Phy() *Phy { return m.phy }

// Config returns the MAC's configuration.
func (m *Mac) Config() MacConfig { return m.cfg }

// QueueLen returns the number of frames waiting in the data queue.
func (m *Mac) QueueLen() int { return m.txop.queue.len() }

// SetReceiveCallback sets where received MSDUs go.
func (m *Mac) SetReceiveCallback(f ReceiveFunc) { m.up = f }

// Start starts the role's own activity (AP beacons, STA scanning, after
// StaConfig.StartJitter's draw if set); an ad-hoc MAC has none. Helpers
// call it at time 0. A MAC starts once: calling Start again does nothing
// (it would otherwise schedule a second beacon series or scan).
func (m *Mac) Start() { m.role.start() }

// Send queues an MSDU (its LLC/SNAP header already pushed) for dst. It
// returns an error if the frame was dropped at once (queue full, or a STA
// not associated).
func (m *Mac) Send(msdu *packet.Packet, dst packet.Mac48) error {
	return m.role.send(msdu, dst)
}

// enqueue hands a frame to the data Txop. Frames travel by value into the
// queue, so queueing allocates nothing.
func (m *Mac) enqueue(f Frame) error {
	return m.enqueueOn(m.txop, f)
}

func (m *Mac) enqueueOn(t *Txop, f Frame) error {
	if !t.enqueue(f) {
		m.dropValue(f, DropQueueFull)
		return ErrQueueFull
	}
	return nil
}

// discard drops a frame that was in a MAC queue: after the drop is
// reported, its MSDU goes back to its pool (the MAC owned it since Send
// succeeded, and no transmission of it is still on the air: a retry-limit
// drop comes after the ACK timeout, other drops before any transmission).
func (m *Mac) discard(f Frame, r DropReason) {
	m.dropValue(f, r)
	if f.MSDU != nil {
		f.MSDU.Release()
	}
}

// dropValue reports the drop of a frame held by value, through a buffer of
// the MAC's so that the frame does not escape to the heap.
func (m *Mac) dropValue(f Frame, r DropReason) {
	m.dropBuf = f
	m.drop(&m.dropBuf, r)
	m.dropBuf = Frame{}
}

// ErrQueueFull is returned by Send when the MAC queue is full.
var ErrQueueFull = errors.New("mac80211: MAC queue full")

func (m *Mac) nextSeq() uint16 {
	s := m.seq
	m.seq = (m.seq + 1) & 0x0fff
	return s
}

func (m *Mac) drop(f *Frame, r DropReason) {
	m.Counters.Drops++
	if m.OnDrop != nil {
		m.OnDrop(f, r)
	}
}

// transmit puts f on the air now and tells channel access; it returns the
// end time.
func (m *Mac) transmit(f *Frame) sim.Time {
	m.Counters.TxFrames++
	if f.Header.Type == FrameData {
		m.Counters.TxData++
		if f.Header.Retry {
			m.Counters.TxRetries++
		}
	}
	if m.OnTx != nil {
		m.OnTx(f)
	}
	end := m.phy.Send(f)
	m.cam.notifyTxStart(end)
	return end
}

// isDuplicate implements duplicate detection (IEEE 802.11-2016 10.3.2.11;
// ns-3 MacRxMiddle): a retransmission whose sequence number equals the last
// one received from the same transmitter.
func (m *Mac) isDuplicate(h *MACHeader) bool {
	last, seen := m.lastSeq[h.Addr2]
	if seen && h.Retry && last == h.Seq {
		m.Counters.RxDuplicates++
		return true
	}
	m.lastSeq[h.Addr2] = h.Seq
	return false
}

func (m *Mac) receiveMPDU(f *Frame, info RxInfo) {
	if f.Header.Type == FrameData {
		m.Counters.RxData++
	}
	if m.OnRx != nil {
		m.OnRx(f, info)
	}
	m.role.receive(f, info)
}

// deliver hands an MSDU up.
func (m *Mac) deliver(msdu *packet.Packet, src, dst packet.Mac48) {
	if m.up != nil && msdu != nil {
		m.up(msdu.Copy(), src, dst)
	}
}

// PhyListener implementation.

// PhyRxStart implements PhyListener.
func (m *Mac) PhyRxStart(end sim.Time) {
	// In ns-3 3.37's order: PhyEntity::DoStartReceivePayload fires the
	// PhyRxPayloadBegin trace (FrameExchangeManager::RxStartIndication,
	// which may reset the ACK timeout and restart the channel access
	// timer) before StartReceivePayload's SwitchToRx tells the channel
	// access manager (NotifyRxStartNow).
	m.fex.rxStartIndication(end)
	m.cam.notifyRxStart(end)
}

// PhyRxEnd implements PhyListener.
func (m *Mac) PhyRxEnd(f *Frame, ok bool, info RxInfo) {
	if ok {
		m.fex.receive(f, info)
	}
	m.cam.notifyRxEnd(ok)
}

// PhyCcaBusy implements PhyListener.
func (m *Mac) PhyCcaBusy(end sim.Time) { m.cam.notifyCcaBusy(end) }

// linesAhead returns the MAC's record, which its PHY fetches into the
// caches ahead of the notifications of a detection window's end.
func (m *Mac) linesAhead() (unsafe.Pointer, int) {
	return unsafe.Pointer(m), prefetch.LinesOf(unsafe.Sizeof(*m))
}

// adhocRole is the IBSS role: Addr1 = destination, Addr2 = us, Addr3 = the
// BSSID (ns-3 AdhocWifiMac).
type adhocRole struct{ m *Mac }

func (r *adhocRole) send(msdu *packet.Packet, dst packet.Mac48) error {
	return r.m.enqueue(Frame{Header: MACHeader{Type: FrameData, Addr1: dst, Addr2: r.m.addr}, MSDU: msdu})
}

func (r *adhocRole) receive(f *Frame, _ RxInfo) {
	if f.Header.Type == FrameData {
		r.m.deliver(f.MSDU, f.Header.Addr2, f.Header.Addr1)
	}
}

func (r *adhocRole) txOk(*Frame) {}
func (r *adhocRole) start()      {}
