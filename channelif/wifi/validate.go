package wifi

import (
	"fmt"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
)

// Ranges of the Wi-Fi programs' settings that Validate accepts (NetRL's
// programs accept anything and misbehave: see docs/netrl-protocol.md).
const (
	// MinStepMs is the shortest step, one nanosecond (sim.Time's unit).
	MinStepMs = 1e-6
	// DefaultMaxAdvanceS is the default MaxAdvanceS: the generic
	// backend's DefaultMaxAdvance, 600 s.
	DefaultMaxAdvanceS = float64(channelif.DefaultMaxAdvance / sim.Second)
	// MaxDistance is the largest distance in metres: nodes are placed on
	// the x axis, within mobility.MaxCoordinate of the origin.
	MaxDistance = mobility.MaxCoordinate
	// MaxLossExponent is the largest LogDistance exponent: measured
	// path-loss exponents lie between about 1.6 and 6.5 (Rappaport,
	// Wireless Communications, table 4.2).
	MaxLossExponent = 10
)

// commonChecks validates the settings both programs share; name prefixes
// the messages.
func commonChecks(name string, stepMs, maxAdvanceS, txPowerDbm, lossExponent float64, retries, packetSize int) error {
	if !(maxAdvanceS >= MinStepMs/1e3 && maxAdvanceS <= channelif.MaxSimTime.Seconds()) {
		return fmt.Errorf("%s: max-advance-s %v out of range [%g, %.4g]", name, maxAdvanceS, MinStepMs/1e3, channelif.MaxSimTime.Seconds())
	}
	maxStepMs := maxAdvanceS * 1e3
	if !(stepMs >= MinStepMs && stepMs <= maxStepMs) {
		return fmt.Errorf("%s: step-ms %v out of range [%g, %g] (at most max-advance-s)", name, stepMs, MinStepMs, maxStepMs)
	}
	if _, err := sim.FromFloat(stepMs, sim.Millisecond); err != nil {
		return fmt.Errorf("%s: step-ms: %w", name, err)
	}
	switch {
	case !(txPowerDbm >= mac80211.MinTxPowerDbm && txPowerDbm <= mac80211.MaxTxPowerDbm):
		return fmt.Errorf("%s: tx-power %v out of range [%g, %g] dBm", name, txPowerDbm, mac80211.MinTxPowerDbm, mac80211.MaxTxPowerDbm)
	case !(lossExponent > 0 && lossExponent <= MaxLossExponent):
		return fmt.Errorf("%s: loss-exp %v out of range (0, %d]", name, lossExponent, MaxLossExponent)
	case retries < 1 || retries > mac80211.MaxRetryLimit:
		return fmt.Errorf("%s: retries %d out of range [1,%d]", name, retries, mac80211.MaxRetryLimit)
	case packetSize < 0 || packetSize > MaxPacketSize:
		return fmt.Errorf("%s: pkt-size %d out of range [0,%d]", name, packetSize, MaxPacketSize)
	}
	return nil
}

// stepDuration converts a validated step-ms.
func stepDuration(stepMs float64) sim.Time {
	d, _ := sim.FromFloat(stepMs, sim.Millisecond)
	return max(d, 1)
}

// maxAdvance converts a validated max-advance-s.
func maxAdvance(s float64) sim.Time {
	d, _ := sim.FromFloat(s, sim.Second)
	return max(d, 1)
}
