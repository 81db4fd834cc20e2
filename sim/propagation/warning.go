package propagation

// WarningReason says which validity range of a model an input left. The
// 3GPP models compute such inputs the way ns-3 does (ns-3 logs an
// NS_LOG_WARN and carries on) and count them here instead of printing.
type WarningReason uint8

const (
	// WarnDistance: the distance is outside the scenario's range (the 2D
	// distance for UMa, UMi and RMa, from 10 m; the 3D distance for the
	// indoor office, 1 to 150 m).
	WarnDistance WarningReason = iota + 1
	// WarnUTHeight: the user terminal (the lower endpoint, or UMi's
	// non-BS endpoint) is outside the scenario's height range.
	WarnUTHeight
	// WarnBSHeight: the base station (the higher endpoint, or UMi's BS
	// endpoint) is not at the scenario's height (25 m for UMa, 10 m for
	// UMi, 10 to 150 m for RMa, 3 m for the indoor LOS probabilities).
	WarnBSHeight
	// WarnFrequency: the carrier frequency is outside 0.5 to 100 GHz (ns-3's
	// ThreeGppPropagationLossModel::SetFrequency assertion), or above 30
	// GHz for RMa (ns-3's GetLossLos/GetLossNlos assertions).
	WarnFrequency
	// WarnBreakpoint: RMa's breakpoint distance 2π·hBS·hUT·fc/c is not
	// positive (a height at or below 0 m). ns-3 aborts; the model computes
	// the LOS loss with PL1 at the 3D distance instead.
	WarnBreakpoint
	// WarnCondition: a ConditionModel returned a LOS condition that is
	// neither LOS nor NLOS. ns-3 stops with "Unknown channel condition";
	// the model computes the link as NLOS instead.
	WarnCondition

	numWarningReasons = iota + 1
)

// String returns the reason's name.
func (r WarningReason) String() string {
	switch r {
	case WarnDistance:
		return "distance"
	case WarnUTHeight:
		return "ut-height"
	case WarnBSHeight:
		return "bs-height"
	case WarnFrequency:
		return "frequency"
	case WarnBreakpoint:
		return "breakpoint"
	case WarnCondition:
		return "condition"
	}
	return "unknown"
}

// Warning describes one input a model computed outside its validity range.
type Warning struct {
	// Reason says which range was left.
	Reason WarningReason
	// Scenario is the 3GPP scenario whose range it is.
	Scenario Scenario
	// Link is the link being computed.
	Link LinkKey
	// Value is the offending input: a distance or height in metres, a
	// frequency in Hz, a breakpoint distance in metres, or the condition.
	Value float64
}

// Warnings counts the out-of-range inputs of one model, per reason, and
// optionally reports each to a trace hook. A model counts each violated
// range once per computation (ns-3 logs some twice, since its NLOS formulas
// call the LOS ones). The zero value counts and reports nothing.
type Warnings struct {
	// OnWarning, if set, is called for every warning counted.
	OnWarning func(Warning)

	counts [numWarningReasons]uint64
}

// Count returns the number of warnings counted for reason r.
func (w *Warnings) Count(r WarningReason) uint64 {
	if int(r) >= len(w.counts) {
		return 0
	}
	return w.counts[r]
}

// Total returns the number of warnings counted for all reasons.
func (w *Warnings) Total() uint64 {
	var n uint64
	for _, c := range w.counts {
		n += c
	}
	return n
}

// Reset sets every count back to zero (OnWarning stays).
func (w *Warnings) Reset() { w.counts = [numWarningReasons]uint64{} }

// warn counts one warning and reports it.
func (w *Warnings) warn(r WarningReason, s Scenario, k LinkKey, v float64) {
	w.counts[r]++
	if w.OnWarning != nil {
		w.OnWarning(Warning{Reason: r, Scenario: s, Link: k, Value: v})
	}
}
