package mac80211

import "math"

// Unit conversions, as ns-3's wifi-utils.cc (DbToRatio, DbmToW, WToDbm,
// RatioToDb).

// DbToRatio converts a ratio in dB to a linear ratio: 10^(dB/10).
func DbToRatio(db float64) float64 { return math.Pow(10, 0.1*db) }

// RatioToDb converts a linear ratio to dB: 10·log10(ratio).
func RatioToDb(ratio float64) float64 { return 10 * math.Log10(ratio) }

// DbmToW converts a power in dBm to watts: 10^((dBm-30)/10).
func DbmToW(dbm float64) float64 { return math.Pow(10, 0.1*(dbm-30)) }

// WToDbm converts a power in watts to dBm: 10·log10(w) + 30.
func WToDbm(w float64) float64 { return 10*math.Log10(w) + 30 }

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
	return DbToRatio(noiseFigureDb) * ThermalNoiseW(bandwidthHz)
}

// SINR returns the linear signal to interference-plus-noise ratio
// signalW / (noiseFloorW + interferenceW), all powers in watts, as ns-3
// InterferenceHelper::CalculateSnr does for a single-antenna receiver.
func SINR(signalW, noiseFloorW, interferenceW float64) float64 {
	return signalW / (noiseFloorW + interferenceW)
}
