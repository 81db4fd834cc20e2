package propagation

import (
	"fmt"
	"math"

	"github.com/netgym/netgym/sim/mobility"
)

// SpeedOfLight is the speed of light in vacuum (m/s), the constant ns-3 uses
// for wavelengths and as the default propagation speed.
const SpeedOfLight = 299792458.0

// Friis is free-space path loss, ns-3's FriisPropagationLossModel:
//
//	rx = tx - max(-10·log10(λ² / (16π²·d²·L)), MinLoss)
//
// with λ = SpeedOfLight/Frequency and L the system loss. As in ns-3, a
// distance of zero (or less) gives tx - MinLoss; below a few wavelengths the
// formula leaves the far field and predicts a gain, which MinLoss clamps
// (ns-3 only logs a warning under 3λ). Construct it with DefaultFriis.
type Friis struct {
	// Frequency is the carrier frequency in Hz (ns-3 default 5.15 GHz).
	Frequency float64
	// SystemLoss is the dimensionless system loss L (default 1, i.e. none).
	SystemLoss float64
	// MinLoss is the smallest loss, in dB, the model returns (default 0).
	MinLoss float64
}

// DefaultFriis returns ns-3 3.37's defaults: 5.15 GHz, system loss 1,
// minimum loss 0 dB.
func DefaultFriis() *Friis {
	return &Friis{Frequency: 5.150e9, SystemLoss: 1, MinLoss: 0}
}

// Validate reports a frequency or system loss that is not positive and
// finite, or a non-finite MinLoss.
func (m *Friis) Validate() error {
	if err := checkFinite("Friis", []string{"Frequency", "SystemLoss", "MinLoss"},
		m.Frequency, m.SystemLoss, m.MinLoss); err != nil {
		return err
	}
	if m.Frequency <= 0 {
		return fmt.Errorf("propagation: Friis frequency %g Hz must be positive", m.Frequency)
	}
	if m.SystemLoss <= 0 {
		return fmt.Errorf("propagation: Friis system loss %g must be positive", m.SystemLoss)
	}
	return nil
}

// Wavelength returns λ = SpeedOfLight/Frequency in metres.
func (m *Friis) Wavelength() float64 { return SpeedOfLight / m.Frequency }

// RxPower returns the received power in dBm, computed in the same order of
// operations as ns-3's FriisPropagationLossModel::DoCalcRxPower.
func (m *Friis) RxPower(txPowerDbm float64, a, b mobility.Vector) float64 {
	d := a.Distance(b)
	if d <= 0 {
		return txPowerDbm - m.MinLoss
	}
	lambda := SpeedOfLight / m.Frequency
	numerator := lambda * lambda
	denominator := 16 * math.Pi * math.Pi * d * d * m.SystemLoss
	lossDb := -10 * math.Log10(numerator/denominator)
	return txPowerDbm - math.Max(lossDb, m.MinLoss)
}

// Monotone reports true: the loss never decreases with distance.
func (m *Friis) Monotone() bool { return true }

// MaxRange returns the distance at which the loss reaches txPowerDbm -
// floorDbm, d = λ/(4π)·sqrt(10^((tx-floor)/10)/L), or 0 if even MinLoss puts
// the power below the floor.
func (m *Friis) MaxRange(txPowerDbm, floorDbm float64) float64 {
	budget := txPowerDbm - floorDbm
	if !(budget >= m.MinLoss) {
		return 0
	}
	d := m.Wavelength() / (4 * math.Pi) * math.Sqrt(math.Pow(10, budget/10)/m.SystemLoss)
	return roundUp(d)
}
