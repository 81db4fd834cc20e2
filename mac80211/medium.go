package mac80211

import (
	"errors"
	"fmt"
	"math"
	"unsafe"

	"github.com/netgym/netgym/internal/prefetch"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
	"github.com/netgym/netgym/sim/spectrum"
)

// MediumConfig configures a Medium.
type MediumConfig struct {
	// Loss gives the received power (default propagation.DefaultLogDistance,
	// as ns-3's YansWifiChannelHelper::Default).
	Loss propagation.LossModel
	// Delay gives the propagation delay (default
	// propagation.DefaultConstantSpeed, the speed of light).
	Delay propagation.DelayModel
	// FloorDbm is the received power (receive gain included) below which
	// the medium does not deliver a transmission to a PHY (default -101
	// dBm, ns-3's default RxSensitivity: YansWifiChannel::Receive would drop
	// those signals anyway, so the default culls nothing ns-3 keeps). The
	// spatial index culls receivers that the loss model puts below it.
	// -Inf disables culling: every PHY is handed every signal, as ns-3's
	// YansWifiChannel::Send schedules it. A finite floor is raised to the
	// lowest PhyConfig.RxSensitivityDbm of the attached PHYs when that is
	// higher: every PHY would drop those signals (not even interference,
	// as ns-3's YansWifiChannel::Receive), so PHYs configured with ns-3's
	// RxSensitivity of, say, -82 dBm cost what a -82 dBm floor costs. A
	// FloorDbm above the sensitivities drops signals the PHYs would keep.
	FloorDbm float64
	// FrequencyHz is the carrier frequency link-aware loss models see in
	// propagation.Link.FrequencyHz (default 5180 MHz: channel 36, the
	// channel ns-3 3.37's WifiPhy picks for 802.11a when none is set).
	// Position-only models (LogDistance, Friis) ignore it and use their
	// own configuration. 0 means not said.
	FrequencyHz float64
	// EagerWeak turns off the lazy accounting of sub-detection signals
	// (see Medium): every signal reaching a PHY is an arrival event, and
	// an idle PHY opens a detection window event for each, as in ns-3.
	// The results are the same either way, but for the order of a
	// detection window end among other events at the very same
	// nanosecond: lazily it takes a sequence number reserved when the
	// signal is sent, here one taken when it arrives, so an event at that
	// instant scheduled in between (a signal from beyond 1.2 km, the
	// distance light travels in a 4 us window, arriving as the window
	// ends) runs after it lazily and before it here, and a drop reason can
	// differ. That needs an event scheduled within the signal's flight
	// (under a microsecond on the default channel, which reaches 221 m at
	// -101 dBm) for the very nanosecond its window ends: a signal from
	// beyond 1.2 km arriving then, or, by coincidence, a timer set then
	// (say a MAC granted access at that instant); set EagerWeak when every
	// drop reason must be ns-3's. Arrivals at one instant are ordered as
	// in ns-3 either way (TestWeakWindowEndOrder). Otherwise only event
	// counts and wall time differ.
	EagerWeak bool
}

// DefaultMediumConfig returns the ns-3 3.37 defaults of a YANS channel:
// log-distance loss (exponent 3, 46.6777 dB at 1 m), speed-of-light delay,
// a -101 dBm floor, and channel 36 (5180 MHz).
func DefaultMediumConfig() MediumConfig {
	return MediumConfig{
		Loss:        propagation.DefaultLogDistance(),
		Delay:       propagation.DefaultConstantSpeed(),
		FloorDbm:    -101,
		FrequencyHz: 5180e6,
	}
}

// Validate reports a configuration the medium cannot run with.
func (c MediumConfig) Validate() error {
	if c.Loss == nil {
		return errors.New("mac80211: MediumConfig.Loss is nil")
	}
	if c.Delay == nil {
		return errors.New("mac80211: MediumConfig.Delay is nil")
	}
	for _, m := range [...]any{c.Loss, c.Delay} {
		if v, ok := m.(interface{ Validate() error }); ok {
			if err := v.Validate(); err != nil {
				return err
			}
		}
	}
	if math.IsNaN(c.FloorDbm) || math.IsInf(c.FloorDbm, 1) {
		return fmt.Errorf("mac80211: MediumConfig.FloorDbm must be a number below +Inf, got %g", c.FloorDbm)
	}
	if !(c.FrequencyHz >= 0) || math.IsInf(c.FrequencyHz, 1) {
		return fmt.Errorf("mac80211: MediumConfig.FrequencyHz must be finite and >= 0, got %g", c.FrequencyHz)
	}
	return nil
}

// MediumStats counts what a Medium did.
type MediumStats struct {
	// Transmissions is the number of frames sent on the medium.
	Transmissions uint64
	// TxByType splits Transmissions by frame type (indexed by FrameType;
	// FrameType.NS3Name names them as ns-3 does).
	TxByType [NumFrameTypes]uint64
	// Examined is the number of (transmission, receiver) pairs whose
	// received power was computed: what spatial culling keeps small.
	Examined uint64
	// Deliveries is the number of arrivals (received power at or above
	// the floor), scheduled or accounted lazily.
	Deliveries uint64
	// Lazy is the number of deliveries of sub-detection signals accounted
	// without events (see Medium).
	Lazy uint64
	// Weak is the number of deliveries of sub-detection signals to PHYs
	// that can account them lazily: Lazy of them were kept, Refused says
	// why the others became events (Weak = Lazy + Refused.Total()). Zero
	// with MediumConfig.EagerWeak.
	Weak uint64
	// Refused counts the sub-detection signals that became events, by
	// reason.
	Refused LazyRefusals
	// Catchups is the number of times a PHY with a lazy record caught up
	// with it: once per event of the PHY and per call from its MAC (or
	// Phy.Counters) after its first sub-detection signal.
	Catchups uint64
}

// LazyRefusals counts the sub-detection signals that lazy accounting
// refused (MediumStats.Refused), by reason.
type LazyRefusals struct {
	// NotQuiet: the PHY was not left quiet at its last activity
	// (transmitting, receiving, a PPDU locked or in its detection window,
	// a drop hook, or no activity yet since its first such signal).
	NotQuiet uint64
	// BelowSensitivity: the signal is below the PHY's RxSensitivity (a
	// PHY more deaf than the medium's floor); its event drops it.
	BelowSensitivity uint64
	// Full: the PHY's record already held its maximum of signals.
	Full uint64
	// Order: the signal arrives before the last one kept.
	Order uint64
	// Bound: the bound of the total power could reach a CCA threshold.
	Bound uint64
}

// Total returns the number of refusals.
func (r LazyRefusals) Total() uint64 {
	return r.NotQuiet + r.BelowSensitivity + r.Full + r.Order + r.Bound
}

// maxPooled is the least number of free transmissions and arrivals a
// medium keeps for reuse (more with more PHYs); beyond that they are left to
// the garbage collector.
const maxPooled = 4096

// transmission is one frame on the air, shared by all its arrivals. It is
// pooled: refs counts the arrivals and receptions still using it.
type transmission struct {
	frame    Frame
	sender   int // id of the sending PHY
	uid      uint64
	duration sim.Time
	refs     int
	ownsMSDU bool // frame.MSDU is the medium's own copy, released with tx
	m        *Medium
	// snd resolves the powers spectrum deferred (spectrum.Medium.DeferPower).
	snd spectrum.Sender
}

// maxBorrowDelay is the longest propagation delay for which a transmission
// may borrow its MSDU from the sender's queue: every reception then ends
// before the sender's ACK timeout (SIFS + slot + PHY-RXSTART, about 45 us
// after its transmission ends), hence before the sender can release the
// MSDU. Over longer delays (kilometres and more) the medium carries its own
// copy, so that a sender that gives up on the frame never frees a packet a
// receiver is still decoding.
const maxBorrowDelay = 20 * sim.Microsecond

// arrival is the start of a transmission at one receiver.
type arrival struct {
	tx       *transmission
	rx       *Phy
	powerDbm float64 // received power, before the receiver's gain
	powerW   float64 // received power with the receiver's gain, in W
	seqW     uint64  // reserved sequence number of the signal's window end, or 0
}

// Medium is the radio channel that connects PHYs: ns-3's YansWifiChannel.
// A transmission reaches every other attached PHY whose received power
// (loss model, plus the receiver's gain) is at least FloorDbm, after the
// propagation delay, for the frame's duration.
//
// Medium is the 802.11 layer over a shared spectrum.Medium, which finds the
// receivers: it indexes PHYs in a uniform grid as wide as the culling
// range (propagation.MaxRange of the loss model at the strongest transmit
// power and the largest receive gain), lists apart the PHYs that may move,
// re-indexes on course changes, and caches the received power and delay of
// static pairs under deterministic models. The result is exactly what
// examining every PHY would give, arrivals included in the same order
// (attachment order, as ns-3's channel list). With a loss model that has no
// finite range (random or non-monotone models), every PHY is examined. See
// package sim/spectrum.
//
// What stays here is 802.11's: frames, transmissions shared by their
// arrivals, the PHYs' ids and random streams, and the hand-over to
// Phy.receive. Frames, transmissions and arrivals are pooled: a
// transmission allocates nothing in steady state.
//
// Sub-detection signals are accounted lazily (unless
// MediumConfig.EagerWeak). With ns-3's default RxSensitivity of -101 dBm a
// frame in a dense network reaches hundreds of PHYs below the preamble
// detection threshold (-82 dBm): each is, in ns-3, an arrival event and, at
// an idle PHY, a 4 us detection window ending in PREAMBLE_DETECT_FAILURE
// (BUSY_DECODING_PREAMBLE if a stronger one is in its own window then).
// Such a signal at a PHY that is quiet (not transmitting or receiving, no
// PPDU in a window or locked) only counts a drop, unless the total power at
// its window end reaches a CCA threshold or something happens at the PHY
// meanwhile. The medium keeps it, in a small per-PHY record, instead of
// scheduling events, when a bound on the total power (what the PHY tracked
// at its last activity, or what is left after its last tracked change, plus
// the pending weak signals) stays below both CCA thresholds. Whatever next
// happens at the PHY (an arrival, one of its own events, a transmission,
// Counters) first replays what the pending signals would have done by then
// (arrivals and window ends, in event order, through the same interference
// and preamble steps), and schedules the rest as the events they would have
// been, under sequence numbers reserved when they were sent
// (sim.Simulator.ReserveSeq): the PHY's state is then what handling every
// signal as an event gives, bit for bit. Pending signals that a later one
// erased from the interference record (ns-3's InterferenceHelper forgets
// every change before a new signal's start when the PHY is not receiving)
// are reduced to their drop counts. The medium does not even compute the
// watts of a signal surely below the detection threshold
// (spectrum.Medium.DeferWatts): a bound decides on it (wattsAtMost), and
// the watts are computed for the signals replayed or scheduled. The hook
// Phy.OnRxDrop turns this off at a PHY while it is set (set it before the
// run, or with Phy.SetOnRxDrop during it).
type Medium struct {
	s    *sim.Simulator
	sp   *spectrum.Medium[spectrum.NoLink]
	phys []*Phy // by spectrum id = attachment index

	freqHz     float64 // MediumConfig.FrequencyHz
	floorDbm   float64 // MediumConfig.FloorDbm
	minSensDbm float64 // lowest RxSensitivityDbm of the attached PHYs
	// spFloorDbm is the floor spectrum applies: every delivery's power,
	// receive gain included, is at least it.
	spFloorDbm  float64
	nextUID     uint64
	txFree      []*transmission
	arrFree     []*arrival
	sigFree     []*rxSignal // the PHYs' reception records
	onArrivalFn func(any)
	// lazy holds, by PHY id, the weak signals accounted without events;
	// weakW, read for every delivery, the power (W, receive gain
	// included) below which each PHY can never detect a signal (the
	// threshold preamble detection model's minimum RSSI; 0 for a PHY
	// without lazy accounting). Both are nil until a PHY that can have
	// weak signals attaches (never with MediumConfig.EagerWeak).
	lazy  []lazySlot
	weakW []float64
	// maxSensDbm is the highest RxSensitivityDbm of the attached PHYs:
	// above spFloorDbm, admission checks the PHYs' sensitivities.
	maxSensDbm float64
	// takenBy (tests): if set, the signals admitted, by PHY id.
	takenBy   []uint32
	lazyOK    bool
	lazyCount uint64
	weakCount uint64
	refused   LazyRefusals
	catchups  uint64
	txByType  [NumFrameTypes]uint64 // transmissions by frame type
	// noLazy (tests): weak signals reserve their sequence numbers as with
	// lazy accounting, but every one is an event.
	noLazy bool
}

// maxLazy is the number of weak signals a PHY's lazy record holds: a new
// one that finds it full is an event.
const maxLazy = 4

// lazyItem is a weak signal accounted lazily at one PHY: 48 bytes, so
// that a record's four fit three cache lines.
type lazyItem struct {
	at   sim.Time // arrival at the PHY
	seqA uint64   // reserved sequence numbers: arrival seqA, window end seqA+1
	// powerDbm is the received power before the receive gain, or, while
	// dist is not 0, spectrum's bound of it, or NaN where spectrum decided
	// on the distance alone (see dbm).
	powerDbm float64
	dist     float64
	tx       *transmission // one reference held
	dur      int32         // tx.duration (end: at + dur), for admitLazy: at most 5.5 ms (Phy.Send refuses a PSDU over MaxPSDUSize)
	// maxW bounds the received power in W (receive gain included),
	// rounded up to a float32: from the power if spectrum computed it,
	// else from wattsAtMost's bound. Medium.watts(dbm()) gives the power.
	maxW float32
}

// end returns when the signal ends at the PHY.
func (it *lazyItem) end() sim.Time { return it.at + sim.Time(it.dur) }

// dbm returns the received power of the item, before the receive gain:
// resolving it first if spectrum deferred it.
func (it *lazyItem) dbm() float64 {
	if it.dist > 0 {
		it.powerDbm, it.dist = it.tx.snd.ExactDbm(it.dist), 0
	}
	return it.powerDbm
}

// float32Up returns w >= 0 rounded up to a float32 (+Inf beyond its
// range; NaN stays NaN).
//
// It has no branch: whether the conversion rounded down is as good as
// random, and a branch on it, mispredicted half the time (the most
// mispredicted branch of a 10,000-node run in cachegrind's simulation),
// cost about 9% of that run's wall time: in the admission of every weak
// signal, a mispredicted branch discards the next deliveries' loads the
// processor had run ahead to (docs/sweep.md, "A random branch, and
// profile-guided optimisation").
func float32Up(w float64) float32 {
	f := float32(w)
	var up uint32
	if float64(f) < w {
		// The next float32 up: w is positive, and so f or 0.
		up = 1
	}
	return math.Float32frombits(math.Float32bits(f) + up)
}

// lazySlot is one PHY's lazy record, kept in the medium's dense array so
// that deciding on a weak signal does not touch the PHY: 256 bytes, four
// cache lines, the first holding all admission reads but the signals.
type lazySlot struct {
	// quiet: at its last activity the PHY was left quiet (see
	// Phy.settle) and may take lazy signals; matMaxW bounds the power it
	// tracked then from that time on, and matLastW from matLastT on (its
	// last change point: every signal it tracked has ended by then).
	quiet  bool
	active bool // the PHY has had a weak signal: Phy.lazy is set
	// n signals are kept, from items[head] on, in a ring (item).
	n, head uint8
	window  int32 // preamble detection window (PhyConfig.Validate: at most the 16 us preamble)
	// retired, retiredBusy: erased signals, still to count as signal
	// ids and drops (PREAMBLE_DETECT_FAILURE, BUSY_DECODING_PREAMBLE).
	retired, retiredBusy uint32
	// thrW: the lower CCA threshold, less a margin for rounding.
	thrW float64
	// gainDb: the PHY's receive gain; gainLin: as a factor,
	// 10^(gainDb/10).
	gainDb, gainLin   float64
	matMaxW, matLastW float64
	matLastT          sim.Time
	items             [maxLazy]lazyItem
}

// win returns the preamble detection window.
func (sl *lazySlot) win() sim.Time { return sim.Time(sl.window) }

// item returns the i-th signal of the record (i < n), in arrival order:
// the record is a ring, so that erasing a prefix moves nothing.
func (sl *lazySlot) item(i int) *lazyItem { return &sl.items[(int(sl.head)+i)&(maxLazy-1)] }

// stronger reports whether a's power in W is above b's (Phy.bestPreamble's
// test): on their distances when both are deferred from senders of the
// same power (spectrum.Sender.Closer), on their bounds when those are
// apart, else on the powers, which are then resolved (1e-9 dB apart, two
// powers are far more apart in W than DbmToW rounds).
func (sl *lazySlot) stronger(a, b *lazyItem) bool {
	const apart = 1e-9
	if a.dist > 0 && b.dist > 0 {
		if c := a.tx.snd.Closer(a.dist, &b.tx.snd, b.dist); c != 0 {
			return c > 0
		}
	}
	// A power spectrum left undecided (NaN: the distance alone placed
	// the signal below the threshold) is resolved first, so that two
	// powers apart in dBm are not both raised to watts.
	if a.powerDbm != a.powerDbm {
		a.dbm()
	}
	if b.powerDbm != b.powerDbm {
		b.dbm()
	}
	aLo, bLo := a.powerDbm, b.powerDbm
	if a.dist > 0 {
		aLo -= spectrum.DeferMarginDb
	}
	if b.dist > 0 {
		bLo -= spectrum.DeferMarginDb
	}
	switch {
	case aLo > b.powerDbm+apart:
		return true
	case a.powerDbm < bLo-apart:
		return false
	}
	return sl.watts(a.dbm()) > sl.watts(b.dbm())
}

// watts returns the power in W, receive gain included, of a signal
// received at dbm before it: what spectrum computes (Delivery.RxW), for a
// signal whose watts it deferred or a bound stands for.
func (sl *lazySlot) watts(dbm float64) float64 { return spectrum.DbmToW(dbm + sl.gainDb) }

// NewMedium returns an empty medium.
func NewMedium(s *sim.Simulator, cfg MediumConfig) (*Medium, error) {
	if s == nil {
		return nil, errors.New("mac80211: NewMedium needs a simulator")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	sp, err := spectrum.New(s, spectrum.Config{
		Loss: cfg.Loss, Delay: cfg.Delay, FloorDbm: cfg.FloorDbm, FrequencyHz: cfg.FrequencyHz,
	}, spectrum.LinkModel[spectrum.NoLink]{})
	if err != nil {
		return nil, err
	}
	m := &Medium{s: s, sp: sp, freqHz: cfg.FrequencyHz, floorDbm: cfg.FloorDbm, minSensDbm: math.Inf(1),
		maxSensDbm: math.Inf(-1), spFloorDbm: cfg.FloorDbm}
	m.onArrivalFn = m.onArrival
	m.lazyOK = !cfg.EagerWeak
	return m, nil
}

// Attach connects p to the medium, at the position given by pos. A PHY is
// attached to one medium only, of the same simulator. If p has no random
// stream yet, it gets s.Stream("mac80211/phy/N") with N the number of PHYs
// attached before it.
func (m *Medium) Attach(p *Phy, pos mobility.Model) error {
	switch {
	case p == nil:
		return errors.New("mac80211: Attach of a nil Phy")
	case pos == nil:
		return errors.New("mac80211: Attach needs a mobility model")
	case p.medium != nil:
		return errors.New("mac80211: Phy is already attached to a medium")
	case p.s != m.s:
		return errors.New("mac80211: Phy and Medium belong to different simulators")
	}
	id, err := m.sp.Attach(spectrum.Attachment{
		Mobility: pos, TxPowerDbm: p.txAntennaDbm, RxGainDb: p.cfg.RxGainDb,
	})
	if err != nil {
		return fmt.Errorf("mac80211: %w", err)
	}
	// Ids are consecutive from 0 and PHYs are never detached: id is the
	// number of PHYs attached before p.
	p.medium = m
	p.index = id
	if p.rng == nil {
		p.pcg = m.s.PCGFor("mac80211/phy", id)
	}
	m.phys = append(m.phys, p)
	// Only a PHY that keeps signals it can never detect has any to
	// account lazily: with a sensitivity at the detection threshold (-82
	// dBm, say) every signal is an event, and a medium of such PHYs pays
	// nothing for the lazy path.
	t, ok := p.cfg.PreambleDetection.(ThresholdPreambleDetection)
	if m.lazyOK && ok && p.cfg.RxSensitivityDbm < t.MinimumRssiDbm && m.lazy == nil {
		m.lazy = make([]lazySlot, len(m.phys)-1, len(m.phys))
		m.weakW = make([]float64, len(m.phys)-1, len(m.phys))
	}
	if m.lazy != nil {
		sl := lazySlot{gainDb: p.cfg.RxGainDb, window: int32(p.cfg.PreambleDetectionDuration),
			gainLin: math.Pow(10, p.cfg.RxGainDb/10)}
		weakW := 0.0
		if ok && p.cfg.RxSensitivityDbm < t.MinimumRssiDbm {
			// The PHY takes part from its first weak signal on (a PHY
			// that never gets one pays nothing), and is not quiet until
			// its first activity after that (Phy.settle).
			weakW = p.detectMinW
			sl.thrW = min(p.ccaSensW, p.ccaEdW) * (1 - 1e-9)
			// Most signals are weak, and decided on by a bound of their
			// watts (admitLazy): spectrum need not compute the watts of
			// those surely below the detection threshold (1e-6 dB
			// apart: far more than DbmToW's rounding), which are weak.
			// Cannot fail: id is attached, the threshold finite.
			_ = m.sp.DeferWatts(id, t.MinimumRssiDbm-1e-6)
			// Those surely below it need not even have their power
			// computed: admission decides on a bound, and the power is
			// computed for the signals replayed or scheduled.
			_ = m.sp.DeferPower(id, t.MinimumRssiDbm-1e-6)
		}
		m.lazy = append(m.lazy, sl)
		m.weakW = append(m.weakW, weakW)
	}
	m.maxSensDbm = max(m.maxSensDbm, p.cfg.RxSensitivityDbm)
	if sens := p.cfg.RxSensitivityDbm; sens < m.minSensDbm && !math.IsInf(m.floorDbm, -1) {
		m.minSensDbm = sens
		// Cannot fail: both are finite or -Inf (validated).
		m.spFloorDbm = max(m.floorDbm, m.minSensDbm)
		_ = m.sp.SetFloorDbm(m.spFloorDbm)
	}
	return nil
}

// txPowerChanged follows a PHY's transmit power change (antenna power).
func (m *Medium) txPowerChanged(p *Phy) {
	// Cannot fail: p is attached and its power finite (SetTxPowerDbm
	// checked it).
	_ = m.sp.SetTxPower(p.index, p.txAntennaDbm)
}

// Refresh recomputes the culling range and rebuilds the spatial index. Call
// it after changing the loss model's parameters; transmit power changes
// (Phy.SetTxPowerDbm) and course changes are followed automatically.
func (m *Medium) Refresh() { m.sp.Refresh() }

// CullRange returns the current culling range in metres: +Inf if every PHY
// is examined for every transmission.
func (m *Medium) CullRange() float64 { return m.sp.CullRange() }

// Stats returns what the medium has counted so far.
func (m *Medium) Stats() MediumStats {
	st := m.sp.Stats()
	return MediumStats{Transmissions: st.Transmissions, TxByType: m.txByType, Examined: st.Examined, Deliveries: st.Deliveries,
		Lazy: m.lazyCount, Weak: m.weakCount, Refused: m.refused, Catchups: m.catchups}
}

// NumPhys returns the number of attached PHYs.
func (m *Medium) NumPhys() int { return len(m.phys) }

// transmit sends f from sender for dur: YansWifiChannel::Send.
func (m *Medium) transmit(sender *Phy, f *Frame, dur sim.Time) {
	if int(f.Header.Type) < NumFrameTypes {
		m.txByType[f.Header.Type]++
	}
	tx := m.getTx()
	tx.frame = *f
	tx.frame.TxPowerDbm = sender.cfg.TxPowerDbm
	m.nextUID++
	tx.uid = m.nextUID
	tx.duration = dur
	tx.sender = sender.index
	// Cannot fail: sender is attached.
	ds, _ := m.sp.Transmit(sender.index)
	tx.snd = m.sp.LastSender()
	now := m.s.Now()
	late := sim.MaxTime - now - dur
	var base uint64
	if m.weakW != nil {
		// Where weak signals are accounted lazily, every arrival and
		// its detection window end get their sequence numbers now (two
		// per delivery, in order; a late one leaves its two unused), so
		// that window ends at one instant run in the order of their
		// arrivals, as in ns-3 (each scheduled when its signal arrives;
		// TestWeakWindowEndOrder).
		base = m.s.ReserveSeqs(2 * uint64(len(ds)))
	}
	for i := range ds {
		d := &ds[i]
		if d.Delay > late {
			continue // the arrival would end beyond the end of simulated time
		}
		if d.Delay > maxBorrowDelay && tx.frame.MSDU != nil && !tx.ownsMSDU {
			tx.frame.MSDU = tx.frame.MSDU.Copy()
			tx.ownsMSDU = true
		}
		tx.refs++
		var seqA uint64
		if m.weakW != nil {
			seqA = base + 2*uint64(i)
		}
		if m.weakW != nil && (d.WattsDeferred() || d.RxW < m.weakW[d.Rx]) {
			// A signal the PHY can never detect.
			sl := &m.lazy[d.Rx]
			if !sl.active {
				// The first weak signal of this PHY: from now on its
				// entry points keep its lazy record (Phy.sync, settle).
				sl.active = true
				m.phys[d.Rx].lazy = true
			}
			m.weakCount++
			if !m.noLazy && m.admitLazy(sl, tx, d, now+d.Delay, seqA) {
				continue
			}
		}
		dbm, w := d.RxDbm, d.RxW
		if d.PowerDeferred() {
			dbm = tx.snd.ExactDbm(d.Dist)
		}
		if d.WattsDeferred() { // only at PHYs with a lazy record
			w = m.lazy[d.Rx].watts(dbm)
		}
		rx := m.phys[d.Rx]
		// The arrival, a few microseconds of wall time from now, reads
		// the PHY and its lazy record first: fetched now, beside the
		// weak signals' work, instead of missing then (in a large
		// network a PHY's last reception is long enough ago for its
		// record to have left every cache: docs/sweep.md, "Cache lines
		// fetched ahead").
		prefetch.Lines(unsafe.Pointer(rx), prefetch.LinesOf(unsafe.Sizeof(*rx)))
		if m.lazy != nil {
			sl := &m.lazy[d.Rx]
			prefetch.Lines(unsafe.Pointer(sl), prefetch.LinesOf(unsafe.Sizeof(*sl)))
		}
		m.scheduleArrival(tx, rx, dbm, w, now+d.Delay, seqA)
	}
	if tx.refs == 0 {
		m.putTx(tx)
	}
}

// scheduleArrival schedules the arrival of tx at rx at time at (not before
// now), with its received power before and after the receive gain: under
// the next sequence number, or under the reserved seqA (its detection
// window end then takes seqA+1). The arrival takes one of the caller's
// references to tx.
func (m *Medium) scheduleArrival(tx *transmission, rx *Phy, dbm, w float64, at sim.Time, seqA uint64) {
	a := m.getArr()
	a.tx, a.rx, a.powerDbm, a.powerW = tx, rx, dbm, w
	if seqA == 0 {
		m.s.ScheduleWith(at-m.s.Now(), m.onArrivalFn, a)
		return
	}
	a.seqW = seqA + 1
	m.s.ScheduleReserved(at, seqA, m.onArrivalFn, a)
}

// admitLazy keeps weak signal d of tx, arriving at at under seqA, in the
// lazy record sl of its PHY, and reports whether it did (the caller's
// reference to tx is then the record's). It does when the PHY was left
// quiet, the record has room, the signal arrives no earlier than the last
// one kept (so that the record is in arrival order; their detection
// windows may overlap), and the total power from its arrival on cannot
// reach a CCA threshold: with the bounds checked at every earlier
// admission, the total power can then reach a CCA threshold at no window
// end of the record.
func (m *Medium) admitLazy(sl *lazySlot, tx *transmission, d *spectrum.Delivery[spectrum.NoLink], at sim.Time, seqA uint64) bool {
	if !sl.quiet {
		m.refused.NotQuiet++
		return false
	}
	dbm, dist := d.RxDbm, d.Dist
	// Every delivery reaches the medium's floor: a PHY whose sensitivity is
	// not above it gets none below its sensitivity.
	if m.maxSensDbm > m.spFloorDbm && m.phys[d.Rx].rxSensDbm > m.spFloorDbm {
		sens := m.phys[d.Rx].rxSensDbm
		if dist > 0 && !(dbm-spectrum.DeferMarginDb+sl.gainDb >= sens) {
			// A bound near the sensitivity, or none (NaN): decide on
			// the power.
			dbm, dist = tx.snd.ExactDbm(dist), 0
		}
		if dbm+sl.gainDb < sens {
			m.refused.BelowSensitivity++
			return false
		}
	}
	// Forget the signals that a later one, arrived by now, erased.
	switch sl.n {
	case 0, 1:
	case 2:
		// The usual record (retire, inlined): the first signal ended
		// before the second arrived, outside its window, and the second
		// has arrived: the first is erased, and was not detected.
		a, b := sl.item(0), sl.item(1)
		if b.at >= a.at+sl.win() && a.end() <= b.at && m.s.Happened(b.at, b.seqA) {
			m.release(sl.eraseFirst(false))
		}
	default:
		m.retire(sl)
	}
	n := int(sl.n)
	if n == maxLazy {
		m.refused.Full++
		return false
	}
	if n > 0 && at < sl.item(n-1).at {
		m.refused.Order++
		return false
	}
	w := d.RxW
	if d.WattsDeferred() {
		var ok bool
		if dist < 0 {
			// The reach cache's: an exact power, and minus the distance.
			w, ok = tx.snd.WattsAtMost(-dist, sl.gainLin)
			dist = 0
		} else {
			w, ok = tx.snd.WattsAtMost(dist, sl.gainLin)
		}
		if !ok {
			if dbm != dbm { // no bound in dBm either: the power
				dbm, dist = tx.snd.ExactDbm(dist), 0
			}
			w = wattsAtMost(dbm + sl.gainDb)
		}
	}
	sum := sl.matMaxW
	if at >= sl.matLastT {
		sum = sl.matLastW
	}
	sum += w
	for i := range n {
		if it := sl.item(i); it.end() > at {
			sum += float64(it.maxW)
		}
	}
	if !(sum < sl.thrW) {
		m.refused.Bound++
		return false
	}
	// Field by field: a composite literal is built on the stack first.
	it := sl.item(n)
	it.at, it.dur, it.seqA, it.maxW, it.powerDbm, it.dist, it.tx = at, int32(tx.duration), seqA, float32Up(w), dbm, dist, tx
	sl.n++
	if m.takenBy != nil {
		m.takenBy[d.Rx]++
	}
	m.lazyCount++
	return true
}

// retire reduces to counts the signals of a lazy record that a later one,
// arrived by now, erased from the PHY's interference tracker: when signal
// h arrives after every earlier window has ended, the tracker is not
// receiving, and appending h forgets every change point up to its start,
// those of the signals that ended by then included (ns-3's
// InterferenceHelper::AppendEvent). What is left of them is their signal
// ids and drops. The erased signals are a prefix of the record whose last
// window ends before the next signal arrives, so that the reasons of their
// drops depend on them alone: at each window end, in order, the signal is
// not detected (it is below the detection threshold) unless a stronger
// one, first in uid (= record) order among the equally strong, is in its
// own window then (see Phy.weakDetectEnd).
func (m *Medium) retire(sl *lazySlot) {
	n := int(sl.n)
	h := n - 1
	for h > 0 && !m.s.Happened(sl.item(h).at, sl.item(h).seqA) {
		h--
	}
	w := sl.win()
	if h == 0 || sl.item(h).at < sl.item(h-1).at+w {
		return // nothing before it, or a window still open when it arrived
	}
	r := 0
	for r < h && sl.item(r).end() <= sl.item(h).at {
		r++
	}
	for r > 0 && r < h && sl.item(r).at < sl.item(r-1).at+w {
		r--
	}
	if r == 0 {
		return
	}
	m.erase(sl, r)
}

// retireAtArrival is retire for a signal arriving at the PHY now, as the
// current event, that its interference tracker will take (at or above its
// RxSensitivity): if every signal of the record that has arrived by now
// has ended by now, that arrival erases them all, as a later signal of the
// record would (their detection windows ended before: a window is never
// longer than the preamble, PhyConfig.Validate; the PHY, left quiet, has
// no other window open), and they are reduced to counts instead of
// replayed. The signals still to arrive stay in the record.
func (m *Medium) retireAtArrival(sl *lazySlot) {
	n := int(sl.n)
	k := 0
	for k < n && m.s.Happened(sl.item(k).at, sl.item(k).seqA) {
		k++
	}
	if k == 0 {
		return
	}
	now := m.s.Now()
	for i := range k {
		if sl.item(i).end() > now {
			return
		}
	}
	m.erase(sl, k)
}

// erase reduces the first r signals of record sl to counts: those of
// retire, a prefix whose last detection window ends before the next
// signal arrives.
func (m *Medium) erase(sl *lazySlot, r int) {
	w := sl.win()
	for ; r > 0; r-- {
		it := sl.item(0)
		end := it.at + w
		best := it
		// The later signals in their windows then: arrived before it
		// (one arriving at that very instant comes after it: its
		// sequence numbers were reserved later).
		for j := 1; j < r && sl.item(j).at < end; j++ {
			if o := sl.item(j); sl.stronger(o, best) {
				best = o
			}
		}
		m.release(sl.eraseFirst(best != it))
	}
}

// eraseFirst reduces the first signal of record sl to counts, a drop as
// BUSY_DECODING_PREAMBLE if busy (a stronger one was in its window then),
// else as PREAMBLE_DETECT_FAILURE, and returns its transmission, whose
// reference the caller lets go of.
func (sl *lazySlot) eraseFirst(busy bool) *transmission {
	it := sl.item(0)
	if busy {
		sl.retiredBusy++
	} else {
		sl.retired++
	}
	tx := it.tx
	it.tx = nil
	// The ring's start moves past it.
	sl.head = (sl.head + 1) & (maxLazy - 1)
	sl.n--
	return tx
}

// wattsAtMost returns an upper bound of spectrum.DbmToW(dbm), at most
// 1e-7 above it (relative), in a few multiplications rather than a power
// of ten: 2^t with t = (dbm-30)/10 · log2(10) is 2^k · 2^(j/64) · 2^f, with
// 2^(j/64) from a table and 2^f, f in [0, 1/64), a degree-3 Taylor
// polynomial of e^(f·ln 2) (truncation below 1e-9), raised by 1e-7 over
// the rounding of all. TestWattsAtMost holds it to DbmToW.
func wattsAtMost(dbm float64) float64 {
	const log2of10 = 3.321928094887362347870319429489390175864831393
	t := 0.1 * (dbm - 30) * (64 * log2of10)
	if !(t > -64000 && t < 64000) {
		return spectrum.DbmToW(dbm) // extreme or NaN: the exact value
	}
	tf := math.Floor(t)
	i := int64(tf)
	x := (t - tf) * (math.Ln2 / 64)
	p := exp2Sixtyfourths[i&63] * (1 + x*(1+x*(1.0/2+x*(1.0/6))))
	// 2^k, k = floor(i/64) within +-1000: a normal float64, built from
	// its exponent.
	return p * (1 + 1e-7) * math.Float64frombits(uint64((i>>6)+1023)<<52)
}

// exp2Sixtyfourths holds 2^(j/64) for j < 64 (wattsAtMost).
var exp2Sixtyfourths = func() (t [64]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 64)
	}
	return t
}()

// onArrival starts the reception of an arrival at its PHY.
func (m *Medium) onArrival(arg any) {
	a := arg.(*arrival)
	tx, rx, dbm, w, seqW := a.tx, a.rx, a.powerDbm, a.powerW, a.seqW
	*a = arrival{}
	// Keep a bounded pool: a burst (hundreds of stations transmitting at
	// once during association) would otherwise pin its peak for good.
	if len(m.arrFree) < max(maxPooled, len(m.phys)) {
		m.arrFree = append(m.arrFree, a)
	}
	rx.receive(tx, dbm, w, seqW)
}

// release drops one reference to tx, recycling it with the last.
func (m *Medium) release(tx *transmission) {
	tx.refs--
	if tx.refs <= 0 {
		m.putTx(tx)
	}
}

func (m *Medium) getTx() *transmission {
	if n := len(m.txFree); n > 0 {
		tx := m.txFree[n-1]
		m.txFree[n-1] = nil
		m.txFree = m.txFree[:n-1]
		return tx
	}
	return &transmission{m: m}
}

func (m *Medium) putTx(tx *transmission) {
	if tx.ownsMSDU {
		tx.frame.MSDU.Release()
	}
	tx.frame = Frame{}
	tx.refs = 0
	tx.ownsMSDU = false
	if len(m.txFree) < max(maxPooled, len(m.phys)) {
		m.txFree = append(m.txFree, tx)
	}
}

func (m *Medium) getArr() *arrival {
	if n := len(m.arrFree); n > 0 {
		a := m.arrFree[n-1]
		m.arrFree[n-1] = nil
		m.arrFree = m.arrFree[:n-1]
		return a
	}
	return new(arrival)
}
