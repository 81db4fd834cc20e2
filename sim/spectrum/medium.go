package spectrum

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/netgym/netgym/internal/ns3time"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
)

// Config configures a Medium.
type Config struct {
	// Loss gives the received power. The medium asks it through the link
	// view (propagation.ForLink): a model that implements
	// propagation.LinkLossModel sees both endpoints' ids, positions and
	// mobility, the frequency and the time; a position-only model sees the
	// positions. Default propagation.DefaultFriis, as ns-3's
	// SpectrumChannelHelper::Default (src/spectrum/helper/spectrum-helper.cc).
	Loss propagation.LossModel
	// LinkLoss, if set, gives the received power instead of Loss: a
	// link-only model (propagation.ThreeGPP, a propagation.LinkChain) that
	// is not a position-only LossModel. Such models keep random per-link
	// state (LOS condition, shadowing) and have no reach, so the medium
	// culls nothing with them (unless LinkLoss is also a LossModel with a
	// finite propagation.MaxRange). Default nil: Loss is used.
	LinkLoss propagation.LinkLossModel
	// Delay gives the propagation delay (default
	// propagation.DefaultConstantSpeed, the speed of light, as ns-3's
	// SpectrumChannelHelper::Default).
	Delay propagation.DelayModel
	// FloorDbm is the received power (receive gain included) below which
	// the medium does not deliver a transmission to a receiver. Spatial
	// culling skips receivers that the loss model puts below it. The
	// default, -Inf, delivers everything and culls nothing, as ns-3's
	// spectrum channels do (MultiModelSpectrumChannel's MaxLossDb is 1e9 by
	// default); a radio sets the floor its receivers would drop anyway
	// (802.11: the -101 dBm RxSensitivity).
	FloorDbm float64
	// FrequencyHz is the carrier frequency the medium reports in
	// propagation.Link.FrequencyHz for receivers attached without one of
	// their own (default 0: not said; models use their own configuration).
	FrequencyHz float64
}

// DefaultConfig returns the defaults of ns-3's SpectrumChannelHelper:
// Friis loss, speed-of-light delay, no floor (no culling).
func DefaultConfig() Config {
	return Config{
		Loss:     propagation.DefaultFriis(),
		Delay:    propagation.DefaultConstantSpeed(),
		FloorDbm: math.Inf(-1),
	}
}

// Validate reports a configuration the medium cannot run with.
func (c Config) Validate() error {
	if c.Loss == nil && c.LinkLoss == nil {
		return errors.New("spectrum: Config.Loss and Config.LinkLoss are nil")
	}
	if c.Delay == nil {
		return errors.New("spectrum: Config.Delay is nil")
	}
	for _, m := range [...]any{c.Loss, c.LinkLoss, c.Delay} {
		if v, ok := m.(interface{ Validate() error }); ok {
			if err := v.Validate(); err != nil {
				return err
			}
		}
	}
	if math.IsNaN(c.FloorDbm) || math.IsInf(c.FloorDbm, 1) {
		return fmt.Errorf("spectrum: Config.FloorDbm must be a number below +Inf, got %g", c.FloorDbm)
	}
	if !(c.FrequencyHz >= 0) || math.IsInf(c.FrequencyHz, 1) {
		return fmt.Errorf("spectrum: Config.FrequencyHz must be finite and >= 0, got %g", c.FrequencyHz)
	}
	return nil
}

// Attachment describes a radio (a transmitter and receiver: a PHY, or one
// antenna of it) attaching to a Medium.
type Attachment struct {
	// Mobility gives the radio's position (required). A ConstantPosition,
	// or a ConstantVelocity at rest, is indexed in the spatial grid until it
	// reports a course change; any other model is examined for every
	// transmission.
	Mobility mobility.Model
	// TxPowerDbm is the power the radio hands to the medium when it
	// transmits (antenna gain included, as the loss model expects it). The
	// strongest transmit power sets the culling range; change it with
	// Medium.SetTxPower.
	TxPowerDbm float64
	// RxGainDb is the receive antenna gain added to every received power
	// before the floor and in Delivery.RxW. The largest gain sets the
	// culling range; change it with Medium.SetRxGain.
	RxGainDb float64
	// FrequencyHz is the carrier the radio transmits on, reported in
	// propagation.Link.FrequencyHz of its transmissions (0: Config's).
	FrequencyHz float64
}

// Stats counts what a Medium did.
type Stats struct {
	// Transmissions is the number of Transmit calls.
	Transmissions uint64
	// Examined is the number of (transmission, receiver) pairs whose
	// received power was computed or looked up: what spatial culling keeps
	// small (candidates skipped by distance alone are not counted).
	Examined uint64
	// Deliveries is the number of deliveries returned (received power at
	// or above the floor).
	Deliveries uint64
	// LinkUpdates is the number of times a per-link object was computed
	// (LinkModel.Update calls).
	LinkUpdates uint64
}

// Delivery is one receiver that a transmission reaches.
type Delivery[L any] struct {
	// Rx is the receiver's id (as Attach returned it).
	Rx int
	// RxDbm is the received power before the receiver's gain: the loss
	// model's result.
	RxDbm float64
	// RxW is the received power with the receiver's gain, in W:
	// DbmToW(RxDbm + RxGainDb), computed once per link while it is cached;
	// NaN (not computed) if it is below the receiver's DeferWatts
	// threshold (see WattsDeferred).
	RxW float64
	// Delay is the propagation delay (never negative).
	Delay sim.Time
	// Link is the per-link object of (sender, Rx), up to date (see
	// LinkModel), or nil if the medium has no LinkModel. It belongs to the
	// medium: read it before the next Attach, Detach or Transmit, and do
	// not keep the pointer.
	Link *L
	// Dist is 0, or, for a delivery whose power the receiver deferred
	// (DeferPower), the distance between the radios: RxDbm is then an
	// upper bound of the received power, at most DeferMarginDb above it,
	// or NaN where the distance alone decided (the power is surely below
	// the receiver's DeferPower threshold and at or above the floor), RxW
	// is NaN, and ExactDbm(Dist) of the LastSender of the same Transmit
	// (or Pair) gives the power, bit for bit. A delivery that the reach
	// cache serves carries the exact power and minus the distance
	// (negative, not deferred: PowerDeferred is false), for a receiver
	// that bounds its watts from the distance (Sender.WattsAtMost).
	Dist float64
}

// PowerDeferred reports whether RxDbm is an upper bound of the received
// power, or NaN, rather than the power (see Delivery.Dist and
// Medium.DeferPower).
func (d *Delivery[L]) PowerDeferred() bool { return d.Dist > 0 }

// DeferMarginDb bounds how far above the received power the RxDbm of a
// deferred delivery is (Delivery.PowerDeferred).
const DeferMarginDb = 1e-4

// Sender is what the exact power of a deferred delivery depends on (see
// Medium.DeferPower): the sender's power and the log-distance loss model's
// parameters as one Transmit used them. The zero Sender is for a medium
// that defers nothing.
type Sender struct {
	txDbm float64
	ld    propagation.LogDistance
	// wattsD0 is DbmToW(txDbm - L0)·d0^n for an exponent n of 2, 3 or
	// 4 (WattsAtMost); 0 otherwise.
	wattsD0 float64
	n       int
}

// newSender returns the Sender of a transmission at txDbm under ld.
func newSender(txDbm float64, ld propagation.LogDistance) Sender {
	s := Sender{txDbm: txDbm, ld: ld}
	if n := int(ld.Exponent); float64(n) == ld.Exponent && n >= 2 && n <= 4 && ld.ReferenceDistance > 0 {
		if w := DbmToW(txDbm-ld.ReferenceLoss) * math.Pow(ld.ReferenceDistance, float64(n)); w > 0 && !math.IsInf(w, 0) {
			s.wattsD0, s.n = w, n
		}
	}
	return s
}

// WattsAtMost returns an upper bound, within 1e-8 (relative) of it, of
// the watts DbmToW(ExactDbm(dist) + g) for a receive gain of gainLin =
// 10^(g/10): for a log-distance exponent of 2, 3 or 4 the watts fall as
// d^-n, so the bound is a few multiplications (the exact power takes a
// logarithm and a power of ten); the rounding of both ways is far below
// the 2e-9 margin added. It reports false for other exponents.
func (s *Sender) WattsAtMost(dist, gainLin float64) (float64, bool) {
	if s.n == 0 || !(dist > 0) {
		return 0, false
	}
	d := dist
	if d < s.ld.ReferenceDistance {
		d = s.ld.ReferenceDistance // no loss within d0 (RxPowerAtDistance)
	}
	dn := d * d
	switch s.n {
	case 3:
		dn *= d
	case 4:
		dn *= dn
	}
	return s.wattsD0 * gainLin / dn * (1 + 2e-9), true
}

// Closer compares ExactDbm(dist) with o.ExactDbm(odist) on the distances
// alone, without a logarithm: 1 if the first is surely the higher, -1 if
// surely the lower, 0 if the distances do not tell (senders of other
// powers or models, an exponent below 0.5, or distances within 1e-6 of
// each other, where the powers are 2.5e-6·n dB apart at most; beyond
// that they are far more apart than the rounding of either). Distances
// within the reference distance count as it (RxPowerAtDistance).
func (s *Sender) Closer(dist float64, o *Sender, odist float64) int {
	if s.txDbm != o.txDbm || s.ld != o.ld || !(s.ld.Exponent >= 0.5) {
		return 0
	}
	a, b := max(dist, s.ld.ReferenceDistance), max(odist, s.ld.ReferenceDistance)
	switch {
	case a < b*(1-1e-6):
		return 1
	case a > b*(1+1e-6):
		return -1
	}
	return 0
}

// ExactDbm returns the received power at dist metres from the sender: the
// RxDbm the delivery would have carried without deferral, bit for bit.
func (s Sender) ExactDbm(dist float64) float64 { return s.ld.RxPowerAtDistance(s.txDbm, dist) }

// WattsDeferred reports whether the medium left RxW uncomputed (NaN): the
// received power, receive gain included, is below the receiver's
// Medium.DeferWatts threshold. DbmToW(RxDbm + the receiver's RxGainDb)
// gives it, bit for bit.
func (d *Delivery[L]) WattsDeferred() bool { return d.RxW != d.RxW }

// NoLink is the per-link type of a medium whose radio needs only the
// scalar received power and delay (802.11a).
type NoLink = struct{}

// maxReachPerRadio bounds the reach cache: deliveries held per attached
// radio on average (48 bytes each with NoLink).
const maxReachPerRadio = 64

// maxReachList is the longest list the reach cache keeps from a sender's
// first transmission. A longer list (a sender heard by hundreds of radios,
// as with ns-3's -101 dBm sensitivity in a dense network) takes the space
// of several: it is kept once its sender has made longListTx transmissions
// under the current epoch, so that the budget goes to the senders that
// transmit most (in a grid of BSSs, the APs, whose ACKs are half of all
// frames) rather than to the first ones.
const maxReachList = 128

// longListTx is the number of transmissions after which a sender's list
// longer than maxReachList is kept.
const longListTx = 4

// reachList is the reach cache entry of one sender: the deliveries of a
// transmission from src at txDbm computed under epoch, and how many pairs
// were examined to find them.
type reachList[L any] struct {
	epoch uint64 // reachEpoch when filled (0: never)
	// txs counts the sender's transmissions under countEpoch.
	txs        uint32
	countEpoch uint64
	src        mobility.Vector
	txDbm      float64
	examined   uint64
	out        []Delivery[L]
}

// bruteForceNodes: with this many receivers or fewer, a transmission
// examines every receiver (in attachment order, as the grid path does)
// rather than the grid's 3x3 cells: nine map lookups and a sort cost more
// than a few dozen cached pair entries. The deliveries are the same either
// way.
const bruteForceNodes = 64

// maxCachedNodes bounds the scalar pair cache (n^2 entries).
const maxCachedNodes = 512

// cellKey identifies a cell of the spatial grid.
type cellKey struct{ x, y int64 }

// node is one attached radio.
type node struct {
	// The fields a transmission reads for each receiver come first, in
	// one cache line.

	// pos is the position of a radio in the grid (static until its
	// model reports a course change, which re-indexes it): read here
	// rather than through the model, one pointer less per examined pair.
	pos    mobility.Vector
	gainDb float64
	// deferPowerBelow: received powers (gain included) surely below it
	// are delivered with a bound (see DeferPower); -Inf: none.
	deferPowerBelow float64
	// deferBelow: received powers (gain included) below it are
	// delivered with RxW NaN (see DeferWatts); -Inf: none.
	deferBelow float64
	id         int

	mob    mobility.Model
	txDbm  float64
	freqHz float64
	inGrid bool
	key    cellKey
}

// distClass holds, for receivers of one receive gain and DeferPower
// threshold under one sender, the squared distances between which a
// delivery is surely below the threshold and surely at or above the
// floor: beyond below2 and within atLeast2 (none: below2 +Inf).
type distClass struct {
	gainDb, below    float64
	below2, atLeast2 float64
	valid            bool
}

// pairEntry is one cached sender-receiver computation of the scalar
// channel.
type pairEntry struct {
	src, dst  mobility.Vector
	txDbm, rx float64
	rxW       float64 // DbmToW(rx + the receiver's gain)
	delay     sim.Time
	valid     bool
}

// Medium is the shared radio channel every radio attaches to: it tells,
// for a transmission, which receivers it reaches, at what power and after
// what delay, and keeps a radio-defined object per link (type parameter L;
// NoLink for none). See the package documentation.
type Medium[L any] struct {
	s             *sim.Simulator
	cfg           Config
	loss          propagation.LinkLossModel
	constantSpeed bool
	// ld and cs: the loss and delay models, when they are LogDistance
	// (position-only) and ConstantSpeed (DeferPower); sender: the last
	// Transmit's (LastSender).
	ld      *propagation.LogDistance
	cs      *propagation.ConstantSpeed
	sender  Sender
	bounder propagation.PowerBounder
	// byDist: the squared distances between which a deferred delivery is
	// decided without a bound (deferred), for one receive gain and
	// DeferPower threshold under the current sender.
	byDist distClass
	// byDistOff (tests): decide every deferred delivery on a bound.
	byDistOff bool
	// uniform: every radio has the same receive gain and DeferPower
	// threshold; classStale asks uniformClass to check again.
	uniform, classStale bool
	// positional: the loss model sees positions only (no per-link state
	// or draws), so that a receiver beyond the culling range may be
	// skipped without asking it.
	positional bool
	// beyond2 is the squared distance beyond which the current
	// transmission skips a candidate (+Inf: none skipped).
	beyond2 float64

	nodes  []node  // attachment order
	slotOf []int32 // id -> index in nodes, -1 once detached

	rangeM float64 // culling range; +Inf: no grid
	cell   float64
	cells  map[cellKey][]int32
	// near caches, per sender cell, the merge of the 3×3 cells around it
	// (candidates).
	near   map[cellKey]*nearList
	mobile []int32
	cand   []int32
	// Scratch of candidates: the sorted runs to merge and the other
	// buffer of the merge.
	runs      [][]int32
	candSpare []int32

	maxTxDbm, maxRxGain float64

	// pairs caches, per (sender, receiver) slot, the received power and
	// delay of the last transmission between them, valid while the
	// positions and the transmit power are the same. It is on only for
	// deterministic models (a finite culling range and a constant-speed
	// delay) and up to maxCachedNodes receivers; it spares a log and a
	// power per receiver and transmission. pairsStale asks the next
	// Transmit to size and empty it.
	pairs      []pairEntry
	pairsStale bool

	// reach caches, per sender slot, the deliveries of its last
	// transmission in a large static network (more radios than the pair
	// cache takes, none mobile, a deterministic scalar channel): the
	// result of Transmit is a function of the positions, the powers and
	// gains and the culling range, all unchanged while reachEpoch is. It
	// holds at most maxReachPerRadio deliveries per attached radio on
	// average; a list longer than maxReachList only from its sender's
	// longListTx-th transmission; senders whose list does not fit are
	// examined every time, as without it.
	reach      []reachList[L]
	reachEpoch uint64
	reachHeld  int // deliveries held under the current epoch
	reachCap   int // capacity of all the lists' arrays
	reachHits  uint64

	lm    LinkModel[L]
	links linkTable[L]

	link     propagation.Link // scratch, filled per computation (linkTo)
	linkFrom int              // slot whose Tx half link holds; -1: none
	out      []Delivery[L]
	stats    Stats
}

// New returns an empty medium. lm says how the per-link objects of type L
// are computed and when they expire; pass the zero LinkModel[NoLink] for a
// radio that needs none.
func New[L any](s *sim.Simulator, cfg Config, lm LinkModel[L]) (*Medium[L], error) {
	if s == nil {
		return nil, errors.New("spectrum: New needs a simulator")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := lm.Validate(); err != nil {
		return nil, err
	}
	cs, constantSpeed := cfg.Delay.(*propagation.ConstantSpeed)
	loss := cfg.LinkLoss
	if loss == nil {
		loss = propagation.ForLink(cfg.Loss)
	}
	// Position-only: no per-link state or draws, so a receiver beyond
	// the culling range may be skipped without asking the model.
	_, linkAware := cfg.Loss.(propagation.LinkLossModel)
	positional := cfg.LinkLoss == nil && !linkAware
	m := &Medium[L]{
		s:             s,
		cfg:           cfg,
		loss:          loss,
		constantSpeed: constantSpeed,
		positional:    positional,
		rangeM:        math.Inf(1),
		lm:            lm,
	}
	if ld, ok := cfg.Loss.(*propagation.LogDistance); ok && positional && constantSpeed && lm.Update == nil {
		m.ld, m.cs = ld, cs
	}
	return m, nil
}

// Attach connects a radio and returns its id: 0 for the first, then
// consecutive integers in attachment order, never reused after Detach. The
// id names the radio in Transmit, Delivery.Rx and propagation.Endpoint.ID.
func (m *Medium[L]) Attach(a Attachment) (int, error) {
	switch {
	case a.Mobility == nil:
		return -1, errors.New("spectrum: Attach needs a mobility model")
	case !finite(a.TxPowerDbm):
		return -1, fmt.Errorf("spectrum: Attachment.TxPowerDbm must be finite, got %g", a.TxPowerDbm)
	case !finite(a.RxGainDb):
		return -1, fmt.Errorf("spectrum: Attachment.RxGainDb must be finite, got %g", a.RxGainDb)
	case !(a.FrequencyHz >= 0) || math.IsInf(a.FrequencyHz, 1):
		return -1, fmt.Errorf("spectrum: Attachment.FrequencyHz must be finite and >= 0, got %g", a.FrequencyHz)
	}
	if err := mobility.ValidatePosition(a.Mobility.Position(m.s.Now())); err != nil {
		return -1, fmt.Errorf("spectrum: Attach: %w", err)
	}
	id := len(m.slotOf)
	i := len(m.nodes)
	f := a.FrequencyHz
	if f == 0 {
		f = m.cfg.FrequencyHz
	}
	m.nodes = append(m.nodes, node{id: id, mob: a.Mobility, txDbm: a.TxPowerDbm, gainDb: a.RxGainDb, freqHz: f,
		deferBelow: math.Inf(-1), deferPowerBelow: math.Inf(-1)})
	m.slotOf = append(m.slotOf, int32(i))
	a.Mobility.OnCourseChange(func(mobility.Model) { m.moved(id) })
	m.cachesStale()
	if m.lm.Update != nil {
		m.links.grow(id)
	}
	if i == 0 || a.TxPowerDbm > m.maxTxDbm || a.RxGainDb > m.maxRxGain {
		if m.refresh(false) {
			return id, nil
		}
	}
	m.index(i)
	return id, nil
}

// Detach disconnects radio id: it no longer transmits or receives, its
// per-link objects are dropped, and the culling range follows the
// remaining radios. Its mobility model keeps a subscription that does
// nothing.
func (m *Medium[L]) Detach(id int) error {
	slot, err := m.slot(id)
	if err != nil {
		return err
	}
	m.nodes = slices.Delete(m.nodes, slot, slot+1)
	m.slotOf[id] = -1
	for j := slot; j < len(m.nodes); j++ {
		m.slotOf[m.nodes[j].id] = int32(j)
	}
	m.links.drop(id)
	m.classStale = true
	m.refresh(true)
	return nil
}

// SetTxPower changes the power radio id hands to the medium (dBm, antenna
// gain included) for its next transmissions. The culling range follows;
// cached received powers from id are recomputed.
func (m *Medium[L]) SetTxPower(id int, dbm float64) error {
	slot, err := m.slot(id)
	if err != nil {
		return err
	}
	if !finite(dbm) {
		return fmt.Errorf("spectrum: transmit power must be finite, got %g", dbm)
	}
	n := &m.nodes[slot]
	old := n.txDbm
	n.txDbm = dbm
	// The range can only change if the new power exceeds the maximum or
	// the old one was it. Cached entries hold the power they were computed
	// for, so they need no invalidation.
	if dbm > m.maxTxDbm || old == m.maxTxDbm {
		m.refresh(false)
	}
	return nil
}

// SetRxGain changes the receive gain (dB) of radio id. The culling range
// follows; cached received powers are recomputed.
func (m *Medium[L]) SetRxGain(id int, db float64) error {
	slot, err := m.slot(id)
	if err != nil {
		return err
	}
	if !finite(db) {
		return fmt.Errorf("spectrum: receive gain must be finite, got %g", db)
	}
	n := &m.nodes[slot]
	old := n.gainDb
	n.gainDb = db
	m.cachesStale()
	if db > m.maxRxGain || old == m.maxRxGain {
		m.refresh(false)
	}
	return nil
}

// DeferWatts makes the deliveries to radio id whose received power
// (receive gain included) is below dbm carry RxW = NaN instead of the
// watts (Delivery.WattsDeferred): a radio that decides on most of its
// deliveries by their power in dBm (a Wi-Fi PHY, for signals below its
// preamble detection threshold) spares a power of ten per delivery and
// computes the watts of the few it needs. -Inf (the default) turns it off.
// With the scalar pair cache (up to 512 radios), the watts are always
// computed. It is an error for an unknown or detached id and for NaN or
// +Inf.
func (m *Medium[L]) DeferWatts(id int, dbm float64) error {
	n, err := m.deferral(id, dbm, "DeferWatts")
	if err == nil {
		n.deferBelow = dbm
	}
	return err
}

// DeferPower makes the deliveries to radio id whose received power
// (receive gain included) is surely below dbm carry an upper bound of the
// power instead (Delivery.PowerDeferred, within DeferMarginDb), or NaN
// where the squared distance alone puts the power below dbm and at or
// above the floor, and the distance that gives the power
// (Sender.ExactDbm): a radio that decides
// on most of its deliveries by a bound of their power (a Wi-Fi PHY, for
// signals below its preamble detection threshold) spares a logarithm per
// delivery and computes the power of the few it needs. It applies with a
// LogDistance loss model and a ConstantSpeed delay, no per-link objects
// and no scalar pair cache (more than 512 radios, or no finite culling
// range); other deliveries are
// exact. Their watts are deferred too (RxW NaN). -Inf (the default) turns
// it off. It is an error for an unknown or detached id and for NaN or
// +Inf.
func (m *Medium[L]) DeferPower(id int, dbm float64) error {
	n, err := m.deferral(id, dbm, "DeferPower")
	if err == nil {
		n.deferPowerBelow = dbm
	}
	return err
}

// deferral checks a deferral threshold for radio id (what names the
// setter in errors) and returns the radio's node, the reach cache
// emptied: its lists were made under the old threshold.
func (m *Medium[L]) deferral(id int, dbm float64, what string) (*node, error) {
	slot, err := m.slot(id)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(dbm) || math.IsInf(dbm, 1) {
		return nil, fmt.Errorf("spectrum: %s threshold must be a number below +Inf, got %g", what, dbm)
	}
	m.invalidateReach()
	m.classStale = true
	return &m.nodes[slot], nil
}

// LastSender returns the Sender of the last Transmit or Pair: what
// Sender.ExactDbm needs to resolve its deferred deliveries.
func (m *Medium[L]) LastSender() Sender { return m.sender }

// setSender records, for a transmission at txDbm, what deferring powers
// needs: the Sender and the bounder of its power under the loss model's
// parameters now.
func (m *Medium[L]) setSender(txDbm float64) {
	if m.ld != nil && (m.sender.txDbm != txDbm || m.sender.ld != *m.ld || m.sender == Sender{}) {
		m.sender = newSender(txDbm, *m.ld)
		m.bounder = m.sender.ld.Bounder(txDbm)
		m.byDist.valid = false
	}
}

// TxPower returns the transmit power of radio id (NaN if it is not
// attached).
func (m *Medium[L]) TxPower(id int) float64 {
	if slot, err := m.slot(id); err == nil {
		return m.nodes[slot].txDbm
	}
	return math.NaN()
}

// RxGain returns the receive gain of radio id (NaN if it is not attached).
func (m *Medium[L]) RxGain(id int) float64 {
	if slot, err := m.slot(id); err == nil {
		return m.nodes[slot].gainDb
	}
	return math.NaN()
}

// Attached reports whether id is attached.
func (m *Medium[L]) Attached(id int) bool {
	_, err := m.slot(id)
	return err == nil
}

// InvalidateLinks makes the per-link objects of every link from or to
// radio id expire now: they are recomputed on their next use. A radio
// calls it when something the objects depend on changes outside the
// medium's view (a new beam, another antenna configuration).
func (m *Medium[L]) InvalidateLinks(id int) error {
	if _, err := m.slot(id); err != nil {
		return err
	}
	m.links.invalidate(id)
	return nil
}

// Refresh recomputes the culling range, rebuilds the spatial index and
// empties every cache (scalar and per-link). Call it after changing the
// loss model's parameters; transmit power, gain and course changes are
// followed automatically.
func (m *Medium[L]) Refresh() {
	m.refresh(true)
	m.links.invalidateAll()
}

// SetFloorDbm changes the floor (Config.FloorDbm) for the next
// transmissions: the culling range follows and the caches are emptied. It
// is an error for NaN or +Inf.
func (m *Medium[L]) SetFloorDbm(dbm float64) error {
	if math.IsNaN(dbm) || math.IsInf(dbm, 1) {
		return fmt.Errorf("spectrum: floor must be a number below +Inf, got %g", dbm)
	}
	if dbm == m.cfg.FloorDbm {
		return nil
	}
	m.cfg.FloorDbm = dbm
	m.byDist.valid = false
	m.refresh(true)
	return nil
}

// CullRange returns the current culling range in metres: +Inf if every
// receiver is examined for every transmission.
func (m *Medium[L]) CullRange() float64 { return m.rangeM }

// Stats returns what the medium has counted so far.
func (m *Medium[L]) Stats() Stats { return m.stats }

// Len returns the number of attached radios.
func (m *Medium[L]) Len() int { return len(m.nodes) }

// Config returns the medium's configuration.
func (m *Medium[L]) Config() Config { return m.cfg }

// slot returns the index in nodes of radio id.
func (m *Medium[L]) slot(id int) (int, error) {
	if id < 0 || id >= len(m.slotOf) || m.slotOf[id] < 0 {
		return -1, fmt.Errorf("spectrum: no radio with id %d is attached", id)
	}
	return int(m.slotOf[id]), nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Transmit sends from radio id now and returns the receivers the
// transmission reaches, in attachment order: every other attached radio
// whose received power (loss model plus its gain) is at least the floor,
// exactly as examining every radio would find them. The slice belongs to
// the medium and is valid until the next Transmit; the radio schedules its
// arrivals from it (after each Delivery.Delay).
//
// For each examined receiver the loss model is asked first, then the
// delay model (both skipped when the pair cache holds the link), then the
// floor is checked: models that draw random numbers draw them in that
// order, receiver by receiver. A culled receiver draws nothing.
func (m *Medium[L]) Transmit(id int) ([]Delivery[L], error) {
	from, err := m.slot(id)
	if err != nil {
		return nil, err
	}
	if m.pairsStale {
		m.resetPairCache()
	}
	m.stats.Transmissions++
	now := m.s.Now()
	sn := &m.nodes[from]
	txDbm := sn.txDbm
	m.setSender(txDbm)
	src := sn.mob.Position(now)
	m.linkFrom = -1
	m.out = m.out[:0]
	m.beyond2 = math.Inf(1)
	if m.cells == nil || len(m.nodes) <= bruteForceNodes {
		for i := range m.nodes {
			if i != from {
				m.examine(from, i, txDbm, src, now)
			}
		}
	} else {
		if m.positional {
			// The 3x3 cells hold radios up to 2*sqrt(2) ranges away;
			// those beyond the range (with a margin for rounding) are
			// below the floor and skipped uncomputed.
			r := m.rangeM * (1 + 1e-9)
			m.beyond2 = r * r
		}
		rl := m.reachFor(from)
		if rl != nil && rl.epoch == m.reachEpoch && rl.src == src && rl.txDbm == txDbm {
			m.reachHits++
			m.stats.Examined += rl.examined
			m.stats.Deliveries += uint64(len(rl.out))
			return rl.out, nil
		}
		ex := m.stats.Examined
		if len(m.mobile) == 0 {
			// Only static radios: cull on the merged cells' positions,
			// read in sequence, and examine the radios within the range
			// (examine's own cull, on the same positions, then passes).
			e := m.nearOf(src)
			ent := e.ent
			beyond2 := m.beyond2
			deferring := m.pairs == nil && m.ld != nil
			// Where every radio has the same receive gain and DeferPower
			// threshold, the deliveries the squared distance alone
			// decides are written here (deferred's first case, inlined,
			// without reading the radio's record); the counts are added
			// after the loop.
			c := &m.byDist
			var byDist uint64
			var speed float64
			uniform := false
			if deferring && m.uniformClass() {
				n0 := &m.nodes[0]
				if n0.gainDb != c.gainDb || n0.deferPowerBelow != c.below || !c.valid {
					m.distClass(n0)
				}
				uniform, speed = true, m.cs.Speed
			}
			for j := range ent {
				p := &ent[j]
				d2 := p.pos.Sub(src).Len2()
				if d2 > beyond2 || int(p.slot) == from {
					continue // examine's cull
				}
				if uniform && d2 > c.below2 && d2 < c.atLeast2 {
					dist := math.Sqrt(d2)
					if delay, small := ns3time.FromSecondsSmall(dist / speed); small {
						byDist++
						d := m.nextOut()
						d.Rx, d.RxDbm, d.RxW, d.Dist, d.Delay, d.Link = int(p.id), math.NaN(), math.NaN(), dist, delay, nil
						continue
					}
				}
				n := &m.nodes[p.slot]
				if deferring && m.deferred(n, d2) {
					continue // examine's first case
				}
				m.exact(from, int(p.slot), txDbm, src, n.pos, now)
			}
			m.stats.Examined += byDist
			m.stats.Deliveries += byDist
		} else {
			for _, i := range m.candidates(src) {
				if int(i) != from {
					m.examine(from, int(i), txDbm, src, now)
				}
			}
		}
		if rl != nil {
			m.keepReach(rl, src, txDbm, m.stats.Examined-ex)
		}
	}
	return m.out, nil
}

// reachFor returns the reach cache entry of sender slot from, or nil when
// the cache does not apply: a small network (the pair cache's), a mobile
// radio anywhere, per-link objects, a model that is not a deterministic
// function of positions.
func (m *Medium[L]) reachFor(from int) *reachList[L] {
	if m.pairs != nil || len(m.mobile) > 0 || !m.positional || !m.constantSpeed ||
		m.lm.Update != nil || !m.nodes[from].inGrid {
		return nil
	}
	if len(m.reach) != len(m.nodes) {
		m.reach = make([]reachList[L], len(m.nodes))
		m.reachEpoch++
		m.reachHeld, m.reachCap = 0, 0
	}
	return &m.reach[from]
}

// keepReach stores the deliveries just computed in rl if the budget allows.
func (m *Medium[L]) keepReach(rl *reachList[L], src mobility.Vector, txDbm float64, examined uint64) {
	held := 0
	if rl.epoch == m.reachEpoch {
		held = len(rl.out)
	}
	if rl.countEpoch != m.reachEpoch {
		rl.countEpoch, rl.txs = m.reachEpoch, 0
	}
	rl.txs++
	if (len(m.out) > maxReachList && rl.txs < longListTx) || m.reachHeld-held+len(m.out) > maxReachPerRadio*len(m.nodes) {
		return
	}
	m.reachHeld += len(m.out) - held
	c := cap(rl.out)
	rl.epoch, rl.src, rl.txDbm, rl.examined = m.reachEpoch, src, txDbm, examined
	rl.out = append(rl.out[:0], m.out...)
	for i := range rl.out {
		// A list used again and again holds the exact powers, and
		// minus the distances (Delivery.Dist).
		if d := &rl.out[i]; d.PowerDeferred() {
			d.RxDbm, d.Dist = m.sender.ExactDbm(d.Dist), -d.Dist
		}
	}
	m.reachCap += cap(rl.out) - c
}

// cachesStale empties both scalar caches after a change that can alter
// any pair's result (an attach, a gain, the culling range): the pair
// cache on the next Transmit, the reach cache now.
func (m *Medium[L]) cachesStale() {
	m.pairsStale = true
	m.classStale = true
	m.invalidateReach()
}

// invalidateReach empties the reach cache (a radio attached, left, moved
// or changed its gain, or the culling range changed): entries of an older
// epoch are never used and their arrays are reused, unless they hold more
// than twice the budget, which is then given back.
func (m *Medium[L]) invalidateReach() {
	m.reachEpoch++
	m.reachHeld = 0
	if m.reachCap > 2*maxReachPerRadio*len(m.nodes) {
		for i := range m.reach {
			m.reach[i].out = nil
		}
		m.reachCap = 0
	}
}

// Pair returns the delivery that a transmission by radio id would make at
// receiver rx alone: the same received power, delay and per-link object as
// the entry for rx in Transmit's result (the loss and delay models are
// asked, the pair cache and the per-link object are used and refreshed,
// exactly as Transmit examining rx), and false when rx is below the floor.
// It is for radios whose receivers listen one at a time (a TDMA cell
// serving one UE per symbol), so that a transmission costs one examined
// pair instead of one per attached radio; it counts as an examined pair,
// not as a transmission. Delivery.Link belongs to the medium, as with
// Transmit. It is an error for unknown or detached ids and for id == rx.
func (m *Medium[L]) Pair(id, rx int) (Delivery[L], bool, error) {
	from, err := m.slot(id)
	if err != nil {
		return Delivery[L]{}, false, err
	}
	to, err := m.slot(rx)
	if err != nil {
		return Delivery[L]{}, false, err
	}
	if from == to {
		return Delivery[L]{}, false, fmt.Errorf("spectrum: Pair of radio %d with itself", id)
	}
	if m.pairsStale {
		m.resetPairCache()
	}
	now := m.s.Now()
	sn := &m.nodes[from]
	m.linkFrom = -1
	m.beyond2 = math.Inf(1) // a pair asked for is never culled
	m.setSender(sn.txDbm)
	n0 := len(m.out)
	m.examine(from, to, sn.txDbm, sn.mob.Position(now), now)
	if len(m.out) == n0 {
		return Delivery[L]{}, false, nil
	}
	d := m.out[n0]
	m.out = m.out[:n0]
	return d, true, nil
}

// deferred is examine's first case, for receiver n at squared distance
// d2 within the culling range: if the receiver defers the power (DeferPower:
// a few multiplications instead of a logarithm, the exact power later) and
// the bound decides, it counts the pair, appends the delivery with its
// bound and distance (or nothing, below the floor) and reports true;
// otherwise it does nothing.
func (m *Medium[L]) deferred(n *node, d2 float64) bool {
	if !(n.deferPowerBelow > math.Inf(-1)) {
		return false
	}
	c := &m.byDist
	if n.gainDb != c.gainDb || n.deferPowerBelow != c.below || !c.valid {
		m.distClass(n)
	}
	hi := math.NaN() // decided on the squared distance alone
	if !(d2 > c.below2 && d2 < c.atLeast2) {
		lo, h, ok := m.bounder.Bounds(d2)
		if !ok || !(h+n.gainDb < n.deferPowerBelow) {
			return false
		}
		if !(h+n.gainDb >= m.cfg.FloorDbm) {
			m.stats.Examined++
			return true
		}
		if !(lo+n.gainDb >= m.cfg.FloorDbm && h-lo <= DeferMarginDb) {
			return false
		}
		hi = h
	}
	m.stats.Examined++
	m.stats.Deliveries++
	dist := math.Sqrt(d2)
	// Field by field, in place: a composite literal is built on the stack
	// first.
	d := m.nextOut()
	d.Rx, d.RxDbm, d.RxW, d.Dist = n.id, hi, math.NaN(), dist
	// ConstantSpeed.DelayAtDistance, with the usual case inlined.
	delay, small := ns3time.FromSecondsSmall(dist / m.cs.Speed)
	if !small {
		delay = propagation.ClampDelay(m.cs.DelayAtDistance(dist))
	}
	d.Delay, d.Link = delay, nil
	return true
}

// uniformClass reports whether every radio has the same receive gain and
// DeferPower threshold (then one distClass serves every receiver),
// rechecked after a change to either or to the radios.
func (m *Medium[L]) uniformClass() bool {
	if m.classStale {
		m.classStale = false
		m.uniform = len(m.nodes) > 0
		for i := range m.nodes {
			if m.nodes[i].gainDb != m.nodes[0].gainDb || m.nodes[i].deferPowerBelow != m.nodes[0].deferPowerBelow {
				m.uniform = false
				break
			}
		}
	}
	return m.uniform
}

// distClass sets byDist for receivers with n's gain and DeferPower
// threshold under the current sender: the squared distances between which
// a delivery is surely below the threshold and surely at or above the
// floor (propagation.LogDistance.SquaredDistanceBelow), or none.
func (m *Medium[L]) distClass(n *node) {
	c := &m.byDist
	c.gainDb, c.below, c.valid = n.gainDb, n.deferPowerBelow, true
	c.below2, c.atLeast2 = math.Inf(1), 0 // none
	if m.ld == nil || m.byDistOff {
		return
	}
	b, a, ok := m.ld.SquaredDistanceBelow(m.sender.txDbm, n.deferPowerBelow-n.gainDb, m.cfg.FloorDbm-n.gainDb)
	if ok {
		c.below2, c.atLeast2 = b, a
	}
}

// nextOut appends a delivery to the result and returns it, to be filled
// field by field (its fields are those of an earlier transmission's).
func (m *Medium[L]) nextOut() *Delivery[L] {
	k := len(m.out)
	if k < cap(m.out) {
		m.out = m.out[:k+1]
	} else {
		m.out = append(m.out, Delivery[L]{})
	}
	return &m.out[k]
}

// examine computes the channel from slot from to slot to and appends a
// Delivery if the power reaches the floor.
func (m *Medium[L]) examine(from, to int, txDbm float64, src mobility.Vector, now sim.Time) {
	n := &m.nodes[to]
	var dst mobility.Vector
	if n.inGrid {
		dst = n.pos
	} else {
		dst = n.mob.Position(now)
	}
	if dx, dy, dz := dst.X-src.X, dst.Y-src.Y, dst.Z-src.Z; dx*dx+dy*dy+dz*dz > m.beyond2 {
		return
	}
	if m.pairs == nil && m.ld != nil && m.deferred(n, dst.Sub(src).Len2()) {
		return // the receiver decided on a bound (DeferPower)
	}
	m.exact(from, to, txDbm, src, dst, now)
}

// exact is examine for the receiver at slot to, at dst, once the cull has
// passed it and no bound decided: the loss and delay models are asked.
func (m *Medium[L]) exact(from, to int, txDbm float64, src, dst mobility.Vector, now sim.Time) {
	n := &m.nodes[to]
	m.stats.Examined++
	var rx, rxW float64
	var delay sim.Time
	if m.pairs == nil {
		if m.positional {
			// What the link adapter would ask, without filling a link.
			rx = m.cfg.Loss.RxPower(txDbm, src, dst)
		} else {
			rx = m.loss.LinkRxPower(txDbm, m.linkTo(from, n, src, dst, now))
		}
		if m.constantSpeed {
			// A deterministic delay: check the floor first and compute
			// the received watts and the delay for deliveries only.
			if !(rx+n.gainDb >= m.cfg.FloorDbm) {
				return
			}
		}
		if rx+n.gainDb < n.deferBelow {
			rxW = math.NaN()
		} else {
			rxW = DbmToW(rx + n.gainDb)
		}
		delay = propagation.ClampDelay(m.cfg.Delay.Delay(src, dst))
	} else {
		e := &m.pairs[from*len(m.nodes)+to]
		if !e.valid || e.txDbm != txDbm || e.src != src || e.dst != dst {
			r := m.loss.LinkRxPower(txDbm, m.linkTo(from, n, src, dst, now))
			*e = pairEntry{src: src, dst: dst, txDbm: txDbm, valid: true, rx: r,
				rxW: DbmToW(r + n.gainDb), delay: propagation.ClampDelay(m.cfg.Delay.Delay(src, dst))}
		}
		rx, rxW, delay = e.rx, e.rxW, e.delay
	}
	if !(rx+n.gainDb >= m.cfg.FloorDbm) {
		return
	}
	m.stats.Deliveries++
	var obj *L
	if m.lm.Update != nil {
		obj = m.linkObject(from, n, src, dst, now)
	}
	m.out = append(m.out, Delivery[L]{Rx: n.id, RxDbm: rx, RxW: rxW, Delay: delay, Link: obj})
}

// linkTo fills the scratch link from slot from (at src) to receiver n (at
// dst) and returns it. The sender's half is filled once per transmission,
// on the first computation: cache hits cost nothing.
func (m *Medium[L]) linkTo(from int, n *node, src, dst mobility.Vector, now sim.Time) *propagation.Link {
	if m.linkFrom != from {
		sn := &m.nodes[from]
		m.link.Tx = propagation.Endpoint{ID: sn.id, Position: src, Mobility: sn.mob}
		m.link.FrequencyHz = sn.freqHz
		m.link.Now = now
		m.linkFrom = from
	}
	m.link.Rx = propagation.Endpoint{ID: n.id, Position: dst, Mobility: n.mob}
	return &m.link
}

// resetPairCache sizes (and empties) the pair cache for the current radios
// and models, or turns it off.
func (m *Medium[L]) resetPairCache() {
	m.pairsStale = false
	n := len(m.nodes)
	if m.cells == nil || !m.constantSpeed || n > maxCachedNodes {
		m.pairs = nil
		return
	}
	if cap(m.pairs) >= n*n {
		m.pairs = m.pairs[:n*n]
		clear(m.pairs)
		return
	}
	m.pairs = make([]pairEntry, n*n)
}
