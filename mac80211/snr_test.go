package mac80211

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/netgym/netgym/sim/spectrum"
)

func TestNoise(t *testing.T) {
	// k·T0 with ns-3's constant: -173.977 dBm/Hz.
	assert.InDelta(t, -173.977, spectrum.WToDbm(ThermalNoiseW(1)), 1e-3)
	// Over 20 MHz: -100.966 dBm; with the 7 dB noise figure: -93.966 dBm.
	assert.InDelta(t, -100.966, spectrum.WToDbm(ThermalNoiseW(ChannelWidthHz)), 1e-3)
	nf := NoiseFloorW(DefaultNoiseFigureDb, ChannelWidthHz)
	assert.InDelta(t, -93.966, spectrum.WToDbm(nf), 1e-3)
	// Exactly ns-3's InterferenceHelper::CalculateSnr arithmetic.
	assert.Equal(t, spectrum.DbToRatio(7)*(1.3803e-23*290*20e6), nf)

	tests := []struct {
		name                  string
		signal, noise, interf float64
		want                  float64
	}{
		{"noise only", spectrum.DbmToW(-74), spectrum.DbmToW(-94), 0, 100},
		{"equal interference", 1e-9, 1e-10, 1e-10, 5},
		{"no signal", 0, 1e-10, 1e-9, 0},
	}
	for _, tc := range tests {
		assert.InDelta(t, tc.want, SINR(tc.signal, tc.noise, tc.interf), 1e-9*math.Max(1, tc.want), tc.name)
	}
}
