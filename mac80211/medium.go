package mac80211

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
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
	// -Inf disables culling.
	FloorDbm float64
}

// DefaultMediumConfig returns the ns-3 3.37 defaults of a YANS channel:
// log-distance loss (exponent 3, 46.6777 dB at 1 m), speed-of-light delay,
// and a -101 dBm floor.
func DefaultMediumConfig() MediumConfig {
	return MediumConfig{
		Loss:     propagation.DefaultLogDistance(),
		Delay:    propagation.DefaultConstantSpeed(),
		FloorDbm: -101,
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
	return nil
}

// MediumStats counts what a Medium did.
type MediumStats struct {
	// Transmissions is the number of frames sent on the medium.
	Transmissions uint64
	// Examined is the number of (transmission, receiver) pairs whose
	// received power was computed: what spatial culling keeps small.
	Examined uint64
	// Deliveries is the number of arrivals scheduled (received power at or
	// above the floor).
	Deliveries uint64
}

// transmission is one frame on the air, shared by all its arrivals. It is
// pooled: refs counts the arrivals and receptions still using it.
type transmission struct {
	frame    Frame
	sender   int // index of the sending PHY
	uid      uint64
	duration sim.Time
	refs     int
	m        *Medium
}

// arrival is the start of a transmission at one receiver.
type arrival struct {
	tx       *transmission
	rx       *Phy
	powerDbm float64 // received power, before the receiver's gain
	powerW   float64 // received power with the receiver's gain, in W
}

// pairEntry is one cached sender-receiver computation.
type pairEntry struct {
	src, dst  mobility.Vector
	txDbm, rx float64
	rxW       float64 // DbmToW(rx + the receiver's RxGainDb)
	delay     sim.Time
	valid     bool
}

// bruteForcePhys: with this many PHYs or fewer, a transmission examines
// every PHY (in attachment order, as the grid path does) rather than the
// grid's 3x3 cells: nine map lookups and a sort cost more than a few dozen
// cached pair entries. The receptions are the same either way.
const bruteForcePhys = 64

// maxCachedPhys bounds the pair cache (n^2 entries).
const maxCachedPhys = 512

// cellKey identifies a cell of the spatial grid.
type cellKey struct{ x, y int64 }

// mediumNode is one attached PHY.
type mediumNode struct {
	phy    *Phy
	pos    mobility.Model
	inGrid bool
	key    cellKey
}

// Medium is the radio channel that connects PHYs: ns-3's YansWifiChannel.
// A transmission reaches every other attached PHY whose received power
// (loss model, plus the receiver's gain) is at least FloorDbm, after the
// propagation delay, for the frame's duration.
//
// To keep large networks cheap, the medium indexes PHYs in a uniform grid
// (in x and y) whose cells are as wide as the culling range: the distance
// beyond which propagation.MaxRange guarantees that the strongest
// transmitter in use falls below the floor at the most sensitive receiver.
// A transmission examines only the 3×3 cells around its sender plus the
// PHYs that may move (anything but a ConstantPosition, or a
// ConstantVelocity at rest); the result is exactly what examining every PHY
// would give, arrivals included in the same order (attachment order, as
// ns-3's channel list). Static PHYs are re-indexed when their mobility model
// reports a course change. With a loss model that has no finite range
// (random or non-monotone models), every PHY is examined.
//
// Frames, transmissions and arrivals are pooled: a transmission allocates
// nothing in steady state.
type Medium struct {
	s     *sim.Simulator
	cfg   MediumConfig
	nodes []mediumNode

	rangeM float64 // culling range; +Inf: no grid
	cell   float64
	cells  map[cellKey][]int32
	mobile []int32
	cand   []int32

	maxTxDbm, maxRxGain float64

	// pairs caches, per (sender, receiver), the received power and delay
	// of the last transmission between them, valid while the positions and
	// the transmit power are the same. It is on only for deterministic
	// models (a finite culling range and a constant-speed delay) and up to
	// maxCachedPhys PHYs; it spares a log and a power per receiver and
	// frame.
	pairs []pairEntry

	nextUID     uint64
	txFree      []*transmission
	arrFree     []*arrival
	onArrivalFn func(any)
	stats       MediumStats
}

// NewMedium returns an empty medium.
func NewMedium(s *sim.Simulator, cfg MediumConfig) (*Medium, error) {
	if s == nil {
		return nil, errors.New("mac80211: NewMedium needs a simulator")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Medium{s: s, cfg: cfg, rangeM: math.Inf(1)}
	m.onArrivalFn = m.onArrival
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
	i := len(m.nodes)
	p.medium = m
	p.index = i
	if p.rng == nil {
		p.rng = m.s.Stream(fmt.Sprintf("mac80211/phy/%d", i))
	}
	m.nodes = append(m.nodes, mediumNode{phy: p, pos: pos})
	pos.OnCourseChange(func(mobility.Model) { m.reindex(i) })
	if i == 0 || p.txAntennaDbm > m.maxTxDbm || p.cfg.RxGainDb > m.maxRxGain {
		if m.refresh(false) {
			return nil
		}
	}
	m.index(i)
	m.resetPairCache()
	return nil
}

// txPowerChanged follows a PHY's transmit power change from old to new
// (antenna powers): the range can only change if the new power exceeds the
// maximum or the old one was it.
func (m *Medium) txPowerChanged(old, new float64) {
	if new > m.maxTxDbm || old == m.maxTxDbm {
		m.refresh(false)
	}
}

// Refresh recomputes the culling range and rebuilds the spatial index. Call
// it after changing the loss model's parameters; transmit power changes
// (Phy.SetTxPowerDbm) and course changes are followed automatically.
func (m *Medium) Refresh() { m.refresh(true) }

// CullRange returns the current culling range in metres: +Inf if every PHY
// is examined for every transmission.
func (m *Medium) CullRange() float64 { return m.rangeM }

// Stats returns what the medium has counted so far.
func (m *Medium) Stats() MediumStats { return m.stats }

// NumPhys returns the number of attached PHYs.
func (m *Medium) NumPhys() int { return len(m.nodes) }

// refresh recomputes the culling range from the strongest transmitter and
// the largest receive gain, and rebuilds the grid if the range changed (or
// force). It reports whether it rebuilt.
func (m *Medium) refresh(force bool) bool {
	maxTx, maxGain := math.Inf(-1), math.Inf(-1)
	for i := range m.nodes {
		c := &m.nodes[i].phy.cfg
		maxTx = max(maxTx, m.nodes[i].phy.txAntennaDbm)
		maxGain = max(maxGain, c.RxGainDb)
	}
	m.maxTxDbm, m.maxRxGain = maxTx, maxGain
	r := math.Inf(1)
	if len(m.nodes) > 0 && !math.IsInf(m.cfg.FloorDbm, -1) {
		r = propagation.MaxRange(m.cfg.Loss, maxTx, m.cfg.FloorDbm-maxGain)
		if math.IsNaN(r) || r < 0 {
			r = math.Inf(1)
		}
	}
	if !force && r == m.rangeM {
		return false
	}
	m.rangeM = r
	m.cells = nil
	m.mobile = m.mobile[:0]
	for i := range m.nodes {
		m.nodes[i].inGrid = false
	}
	defer m.resetPairCache()
	if math.IsInf(r, 1) {
		return true
	}
	// A zero range still needs cells: co-located PHYs may hear each other.
	m.cell = max(r, 1e-6)
	m.cells = make(map[cellKey][]int32)
	for i := range m.nodes {
		m.index(i)
	}
	return true
}

// isStatic reports whether a mobility model keeps its position until it
// reports a course change.
func isStatic(pos mobility.Model) bool {
	switch v := pos.(type) {
	case *mobility.ConstantPosition:
		return true
	case *mobility.ConstantVelocity:
		return v.Velocity(sim.MaxTime) == mobility.Vector{}
	}
	return false
}

// keyOf returns the grid cell of position v.
func (m *Medium) keyOf(v mobility.Vector) cellKey {
	return cellKey{cellCoord(v.X / m.cell), cellCoord(v.Y / m.cell)}
}

func cellCoord(x float64) int64 {
	const lim = 1 << 62
	x = math.Floor(x)
	switch {
	case x > lim:
		return lim
	case x < -lim || math.IsNaN(x):
		return -lim
	}
	return int64(x)
}

// index puts node i in the grid or in the list of mobile nodes.
func (m *Medium) index(i int) {
	if m.cells == nil {
		return
	}
	n := &m.nodes[i]
	if isStatic(n.pos) {
		n.key = m.keyOf(n.pos.Position(m.s.Now()))
		n.inGrid = true
		m.cells[n.key] = insertSorted(m.cells[n.key], int32(i))
		return
	}
	m.mobile = insertSorted(m.mobile, int32(i))
}

// reindex moves node i after a course change.
func (m *Medium) reindex(i int) {
	if m.cells == nil {
		return
	}
	n := &m.nodes[i]
	if n.inGrid {
		m.cells[n.key] = removeSorted(m.cells[n.key], int32(i))
		if len(m.cells[n.key]) == 0 {
			delete(m.cells, n.key)
		}
		n.inGrid = false
	} else {
		m.mobile = removeSorted(m.mobile, int32(i))
	}
	m.index(i)
}

func insertSorted(s []int32, v int32) []int32 {
	i, found := slices.BinarySearch(s, v)
	if found {
		return s
	}
	return slices.Insert(s, i, v)
}

func removeSorted(s []int32, v int32) []int32 {
	if i, found := slices.BinarySearch(s, v); found {
		return slices.Delete(s, i, i+1)
	}
	return s
}

// transmit sends f from sender for dur: YansWifiChannel::Send.
func (m *Medium) transmit(sender *Phy, f *Frame, dur sim.Time) {
	tx := m.getTx()
	tx.frame = *f
	tx.frame.TxPowerDbm = sender.cfg.TxPowerDbm
	m.nextUID++
	tx.uid = m.nextUID
	tx.duration = dur
	tx.sender = sender.index
	m.stats.Transmissions++
	now := m.s.Now()
	txDbm := sender.txAntennaDbm
	src := m.nodes[sender.index].pos.Position(now)
	if m.cells == nil || len(m.nodes) <= bruteForcePhys {
		for i := range m.nodes {
			if i != sender.index {
				m.deliver(tx, i, txDbm, src, now)
			}
		}
	} else {
		k := m.keyOf(src)
		cand := m.cand[:0]
		for dx := int64(-1); dx <= 1; dx++ {
			for dy := int64(-1); dy <= 1; dy++ {
				cand = append(cand, m.cells[cellKey{k.x + dx, k.y + dy}]...)
			}
		}
		cand = append(cand, m.mobile...)
		slices.Sort(cand)
		m.cand = cand
		for _, i := range cand {
			if int(i) != sender.index {
				m.deliver(tx, int(i), txDbm, src, now)
			}
		}
	}
	if tx.refs == 0 {
		m.putTx(tx)
	}
}

// deliver schedules the arrival of tx at node i if its power reaches the
// floor. The power is computed before the delay, so that culled and
// examined-but-too-weak receivers draw nothing from a random delay model.
func (m *Medium) deliver(tx *transmission, i int, txDbm float64, src mobility.Vector, now sim.Time) {
	n := &m.nodes[i]
	dst := n.pos.Position(now)
	m.stats.Examined++
	rx, rxW, delay := m.lossAndDelay(tx.sender, i, txDbm, src, dst)
	if !(rx+n.phy.cfg.RxGainDb >= m.cfg.FloorDbm) {
		return
	}
	a := m.getArr()
	a.tx, a.rx, a.powerDbm, a.powerW = tx, n.phy, rx, rxW
	tx.refs++
	m.stats.Deliveries++
	m.s.ScheduleWith(delay, m.onArrivalFn, a)
}

// lossAndDelay returns the received power and propagation delay from node
// from to node to, through the pair cache when it is on.
// The power in W includes the receiver's gain, as the PHY uses it.
func (m *Medium) lossAndDelay(from, to int, txDbm float64, src, dst mobility.Vector) (float64, float64, sim.Time) {
	gain := m.nodes[to].phy.cfg.RxGainDb
	if m.pairs == nil {
		rx := m.cfg.Loss.RxPower(txDbm, src, dst)
		return rx, DbmToW(rx + gain), max(m.cfg.Delay.Delay(src, dst), 0)
	}
	e := &m.pairs[from*len(m.nodes)+to]
	if !e.valid || e.txDbm != txDbm || e.src != src || e.dst != dst {
		rx := m.cfg.Loss.RxPower(txDbm, src, dst)
		*e = pairEntry{src: src, dst: dst, txDbm: txDbm, valid: true, rx: rx,
			rxW: DbmToW(rx + gain), delay: max(m.cfg.Delay.Delay(src, dst), 0)}
	}
	return e.rx, e.rxW, e.delay
}

// resetPairCache sizes (and empties) the pair cache for the current PHYs
// and models, or turns it off.
func (m *Medium) resetPairCache() {
	_, constantSpeed := m.cfg.Delay.(*propagation.ConstantSpeed)
	n := len(m.nodes)
	if m.cells == nil || !constantSpeed || n > maxCachedPhys {
		m.pairs = nil
		return
	}
	m.pairs = make([]pairEntry, n*n)
}

// onArrival starts the reception of an arrival at its PHY.
func (m *Medium) onArrival(arg any) {
	a := arg.(*arrival)
	tx, rx, dbm, w := a.tx, a.rx, a.powerDbm, a.powerW
	*a = arrival{}
	m.arrFree = append(m.arrFree, a)
	rx.receive(tx, dbm, w)
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
	tx.frame = Frame{}
	tx.refs = 0
	m.txFree = append(m.txFree, tx)
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
