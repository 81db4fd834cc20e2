package mac80211

import "github.com/netgym/netgym/sim/spectrum"

// Receiver noise, as ns-3 InterferenceHelper::CalculateSnr computes it.
const (
	// Boltzmann is the Boltzmann constant in J/K with ns-3's value
	// (InterferenceHelper::CalculateSnr uses 1.3803e-23, not the exact SI
	// 1.380649e-23), so that noise floors match ns-3 to the last digit.
	Boltzmann = 1.3803e-23
	// NoiseTemperature is the reference noise temperature T0 in kelvin.
	NoiseTemperature = 290.0
	// ChannelWidthHz is the 802.11a channel width, 20 MHz.
	ChannelWidthHz = 20e6
	// DefaultNoiseFigureDb is ns-3's default receiver noise figure
	// (WifiPhy attribute RxNoiseFigure), 7 dB.
	DefaultNoiseFigureDb = 7.0
)

// ThermalNoiseW returns the thermal noise power k·T0·B in watts over a
// bandwidth of bandwidthHz: about -174 dBm/Hz, so -101 dBm over 20 MHz.
func ThermalNoiseW(bandwidthHz float64) float64 {
	return Boltzmann * NoiseTemperature * bandwidthHz
}

// NoiseFloorW returns the receiver noise floor in watts: the thermal noise
// over bandwidthHz raised by the receiver's noise figure (in dB). With the
// ns-3 defaults (7 dB, 20 MHz) it is about -94 dBm. Compute it once per
// receiver, not per frame.
func NoiseFloorW(noiseFigureDb, bandwidthHz float64) float64 {
	return spectrum.DbToRatio(noiseFigureDb) * ThermalNoiseW(bandwidthHz)
}

// SINR returns the linear signal to interference-plus-noise ratio
// signalW / (noiseFloorW + interferenceW), all powers in watts, as ns-3
// InterferenceHelper::CalculateSnr does for a single-antenna receiver.
func SINR(signalW, noiseFloorW, interferenceW float64) float64 {
	return signalW / (noiseFloorW + interferenceW)
}
