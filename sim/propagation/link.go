package propagation

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
)

// Endpoint is one end of a link as a link-aware loss model sees it.
type Endpoint struct {
	// ID identifies the endpoint (a node, or one antenna of it) uniquely
	// within the medium that asks. Per-link state is keyed by the pair of
	// ids (see KeyOf), so ids must be stable for the life of a
	// simulation.
	ID int
	// Position is the endpoint's position at the time of the computation
	// (z is the antenna height above ground for the 3GPP models).
	Position mobility.Vector
	// Mobility is the endpoint's mobility model, or nil for a static
	// endpoint known only by Position. Models that depend on speed
	// (Doppler) read it; pathloss models read Position only.
	Mobility mobility.Model
}

// Link is what a LinkLossModel sees of one transmission: both endpoints,
// the carrier frequency and the time. A medium fills one Link per
// (transmission, receiver) pair and passes it by pointer; models must not
// keep the pointer.
type Link struct {
	Tx, Rx Endpoint
	// FrequencyHz is the carrier frequency (0 if the medium does not say;
	// models that need it take it from their own configuration then).
	FrequencyHz float64
	// Now is the simulated time of the computation.
	Now sim.Time
}

// Key returns the direction-free key of the link: ns-3 keys per-link
// channel conditions and shadowing by the unordered pair of node ids
// (ThreeGppPropagationLossModel::GetKey), so a link and its reverse share
// their state.
func (l *Link) Key() LinkKey { return KeyOf(l.Tx.ID, l.Rx.ID) }

// Distance3D returns the straight-line distance between the endpoints.
func (l *Link) Distance3D() float64 { return l.Tx.Position.Distance(l.Rx.Position) }

// Distance2D returns the distance between the endpoints projected on the
// ground plane (x, y), as TR 38.901's d2D.
func (l *Link) Distance2D() float64 {
	return math.Hypot(l.Tx.Position.X-l.Rx.Position.X, l.Tx.Position.Y-l.Rx.Position.Y)
}

// LinkKey identifies a link regardless of its direction.
type LinkKey struct{ Lo, Hi int }

// KeyOf returns the key of the link between endpoints a and b, in either
// order.
func KeyOf(a, b int) LinkKey {
	if a > b {
		a, b = b, a
	}
	return LinkKey{Lo: a, Hi: b}
}

// String formats the key as "lo-hi", the form used in stream names.
func (k LinkKey) String() string { return fmt.Sprintf("%d-%d", k.Lo, k.Hi) }

// LinkLossModel computes received power knowing the link: both endpoints
// (ids, positions, mobility), the frequency and the time. Models with
// per-link state (a LOS condition, correlated shadowing, a fast-fading
// channel) keep it in a LinkStates keyed by Link.Key and draw it from
// per-link random streams (LinkStream), so that the result for one link
// never depends on which other links were computed before it.
type LinkLossModel interface {
	// LinkRxPower returns the power (dBm) received at l.Rx when l.Tx
	// transmits txPowerDbm. It must not panic on any finite input; inputs
	// outside a model's validity range are computed as the model's
	// reference implementation does and counted or traced by the model.
	LinkRxPower(txPowerDbm float64, l *Link) float64
}

// ForLink returns m as a LinkLossModel: m itself if it is one, otherwise
// an adapter that calls m.RxPower with the endpoints' positions. The
// adapter allocates nothing per call.
func ForLink(m LossModel) LinkLossModel {
	if lm, ok := m.(LinkLossModel); ok {
		return lm
	}
	return positional{m}
}

// positional adapts a position-only LossModel.
type positional struct{ m LossModel }

func (p positional) LinkRxPower(txPowerDbm float64, l *Link) float64 {
	return p.m.RxPower(txPowerDbm, l.Tx.Position, l.Rx.Position)
}

// LinkRxPower applies the chain to a link: models that are LinkLossModels
// see the link, the others its positions.
func (c Chain) LinkRxPower(txPowerDbm float64, l *Link) float64 {
	p := txPowerDbm
	for _, m := range c {
		if lm, ok := m.(LinkLossModel); ok {
			p = lm.LinkRxPower(p, l)
		} else {
			p = m.RxPower(p, l.Tx.Position, l.Rx.Position)
		}
	}
	return p
}

// LinkStates holds one value of per-link state per link key: the place a
// link-aware model keeps what it drew for a link (a condition, a shadowing
// value and the position it was drawn at, a channel matrix). The zero value
// is ready to use. Lookups cost one map access; Get never allocates for a
// link seen before.
type LinkStates[T any] struct {
	m map[LinkKey]*T
}

// Get returns the state of link k and whether it existed.
func (s *LinkStates[T]) Get(k LinkKey) (*T, bool) {
	v, ok := s.m[k]
	return v, ok
}

// GetOrInit returns the state of link k, creating it with init the first
// time (init receives a zeroed value to fill).
func (s *LinkStates[T]) GetOrInit(k LinkKey, init func(*T)) *T {
	if v, ok := s.m[k]; ok {
		return v
	}
	if s.m == nil {
		s.m = make(map[LinkKey]*T)
	}
	v := new(T)
	if init != nil {
		init(v)
	}
	s.m[k] = v
	return v
}

// Delete forgets link k's state (it is drawn again on next use).
func (s *LinkStates[T]) Delete(k LinkKey) { delete(s.m, k) }

// Len returns the number of links with state.
func (s *LinkStates[T]) Len() int { return len(s.m) }

// Clear forgets every link's state.
func (s *LinkStates[T]) Clear() { clear(s.m) }

// StreamSource hands out named random streams: *sim.Simulator does
// (Simulator.Stream), as does a closure over sim.NewStream for code outside
// a simulation.
type StreamSource interface {
	Stream(name string) *rand.Rand
}

// LinkStream returns the random stream of one link for a model: the
// stream named "<prefix>/<lo>-<hi>" of src. Drawing per-link values from
// per-link streams makes them independent of the order in which links are
// first used and of how many other links exist.
func LinkStream(src StreamSource, prefix string, k LinkKey) *rand.Rand {
	return src.Stream(prefix + "/" + k.String())
}
